"""The home page in a real browser: language, language switcher, accessibility on
desktop and phone, print layout."""

import re

import pytest
from playwright.sync_api import expect
from wagtail.models import Site

from tests.browser.axe import assert_accessible
from tests.factories import DepartmentPageFactory, ServiceCatalogPageFactory


def test_home_page_is_chinese(page, csp_violations):
    page.goto("/")

    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_have_text("窗口办公政务公开平台")
    expect(page.locator(".brand__name")).to_have_text("窗口办公政务公开平台")
    expect(page.get_by_role("navigation", name="主导航")).to_be_visible()
    expect(page.get_by_role("link", name="办事指南")).to_be_visible()
    assert csp_violations == []


def test_language_switcher_switches_to_english_and_back(page):
    page.goto("/")

    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("navigation", name="Main navigation")).to_be_visible()
    expect(page.get_by_role("link", name="Service guides")).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_have_attribute(
        "aria-current", "true"
    )

    page.get_by_role("button", name="简体中文").click()

    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("link", name="办事指南")).to_be_visible()


def test_home_page_is_accessible_on_desktop(page):
    page.goto("/")

    assert_accessible(page)


def test_home_page_fits_a_320px_phone_and_is_accessible(phone_page):
    phone_page.goto("/")

    assert phone_page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    nav_link = phone_page.get_by_role("navigation", name="主导航").get_by_role(
        "link", name="首页"
    )
    expect(nav_link).to_be_hidden()
    phone_page.get_by_text("栏目导航").click()
    expect(nav_link).to_be_visible()
    assert_accessible(phone_page)


def test_print_layout_hides_navigation_and_search(page):
    page.goto("/")
    expect(page.get_by_role("navigation", name="主导航")).to_be_visible()

    page.emulate_media(media="print")

    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator(".search-box")).to_be_hidden()
    expect(page.locator(".footer-links")).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".site-footer")).to_contain_text("窗口办公政务公开平台")


@pytest.fixture
def two_catalogs(transactional_db):
    home = Site.objects.get(is_default_site=True).root_page
    for title, code, slug in (
        ("省市场监督管理局", "SJ", "sj"),
        ("省生态环境厅", "ST", "st"),
    ):
        department = DepartmentPageFactory(
            parent=home, title=title, code=code, slug=slug
        )
        ServiceCatalogPageFactory(parent=department)


def test_quick_link_offers_the_choice_of_department(page, two_catalogs):
    """With two departments, the 办事指南 tile opens the list of them instead of
    sending everyone to the first department's catalog."""
    page.goto("/")
    tile = page.locator(".quick-link--choice").filter(has_text="办事指南")

    tile.locator("summary").click()
    choices = tile.get_by_role("link")
    expect(choices).to_have_text(["省市场监督管理局", "省生态环境厅"])
    assert_accessible(page)

    choices.last.click()
    expect(page).to_have_url(re.compile(r"/st/shixiang/$"))


def test_breadcrumb_and_footer_links_are_44px_targets_on_a_phone(phone_page):
    phone_page.goto("/banjian/chaxun/")

    crumbs = phone_page.get_by_role("navigation", name="当前位置")
    expect(crumbs.get_by_role("link", name="首页")).to_be_visible()
    expect(crumbs.locator("[aria-current=page]")).to_have_text("办件查询")
    links = phone_page.locator(".breadcrumbs a, .footer-links a")
    heights = links.evaluate_all(
        "links => links.map(link => link.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 44
    assert_accessible(phone_page)
