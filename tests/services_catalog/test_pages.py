"""The public catalog (filters, counts, sorting, paging), the item guide, its print
and apply views, division pages and the sitemap, as a citizen's browser gets them."""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import localtime
from wagtail.documents import get_document_model

from services_catalog.filters import PAGE_SIZE
from tests.factories import ServiceItemMaterialFactory, ServiceItemStepFactory

pytestmark = pytest.mark.django_db


def html(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def listed(response):
    """The item titles a catalog page shows, in order."""
    return [a.get_text(strip=True) for a in html(response).select(".item-list h3 a")]


def text(node):
    return re.sub(r"\s+", " ", node.get_text(" ", strip=True))


def option_labels(response, field):
    select = html(response).find("select", attrs={"name": field})
    return {
        option["value"]: option.get_text(strip=True)
        for option in select.find_all("option")
    }


@pytest.fixture
def three_items(make_item, co_division):
    """A licence for organisations, an immediate filing for both audiences led by the
    co-division and offered at the window only, a confirmation for persons."""
    return {
        "licence": make_item(
            title="食品生产许可", code="SJ0001", item_type="licensing", promised_days=10
        ),
        "filing": make_item(
            title="特殊食品备案",
            code="SJ0002",
            item_type="filing",
            kind="immediate",
            statutory_days=5,
            promised_days=0,
            audience=["person", "organisation"],
            online=False,
            lead_division=co_division,
        ),
        "registration": make_item(
            title="个体工商户登记",
            code="SJ0003",
            item_type="confirmation",
            promised_days=3,
            audience=["person"],
        ),
    }


# The catalog


def test_department_catalog_lists_its_live_items(
    client, catalog, three_items, make_item, other_catalog, other_division
):
    make_item(title="草稿事项", published=False, live=False)
    make_item(
        title="别的部门的事项", parent=other_catalog, lead_division=other_division
    )

    response = client.get(catalog.url)

    assert sorted(listed(response)) == [
        "个体工商户登记",
        "特殊食品备案",
        "食品生产许可",
    ]
    assert "共 3 项事项" in text(html(response).select_one(".catalog-count"))
    # A department's catalog has no department filter.
    assert html(response).find("select", attrs={"name": "department"}) is None


def test_site_wide_catalog_lists_every_departments_items(
    client, site_catalog, three_items, make_item, other_catalog, other_division
):
    make_item(title="排污许可", parent=other_catalog, lead_division=other_division)

    response = client.get(site_catalog.url)

    assert len(listed(response)) == 4
    assert "省生态环境厅" in text(html(response).select_one(".item-list"))
    assert option_labels(response, "department") == {
        "": "全部",
        "SJ": "省市场监督管理局（3）",
        "ST": "省生态环境厅（1）",
    }

    groups = html(response).select('select[name="division"] optgroup')
    assert [group["label"] for group in groups] == ["省市场监督管理局", "省生态环境厅"]
    assert [text(o) for o in groups[1].find_all("option")] == ["大气环境处（1）"]

    narrowed = client.get(site_catalog.url, {"department": "ST"})

    assert listed(narrowed) == ["排污许可"]
    # Once a department is chosen, only its divisions are offered.
    assert set(option_labels(narrowed, "division")) == {"", "ST-DQ"}
    assert not html(narrowed).select('select[name="division"] optgroup')
    assert listed(client.get(site_catalog.url, {"division": "ST-DQ"})) == ["排污许可"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"type": "filing"}, {"特殊食品备案"}),
        ({"type": "licensing"}, {"食品生产许可"}),
        ({"audience": "person"}, {"特殊食品备案", "个体工商户登记"}),
        ({"audience": "organisation"}, {"特殊食品备案", "食品生产许可"}),
        ({"kind": "immediate"}, {"特殊食品备案"}),
        ({"kind": "promised"}, {"食品生产许可", "个体工商户登记"}),
        ({"online": "0"}, {"特殊食品备案"}),
        ({"online": "1"}, {"食品生产许可", "个体工商户登记"}),
        ({"division": "SJ-ZH"}, {"特殊食品备案"}),
        ({"division": "SJ-SP"}, {"食品生产许可", "个体工商户登记"}),
        ({"q": "生产"}, {"食品生产许可"}),
        ({"q": "sj0003"}, {"个体工商户登记"}),
        ({"type": "licensing", "audience": "person"}, set()),
        ({"audience": "person", "online": "1"}, {"个体工商户登记"}),
    ],
)
def test_each_filter_narrows_the_catalog(client, catalog, three_items, query, expected):
    response = client.get(catalog.url, query)

    assert set(listed(response)) == expected
    assert f"共 {len(expected)} 项事项" in text(html(response))
    assert not html(response).select(".error-summary")


def test_option_counts_keep_the_other_filters(client, catalog, three_items):
    response = client.get(catalog.url, {"audience": "person"})

    types = option_labels(response, "type")
    assert types["licensing"] == "行政许可（0）"
    assert types["filing"] == "行政备案（1）"
    assert types["confirmation"] == "行政确认（1）"
    # A facet's own options are counted without its own filter.
    assert option_labels(response, "audience") == {
        "": "全部",
        "person": "自然人（2）",
        "organisation": "法人（2）",
    }
    assert option_labels(response, "online")["1"] == "可网上申请（1）"
    assert option_labels(response, "division")["SJ-ZH"] == "综合规划处（1）"


def test_bad_filter_values_are_ignored_and_reported(client, catalog, three_items):
    response = client.get(
        catalog.url,
        {
            "type": "bogus",
            "online": "maybe",
            "division": "XX-NONE",
            "audience": "person",
            "sort": "worst",
            "page": "abc",
            "department": "ZZ",
        },
    )

    assert set(listed(response)) == {"特殊食品备案", "个体工商户登记"}
    summary = text(html(response).select_one(".error-summary"))
    for label in ("事项类型", "办理方式", "承办处室", "排序"):
        assert label in summary


def test_a_too_long_keyword_is_reported_not_an_error(client, catalog, three_items):
    response = client.get(catalog.url, {"q": "食" * 200})

    assert len(listed(response)) == 3
    assert html(response).select(".error-summary")


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["个体工商户登记", "特殊食品备案", "食品生产许可"]),
        ("time", ["特殊食品备案", "个体工商户登记", "食品生产许可"]),
        ("", ["食品生产许可", "特殊食品备案", "个体工商户登记"]),
    ],
)
def test_catalog_sorts_by_name_or_time_limit(
    client, catalog, three_items, sort, expected
):
    response = client.get(catalog.url, {"sort": sort})

    if sort == "name":
        # Whatever the database collation, the order is the database's by title.
        from services_catalog.models import ServiceItemPage

        expected = list(
            ServiceItemPage.objects.order_by("title").values_list("title", flat=True)
        )
    assert listed(response) == expected


def test_catalog_pages_twenty_items_at_a_time(client, catalog, make_item):
    for number in range(PAGE_SIZE * 2 + 5):
        make_item(title=f"事项{number:02d}", code=f"PAGE{number:04d}")

    first = client.get(catalog.url, {"sort": "name", "online": "1"})
    last = client.get(catalog.url, {"sort": "name", "online": "1", "page": "3"})

    assert len(listed(first)) == PAGE_SIZE
    assert listed(first)[0] == "事项00"
    assert listed(last) == ["事项40", "事项41", "事项42", "事项43", "事项44"]
    assert "共 45 项事项" in text(html(first))
    next_link = html(first).select_one(".pagination a[rel=next]")["href"]
    assert (
        "page=2" in next_link and "online=1" in next_link and "sort=name" in next_link
    )


def count_queries(client, url, **params):
    client.get(url, params)  # warm the site and content-type caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("where", ["department", "site"])
def test_catalog_query_count_does_not_grow_with_items(
    client, catalog, site_catalog, make_item, co_division, where
):
    page = catalog if where == "department" else site_catalog
    for number in range(5):
        make_item(code=f"FEW{number:04d}", co_divisions=[co_division])
    few = count_queries(client, page.url, type="licensing")
    for number in range(35):
        make_item(code=f"MANY{number:04d}", co_divisions=[co_division])
    many = count_queries(client, page.url, type="licensing")

    assert few == many


# The item guide


@pytest.fixture
def documents():
    Document = get_document_model()
    return {
        name: Document.objects.create(
            title=name, file=ContentFile(b"%PDF-1.4 test", name=f"{name}.pdf")
        )
        for name in ("blank", "sample")
    }


@pytest.fixture
def full_item(make_item, co_division, documents):
    item = make_item(
        title="食品生产许可",
        code="11220000SJ0001",
        audience=["organisation"],
        co_divisions=[co_division],
        basis=[("item", "《中华人民共和国食品安全法》第三十五条")],
        conditions=[
            ("item", "具有与生产的食品品种相适应的生产场所。"),
            ("item", "有专职或兼职的食品安全管理人员。"),
        ],
        special_procedures=[("item", "现场核查，不超过 10 个工作日")],
        fee="不收费",
        result="《食品生产许可证》",
        result_delivery="窗口领取或免费邮寄",
        phone="0431-88885555",
        visits=1,
        faqs=[
            (
                "faq",
                {
                    "question": "可以委托他人办理吗？",
                    "answer": "可以，需提交授权委托书。",
                },
            )
        ],
    )
    ServiceItemMaterialFactory(
        page=item,
        name="食品生产许可申请书",
        originals=1,
        copies=0,
        format_notes="A4 纸，加盖公章",
        source="申请人自备",
        blank_form=documents["blank"],
        sample=documents["sample"],
    )
    ServiceItemMaterialFactory(
        page=item, name="营业执照", required=False, originals=0, copies=1
    )
    for name, actor, days in (
        ("收件与受理", "window", 1),
        ("批办", "director", 1),
        ("审查与决定", "division", 8),
    ):
        ServiceItemStepFactory(page=item, name=name, handled_by=actor, days=days)
    return item


def test_item_page_reads_as_a_complete_guide(
    client, full_item, division, co_division, documents
):
    page = html(client.get(full_item.url))
    main = page.find("main")
    content = text(main)

    assert text(main.find("h1")) == "食品生产许可"
    assert "11220000SJ0001" in text(main.select_one(".guide-header__code"))
    badges = [text(b) for b in main.select(".guide-header .badge")]
    assert badges == ["行政许可", "承诺件", "面向法人", "可网上申请"]
    limits = text(main.select_one(".time-limits"))
    assert "承诺办结时限 10 个工作日" in limits
    assert "法定办结时限 20 个工作日" in limits
    assert "最多跑 1 次" in limits
    assert "具有与生产的食品品种相适应的生产场所。" in content

    rows = main.select("table.materials tbody tr")
    assert len(rows) == 2
    first = {td["data-label"]: text(td) for td in rows[0].find_all("td")}
    assert first["材料名称"] == "食品生产许可申请书"
    assert first["是否必需"] == "必需"
    assert first["原件"] == "1 份"
    assert first["复印件"] == "不需要"
    assert first["格式要求"] == "A4 纸，加盖公章"
    assert first["来源"] == "申请人自备"
    links = [a["href"] for a in rows[0].select("a")]
    assert links == [documents["blank"].url, documents["sample"].url]
    second = {td["data-label"]: text(td) for td in rows[1].find_all("td")}
    assert second["是否必需"] == "视情况提交"

    steps = main.select("ol.steps > li")
    assert [text(step.find("h3")) for step in steps] == [
        "收件与受理",
        "批办",
        "审查与决定",
    ]
    assert "办理：收发文窗口" in text(steps[0])
    assert "办理：办公室主任" in text(steps[1])
    assert "时限：8 个工作日" in text(steps[2])
    assert "现场核查，不超过 10 个工作日" in content

    assert "《食品生产许可证》" in content
    assert "窗口领取或免费邮寄" in content
    contact = text(main.select_one("#guide-contact"))
    assert "长春市人民大街 3 号一楼收发文窗口" in contact  # the department's window
    assert "0431-88885555" in contact  # the item's own phone
    assert "监察室 0431-88889999" in contact  # the department's complaint channel
    assert main.select_one(f'#guide-contact a[href="{division.url}"]')
    assert main.select_one(f'#guide-contact a[href="{co_division.url}"]')
    assert "可以委托他人办理吗？" in content and "需提交授权委托书" in content
    assert "《中华人民共和国食品安全法》第三十五条" in content
    assert f"{localtime(full_item.last_published_at):%Y-%m-%d}" in text(
        main.select_one(".guide-updated")
    )
    apply = main.find("a", string="在线申请")
    assert apply["href"] == f"{full_item.url}apply/"
    assert main.find("a", string="打印办事指南")["href"] == f"{full_item.url}print/"


def test_immediate_window_only_item(client, make_item):
    item = make_item(kind="immediate", promised_days=0, statutory_days=0, online=False)

    main = html(client.get(item.url)).find("main")

    assert "承诺办结时限 即时办结" in text(main.select_one(".time-limits"))
    assert "法定办结时限 即时办结" in text(main.select_one(".time-limits"))
    assert main.find("a", string="在线申请") is None
    assert "仅窗口办理" in text(main.select_one(".item-badges"))


def test_apply_route_of_a_window_only_item_sends_citizens_to_the_window(
    client, make_item
):
    item = make_item(online=False)

    main = html(client.get(f"{item.url}apply/")).find("main")

    assert "本事项暂不支持在线申请，请到窗口办理" in text(main)
    assert "长春市人民大街 3 号一楼收发文窗口" in text(main)
    assert main.find("form") is None


def test_print_view_is_an_a4_guide(client, full_item):
    page = html(client.get(f"{full_item.url}print/"))
    main = page.find("main")

    assert "service-item-print" in page.body["class"]
    assert main.select_one("button[data-print]").get_text(strip=True) == "打印"
    assert len(main.select("table.materials tbody tr")) == 2
    assert len(main.select("ol.steps > li")) == 3
    assert f"http://localhost{full_item.url}" in text(
        main.select_one(".guide-print-meta")
    )
    assert page.find("link", href=re.compile(r"services_catalog/catalog\.css"))
    css = open(finders.find("services_catalog/catalog.css"), encoding="utf-8").read()
    assert re.search(r"@page\s*{\s*size:\s*A4;\s*margin:\s*15mm;", css)


def test_unknown_item_routes_are_not_found(client, full_item):
    assert client.get(f"{full_item.url}nothing/").status_code == 404


@pytest.mark.parametrize("path", ["", "print/", "apply/"])
def test_guide_pages_need_no_inline_script_or_style(client, make_item, path):
    item = make_item(online=False)

    page = html(client.get(f"{item.url}{path}"))

    assert not page.select("[style]")
    # JSON-LD is data, not a script: the CSP's script-src does not apply to it.
    assert not [
        s
        for s in page.find_all("script")
        if not s.get("src") and s.get("type") != "application/ld+json"
    ]


def test_catalog_needs_no_inline_script_or_style(client, catalog, three_items):
    page = html(client.get(catalog.url, {"type": "bogus"}))

    assert not page.select("[style]")
    assert not [s for s in page.find_all("script") if not s.get("src")]


@pytest.mark.parametrize("path", ["", "print/"])
def test_item_page_query_count_does_not_grow_with_materials(
    client, make_item, co_division, path
):
    def item_with(number):
        item = make_item(co_divisions=[co_division])
        for _ in range(number):
            ServiceItemMaterialFactory(page=item)
            ServiceItemStepFactory(page=item)
        return item

    few = count_queries(client, item_with(2).url + path)
    many = count_queries(client, item_with(10).url + path)

    assert few == many


# Division pages and the sitemap


def test_division_page_lists_led_and_co_handled_items(
    client, division, make_item, co_division
):
    make_item(title="食品生产许可")
    make_item(title="特殊食品备案", lead_division=co_division, co_divisions=[division])

    page = html(client.get(division.url))

    items = {
        text(li.find("a")): text(li.select_one(".badge"))
        for li in page.select("main .content-list li")
    }
    assert items == {"食品生产许可": "牵头主办", "特殊食品备案": "协办"}


def test_sitemap_lists_catalogs_and_items(client, catalog, site_catalog, three_items):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    body = response.content.decode()
    for page in (catalog, site_catalog, *three_items.values()):
        assert f"<loc>http://localhost{page.url}</loc>" in body
