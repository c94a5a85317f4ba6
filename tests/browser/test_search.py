"""Site search in a real browser: a citizen searches from the header in everyday
words, narrows by a facet and opens the item; the search box's suggestions work
from the keyboard; the pages are accessible on desktop and phone."""

import re

import pytest
from playwright.sync_api import expect

from services_catalog.models import ServiceCatalogPage
from tests.browser.axe import assert_accessible
from tests.factories import DepartmentPageFactory, DivisionPageFactory
from tests.search.helpers import make_item, publish


@pytest.fixture
def catalog(home_page):
    """Two departments' catalogs, published (and so indexed) as editors do."""
    ecology = publish(
        DepartmentPageFactory(
            parent=home_page, title="省生态环境厅", slug="st", code="ST"
        )
    )
    market = publish(
        DepartmentPageFactory(
            parent=home_page, title="省市场监督管理局", slug="sj", code="SJ"
        )
    )
    items = {}
    for department, division_code, division_title, entries in [
        (
            ecology,
            "ST-HP",
            "行政审批处",
            [
                ("11220000ST0005", "建设项目环境影响报告书审批", "licensing"),
                ("11220000ST0007", "建设项目环境影响登记表备案", "filing"),
                ("11220000ST0001", "排污许可证核发", "licensing"),
            ],
        ),
        (
            market,
            "SJ-SP",
            "食品生产监管处",
            [("11220000SJ0001", "食品生产许可", "licensing")],
        ),
    ]:
        division = DivisionPageFactory(
            parent=department, title=division_title, code=division_code
        )
        catalog = ServiceCatalogPage(title="事项目录", slug="shixiang")
        department.add_child(instance=catalog)
        publish(catalog)
        for code, title, item_type in entries:
            items[code] = make_item(catalog, division, code, title, item_type=item_type)
    return items


def test_a_colloquial_search_from_the_header_narrows_by_a_facet_and_opens_the_item(
    page, catalog
):
    page.goto("/")
    box = page.get_by_role("search", name="站内搜索").get_by_label("搜索关键词")
    box.fill("环评")
    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q="))
    expect(page.get_by_label("搜索事项、部门、处室、通知")).to_have_value("环评")
    results = page.locator(".search-hit__title")
    expect(results).to_have_count(2)
    expect(results.first).to_contain_text("建设项目环境影响")
    expect(page.locator(".search-summary")).to_contain_text("环评 → 环境影响评价")
    expect(page.locator(".search-hit mark").first).to_be_visible()
    assert_accessible(page)

    facets = page.get_by_role("complementary", name="筛选结果")
    facets.get_by_role("link", name=re.compile("^行政备案")).click()

    expect(results).to_have_count(1)
    expect(results.first).to_have_text("建设项目环境影响登记表备案")
    expect(facets.locator("[aria-current=true]")).to_contain_text("行政备案")
    assert_accessible(page)

    results.first.get_by_role("link").click()

    expect(page).to_have_url(re.compile(r"/st/shixiang/11220000st0007/$"))
    expect(page.locator("h1")).to_have_text("建设项目环境影响登记表备案")


def test_suggestions_are_chosen_with_the_keyboard(page, catalog):
    page.goto("/search/")
    box = page.get_by_role("combobox", name="搜索事项、部门、处室、通知")
    expect(box).to_have_attribute("aria-expanded", "false")

    box.press_sequentially("排污", delay=50)

    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option")).to_have_count(1)
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("status").filter(has_text="条建议")).to_have_count(1)
    box.press("ArrowDown")
    option = listbox.get_by_role("option").first
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    assert_accessible(page)

    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("排污")

    box.press("ArrowDown")
    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/st/shixiang/11220000st0001/$"))
    expect(page.locator("h1")).to_have_text("排污许可证核发")


def test_no_results_advise_the_catalog_and_hotline_on_a_phone(phone_page, catalog):
    phone_page.goto("/search/?q=航天飞机发射")

    advice = phone_page.locator(".search-empty")
    expect(advice).to_contain_text("没有找到与“航天飞机发射”相关的内容")
    expect(advice.get_by_role("link", name="浏览事项目录")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert_accessible(phone_page)


def test_results_fit_a_320px_phone(phone_page, catalog):
    phone_page.goto("/search/?q=许可")

    expect(phone_page.locator(".search-hit")).to_have_count(2)
    assert phone_page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert_accessible(phone_page)
