"""Handling after acceptance: the director's instruction and the extension, the
divisions' notes, appointments and special procedures (the clock stops and
restarts). The time rules are in `clock`.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from portal.workdays import add_workdays
from services_catalog.inbox import signals
from services_catalog.inbox.models import (
    EXTENDABLE_STATES,
    Appointment,
    AppointmentStatus,
    Filing,
    FilingNote,
    NoteKind,
    SpecialProcedureKind,
    SpecialProcedureNotice,
)
from services_catalog.inbox.wording import STALE, Said
from services_catalog.inbox.workflow._base import (
    S,
    TransitionError,
    change,
    due_dates,
    record_event,
    transition,
)


def instruct_filing(filing, actor, lead_division, co_divisions=(), instruction=""):
    """The director's instruction (批办): one lead division, any co-divisions."""
    co_divisions = [d for d in co_divisions if d.pk != lead_division.pk]
    for division in (lead_division, *co_divisions):
        if not division.path.startswith(filing.department.path):
            raise TransitionError(_("承办处室须为本部门的处室。"))
    instruction = (instruction or "").strip()
    if not instruction:
        raise TransitionError(_("请填写批办意见。"))
    comment = Said(N_("牵头主办：%(lead)s。"), lead=lead_division.title)
    if co_divisions:
        comment += Said(N_("协办：%(co)s。"), co=[d.title for d in co_divisions])
    with transaction.atomic():
        event = transition(
            filing,
            "instruct",
            actor,
            comment,
            lead_division=lead_division,
            instruction=instruction,
            instructed_at=timezone.now(),
        )
        filing.co_divisions.set(co_divisions)
        _announce_to_divisions(
            [lead_division, *co_divisions],
            filing,
            _("新批办办件 %(number)s（%(item)s）：%(text)s")
            % {
                "number": filing.tracking_number,
                "item": filing.item.title,
                "text": instruction,
            },
        )
        return event


def start_handling(filing, actor, comment=""):
    """The lead division starts handling (已批办 → 办理中)."""
    with transaction.atomic():
        return transition(
            filing, "start", actor, comment or Said(N_("承办处室开始办理。"))
        )


def add_note(filing, actor, division, text, kind=NoteKind.PROGRESS):
    """A progress note, or a co-division's opinion to the lead division. The lead's
    first note on an assigned filing starts the handling."""
    text = (text or "").strip()
    if not text:
        raise TransitionError(_("请填写内容。"))
    if filing.state not in (S.ASSIGNED, S.IN_PROGRESS, S.SUSPENDED):
        raise TransitionError(_("本件当前不在办理中，不能记录。"))
    with transaction.atomic():
        if (
            kind == NoteKind.PROGRESS
            and filing.state == S.ASSIGNED
            and division.pk == filing.lead_division_id
        ):
            start_handling(filing, actor)
        note = FilingNote.objects.create(
            filing=filing, kind=kind, division=division, text=text, author=actor
        )
        record_event(filing, kind, actor, f"{division.title}：{text}")
        if kind == NoteKind.OPINION and filing.lead_division_id:
            _announce_to_divisions(
                [filing.lead_division],
                filing,
                _("%(division)s 对办件 %(number)s 提出协办意见。")
                % {"division": division.title, "number": filing.tracking_number},
            )
        return note


def request_appointment(filing, actor, kind, purpose):
    """The lead division asks the window for a meeting or a site inspection."""
    if filing.state not in (S.ASSIGNED, S.IN_PROGRESS):
        raise TransitionError(_("本件当前不在办理中，不能申请约见或勘查。"))
    purpose = (purpose or "").strip()
    if not purpose:
        raise TransitionError(_("请写明约见或勘查的事由。"))
    with transaction.atomic():
        if filing.state == S.ASSIGNED:
            start_handling(filing, actor)
        appointment = Appointment.objects.create(
            filing=filing, kind=kind, purpose=purpose, requested_by=actor
        )
        record_event(
            filing,
            "request_appointment",
            actor,
            f"{appointment.get_kind_display()}：{purpose}",
        )
        return appointment


def schedule_appointment(appointment, actor, starts_at, place):
    """The window fixes the time and place; the applicant sees it in the lookup."""
    place = (place or "").strip()
    if not starts_at or not place:
        raise TransitionError(_("请填写约见或勘查的时间和地点。"))
    with transaction.atomic():
        updated = Appointment.objects.filter(
            pk=appointment.pk, status=AppointmentStatus.REQUESTED
        ).update(
            status=AppointmentStatus.SCHEDULED,
            starts_at=starts_at,
            place=place,
            scheduled_by=actor,
        )
        if not updated:
            raise TransitionError(str(STALE))
        appointment.refresh_from_db()
        when = timezone.localtime(starts_at)
        record_event(
            appointment.filing,
            "schedule_appointment",
            actor,
            Said(
                N_("%(kind)s：%(when)s，%(place)s。"),
                kind=appointment.get_kind_display(),
                when=f"{when:%Y-%m-%d %H:%M}",
                place=place,
            ),
            public=True,
        )
        return appointment


def suspend_filing(filing, actor, kind, reason, expected_days):
    """A special procedure (行政许可法第四十五条: 听证、检验、鉴定、专家评审…): the
    clock stops from today until the procedure ends; the due dates are unknown
    meanwhile. The applicant is told in writing which procedure it is and how many
    working days it is expected to take (`SpecialProcedureNotice`, printed like the
    one-time notice); returns that notice."""
    reason = (reason or "").strip()
    if kind not in SpecialProcedureKind.values:
        raise TransitionError(_("请选择特别程序的种类。"))
    if not reason:
        raise TransitionError(_("请写明特别程序的事由。"))
    if isinstance(expected_days, bool) or not isinstance(expected_days, int):
        raise TransitionError(_("请填写特别程序预计所需的工作日数。"))
    if not 1 <= expected_days <= MAX_PROCEDURE_WORKDAYS:
        raise TransitionError(
            _("特别程序预计所需时间应为 1 至 %(max)d 个工作日。")
            % {"max": MAX_PROCEDURE_WORKDAYS}
        )
    today = timezone.localdate()
    expected_end = add_workdays(today, expected_days).due
    pauses = [*filing.clock_pauses, [today.isoformat(), None]]
    label = SpecialProcedureKind(kind).label
    with transaction.atomic():
        transition(
            filing,
            "suspend",
            actor,
            Said(
                N_(
                    "特别程序（%(kind)s）：%(reason)s。预计需要 %(days)d 个工作日"
                    "（至 %(end)s），所需时间不计入办理期限。"
                ),
                kind=label,
                reason=reason,
                days=expected_days,
                end=f"{expected_end:%Y-%m-%d}",
            ),
            suspension_reason=f"{label}：{reason}",
            clock_pauses=pauses,
            promised_due_date=None,
            statutory_due_date=None,
        )
        return SpecialProcedureNotice.objects.create(
            filing=filing,
            kind=kind,
            reason=reason,
            expected_days=expected_days,
            expected_end=expected_end,
            created_by=actor,
        )


MAX_PROCEDURE_WORKDAYS = 250
"""The longest expected duration of a special procedure a handler may enter."""


def extend_filing(filing, actor, reason):
    """延长办理期限 (行政许可法第四十二条): the head of the department approves one
    extension of the statutory limit by the item's extension days (10 by the law),
    with the reason, which the applicant is told; the statutory due date moves."""
    reason = (reason or "").strip()
    days = filing.item.extension_days
    if filing.extended_days:
        raise TransitionError(
            _("本件已于 %(day)s 延长过办理期限，依法只能延长一次，不能再次延长。")
            % {"day": f"{timezone.localtime(filing.extension_approved_at):%Y-%m-%d}"}
        )
    if filing.state not in EXTENDABLE_STATES:
        raise TransitionError(_("本件当前不在办理期限内，不能延长办理期限。"))
    if not days:
        raise TransitionError(_("本事项的设定依据不允许延长办理期限。"))
    if not reason:
        raise TransitionError(_("请写明延长办理期限的理由，理由将告知申请人。"))
    today = timezone.localdate()
    if filing.statutory_due_date and filing.statutory_due_date < today:
        raise TransitionError(
            _("法定办结期限（%(due)s）已过，不能再延长；请尽快作出决定。")
            % {"due": f"{filing.statutory_due_date:%Y-%m-%d}"}
        )
    filing.extended_days = days
    changes = {}
    if filing.state != S.SUSPENDED:
        dates = due_dates(filing, filing.pause_periods())
        changes = {
            "statutory_due_date": dates["statutory_due_date"],
            "due_dates_confirmed": dates["due_dates_confirmed"],
        }
        moved = Said(
            N_("法定办结期限延长至 %(due)s。"),
            due=f"{dates['statutory_due_date']:%Y-%m-%d}",
        )
    else:
        moved = Said(N_("特别程序结束恢复计时后，法定办结期限相应顺延。"))
    comment = (
        Said(
            N_(
                "经本部门负责人批准，办理期限延长 %(days)d 个工作日。理由：%(reason)s。"
            ),
            days=days,
            reason=reason.rstrip("。"),
        )
        + moved
    )
    with transaction.atomic():
        return change(
            filing,
            "extend",
            actor,
            comment,
            extended_days=days,
            extension_reason=reason,
            extension_approved_by=actor,
            extension_approved_at=timezone.now(),
            **changes,
        )


def resume_filing(filing, actor, comment=""):
    """The special procedure ended today: the clock restarts on the next working day
    and the due dates move by the paused working days."""
    today = timezone.localdate()
    pauses = [list(pause) for pause in filing.clock_pauses]
    if pauses and pauses[-1][1] is None:
        first = datetime.date.fromisoformat(pauses[-1][0])
        pauses[-1][1] = max(today, first).isoformat()
    filing.clock_pauses = pauses
    dates = due_dates(filing, filing.pause_periods())
    said = Said(
        N_("恢复计时，承诺办结日期顺延至 %(due)s。"),
        due=f"{dates['promised_due_date']:%Y-%m-%d}",
    )
    if comment:
        said = Said.verbatim(comment.strip() + " ") + said
    with transaction.atomic():
        return transition(
            filing,
            "resume",
            actor,
            said,
            clock_pauses=pauses,
            suspension_reason="",
            **dates,
        )


def _announce_to_divisions(divisions, filing, text):
    """Announce `text` to `divisions` about `filing` (`notify` tells them)."""
    signals.divisions_to_be_told.send(
        sender=Filing, divisions=list(divisions), filing=filing, text=text
    )
