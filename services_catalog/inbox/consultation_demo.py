"""Demo consultations (咨询, DESIGN §5): for each demo department, questions asked
online and logged by the window from the phone, answered and published (the
redaction shows: the askers typed their names and numbers into the questions), one
answered privately, one forwarded to a division and waiting, and two overdue (one
at the window, one at the division) so that the supervision dashboard flags them.
Written through `consultations` so that numbers, due dates, audit log and notices
are real. Idempotent: departments that already have consultations are skipped."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from portal import roles
from portal.workdays import add_workdays, is_workday
from services_catalog.inbox import consultations
from services_catalog.inbox.models import Consultation, ConsultationChannel

# (question, answer or None, public, channel, about an item)
QUESTIONS = [
    (
        "我是王建国，电话 13904310001。办理这个事项需要本人到现场吗？"
        "可以委托他人办理吗？",
        "可以委托他人办理。受托人须携带授权委托书和本人身份证原件；"
        "网上申请的，无需到现场，结果可选择邮寄送达。",
        True,
        ConsultationChannel.ONLINE,
        True,
    ),
    (
        "申请材料中的复印件需要加盖公章吗？个人申请的怎么办？",
        "单位申请的复印件须加盖单位公章；个人申请的由本人签字确认即可。",
        True,
        ConsultationChannel.ONLINE,
        True,
    ),
    (
        "窗口中午休息吗？周六能不能办理？",
        "工作日上午 8:30—11:30、下午 13:30—17:00 办理；"
        "周六、周日及法定节假日不对外办公，调休上班日正常办理。",
        True,
        ConsultationChannel.PHONE,
        False,
    ),
    (
        "我去年提交的申请被退回了，能否帮我查一下原因？联系电话 13904310002。",
        "已电话联系您说明退回原因：缺少近三个月的监测报告，补齐后可重新申请。",
        False,
        ConsultationChannel.ONLINE,
        True,
    ),
]

FORWARDED = "申请变更登记事项时，原许可证的有效期是否重新计算？"
OVERDUE_AT_WINDOW = "同一事项能否同时在网上和窗口提交？会不会重复受理？"
OVERDUE_AT_DIVISION = "跨省迁入的企业，原发证机关出具的证明材料是否有效？"


def _clerk(department):
    return (
        get_user_model()
        .objects.filter(staff_membership__department=department)
        .filter(groups__name=roles.group_name(roles.Role.CLERK))
        .order_by("pk")
        .first()
    )


def _division_of_handler(department):
    from disclosure.models import DivisionPage

    handler = (
        get_user_model()
        .objects.filter(staff_membership__department=department)
        .filter(groups__name=roles.group_name(roles.Role.HANDLER))
        .select_related("staff_membership__division")
        .order_by("pk")
        .first()
    )
    membership = getattr(handler, "staff_membership", None)
    if membership and membership.division:
        return membership.division
    return DivisionPage.objects.child_of(department).order_by("path").first()


def _workdays_before(day, count):
    while count:
        day -= datetime.timedelta(days=1)
        count -= is_workday(day)
    return day


def _asked_earlier(consultation, workdays):
    """Move the question back `workdays` working days, its due date with it."""
    asked_on = _workdays_before(timezone.localdate(), workdays)
    limit = consultations.answer_workdays()
    Consultation.objects.filter(pk=consultation.pk).update(
        asked_on=asked_on,
        asked_at=timezone.make_aware(
            datetime.datetime.combine(asked_on, datetime.time(9, 30))
        ),
        due_date=add_workdays(asked_on, limit).due,
    )
    consultation.refresh_from_db()
    return consultation


def _ask(department, item, text, channel, clerk, name="李明"):
    consultation, _code = consultations.ask(
        department,
        item=item,
        name=name,
        mobile="13904310009" if channel == ConsultationChannel.ONLINE else "",
        question=text,
        channel=channel,
        actor=clerk if channel != ConsultationChannel.ONLINE else None,
    )
    return consultation


@transaction.atomic
def load_consultation_demo(home_page, stdout):
    """Consultations for every department with items and a window clerk."""
    from disclosure.models import DepartmentPage
    from services_catalog.models import ServiceItemPage

    for department in DepartmentPage.objects.child_of(home_page).order_by("path"):
        if Consultation.objects.filter(department=department).exists():
            continue
        clerk = _clerk(department)
        items = list(
            ServiceItemPage.objects.live().descendant_of(department).order_by("path")
        )
        if clerk is None or not items:
            continue
        for index, (text, answer, public, channel, about_item) in enumerate(QUESTIONS):
            item = items[index % len(items)] if about_item else None
            consultation = _asked_earlier(
                _ask(department, item, text, channel, clerk, name="王建国"), 2
            )
            consultations.answer(
                consultation, clerk, consultation.version, text=answer, public=public
            )
        division = _division_of_handler(department)
        forwarded = _ask(
            department, items[0], FORWARDED, ConsultationChannel.ONLINE, clerk
        )
        consultations.forward(
            forwarded, clerk, forwarded.version, division=division, note="请答复。"
        )
        _asked_earlier(
            _ask(
                department,
                items[-1],
                OVERDUE_AT_WINDOW,
                ConsultationChannel.ONLINE,
                clerk,
            ),
            5,
        )
        late = _asked_earlier(
            _ask(
                department,
                None,
                OVERDUE_AT_DIVISION,
                ConsultationChannel.WALK_IN,
                clerk,
            ),
            6,
        )
        consultations.forward(
            late, clerk, late.version, division=division, note="请尽快答复。"
        )
        stdout.write(
            f"咨询：{department.title} {len(QUESTIONS) + 3} 条演示咨询"
            "（已答复、已公开、转办和超期）\n"
        )
