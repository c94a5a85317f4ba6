"""The licensing law's clock (行政许可法): pre-review and deemed acceptance (§32),
extension (§42), issuing (§44), special procedures (§45) and immediate items, with
due dates across National Day 2026 (1–7 October off, Saturday 10 October worked)."""

import datetime
import io

import pytest
from django.core.management import call_command

from portal.models import OutgoingMessage
from services_catalog.inbox import clock, workflow
from services_catalog.inbox.lookup import applicant_view
from services_catalog.inbox.models import (
    Filing,
    FilingState,
    MaterialStatus,
    SpecialProcedureNotice,
)
from tests.inbox.builders import Office, checklist

pytestmark = pytest.mark.django_db

D = datetime.date


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


def sweep():
    call_command("sweep_deadlines", stdout=io.StringIO())


def emails_to_applicant(filing):
    """The e-mails about `filing` waiting in the outbox, oldest first."""
    return OutgoingMessage.objects.filter(
        channel=OutgoingMessage.Channel.EMAIL,
        reference=filing.tracking_number,
        recipient=filing.email,
    ).order_by("pk")


def test_pre_review_is_due_five_working_days_after_receipt_across_national_day(
    office, today_is
):
    today_is(D(2026, 9, 28))
    filing = office.submit()
    assert filing.received_on == D(2026, 9, 28)
    # 29, 30 September, 8, 9 October and the make-up Saturday 10 October.
    assert filing.pre_review_due_date == D(2026, 10, 10)
    assert clock.status_of(filing, D(2026, 10, 9), clock.PRE_REVIEW) == (
        clock.DUE_SOON,
        1,
    )
    assert clock.status_of(filing, D(2026, 10, 12), clock.PRE_REVIEW) == (
        clock.OVERDUE,
        -1,
    )
    view = applicant_view(filing)
    assert view["received_on"] == D(2026, 9, 28)
    assert view["pre_review_due"] == D(2026, 10, 10)


def test_sweep_deems_a_late_filing_accepted_from_the_day_of_receipt(office, today_is):
    today_is(D(2026, 9, 28))
    filing = office.submit()
    today_is(D(2026, 10, 10))  # the last day: not yet
    sweep()
    assert Filing.objects.get(pk=filing.pk).state == FilingState.SUBMITTED
    today_is(D(2026, 10, 12))
    sweep()
    filing.refresh_from_db()
    assert filing.state == FilingState.ACCEPTED and filing.deemed_accepted
    assert filing.accepted_on == D(2026, 9, 28)
    # Ten working days from the day of receipt, not from the sweep.
    assert filing.promised_due_date == D(2026, 10, 16)
    event = filing.events.get(action="deem_accept")
    assert event.action_label == "视为受理"
    assert "第三十二条" in event.comment and event.actor_label.startswith("系统")
    told = emails_to_applicant(filing).filter(subject__contains="视为受理")
    assert [mail.recipient for mail in told] == ["zhangsan@example.com"]
    sweep()  # idempotent
    assert filing.events.filter(action="deem_accept").count() == 1
    view = applicant_view(filing)
    assert view["deemed_accepted"] is True and view["pre_review_due"] is None
    # Refusing on substance is no longer a pre-review decision.
    with pytest.raises(workflow.TransitionError, match="不能执行"):
        workflow.refuse_filing(filing, office.clerk, "不符合条件", "第三十八条")


def test_one_time_notice_in_time_prevents_deemed_acceptance_and_supplement_restarts(
    office, today_is
):
    today_is(D(2026, 9, 28))
    filing = office.submit()
    today_is(D(2026, 9, 30))
    workflow.request_supplement(
        filing, office.clerk, checklist(filing, MaterialStatus.MISSING)
    )
    today_is(D(2026, 10, 14))
    sweep()
    filing.refresh_from_db()
    assert filing.state == FilingState.SUPPLEMENT_REQUESTED
    workflow.record_supplement(filing, None)
    filing.refresh_from_db()
    assert filing.received_on == D(2026, 10, 14)
    assert filing.pre_review_due_date == D(2026, 10, 21)


def test_extension_moves_the_statutory_date_once_with_a_pause_in_between(
    office, today_is
):
    today_is(D(2026, 9, 14))
    filing = office.assigned()
    workflow.start_handling(filing, office.lead_handler)
    today_is(D(2026, 9, 16))
    workflow.suspend_filing(filing, office.lead_handler, "expert_review", "评审", 3)
    today_is(D(2026, 9, 21))
    workflow.resume_filing(filing, office.lead_handler)
    filing.refresh_from_db()
    # 20 working days from 14 September; 16–21 September paused (the make-up
    # Sunday 20 September among them), 25 September and 1–7 October off.
    assert filing.statutory_due_date == D(2026, 10, 23)
    with pytest.raises(workflow.TransitionError, match="理由"):
        workflow.extend_filing(filing, office.director, " ")
    workflow.extend_filing(filing, office.director, "需组织专家论证")
    filing.refresh_from_db()
    assert filing.extended_days == 10
    assert filing.statutory_due_date == D(2026, 11, 6)
    assert filing.extension_approved_by == office.director
    assert "需组织专家论证" in emails_to_applicant(filing).last().body
    assert applicant_view(filing)["extended_days"] == 10
    with pytest.raises(workflow.TransitionError, match="只能延长一次"):
        workflow.extend_filing(filing, office.director, "再延长")


def test_extension_uses_the_items_own_number_and_is_refused_after_the_limit(
    office, today_is
):
    office.item.extension_days = 15
    office.item.save()
    today_is(D(2026, 9, 28))
    filing = office.assigned()
    today_is(filing.statutory_due_date + datetime.timedelta(days=1))
    with pytest.raises(workflow.TransitionError, match="已过"):
        workflow.extend_filing(filing, office.director, "来不及")
    today_is(D(2026, 9, 29))
    workflow.extend_filing(filing, office.director, "需现场核查")
    assert Filing.objects.get(pk=filing.pk).extended_days == 15


def test_approved_result_is_due_for_issue_ten_working_days_after_the_decision(
    office, today_is
):
    filing = office.assigned()
    today_is(D(2026, 9, 24))
    workflow.complete_filing(filing, office.lead_handler, "approved")
    filing.refresh_from_db()
    # 25 September (Mid-Autumn) and 1–7 October off, the make-up Saturday
    # 10 October worked.
    assert filing.issue_due_date == D(2026, 10, 15)
    assert applicant_view(filing)["issue_due"] == D(2026, 10, 15)
    assert clock.status_of(filing, D(2026, 10, 16), clock.ISSUE)[0] == clock.OVERDUE
    assert Filing.objects.filter(clock.overdue_q(D(2026, 10, 16), clock.ISSUE)).exists()
    workflow.issue_result(filing, office.clerk, "pickup")
    assert clock.status_of(filing, D(2026, 10, 16), clock.ISSUE) is None


def test_denial_has_no_issue_clock(office):
    filing = office.assigned()
    workflow.complete_filing(filing, office.lead_handler, "denied", "不符合条件")
    filing.refresh_from_db()
    assert filing.issue_due_date is None


def test_special_procedure_records_kind_and_expected_duration(office, today_is):
    filing = office.assigned()
    workflow.start_handling(filing, office.lead_handler)
    today_is(D(2026, 9, 29))
    with pytest.raises(workflow.TransitionError, match="种类"):
        workflow.suspend_filing(filing, office.lead_handler, "party", "评审", 3)
    with pytest.raises(workflow.TransitionError, match="1 至"):
        workflow.suspend_filing(filing, office.lead_handler, "hearing", "听证", 0)
    notice = workflow.suspend_filing(filing, office.lead_handler, "hearing", "听证", 3)
    assert (notice.kind, notice.expected_days) == ("hearing", 3)
    assert notice.expected_end == D(2026, 10, 9)  # 30 September, 8 and 9 October
    event = filing.events.get(action="suspend")
    assert event.public and "听证" in event.comment and "3 个工作日" in event.comment
    shown = applicant_view(Filing.objects.get(pk=filing.pk))["special_procedure"]
    assert shown["kind_label"] == "听证" and shown["expected_end"] == D(2026, 10, 9)
    assert SpecialProcedureNotice.objects.filter(filing=filing).count() == 1


def test_immediate_item_is_accepted_and_completed_the_same_day(office, today_is):
    today_is(D(2026, 10, 10))  # the make-up Saturday is a working day
    filing = office.submit()
    with pytest.raises(workflow.TransitionError, match="即办件"):
        workflow.accept_and_complete(filing, office.clerk, "approved")
    office.item.kind = "immediate"
    office.item.promised_days = 0
    office.item.save()
    filing = office.submit()
    workflow.accept_and_complete(
        filing, office.clerk, "approved", checklist=checklist(filing)
    )
    filing.refresh_from_db()
    assert filing.state == FilingState.COMPLETED
    assert filing.accepted_on == filing.completed_on == D(2026, 10, 10)
    assert filing.promised_due_date == filing.statutory_due_date == D(2026, 10, 10)
    assert filing.handling_workdays == 0 and filing.completed_on_time
    assert filing.issue_due_date == D(2026, 10, 23)
    assert list(filing.events.values_list("action", flat=True)) == [
        "submit",
        "complete_at_window",
    ]
