"""Wagtail's admin in zh-hans has no English left where Wagtail's own catalogs lack a
string: locale/zh_Hans fills them, and LOCALE_PATHS puts it before Wagtail's."""

import json
import re

import pytest
import wagtail

from tests.factories import ContentPageFactory

# Strings an untranslated Wagtail 8.0.1 admin shows in zh-hans.
ENGLISH = (
    "Search all pages",
    "new items in this menu",
    "new item in this menu",
    "editor guide",
    " Pages",
    " Page <",
    "Date updated",
    "Edited by",
    "Has child pages",
)


@pytest.fixture
def zh_admin(client, django_user_model, home_page):
    for _ in range(2):
        ContentPageFactory(parent=home_page)
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    return client


def get(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return response.content.decode()


def assert_no_english(html):
    found = [text for text in ENGLISH if text in html]
    assert not found, f"English in the zh-hans admin: {found}"


@pytest.mark.django_db
def test_dashboard_in_chinese(zh_admin):
    html = get(zh_admin, "/admin/")
    assert_no_english(html)
    assert "搜索所有页面…" in html
    assert f"Wagtail {wagtail.__version__} 编辑指南" in html
    # The site summary's count is a plural string ("%(total)s Pages" in English).
    pages = re.search(r"(\d+) 个页面<span", html)
    assert pages and int(pages.group(1)) >= 3


@pytest.mark.django_db
def test_page_listing_in_chinese(zh_admin, home_page):
    html = get(zh_admin, f"/admin/pages/{home_page.pk}/")
    assert_no_english(html)
    for label in ("更新日期", "编辑人", "有子页面"):
        assert label in html


@pytest.mark.django_db
def test_sidebar_strings_in_chinese(zh_admin):
    """The sidebar's strings come from the admin's JavaScript catalog."""
    script = get(zh_admin, "/admin/jsi18n/")
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S)[1])
    new_items = catalog["(%(number)s new items in this menu)"]
    assert new_items == "（此菜单中有 %(number)s 个新项目）"
    assert catalog["(1 new item in this menu)"] == "（此菜单中有 1 个新项目）"
    # A plural string has the one form of Chinese.
    assert catalog["%(num)s error"] == ["%(num)s 个错误"]
