"""The 工作日历 admin menu: overrides and confirmed years as snippets."""

import datetime

import pytest
from django.urls import reverse

from portal.models import WorkdayOverride
from portal.workdays import is_workday

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.com", "x")
    client.force_login(user)
    return client


def test_menu_groups_the_calendar_snippets(admin_client):
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    for name in ("workday-calendar", "workday-overrides", "workday-years"):
        assert f'"name": "{name}"' in html
    assert "/admin/snippets/portal/workdayoverride/" in html
    assert "/admin/snippets/portal/workdayyear/" in html


def test_overrides_list_filters_by_date(admin_client):
    WorkdayOverride.objects.create(date="2026-09-27", is_workday=True, note="九月调休")
    WorkdayOverride.objects.create(date="2027-02-20", is_workday=True, note="春节调休")
    url = reverse("wagtailsnippets_portal_workdayoverride:list")
    html = admin_client.get(url, {"date_from": "2026-09-01", "date_to": "2026-12-31"})
    html = html.content.decode()
    assert "九月调休" in html
    assert "春节调休" not in html


def test_years_list_shows_the_confirmed_years(admin_client):
    url = reverse("wagtailsnippets_portal_workdayyear:list")
    response = admin_client.get(url, {"confirmed": "true", "ordering": "year"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("2020") < html.index("2026")


def test_an_override_added_in_the_admin_changes_the_calendar(admin_client):
    assert is_workday(datetime.date(2026, 10, 10))
    url = reverse("wagtailsnippets_portal_workdayoverride:add")
    response = admin_client.post(url, {"date": "2026-10-10", "note": "取消调休"})
    assert response.status_code == 302
    assert not is_workday(datetime.date(2026, 10, 10))
