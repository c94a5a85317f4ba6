"""The anonymous page cache (portal.page_cache): what is served from it, what never
is, and that a change visitors should see is seen on the next request."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal import page_cache
from portal.bulk import bulk_changes
from portal.models import ContactSettings
from tests.factories import (
    DepartmentPageFactory,
    DivisionPageFactory,
    PersonFactory,
    UserFactory,
)
from tests.inbox.builders import make_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    caches[settings.PAGE_CACHE_ALIAS].clear()


@pytest.fixture
def department(home_page):
    return DepartmentPageFactory(parent=home_page, title="省市场监督管理局", code="SJ")


@pytest.fixture
def division(department):
    return DivisionPageFactory(parent=department, title="登记注册处", code="SJ-DJ")


def status(response):
    return response.get(page_cache.HEADER)


def test_a_page_is_served_again_from_the_cache_without_a_query(client, department):
    first = client.get(department.url)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(department.url)

    assert status(first) == "miss"
    assert status(again) == "hit"
    assert len(queries) == 0
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert "Content-Security-Policy" in again
    assert "省市场监督管理局" in again.content.decode()


def test_publishing_a_page_shows_it_on_the_next_request(
    client, department, django_capture_on_commit_callbacks
):
    client.get(department.url)
    department.title = "省市场监管局（更名）"
    with django_capture_on_commit_callbacks(execute=True):
        department.save_revision().publish()

    response = client.get(department.url)

    assert status(response) == "miss"
    assert "省市场监管局（更名）" in response.content.decode()


def test_a_draft_is_not_seen_and_unpublishing_removes_the_page(
    client, department, django_capture_on_commit_callbacks
):
    client.get(department.url)
    department.title = "草稿标题"
    department.save_revision()  # a draft: visitors keep the published page
    assert "草稿标题" not in client.get(department.url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        department.unpublish()

    assert client.get(department.url).status_code == 404


def test_moving_a_page_refreshes_the_pages_that_list_it(
    client, home_page, department, division, django_capture_on_commit_callbacks
):
    other = DepartmentPageFactory(parent=home_page, title="省生态环境厅", code="ST")
    assert "登记注册处" in client.get(department.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        division.move(other, pos="last-child")

    assert "登记注册处" not in client.get(department.url).content.decode()


def test_a_changed_person_shows_on_the_division_page(
    client, department, division, django_capture_on_commit_callbacks
):
    person = PersonFactory(name="张海涛", title="处长", division=division)
    assert "张海涛" in client.get(division.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        person.name = "李文华"
        person.save()

    assert "李文华" in client.get(division.url).content.decode()


def test_changed_site_settings_show_in_every_page_footer(
    client, home_page, django_capture_on_commit_callbacks
):
    client.get("/")
    contact = ContactSettings.for_site(home_page.get_site())
    with django_capture_on_commit_callbacks(execute=True):
        contact.hotline = "0431-99990000"
        contact.save()

    assert "0431-99990000" in client.get("/").content.decode()


def test_the_date_is_part_of_the_key_so_today_turns_over_at_midnight(
    client, department, monkeypatch
):
    client.get(department.url)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(page_cache.timezone, "localdate", lambda: tomorrow)

    assert status(client.get(department.url)) == "miss"


def test_each_language_gets_its_own_copy(client, home_page):
    chinese = client.get("/")
    switched = client.get("/i18n/switch/", {"language": "en", "next": "/"})
    english = client.get("/")

    assert switched.status_code == 302
    assert switched["Location"] == "/"
    assert '<html lang="zh-Hans">' in chinese.content.decode()
    assert status(english) == "miss"
    assert '<html lang="en">' in english.content.decode()
    assert status(client.get("/")) == "hit"
    client.cookies.pop("django_language")
    again = client.get("/")
    assert status(again) == "hit"
    assert '<html lang="zh-Hans">' in again.content.decode()


def test_the_language_switcher_needs_no_token_and_refuses_other_sites(client):
    html = client.get("/").content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert 'action="/i18n/switch/"' in html

    away = client.get(
        "/i18n/switch/", {"language": "en", "next": "https://evil.example/"}
    )
    assert away["Location"] == "/"
    unknown = client.get("/i18n/switch/", {"language": "xx", "next": "/"})
    assert "django_language" not in unknown.cookies


def test_signed_in_staff_are_never_served_or_stored(client, department):
    client.get(department.url)  # stored for anonymous visitors
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)

    signed_in = client.get(department.url)

    assert status(signed_in) is None
    assert "wagtail-userbar" in signed_in.content.decode()
    client.logout()
    anonymous = client.get(department.url)
    assert status(anonymous) == "hit"
    assert "wagtail-userbar" not in anonymous.content.decode()


def test_a_form_with_a_csrf_token_is_never_stored(client, home_page, settings):
    from tests.conftest import lift_rate_limits

    lift_rate_limits(settings)
    item = make_item(home_page)
    apply_url = item.url + "apply/"

    first = client.get(apply_url)
    client.cookies.clear()
    second = client.get(apply_url)

    assert first.status_code == second.status_code == 200
    assert "csrfmiddlewaretoken" in second.content.decode()
    assert status(first) is None and status(second) is None
    # The guide itself, without a form, is stored.
    client.get(item.url)
    assert status(client.get(item.url)) == "hit"


def test_only_wagtail_pages_are_stored(client, home_page):
    for url in ("/search/?q=许可", "/admin/login/", "/yinsi/", "/robots.txt"):
        client.get(url)
        assert status(client.get(url)) is None, url


def test_a_visitor_with_a_message_waiting_bypasses_the_cache(client, department):
    client.get(department.url)
    client.cookies["messages"] = "anything"

    assert status(client.get(department.url)) is None


def test_a_bulk_change_invalidates_once_at_its_end(
    client, department, division, django_capture_on_commit_callbacks, monkeypatch
):
    generations = []
    new_generation = page_cache._new_generation
    monkeypatch.setattr(
        page_cache, "_new_generation", lambda: generations.append(new_generation())
    )
    with django_capture_on_commit_callbacks(execute=True):
        with bulk_changes():
            for name in ("甲", "乙", "丙"):
                PersonFactory(name=name, division=division)
            assert generations == []

    assert len(generations) == 1
    assert "丙" in client.get(division.url).content.decode()
