"""The elderly-friendly mode (关怀模式): the header's switch, a plain link, sets or
clears the cookie and goes back; every page then carries the care-mode class and
stylesheet, rendered on the server; the page cache keeps the two versions apart."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from portal import care_mode, page_cache
from tests.factories import DepartmentPageFactory

pytestmark = pytest.mark.django_db

SWITCH = reverse("switch_care_mode")
STYLESHEET = "portal/css/care.css"


@pytest.fixture
def department(home_page):
    return DepartmentPageFactory(parent=home_page, title="省市场监督管理局", code="SJ")


def test_the_switch_sets_and_clears_the_cookie_and_goes_back(client, department):
    response = client.get(SWITCH, {"on": "1", "next": department.url})
    assert response.status_code == 302
    assert response["Location"] == department.url
    cookie = response.cookies[care_mode.COOKIE_NAME]
    assert cookie.value == "1"
    assert cookie["max-age"] == care_mode.COOKIE_AGE
    assert cookie["httponly"]

    page = client.get(department.url).content.decode()
    assert '<html lang="zh-Hans" class="care-mode">' in page
    assert STYLESHEET in page
    assert "退出关怀模式" in page
    assert f"{SWITCH}?on=0&amp;next={department.url}" in page

    response = client.get(SWITCH, {"on": "0", "next": department.url})
    assert response.cookies[care_mode.COOKIE_NAME].value == ""
    page = client.get(department.url).content.decode()
    assert "care-mode" not in page.split("<body")[0]
    assert STYLESHEET not in page
    assert "关怀模式（大字体、高对比）" in page


def test_the_switch_goes_back_only_to_this_site(client):
    response = client.get(SWITCH, {"on": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_english_pages_have_the_switch_too(client, department):
    client.cookies["django_language"] = "en"
    client.cookies[care_mode.COOKIE_NAME] = "1"
    page = client.get(department.url).content.decode()
    assert '<html lang="en" class="care-mode">' in page


def test_the_page_cache_keeps_both_modes_apart(client, department, settings):
    settings.PAGE_CACHE_ENABLED = True
    caches[settings.PAGE_CACHE_ALIAS].clear()
    plain = client.get(department.url)
    assert page_cache.HEADER in plain and plain[page_cache.HEADER] == "miss"
    client.cookies[care_mode.COOKIE_NAME] = "1"
    cared = client.get(department.url)
    assert cared[page_cache.HEADER] == "miss"
    assert STYLESHEET in cared.content.decode()
    again = client.get(department.url)
    assert again[page_cache.HEADER] == "hit"
    assert STYLESHEET in again.content.decode()
    del client.cookies[care_mode.COOKIE_NAME]
    plain_again = client.get(department.url)
    assert plain_again[page_cache.HEADER] == "hit"
    assert STYLESHEET not in plain_again.content.decode()
