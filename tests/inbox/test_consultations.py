"""Consultations (咨询, `services_catalog.inbox.consultations`): numbers and codes,
the answer limit on the working-day calendar, forwarding to a division, the answer
told to the asker, publication (redacted), scope and stale pages."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import ModelLogEntry, Site

from portal.models import OutgoingMessage, WorkdayOverride
from portal.workdays import add_workdays
from services_catalog.inbox import consultations
from services_catalog.inbox.models import (
    Consultation,
    ConsultationChannel,
    ConsultationSettings,
    ConsultationState,
    DivisionNotice,
)
from services_catalog.inbox.records import RecordError, StaleRecord
from tests.inbox.builders import Office

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(home_page):
    return Office(home_page)


@pytest.fixture
def today_is(monkeypatch):
    """Set the day the consultations see (10 a.m. local time)."""

    def move_to(day):
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return move_to


def asked(office, **fields):
    data = {
        "name": "赵六",
        "mobile": "13912345678",
        "email": "zhaoliu@example.com",
        "question": "我是赵六，电话 13912345678，排污许可证到期前多久申请延续？",
        "item": office.item,
    }
    data.update(fields)
    return consultations.ask(office.department, **data)


def test_a_question_gets_a_number_a_code_and_a_due_date(office, today_is):
    today_is(datetime.date(2026, 9, 30))  # before 国庆
    consultation, code = asked(office)
    code_of_department = office.department.code
    assert consultation.tracking_number == f"{code_of_department}-ZX-20260930-00001"
    assert consultations.find_consultation(consultation.tracking_number, code) == (
        consultation
    )
    assert consultations.find_consultation(consultation.tracking_number, "X") is None
    # Three working days after 30 September, across the National Day holiday.
    assert consultation.due_date == add_workdays(datetime.date(2026, 9, 30), 3).due
    assert consultation.due_date > datetime.date(2026, 10, 8)
    second, _code = asked(office)
    assert second.tracking_number.endswith("-00002")
    assert ModelLogEntry.objects.filter(
        object_id=str(consultation.pk), action="inbox.consultation.ask"
    ).exists()


def test_the_limit_is_the_site_setting(office, today_is):
    today_is(datetime.date(2026, 11, 2))  # a Monday
    settings = ConsultationSettings.for_site(Site.objects.get(is_default_site=True))
    settings.answer_workdays = 5
    settings.save()
    WorkdayOverride.objects.create(
        date=datetime.date(2026, 11, 4), is_workday=False, note="test"
    )
    consultation, _code = asked(office)
    # 3, 5, 6, 9, 10 November: the day off on the 4th does not count.
    assert consultation.due_date == datetime.date(2026, 11, 10)


def test_an_item_of_another_department_is_refused(office, home_page):
    other = Office(home_page)
    with pytest.raises(RecordError):
        asked(office, item=other.item)


def test_the_clerk_logs_a_phone_question_others_may_not(office):
    consultation, _code = consultations.ask(
        office.department,
        name="来电群众",
        question="窗口几点下班？",
        channel=ConsultationChannel.PHONE,
        actor=office.clerk,
    )
    assert consultation.logged_by == office.clerk
    with pytest.raises(PermissionDenied):
        consultations.ask(
            office.department,
            name="x",
            question="y",
            channel=ConsultationChannel.PHONE,
            actor=office.lead_handler,
        )
    with pytest.raises(PermissionDenied):
        consultations.ask(
            office.department,
            name="x",
            question="y",
            channel=ConsultationChannel.PHONE,
            actor=office.outsider,
        )


def test_forwarded_to_a_division_whose_handler_answers(office):
    consultation, code = asked(office)
    # Before forwarding, the lead division's handler does not reach it.
    with pytest.raises(PermissionDenied):
        consultations.answer(consultation, office.lead_handler, 1, text="答")
    forwarded = consultations.forward(
        consultation, office.clerk, 1, division=office.lead, note="请业务处答复"
    )
    assert forwarded.state == ConsultationState.FORWARDED
    notice = DivisionNotice.objects.get(division=office.lead)
    assert forwarded.tracking_number in notice.text
    assert "13912345678" not in notice.text
    with pytest.raises(PermissionDenied):
        consultations.answer(forwarded, office.other_handler, 2, text="答")

    answered = consultations.answer(
        forwarded, office.lead_handler, 2, text="有效期届满 30 日前申请。", public=True
    )
    assert answered.state == ConsultationState.ANSWERED
    assert answered.answered_on_time is True
    # A division cannot publish: the window decides.
    assert answered.public is False
    sms = OutgoingMessage.objects.get(channel="sms", reference=answered.tracking_number)
    assert sms.recipient == "13912345678"
    assert "已答复" in sms.body
    assert OutgoingMessage.objects.filter(
        channel="email", recipient="zhaoliu@example.com"
    ).exists()

    with pytest.raises(RecordError):
        consultations.answer(answered, office.clerk, 3, text="again")
    published = consultations.set_public(answered, office.clerk, 3, public=True)
    assert list(Consultation.objects.published()) == [published]


def test_a_stale_page_is_refused(office):
    consultation, _code = asked(office)
    consultations.answer(consultation, office.clerk, 1, text="答复一")
    consultation.state = ConsultationState.SUBMITTED  # what the stale page saw
    with pytest.raises(StaleRecord):
        consultations.answer(consultation, office.clerk, 1, text="答复二")
    assert Consultation.objects.get(pk=consultation.pk).answer == "答复一"


def test_the_published_question_and_answer_are_redacted(office):
    consultation, _code = asked(office)
    answered = consultations.answer(
        consultation,
        office.clerk,
        1,
        text="赵六您好，请拨打 0431-88886666 或发邮件至 zhaoliu@example.com。",
        public=True,
    )
    view = consultations.public_view(answered)
    for private in ("赵六", "13912345678", "zhaoliu@example.com", "88886666"):
        assert private not in view["question"] + view["answer"]
    assert "排污许可证到期前多久申请延续" in view["question"]
    assert consultations.published(query="延续 排污").count() == 1
    assert consultations.published(query="驾驶证").count() == 0


def test_the_inspection_office_sees_open_and_overdue(office, today_is):
    today_is(datetime.date(2026, 11, 2))
    late, _ = asked(office)
    on_time, _ = asked(office)
    consultations.answer(on_time, office.clerk, 1, text="答", public=True)
    today_is(datetime.date(2026, 11, 12))
    asked(office)
    board = consultations.supervision_board(office.department, timezone.localdate())
    assert board["open"] == 2
    assert board["overdue"] == 1
    assert board["overdue_list"] == [late]
    assert board["answered"] == board["on_time"] == board["public"] == 1
    status, days_left = consultations.clock_status(late)
    assert status == "overdue" and days_left < 0


def test_retention_removes_the_asker_and_keeps_the_published_answer(office):
    from portal.retention import apply_retention

    consultation, _code = asked(office)
    answered = consultations.answer(
        consultation, office.clerk, 1, text="赵六您好，30 日前申请。", public=True
    )
    published = consultations.public_view(answered)
    Consultation.objects.filter(pk=answered.pk).update(
        answered_at=timezone.now() - datetime.timedelta(days=4 * 366)
    )
    recent, _code = asked(office)
    consultations.answer(recent, office.clerk, 1, text="答")

    apply_retention()
    kept = Consultation.objects.get(pk=answered.pk)
    assert kept.name != "赵六" and kept.mobile == "" and kept.email == ""
    assert "13912345678" not in kept.question and "赵六" not in kept.answer
    assert consultations.public_view(kept)["question"] == published["question"]
    assert consultations.public_view(kept)["answer"] == published["answer"]
    assert Consultation.objects.get(pk=recent.pk).name == "赵六"
