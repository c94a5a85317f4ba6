"""The service catalog in a real browser: a citizen narrows the catalog with its
filters, reads an item's guide and prints it, on a desktop and on a phone; axe-core
finds no serious or critical problem on the catalog, the guide or the print view."""

import re

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect
from wagtail.documents import get_document_model
from wagtail.models import Site

from tests.browser.axe import assert_accessible
from tests.factories import (
    DepartmentPageFactory,
    DivisionPageFactory,
    ServiceCatalogPageFactory,
    ServiceItemMaterialFactory,
    ServiceItemPageFactory,
    ServiceItemStepFactory,
)


@pytest.fixture
def catalog(transactional_db):
    home = Site.objects.get(is_default_site=True).root_page
    department = DepartmentPageFactory(
        parent=home,
        title="省市场监督管理局",
        code="SJ",
        address="长春市人民大街 3 号一楼收发文窗口",
    )
    division = DivisionPageFactory(
        parent=department, title="食品生产安全监督管理处", code="SJ-SP"
    )
    other = DivisionPageFactory(parent=department, title="综合规划处", code="SJ-ZH")
    catalog = ServiceCatalogPageFactory(parent=department)
    licence = ServiceItemPageFactory(
        parent=catalog,
        lead_division=division,
        co_divisions=[other],
        title="食品生产许可",
        code="11220000SJ0001",
        special_procedures=[("item", "现场核查，不超过 10 个工作日")],
        faqs=[("faq", {"question": "可以委托办理吗？", "answer": "可以。"})],
    )
    form = get_document_model().objects.create(
        title="申请书", file=ContentFile(b"%PDF-1.4 test", name="form.pdf")
    )
    ServiceItemMaterialFactory(
        page=licence, name="食品生产许可申请书", blank_form=form, sample=form
    )
    ServiceItemMaterialFactory(page=licence, name="营业执照", required=False)
    for name, actor, days in (
        ("收件与受理", "window", 1),
        ("批办", "director", 1),
        ("审查与决定", "division", 8),
    ):
        ServiceItemStepFactory(page=licence, name=name, handled_by=actor, days=days)
    ServiceItemPageFactory(
        parent=catalog,
        lead_division=other,
        title="特殊食品备案",
        item_type="filing",
        kind="immediate",
        promised_days=0,
        statutory_days=5,
        audience=["person"],
        online=False,
    )
    for number in range(3):
        ServiceItemPageFactory(
            parent=catalog,
            lead_division=division,
            title=f"食品经营许可变更{number}",
            audience=["person", "organisation"],
        )
    return catalog


def test_citizen_filters_reads_and_prints_a_guide(page, catalog):
    page.goto(catalog.url)
    expect(page.locator("h1")).to_have_text("办事指南")
    expect(page.locator(".catalog-count")).to_have_text("共 5 项事项")
    assert_accessible(page)

    page.get_by_label("事项类型").select_option("licensing")
    page.get_by_label("服务对象").select_option("organisation")
    page.get_by_role("button", name="筛选").click()

    expect(page.locator(".catalog-count")).to_have_text("共 4 项事项")
    page.get_by_label("事项名称或编码").fill("生产")
    page.get_by_role("button", name="筛选").click()
    results = page.locator(".item-list > li")
    expect(results).to_have_count(1)
    expect(page.get_by_label("事项类型")).to_have_value("licensing")
    assert_accessible(page)

    results.get_by_role("link", name="食品生产许可").click()
    expect(page.locator("h1")).to_have_text("食品生产许可")
    expect(page.locator(".time-limits")).to_contain_text("10 个工作日")
    materials = page.get_by_role("table", name="食品生产许可的申请材料清单")
    expect(materials.locator("tbody tr")).to_have_count(2)
    expect(page.locator("ol.steps > li")).to_have_count(3)
    expect(page.get_by_role("link", name="在线申请")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="打印办事指南").click()
    expect(page).to_have_url(re.compile(r"/shixiang/11220000sj0001/print/$"))
    print_button = page.get_by_role("button", name="打印", exact=True)
    expect(print_button).to_be_visible()  # site.js shows it
    assert_accessible(page)

    page.emulate_media(media="print")
    expect(print_button).to_be_hidden()
    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator("h1")).to_have_text("食品生产许可")
    expect(page.locator("table.materials")).to_be_visible()
    expect(page.locator("ol.steps")).to_be_visible()


def test_bad_filter_value_shows_the_error_not_a_crash(page, catalog):
    page.goto(f"{catalog.url}?type=bogus&online=1")

    expect(page.locator(".error-summary")).to_contain_text("事项类型")
    expect(page.locator(".catalog-count")).to_have_text("共 4 项事项")
    assert_accessible(page)


def test_guide_fits_a_320px_phone(phone_page, catalog):
    phone_page.goto(f"{catalog.url}11220000sj0001/")

    expect(phone_page.locator("h1")).to_have_text("食品生产许可")
    assert phone_page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    # The materials table stacks: each cell is labelled by its column.
    first_cell = phone_page.locator("table.materials tbody td").nth(1)
    label = first_cell.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert "材料名称" in label
    assert_accessible(phone_page)

    phone_page.goto(catalog.url)
    assert phone_page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert_accessible(phone_page)


def test_phone_catalog_opens_with_results_and_the_filters_behind_one_button(
    phone_page, catalog
):
    phone_page.goto(catalog.url)
    toggle = phone_page.locator("summary", has_text="筛选事项")
    expect(toggle).to_be_visible()
    expect(phone_page.get_by_label("事项类型")).to_be_hidden()
    first_result = phone_page.locator(".item-list > li").first
    expect(first_result).to_be_in_viewport()
    assert_accessible(phone_page)

    toggle.click()
    phone_page.get_by_label("事项类型").select_option("licensing")
    phone_page.get_by_role("button", name="筛选", exact=True).click()

    expect(phone_page.locator(".catalog-count")).to_have_text("共 4 项事项")
    expect(toggle).to_have_text("筛选事项（已选 1 项）")
    expect(phone_page.locator(".active-filters")).to_have_text("事项类型：行政许可")
    expect(phone_page.get_by_label("事项类型")).to_be_hidden()
    assert toggle.evaluate("el => el.getBoundingClientRect().height") >= 44
    assert_accessible(phone_page)


def test_desktop_catalog_shows_the_filters_open(page, catalog):
    page.goto(catalog.url)

    expect(page.get_by_label("事项类型")).to_be_visible()
    expect(page.locator("summary", has_text="筛选事项")).to_be_hidden()
