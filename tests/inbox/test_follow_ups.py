"""The follow-up of bad ratings (差评整改): a rating of 1 or 2 opens it for the
inspection office with a contact limit in working days; the inspection office
records the contact, what it found and rectified, and its reply, which reaches the
applicant (timeline, e-mail, SMS); an uncontacted one past its limit is flagged on
the dashboard; writes are scoped, versioned and logged."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from portal.models import OutgoingMessage
from portal.workdays import add_workdays
from services_catalog.inbox import records, workflow
from services_catalog.inbox.models import FollowUpStatus, RatingFollowUp
from tests.inbox.builders import Office

pytestmark = pytest.mark.django_db

CLOSING = {
    "status": FollowUpStatus.CLOSED,
    "contact_note": "已电话联系申请人。",
    "findings": "审查环节超期一日。",
    "rectification": "调整审查岗安排。",
    "reply": "您反映的问题属实，已整改。",
}


@pytest.fixture
def office(home_page):
    return Office(home_page)


def rated(office, score):
    filing = office.assigned()
    workflow.complete_filing(filing, office.lead_handler, "approved")
    workflow.rate_filing(filing, score, "等待时间较长。")
    return filing


def test_a_bad_rating_opens_a_follow_up_due_in_working_days(office, settings):
    settings.INBOX_RATING_FOLLOW_UP_WORKDAYS = 4
    filing = rated(office, 2)
    follow_up = RatingFollowUp.objects.get(rating__filing=filing)
    assert follow_up.department == office.department
    assert follow_up.division == office.lead
    assert follow_up.status == FollowUpStatus.OPEN
    assert follow_up.contact_due == add_workdays(timezone.localdate(), 4).due
    assert ModelLogEntry.objects.filter(
        object_id=str(follow_up.pk), action="inbox.follow_up.open"
    ).exists()
    # The inspection office is told by e-mail.
    assert OutgoingMessage.objects.filter(
        recipient=office.supervisor.email, body__contains="差评"
    ).exists()


@pytest.mark.parametrize("score", [3, 4, 5])
def test_a_fair_or_good_rating_opens_none(office, score):
    rated(office, score)
    assert not RatingFollowUp.objects.exists()


def test_closing_needs_every_text_then_tells_the_applicant(office):
    filing = rated(office, 1)
    follow_up = filing.rating.follow_up
    with pytest.raises(records.RecordError, match="请填写联系申请人的情况"):
        records.handle_follow_up(
            follow_up, office.supervisor, follow_up.version, status="contacted"
        )
    with pytest.raises(records.RecordError, match="办结前请填写"):
        records.handle_follow_up(
            follow_up,
            office.supervisor,
            follow_up.version,
            **{**CLOSING, "rectification": " "},
        )
    records.handle_follow_up(
        follow_up,
        office.supervisor,
        follow_up.version,
        status="contacted",
        contact_note="已电话联系。",
    )
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.CONTACTED
    assert follow_up.contacted_at is not None
    contacted_at = follow_up.contacted_at

    records.handle_follow_up(follow_up, office.supervisor, follow_up.version, **CLOSING)
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.CLOSED
    assert follow_up.contacted_at == contacted_at
    assert follow_up.closed_at is not None
    event = filing.events.get(action="follow_up")
    assert event.public and "您反映的问题属实" in event.comment
    assert OutgoingMessage.objects.filter(
        recipient=filing.email, body__contains="您反映的问题属实"
    ).exists()
    with pytest.raises(records.RecordError, match="已经办结"):
        records.handle_follow_up(
            follow_up, office.supervisor, follow_up.version, **CLOSING
        )


def test_stale_and_out_of_scope_writes_are_refused(office):
    follow_up = rated(office, 2).rating.follow_up
    seen = follow_up.version
    records.handle_follow_up(
        follow_up, office.supervisor, seen, status="contacted", contact_note="已联系"
    )
    fresh = RatingFollowUp.objects.get(pk=follow_up.pk)
    with pytest.raises(records.StaleRecord):
        records.handle_follow_up(fresh, office.supervisor, seen, **CLOSING)
    with pytest.raises(PermissionDenied):
        records.handle_follow_up(
            fresh, office.outsider_supervisor, fresh.version, **CLOSING
        )
    with pytest.raises(PermissionDenied):
        records.handle_follow_up(fresh, office.lead_handler, fresh.version, **CLOSING)


def test_dashboard_flags_overdue_follow_ups_and_the_form_closes_one(office, client):
    filing = rated(office, 2)
    follow_up = filing.rating.follow_up
    RatingFollowUp.objects.filter(pk=follow_up.pk).update(
        contact_due=timezone.localdate() - datetime.timedelta(days=3)
    )
    client.force_login(office.supervisor)
    board = client.get(reverse("supervision:dashboard")).content.decode()
    assert '<span data-count="follow_up_overdue">1</span>' in board
    assert filing.tracking_number in board

    listing = client.get(reverse("rating_follow_ups:index"), {"overdue": "true"})
    assert filing.tracking_number in listing.content.decode()
    edit = reverse("rating_follow_ups:edit", args=[follow_up.pk])
    response = client.post(edit, {**CLOSING, "reply": "", "version": 1})
    assert response.status_code == 200
    assert "办结前请填写" in response.content.decode()
    assert "调整审查岗安排。" in response.content.decode()  # the input is kept
    assert client.post(edit, {**CLOSING, "version": 1}).status_code == 302
    # The same page sent again (a stale version) changes nothing.
    response = client.post(edit, {**CLOSING, "reply": "再答一次", "version": 1})
    assert "已经办结" in response.content.decode()
    assert RatingFollowUp.objects.get(pk=follow_up.pk).reply == CLOSING["reply"]
    board = client.get(reverse("supervision:dashboard")).content.decode()
    assert '<span data-count="follow_up_overdue">0</span>' in board

    # Another department's inspection office does not reach it.
    client.force_login(office.outsider_supervisor)
    assert client.get(edit).status_code == 404


def test_the_applicant_sees_the_follow_up_on_the_status_page(office, client):
    filing = rated(office, 1)
    session = client.session
    session["inbox_filings"] = {filing.tracking_number: ""}
    session.save()
    status = reverse("inbox:status", args=[filing.tracking_number])
    page = client.get(status).content.decode()
    assert 'data-follow-up="open"' in page
    assert "转监察室" in page
    follow_up = filing.rating.follow_up
    records.handle_follow_up(follow_up, office.supervisor, follow_up.version, **CLOSING)
    page = client.get(status).content.decode()
    assert 'data-follow-up="closed"' in page
    assert "您反映的问题属实，已整改。" in page


def test_retention_removes_how_the_applicant_was_reached(office):
    from services_catalog.inbox.retention import anonymise_filing

    filing = rated(office, 2)
    follow_up = filing.rating.follow_up
    records.handle_follow_up(
        follow_up,
        office.supervisor,
        follow_up.version,
        **{**CLOSING, "contact_note": "拨打 13800138000 联系张三。"},
    )
    anonymise_filing(filing)
    follow_up.refresh_from_db()
    assert follow_up.contact_note == ""
    assert follow_up.findings == CLOSING["findings"]
    assert follow_up.rating.score == 2
