"""Deadlines, the sweep, the dashboard's numbers and query count, the exports, and
the public complaint and rating forms."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal.workdays import add_workdays
from services_catalog.inbox import supervision, workflow
from services_catalog.inbox.models import (
    Complaint,
    DeadlineNotice,
    DivisionNotice,
    Filing,
)
from tests.inbox.builders import Office

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(home_page):
    return Office(home_page)


def due_on(filing, day):
    Filing.objects.filter(pk=filing.pk).update(promised_due_date=day)


def test_sweep_warns_once_per_level(
    office, mailoutbox, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    soon, late, fine = office.assigned(), office.assigned(), office.assigned()
    due_on(soon, add_workdays(today, 2).due)
    due_on(late, today - datetime.timedelta(days=1))
    due_on(fine, add_workdays(today, 3).due)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep_deadlines", stdout=io.StringIO())
    assert set(DeadlineNotice.objects.values_list("filing", "level")) == {
        (soon.pk, "due_soon"),
        (late.pk, "overdue"),
    }
    assert DivisionNotice.objects.filter(text__contains="已超过").count() == 1
    recipients = {a for mail in mailoutbox for a in mail.to}
    assert office.supervisor.email in recipients
    assert office.lead_handler.email in recipients
    sent = len(mailoutbox)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep_deadlines", stdout=out)
    assert "已发出期限提醒 0 条" in out.getvalue() and len(mailoutbox) == sent
    assert DeadlineNotice.objects.count() == 2


def test_dashboard_numbers_and_constant_queries(office, client):
    today = timezone.localdate()
    late = office.assigned()
    due_on(late, today - datetime.timedelta(days=2))
    done = office.assigned()
    workflow.complete_filing(done, office.lead_handler, "approved")
    workflow.rate_filing(done, 4, "好")
    board = supervision.dashboard(office.department, today)
    lead = next(r for r in board["divisions"] if r["division"] == office.lead)
    assert (lead["open"], lead["overdue"], lead["ratings"]) == (1, 1, 1)
    assert lead["months"][-1]["rate"] == 100 and lead["months"][-1]["total"] == 1
    assert board["lists"]["handling_overdue"] == [Filing.objects.get(pk=late.pk)]
    with CaptureQueriesContext(connection) as few:
        supervision.dashboard(office.department, today)
    for _ in range(3):
        more_done = office.assigned()
        workflow.complete_filing(more_done, office.lead_handler, "denied", "不符合")
        workflow.rate_filing(more_done, 1)
        due_on(office.assigned(), timezone.localdate())
    with CaptureQueriesContext(connection) as more:
        supervision.dashboard(office.department, today)
    assert len(few) == len(more)
    client.force_login(office.supervisor)
    page = client.get(reverse("supervision:dashboard")).content.decode()
    assert late.tracking_number in page and "<svg" in page


def test_dashboard_ratings_cover_the_months_shown(office):
    """The board rates each division by the filings completed in the six months its
    tables show; a rating of a case completed before them no longer counts there
    (the statistics workbook keeps the whole record)."""
    today = timezone.localdate()
    recent, old = office.assigned(), office.assigned()
    for filing, score in ((recent, 5), (old, 1)):
        workflow.complete_filing(filing, office.lead_handler, "approved")
        workflow.rate_filing(filing, score)
    first_month = supervision.dashboard(office.department, today)["months"][0]
    Filing.objects.filter(pk=old.pk).update(
        completed_on=first_month - datetime.timedelta(days=1)
    )
    board = supervision.dashboard(office.department, today)
    lead = next(r for r in board["divisions"] if r["division"] == office.lead)
    assert (lead["ratings"], lead["rating"], lead["poor"]) == (1, 5, 0)
    Filing.objects.filter(pk=old.pk).update(completed_on=first_month)
    board = supervision.dashboard(office.department, today)
    lead = next(r for r in board["divisions"] if r["division"] == office.lead)
    assert (lead["ratings"], lead["rating"], lead["poor"]) == (2, 3, 1)


def test_dashboard_page_queries_stay_flat_as_every_section_fills(office, client):
    client.force_login(office.supervisor)
    url = reverse("supervision:dashboard")
    client.get(url)  # caches filled on the first request are not the board's
    with CaptureQueriesContext(connection) as empty:
        client.get(url)

    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    for _ in range(2):
        Filing.objects.filter(pk=office.submit().pk).update(
            pre_review_due_date=yesterday
        )
        Filing.objects.filter(pk=office.submit().pk).update(pre_review_due_date=today)
        due_on(office.assigned(), yesterday)
        due_on(office.assigned(), today)
        workflow.extend_filing(office.assigned(), office.director, "需专家论证")
        issued = office.assigned()
        workflow.complete_filing(issued, office.lead_handler, "approved")
        Filing.objects.filter(pk=issued.pk).update(
            issue_due_date=yesterday, completed_on=today - datetime.timedelta(days=40)
        )
        soon = office.assigned()
        workflow.complete_filing(soon, office.lead_handler, "approved")
        Filing.objects.filter(pk=soon.pk).update(issue_due_date=today)
        rated = office.assigned()
        workflow.complete_filing(rated, office.lead_handler, "denied", "不符合")
        workflow.rate_filing(rated, 2)
    with CaptureQueriesContext(connection) as full:
        page = client.get(url).content.decode()

    board = supervision.dashboard(office.department, today)
    assert all(section["count"] for section in board["sections"])
    assert 'data-count="handling_overdue">2<' in page
    assert len(full) == len(empty)


def test_an_extended_filing_without_a_statutory_date_is_still_listed(office):
    dated, undated = office.assigned(), office.assigned()
    Filing.objects.filter(pk__in=[dated.pk, undated.pk]).update(extended_days=10)
    Filing.objects.filter(pk=undated.pk).update(statutory_due_date=None)

    board = supervision.dashboard(office.department, timezone.localdate())

    assert {f.pk for f in board["lists"]["extended"]} == {dated.pk, undated.pk}


def test_statistics_workbook(office, client):
    done = office.assigned()
    workflow.complete_filing(done, office.lead_handler, "approved")
    client.force_login(office.supervisor)
    response = client.get(reverse("supervision:statistics"))
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["月度统计"].iter_rows(min_row=2, values_only=True))
    assert rows == [(f"{timezone.localdate():%Y-%m}", office.lead.title, 1, 1, 1, 0)]


def test_filtered_export_holds_only_the_filter(office, client):
    late = office.assigned()
    office.assigned()  # on time: not in the export
    due_on(late, timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(office.clerk)
    response = client.get(
        reverse("inbox_cases:index"), {"due": "overdue", "export": "xlsx"}
    )
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == [late.tracking_number]


def test_public_complaint_linked_to_filing(office, client, settings):
    filing = office.assigned()
    data = {
        "department": office.department.pk,
        "tracking_number": filing.tracking_number,
        "access_code": "WRONG123",
        "name": "李四",
        "contact": "13900000000",
        "text": "办理太慢",
        "captcha_0": "x",
        "captcha_1": "PASSED",
    }
    response = client.post(reverse("inbox:complaint"), data)
    assert response.status_code == 400 and "查询码不正确" in response.content.decode()
    assert not Complaint.objects.exists()
    response = client.post(
        reverse("inbox:complaint"), {**data, "access_code": filing.access_code}
    )
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.filing == filing and complaint.division == office.lead
    response = client.post(reverse("inbox:complaint"), {**data, "website": "x"})
    assert response.status_code == 400 and Complaint.objects.count() == 1
    settings.RATELIMITS = {**settings.RATELIMITS, "complaint": "1/d"}
    client.post(reverse("inbox:complaint"), data)
    assert client.post(reverse("inbox:complaint"), data).status_code == 429


def test_rating_from_the_lookup_once(office, client):
    filing = office.assigned()
    client.post(
        reverse("inbox:lookup"),
        {"tracking_number": filing.tracking_number, "access_code": filing.access_code},
    )
    status = reverse("inbox:status", args=[filing.tracking_number])
    assert "服务评价" not in client.get(status).content.decode()
    workflow.complete_filing(filing, office.lead_handler, "approved")
    assert "服务评价" in client.get(status).content.decode()
    rate = reverse("inbox:rate", args=[filing.tracking_number])
    assert client.post(rate, {"score": "9"}).status_code == 400
    client.post(rate, {"score": "2", "comment": "慢"})
    client.post(rate, {"score": "5"})
    filing.refresh_from_db()
    assert filing.rating.score == 2
    assert "您已评价" in client.get(status).content.decode()
