"""The handling half of the state machine: instruction, notes, appointments,
suspension with the clock, completion, issuing, collection and rating."""

import datetime
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from portal import roles
from portal.workdays import add_workdays
from services_catalog.inbox import clock, workflow
from services_catalog.inbox.lookup import applicant_view
from services_catalog.inbox.models import (
    AppointmentKind,
    DivisionNotice,
    Filing,
    FilingState,
    NoteKind,
)
from services_catalog.inbox.wording import STALE
from tests.inbox.builders import EXE, PDF, Office, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(home_page):
    return Office(home_page)


@pytest.fixture
def today_is(monkeypatch):
    """Set the day the workflow sees (9 a.m. local time)."""
    from django.utils import timezone

    def move_to(day):
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return move_to


def test_instruction_assigns_and_notifies_divisions(
    office, mailoutbox, django_capture_on_commit_callbacks
):
    filing = office.accepted()
    with pytest.raises(workflow.TransitionError, match="批办意见"):
        workflow.instruct_filing(filing, office.director, office.lead, [], " ")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.instruct_filing(
            filing, office.director, office.lead, [office.co, office.lead], "请办理"
        )
    filing.refresh_from_db()
    assert filing.state == FilingState.ASSIGNED
    assert filing.lead_division == office.lead
    assert list(filing.co_divisions.all()) == [office.co]
    assert set(DivisionNotice.objects.values_list("division", flat=True)) == {
        office.lead.pk,
        office.co.pk,
    }
    recipients = {address for mail in mailoutbox for address in mail.to}
    assert office.lead_handler.email in recipients
    assert office.co_handler.email in recipients
    assert office.other_handler.email not in recipients
    assert ModelLogEntry.objects.filter(action="inbox.instruct").exists()
    with pytest.raises(workflow.TransitionError, match="不能执行"):
        workflow.instruct_filing(filing, office.director, office.other, [], "再批")


def test_instruction_refuses_another_departments_division(office, home_page):
    filing = office.accepted()
    stranger = Office(home_page).lead
    with pytest.raises(workflow.TransitionError, match="本部门"):
        workflow.instruct_filing(filing, office.director, stranger, [], "请办理")
    assert Filing.objects.get(pk=filing.pk).state == FilingState.ACCEPTED


def test_first_progress_note_starts_handling_and_opinion_goes_to_lead(office):
    filing = office.assigned()
    workflow.add_note(filing, office.co_handler, office.co, "同意", NoteKind.OPINION)
    assert filing.state == FilingState.ASSIGNED
    assert DivisionNotice.objects.filter(
        division=office.lead, text__contains="协办意见"
    ).exists()
    workflow.add_note(filing, office.lead_handler, office.lead, "已审查材料")
    assert Filing.objects.get(pk=filing.pk).state == FilingState.IN_PROGRESS
    assert [n.kind for n in filing.notes.all()] == ["opinion", "progress"]
    assert not filing.events.get(action="progress").public


def test_suspension_pauses_clock_and_resume_moves_due_dates(office, today_is):
    today_is(datetime.date(2026, 3, 2))
    filing = office.assigned()
    workflow.start_handling(filing, office.lead_handler)
    assert filing.promised_due_date == add_workdays(datetime.date(2026, 3, 2), 10).due
    today_is(datetime.date(2026, 3, 4))
    workflow.suspend_filing(filing, office.lead_handler, "expert_review", "专家评审", 5)
    filing.refresh_from_db()
    assert filing.state == FilingState.SUSPENDED
    assert filing.promised_due_date is None
    assert clock.status_of(filing, datetime.date(2026, 3, 6)) == (clock.PAUSED, 9)
    today_is(datetime.date(2026, 3, 10))
    workflow.resume_filing(filing, office.lead_handler)
    filing.refresh_from_db()
    pauses = [(datetime.date(2026, 3, 4), datetime.date(2026, 3, 10))]
    assert filing.clock_pauses == [["2026-03-04", "2026-03-10"]]
    assert (
        filing.promised_due_date
        == add_workdays(datetime.date(2026, 3, 2), 10, pauses).due
    )
    assert (
        filing.statutory_due_date
        == add_workdays(datetime.date(2026, 3, 2), 20, pauses).due
    )


def test_appointment_is_scheduled_by_window_and_shown_to_applicant(office):
    filing = office.assigned()
    appointment = workflow.request_appointment(
        filing, office.lead_handler, AppointmentKind.INSPECTION, "核实生产场所"
    )
    assert applicant_view(filing)["appointments"] == []
    when = datetime.datetime(2030, 5, 6, 9, 30, tzinfo=datetime.UTC)
    workflow.schedule_appointment(appointment, office.clerk, when, "申请人厂区")
    view = applicant_view(Filing.objects.get(pk=filing.pk))
    assert [(a["kind_label"], a["place"]) for a in view["appointments"]] == [
        ("现场勘查", "申请人厂区")
    ]
    with pytest.raises(workflow.TransitionError, match="他人处理"):
        workflow.schedule_appointment(appointment, office.clerk, when, "别处")


def test_completion_issue_collection_and_one_rating(office):
    filing = office.assigned()
    with pytest.raises(workflow.TransitionError, match="写明理由"):
        workflow.complete_filing(filing, office.lead_handler, "denied", "")
    with pytest.raises(workflow.TransitionError, match="实际格式"):
        workflow.complete_filing(
            filing,
            office.lead_handler,
            "approved",
            document=SimpleUploadedFile("结果.pdf", EXE),
        )
    workflow.complete_filing(
        filing,
        office.lead_handler,
        "approved",
        document=SimpleUploadedFile("结果.pdf", PDF),
    )
    filing.refresh_from_db()
    assert filing.state == FilingState.COMPLETED and filing.completed_on_time
    assert filing.handling_workdays == 0
    assert filing.result_document.read() == PDF
    with pytest.raises(workflow.TransitionError, match="单号"):
        workflow.issue_result(filing, office.clerk, "mail", "EMS", "")
    workflow.issue_result(filing, office.clerk, "mail", "EMS", "1234567890")
    workflow.record_collection(filing, office.clerk)
    assert Filing.objects.get(pk=filing.pk).state == FilingState.COLLECTED
    with pytest.raises(workflow.TransitionError, match="不能执行"):
        workflow.withdraw_filing(filing)
    workflow.rate_filing(filing, 5, "很快")
    with pytest.raises(workflow.TransitionError, match="只能评价一次"):
        workflow.rate_filing(filing, 1, "再评")
    assert filing.rating.score == 5


def test_stale_version_is_refused(office):
    filing = office.assigned()
    seen = filing.version
    workflow.start_handling(filing, office.lead_handler)
    with pytest.raises(workflow.TransitionError, match="本件已被他人处理"):
        workflow.check_version(filing, seen)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_directors_at_once_one_wins(home_page):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    office = Office(home_page)
    filing = office.accepted()
    barrier = threading.Barrier(2)
    results = []

    def act(division):
        try:
            mine = Filing.objects.get(pk=filing.pk)
            barrier.wait()
            workflow.instruct_filing(mine, office.director, division, [], "办理")
            results.append("ok")
        except workflow.TransitionError as error:
            results.append(str(error))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=(d,)) for d in (office.lead, office.co)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "本件已被他人处理，请刷新后重试。"]
    filing.refresh_from_db()
    assert filing.version == 2
    assert filing.events.filter(action="instruct").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clerks_accept_at_once_at_the_desk_the_loser_is_told(home_page):
    """Both pages showed the same version: one acceptance goes through, the other
    clerk gets the pre-review page back saying someone else acted."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    office = Office(home_page)
    filing = office.submit()
    clerks = [office.clerk, make_staff(office.department, roles.Role.CLERK)]
    data = {"version": filing.version}
    for material in filing.materials.all():
        data[f"m{material.pk}-status"] = "received"
    url = reverse("desk:accept", args=[filing.pk])
    barrier = threading.Barrier(len(clerks))
    answers = []

    def accept(user):
        try:
            client = Client()
            client.force_login(user)
            barrier.wait()
            response = client.post(url, data)
            answers.append((response.status_code, response.content.decode()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(user,)) for user in clerks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(code for code, _body in answers) == [302, 409]
    assert str(STALE) in next(body for code, body in answers if code == 409)
    filing.refresh_from_db()
    assert filing.state == FilingState.ACCEPTED and filing.version == 1
    assert filing.events.filter(action="accept").count() == 1


def test_api_lookup_shows_clock_appointments_and_result(office, client):
    filing = office.assigned()
    url = f"/api/v1/filings/{filing.tracking_number}/"
    data = client.get(url, {"code": filing.access_code}).json()
    # The clock's public names, as DESIGN.md's public contract lists them.
    contract = {
        "received_on", "pre_review_due", "deemed_accepted", "promised_due",
        "statutory_due", "extended_days", "issue_due", "outgoing_number",
    }  # fmt: skip
    assert contract <= data.keys()
    assert data["promised_due"] == f"{filing.promised_due_date:%Y-%m-%d}"
    assert data["promised_due_date"] == data["promised_due"]
    assert data["clock"]["status"] == clock.ON_TRACK
    assert (
        data["clock"]["days_left"]
        == clock.status_of(Filing.objects.get(pk=filing.pk), datetime.date.today())[1]
    )
    assert data["decision"] == "" and data["can_rate"] is False

    appointment = workflow.request_appointment(
        filing, office.lead_handler, AppointmentKind.MEETING, "当面说明情况"
    )
    when = datetime.datetime(2030, 5, 6, 9, 30, tzinfo=datetime.UTC)
    workflow.schedule_appointment(appointment, office.clerk, when, "收发文室")
    filing.refresh_from_db()
    workflow.complete_filing(filing, office.lead_handler, "approved")
    filing.refresh_from_db()
    workflow.issue_result(filing, office.clerk, "mail", "EMS", "1234567890")

    data = client.get(url, {"code": filing.access_code}).json()
    assert [(a["kind"], a["place"]) for a in data["appointments"]] == [
        ("meeting", "收发文室")
    ]
    assert data["outgoing_number"] == f"吉市监许〔{timezone.localdate():%Y}〕1号"
    assert (data["mail_carrier"], data["mail_tracking_number"]) == ("EMS", "1234567890")
    assert data["clock"] is None and data["can_rate"] is True
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert {"clock", "outgoing_number", "can_rate"} <= set(
        schema["FilingOut"]["properties"]
    )
