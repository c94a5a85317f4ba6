"""Each inbox role starts on the admin dashboard with its own work (home panels):
the clerk's queue, the director's cases to instruct, the handler's cases by due
date, the supervisor's overdue and due-soon counts — within their scope only."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.inbox.builders import Office

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(home_page):
    return Office(home_page)


def dashboard(client, user):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def panel(html, panel_id):
    found = re.search(rf'id="{panel_id}-section".*?</section>', html, re.S)
    assert found, f"no panel {panel_id}"
    return found.group(0)


def test_clerk_sees_the_queue_counts(client, office):
    office.submit()
    office.submit()
    office.accepted()

    html = panel(dashboard(client, office.clerk), "inbox-clerk-queue")

    assert "窗口待办" in html
    assert "待预审：2" in html
    assert "待补正：0" in html
    assert "?queue=new" in html
    assert "inbox-director-section" not in dashboard(client, office.clerk)


def test_outsider_counts_none_of_another_departments_filings(client, office):
    office.submit()

    html = panel(dashboard(client, office.outsider), "inbox-clerk-queue")

    assert "待预审：0" in html


def test_director_sees_the_cases_to_instruct(client, office):
    waiting = office.accepted()
    office.assigned()

    html = panel(dashboard(client, office.director), "inbox-director")

    assert waiting.tracking_number in html
    assert "查看全部 1 件" in html


def test_handler_sees_the_divisions_cases_by_due_date(client, office):
    mine = office.assigned()

    html = panel(dashboard(client, office.lead_handler), "inbox-handler")
    assert mine.tracking_number in html

    other = panel(dashboard(client, office.other_handler), "inbox-handler")
    assert mine.tracking_number not in other
    assert "本处室没有在办的办件。" in other


def test_supervisor_sees_overdue_and_due_soon_counts(client, office):
    from datetime import timedelta

    from django.utils import timezone

    late = office.assigned()
    type(late).objects.filter(pk=late.pk).update(
        promised_due_date=timezone.localdate() - timedelta(days=3)
    )

    html = panel(dashboard(client, office.supervisor), "inbox-supervision")

    assert "办结期限已超期：1" in html
    assert "due=overdue" in html and "clock=handling" in html


def test_panels_take_constant_queries(client, office):
    office.assigned()
    client.force_login(office.supervisor)
    client.get("/admin/")
    with CaptureQueriesContext(connection) as few:
        client.get("/admin/")
    for _ in range(5):
        office.assigned()
    with CaptureQueriesContext(connection) as many:
        client.get("/admin/")

    assert len(many) == len(few)


def test_supervisor_sees_the_overdue_follow_ups_of_bad_ratings(client, office):
    from datetime import timedelta

    from django.utils import timezone

    from services_catalog.inbox.models import RatingFollowUp

    late, _on_time = office.rated(1, "太慢"), office.rated(1, "太慢")
    RatingFollowUp.objects.filter(rating__filing=late).update(
        contact_due=timezone.localdate() - timedelta(days=1)
    )

    html = panel(dashboard(client, office.supervisor), "inbox-supervision")
    assert "差评回访已超期：1" in html
    assert "/admin/jiancha/chaping/?overdue=true" in html

    # Another department's inspection office counts none of them.
    other = panel(dashboard(client, office.outsider_supervisor), "inbox-supervision")
    assert "差评回访已超期：0" in other
