"""The public frame every page shares: home page, footer, CSP, error pages, navigation,
breadcrumbs, the language switcher and the shared components."""

import pytest
from django import forms
from django.core.paginator import Paginator
from django.db import connection
from django.template import Context, Template, loader
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from portal.models import ContactSettings


def add_sections(parent, count, start=0):
    for number in range(start, start + count):
        parent.add_child(
            instance=Page(
                title=f"栏目{number}", slug=f"section-{number}", show_in_menus=True
            )
        )


def render(source, request, **context):
    return Template("{% load portal_tags %}" + source).render(
        Context({"request": request, **context})
    )


@pytest.fixture
def contact(home_page):
    settings = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    settings.organisation = "某市市场监督管理局"
    settings.address = "人民大道 100 号"
    settings.postcode = "130000"
    settings.public_hours = "工作日 8:30—17:00"
    settings.hotline = "0431-12345678"
    settings.complaint_channel = "监察室 0431-87654321"
    settings.icp_number = "吉ICP备00000000号-1"
    settings.save()
    return settings


def test_home_page_shows_contact_settings_in_footer(client, contact):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    footer = html[html.index('<footer class="site-footer"') :]
    for value in (
        "某市市场监督管理局",
        "人民大道 100 号",
        "130000",
        "工作日 8:30—17:00",
        "0431-12345678",
        "监察室 0431-87654321",
        "吉ICP备00000000号-1",
    ):
        assert value in footer
    assert '<html lang="zh-Hans">' in html
    assert html.count("<h1") == 1


@pytest.mark.parametrize("path", ["/", "/no-such-page/"])
def test_public_pages_have_a_strict_csp(client, home_page, path):
    response = client.get(path)

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_public_pages_have_no_inline_scripts_or_styles(client, home_page):
    html = client.get("/").content.decode()

    assert "<style" not in html
    assert " style=" not in html
    assert "<script>" not in html
    assert "<script src=" in html


def test_missing_page_is_a_chinese_404(client, home_page):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "页面未找到" in html
    assert "返回首页" in html


def test_server_error_page_renders_without_context_or_database():
    # No database fixture: pytest-django makes any query fail here.
    html = loader.get_template("500.html").render()

    assert "服务器错误" in html
    assert "/static/portal/css/site.css" in html


def test_language_switcher_turns_the_site_english(client, home_page):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/"}, follow=True
    )

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/"
    assert '<html lang="en">' in html
    assert "Main navigation" in html
    assert "Service guides" in html
    assert "窗口办公政务公开平台" in html  # the organisation's name is content


def queries_to_render_home(client):
    client.get("/")  # warm the caches (site root paths, settings)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_navigation_query_count_does_not_grow_with_sections(client, home_page):
    add_sections(home_page, 3)
    request = RequestFactory().get("/")
    render("{% main_nav %}", request, page=home_page)
    with CaptureQueriesContext(connection) as with_three:
        three = render("{% main_nav %}", request, page=home_page)
    add_sections(home_page, 7, start=3)
    with CaptureQueriesContext(connection) as with_ten:
        ten = render("{% main_nav %}", request, page=home_page)

    assert three.count("<li>") == 4 and ten.count("<li>") == 11
    assert len(with_ten) == len(with_three)


def test_home_page_query_count_does_not_grow_with_sections(client, home_page):
    add_sections(home_page, 3)
    three = queries_to_render_home(client)
    add_sections(home_page, 7, start=3)
    ten = queries_to_render_home(client)

    assert ten == three


def test_navigation_marks_the_current_section(home_page):
    add_sections(home_page, 2)
    section = home_page.get_children().get(slug="section-1")
    section.add_child(instance=Page(title="通知公告", slug="notice"))
    notice = section.get_children().get()

    html = render("{% main_nav %}", RequestFactory().get("/"), page=notice)

    assert 'href="/section-1/" aria-current="true"' in html
    assert 'href="/section-0/">' in html
    assert 'href="/">首页' in html


def test_breadcrumbs_lead_from_home_to_the_current_page(home_page):
    add_sections(home_page, 1)
    section = home_page.get_children().get()
    section.add_child(instance=Page(title="通知公告", slug="notice"))
    notice = section.get_children().get()
    request = RequestFactory().get("/")

    html = render("{% breadcrumbs page %}", request, page=notice)

    assert 'aria-label="当前位置"' in html
    assert '<a href="/">首页</a>' in html
    assert '<a href="/section-0/">栏目0</a>' in html
    assert '<span aria-current="page">通知公告</span>' in html
    assert render("{% breadcrumbs page %}", request, page=home_page).strip() == ""
    below = render('{% breadcrumbs page "打印" %}', request, page=notice)
    assert '<a href="/section-0/notice/">通知公告</a>' in below
    assert '<span aria-current="page">打印</span>' in below


def test_pagination_keeps_other_query_parameters():
    request = RequestFactory().get(
        "/search/", {"q": "许可", "type": "行政许可", "page": 2}
    )
    page_obj = Paginator(range(100), 10).page(2)

    html = loader.render_to_string(
        "components/pagination.html", {"page_obj": page_obj}, request=request
    )

    assert 'aria-label="分页"' in html
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert "page=3" in html and "q=%E8%AE%B8%E5%8F%AF" in html and "type=" in html
    assert 'aria-current="page" aria-label="第 2 页">2</a>' in html


class ApplicationForm(forms.Form):
    name = forms.CharField(label="姓名", help_text="与身份证一致。")
    phone = forms.CharField(label="手机号码")


def test_form_component_links_errors_and_help_to_fields():
    form = ApplicationForm(data={"name": ""})

    html = loader.render_to_string("components/form.html", {"form": form})

    assert 'role="alert"' in html and "data-error-summary" in html
    assert 'href="#id_name"' in html and 'href="#id_phone"' in html
    assert '<label class="form-label" for="id_name">' in html
    assert 'id="id_name_helptext"' in html and 'id="id_name_error"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'aria-invalid="true"' in html


def test_quick_links_fall_back_until_their_pages_exist(home_page):
    html = render(
        "{% quick_links as links %}{% for l in links %}{{ l.label }}={{ l.url }};"
        "{% endfor %}",
        RequestFactory().get("/"),
    )

    assert "办事指南=/search/;" in html
    # Views are found by their URL names: the filing lookup and the complaint form.
    assert "办件查询=/banjian/chaxun/;" in html
    assert "投诉建议=/banjian/tousu/;" in html


def test_quick_link_points_to_the_first_page_of_its_type(home_page, monkeypatch):
    from portal.quick_links import QuickLink
    from portal.templatetags import portal_tags

    add_sections(home_page, 2)
    link = QuickLink("栏目", "guide", ("wagtailcore.page",))
    monkeypatch.setattr(portal_tags, "declared_quick_links", lambda: [link])

    source = "{% quick_links as links %}{{ links.0.url }}"
    render(source, RequestFactory().get("/"))  # the settings row is made once
    with CaptureQueriesContext(connection) as queries:
        html = render(source, RequestFactory().get("/"))

    assert html == "/section-0/"
    # The site, the editors' links, the pages of every link at once, the titles
    # of their departments at once.
    assert len(queries) <= 4


def test_include_if_exists_fills_a_slot_only_when_a_module_provides_it():
    request = RequestFactory().get("/")

    assert render('{% include_if_exists "reception/nowhere.html" %}', request) == ""
    card = render(
        '{% include_if_exists "components/card.html" %}', request, title="今日接访"
    )
    assert '<h2 class="card__title">今日接访</h2>' in card


def test_rate_limited_answer_uses_the_site_frame(home_page):
    from portal.views import rate_limited

    response = rate_limited(RequestFactory().get("/"))

    assert response.status_code == 429
    html = response.content.decode()
    assert "<h1>请稍后再试</h1>" in html
    assert "操作过于频繁" in html
    assert 'class="site-footer"' in html


def _links(request=None):
    return render(
        "{% quick_links as links %}{% for l in links %}{{ l.label }}={{ l.url }}"
        "{% for c in l.choices %}[{{ c.label }}={{ c.url }}]{% endfor %};{% endfor %}",
        request or RequestFactory().get("/"),
    )


def test_editors_quick_links_replace_the_declared_ones(home_page):
    from portal.models import QuickLinksSettings

    add_sections(home_page, 1)
    section = Page.objects.get(slug="section-0")
    settings = QuickLinksSettings.for_site(Site.objects.get(is_default_site=True))
    settings.links = [
        ("link", {"label": "政策文件", "icon": "guide", "page": section, "url": ""}),
        (
            "link",
            {
                "label": "政务服务网",
                "icon": "search",
                "page": None,
                "url": "https://zwfw.example.gov.cn/",
            },
        ),
    ]
    settings.save()

    assert _links() == "政策文件=/section-0/;政务服务网=https://zwfw.example.gov.cn/;"


@pytest.mark.parametrize(
    "url, field, message",
    [
        ("", "page", "请选择本站页面，或填写网址。"),
        ("javascript:alert(1)", "url", "网址应以 / 或 https:// 开头。"),
    ],
)
def test_quick_link_block_needs_a_page_or_a_safe_address(url, field, message):
    from wagtail.blocks.struct_block import StructBlockValidationError

    from portal.blocks import QuickLinkBlock

    block = QuickLinkBlock()
    value = block.to_python({"label": "链接", "icon": "guide", "url": url})
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(value)
    assert message in str(raised.value.block_errors[field])


def test_declared_link_offers_each_department(home_page):
    from tests.factories import DepartmentPageFactory, ServiceCatalogPageFactory

    first = DepartmentPageFactory(parent=home_page, title="省市场监督管理局", slug="sj")
    second = DepartmentPageFactory(parent=home_page, title="省生态环境厅", slug="st")
    for department in (first, second):
        ServiceCatalogPageFactory(parent=department)

    html = _links()

    assert "办事指南=/sj/shixiang/[省市场监督管理局=/sj/shixiang/]" in html
    assert "[省生态环境厅=/st/shixiang/];" in html


def test_declared_link_with_one_department_is_a_plain_link(home_page):
    from tests.factories import DepartmentPageFactory, ServiceCatalogPageFactory

    department = DepartmentPageFactory(parent=home_page, slug="sj")
    ServiceCatalogPageFactory(parent=department)

    assert "办事指南=/sj/shixiang/;" in _links()
