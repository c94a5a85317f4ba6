"""The filing state machine (DESIGN §5): the only code that writes `Filing.state`.

Every transition function checks that the action is allowed from the filing's current
state and moves it with a conditional UPDATE (`state` and `version` must still be what
the caller read), so of two clerks acting at once exactly one wins and the other gets
a `TransitionError`. In the same `transaction.atomic()` it writes the timeline event
(`FilingEvent`), a Wagtail audit-log entry and the notices to the applicant
(`notify.filing_changed`: an outbox the worker delivers once the transaction commits).

Intake (`create_filing`) issues the tracking number and the access code (`codes`) and
starts the pre-review clock; pre-review ends in acceptance, refusal or the one-time
notice, or — when its 5 working days pass — in deemed acceptance (`deem_accepted`,
run by `sweep_deadlines`); an immediate item (即办件) is accepted and decided in one
step (`accept_and_complete`). After acceptance: the director's instruction
(`instruct_filing`) and extension (`extend_filing`), the divisions' handling
(`add_note`, `request_appointment`, `suspend_filing`, `resume_filing`,
`complete_filing`) and the window's scheduling, issuing with a number from the
outgoing register and collection (`schedule_appointment`, `issue_result`,
`void_outgoing_number`, `record_collection`). The time rules are in `clock`. A form
that acted on a filing it read earlier passes that version to `check_version`, so a
stale page never overwrites a newer decision.

The names of the actions and the applicant's wording are in `wording`; what the
applicant's lookup shows is built by `lookup`.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from portal.workdays import add_workdays, count_workdays
from services_catalog.inbox import clock, notify, outgoing
from services_catalog.inbox.codes import (
    generate_access_code,
    hash_access_code,
    next_tracking_number,
)
from services_catalog.inbox.models import (
    DONE_STATES,
    EXTENDABLE_STATES,
    Appointment,
    AppointmentStatus,
    Channel,
    Decision,
    Delivery,
    Filing,
    FilingEvent,
    FilingMaterial,
    FilingNote,
    FilingState,
    FilingUpload,
    MaterialStatus,
    NoteKind,
    Rating,
    SpecialProcedureKind,
    SpecialProcedureNotice,
    SupplementRequest,
    UploadSource,
)
from services_catalog.inbox.uploads import private_storage, storage_path
from services_catalog.inbox.wording import ACTION_LABELS, APPLICANT, STALE, SYSTEM

S = FilingState
TRANSITIONS = {
    # action: (states it is allowed from, state it leads to)
    "request_supplement": ({S.SUBMITTED}, S.SUPPLEMENT_REQUESTED),
    "supplement": ({S.SUPPLEMENT_REQUESTED}, S.SUBMITTED),
    "accept": ({S.SUBMITTED}, S.ACCEPTED),
    "deem_accept": ({S.SUBMITTED}, S.ACCEPTED),
    "complete_at_window": ({S.SUBMITTED}, S.COMPLETED),
    "refuse": ({S.SUBMITTED}, S.REFUSED),
    "withdraw": (
        {
            S.SUBMITTED,
            S.SUPPLEMENT_REQUESTED,
            S.ACCEPTED,
            S.ASSIGNED,
            S.IN_PROGRESS,
            S.SUSPENDED,
        },
        S.WITHDRAWN,
    ),
    "instruct": ({S.ACCEPTED}, S.ASSIGNED),
    "start": ({S.ASSIGNED}, S.IN_PROGRESS),
    "suspend": ({S.IN_PROGRESS}, S.SUSPENDED),
    "resume": ({S.SUSPENDED}, S.IN_PROGRESS),
    "complete": ({S.ASSIGNED, S.IN_PROGRESS}, S.COMPLETED),
    "issue": ({S.COMPLETED}, S.ISSUED),
    "collect": ({S.ISSUED}, S.COLLECTED),
}


class TransitionError(Exception):
    """An action that is not allowed now; the message is for the user, in Chinese."""


def _transition_check(filing, action):
    allowed_from, _to_state = TRANSITIONS[action]
    if filing.state not in allowed_from:
        raise TransitionError(
            _("办件当前状态为“%(state)s”，不能执行“%(action)s”。")
            % {
                "state": FilingState(filing.state).label,
                "action": ACTION_LABELS[action],
            }
        )


def check_version(filing, version):
    """Refuse to act on what the user saw at `version` if the filing moved since."""
    if version is not None and int(version) != filing.version:
        raise TransitionError(str(STALE))


@dataclass
class ChecklistEntry:
    """The clerk's verdict on one material in pre-review."""

    material: FilingMaterial
    status: str
    note: str = ""


# ------------------------------------------------------------------ intake


def create_filing(item, applicant, *, form_token, channel=Channel.ONLINE, actor=None):
    """Create a filing for `item` from the applicant's cleaned data, attach the
    uploads waiting under `form_token`, and return `(filing, access_code)`.

    Raises IntegrityError when a filing with this form token already exists (a
    replayed form); the caller answers with that filing's receipt."""
    department = item.department
    access_code = generate_access_code()
    now = timezone.now()
    received_on = timezone.localdate(now)
    with transaction.atomic():
        tracking_number = next_tracking_number(department.code, timezone.localdate(now))
        filing = Filing.objects.create(
            item=item,
            department=department,
            tracking_number=tracking_number,
            access_code_hash=hash_access_code(tracking_number, access_code),
            form_token=form_token,
            channel=channel,
            submitted_at=now,
            received_on=received_on,
            pre_review_due_date=clock.pre_review_due(received_on).due,
            received_by=actor,
            **applicant,
        )
        materials = FilingMaterial.objects.bulk_create(
            FilingMaterial(
                filing=filing,
                item_material=material,
                name=material.name,
                required=material.required,
                sort_order=index,
            )
            for index, material in enumerate(item.materials.all())
        )
        by_item_material = {m.item_material_id: m for m in materials}
        for upload in FilingUpload.objects.filter(form_token=form_token, filing=None):
            upload.filing = filing
            upload.material = by_item_material.get(upload.item_material_id)
            upload.save(update_fields=["filing", "material"])
        action = "receive" if channel == Channel.WINDOW else "submit"
        _record(filing, action, "", S.SUBMITTED, actor, "")
    return filing, access_code


# ------------------------------------------------------------------ transitions


def _actor_label(actor, by_system=False):
    if by_system:
        return str(SYSTEM)
    if actor is None:
        return str(APPLICANT)
    return actor.get_full_name() or actor.get_username()


def _record(
    filing, action, from_state, to_state, actor, comment, public=True, by_system=False
):
    """Write the timeline event, the audit-log entry and the notices (outbox)."""
    event = FilingEvent.objects.create(
        filing=filing,
        actor=actor,
        actor_label=_actor_label(actor, by_system),
        action=action,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        public=public,
    )
    log(
        instance=filing,
        action=f"inbox.{action}",
        user=actor,
        title=filing.tracking_number,
        data={"from": from_state, "to": to_state, "comment": comment},
    )
    notify.filing_changed(filing.pk, event.pk)
    return event


def _transition(filing, action, actor, comment="", by_system=False, **changes):
    """Move `filing` along `action`; must run inside `transaction.atomic()`."""
    _transition_check(filing, action)
    to_state = TRANSITIONS[action][1]
    from_state = filing.state
    _write(filing, from_state, state=to_state, **changes)
    return _record(
        filing, action, from_state, to_state, actor, comment, by_system=by_system
    )


def _write(filing, expected_state, **changes):
    """The conditional UPDATE: only if nobody moved the filing since it was read."""
    updated = Filing.objects.filter(
        pk=filing.pk, state=expected_state, version=filing.version
    ).update(version=F("version") + 1, **changes)
    if not updated:
        raise TransitionError(str(STALE))
    filing.version += 1
    for field, value in changes.items():
        setattr(filing, field, value)


def _change(filing, action, actor, comment, **changes):
    """A version-checked change that keeps the state (extension, new number),
    with its public event; must run inside `transaction.atomic()`."""
    _write(filing, filing.state, **changes)
    return _record(filing, action, filing.state, filing.state, actor, comment)


def _save_checklist(checklist):
    for entry in checklist or ():
        entry.material.status = entry.status
        entry.material.note = entry.note
        entry.material.save(update_fields=["status", "note"])


def _flagged(checklist):
    return [
        entry
        for entry in checklist
        if entry.status in (MaterialStatus.MISSING, MaterialStatus.NOT_ACCEPTABLE)
    ]


def request_supplement(filing, actor, checklist, note=""):
    """Send the one-time notice listing every material marked missing or not
    acceptable; the filing waits for the applicant (clock not running)."""
    flagged = _flagged(checklist)
    if not flagged:
        raise TransitionError(
            _(
                "一次性告知书须列明需补正的材料:请至少将一项材料标记为“缺少”或“不符合要求”。"
            )
        )
    with transaction.atomic():
        comment = _("需补正 %(count)d 项材料:%(names)s。") % {
            "count": len(flagged),
            "names": "、".join(entry.material.name for entry in flagged),
        }
        _transition(filing, "request_supplement", actor, comment)
        _save_checklist(checklist)
        return SupplementRequest.objects.create(
            filing=filing,
            created_by=actor,
            note=note,
            items=[
                {
                    "name": entry.material.name,
                    "status": str(MaterialStatus(entry.status).label),
                    "note": entry.note,
                }
                for entry in flagged
            ],
        )


def record_supplement(filing, form_token, comment=""):
    """The applicant's supplement: attach the files uploaded under `form_token` and
    return the filing to the window's queue, marked as supplemented."""
    now = timezone.now()
    received_on = timezone.localdate(now)
    with transaction.atomic():
        notice = filing.current_supplement_request()
        _transition(
            filing,
            "supplement",
            None,
            comment or _("申请人已按一次性告知书补正材料。"),
            supplemented_at=now,
            received_on=received_on,
            pre_review_due_date=clock.pre_review_due(received_on).due,
        )
        materials = {m.item_material_id: m for m in filing.materials.all()}
        for upload in FilingUpload.objects.filter(form_token=form_token, filing=None):
            upload.filing = filing
            upload.source = UploadSource.SUPPLEMENT
            upload.material = materials.get(upload.item_material_id)
            upload.save(update_fields=["filing", "source", "material"])
            if upload.material and upload.material.status != MaterialStatus.RECEIVED:
                upload.material.status = MaterialStatus.PENDING
                upload.material.save(update_fields=["status"])
        if notice:
            notice.answered_at = now
            notice.save(update_fields=["answered_at"])


def accept_filing(filing, actor, checklist=None, comment=""):
    """Accept (受理): start the clock and fix the promised and statutory due dates,
    counted in working days from the day after acceptance, leaving out paused days."""
    checklist = checklist or []
    _check_required(checklist)
    now = timezone.now()
    today = timezone.localdate(now)
    filing.accepted_on = today
    dates = _due_dates(filing, filing.pause_periods())
    with transaction.atomic():
        event = _transition(
            filing,
            "accept",
            actor,
            comment
            or _("已受理，承诺于 %(due)s 前办结。")
            % {"due": f"{dates['promised_due_date']:%Y-%m-%d}"},
            decided_at=now,
            accepted_on=today,
            **dates,
        )
        _save_checklist(checklist)
        return event


def _check_required(checklist):
    flagged = [entry for entry in _flagged(checklist) if entry.material.required]
    if flagged:
        raise TransitionError(
            _("必需材料未收齐（%(names)s），不能受理；请发出一次性告知书。")
            % {"names": "、".join(entry.material.name for entry in flagged)}
        )


def deem_accepted(filing):
    """视为受理 (行政许可法第三十二条): pre-review passed its deadline without a
    decision or a one-time notice, so the filing counts as accepted from the day the
    materials were received; the clocks run from that day. Run by `sweep_deadlines`."""
    received_on = filing.received_on
    filing.accepted_on = received_on
    dates = _due_dates(filing, filing.pause_periods())
    comment = _(
        "预审期限 %(due)s 已过，窗口未作出受理决定，也未一次性告知补正。"
        "依照《中华人民共和国行政许可法》第三十二条，自收到申请材料之日"
        "（%(received)s）起视为受理，承诺于 %(promised)s 前办结。"
    ) % {
        "due": f"{filing.pre_review_due_date:%Y-%m-%d}",
        "received": f"{received_on:%Y-%m-%d}",
        "promised": f"{dates['promised_due_date']:%Y-%m-%d}",
    }
    with transaction.atomic():
        return _transition(
            filing,
            "deem_accept",
            None,
            comment,
            by_system=True,
            decided_at=timezone.now(),
            accepted_on=received_on,
            deemed_accepted=True,
            **dates,
        )


def _decision_changes(filing, decision, reason, today):
    """The fields every completion writes, whether handled or decided at the window."""
    reason = (reason or "").strip()
    if decision not in Decision.values:
        raise TransitionError(_("请选择办理决定。"))
    if decision == Decision.DENIED and not reason:
        raise TransitionError(_("不予批准须写明理由。"))
    approved = decision == Decision.APPROVED
    return {
        "decision": decision,
        "decision_reason": reason,
        "completed_on": today,
        "handling_workdays": max(
            0, count_workdays(filing.accepted_on, today, filing.pause_periods())
        ),
        "completed_on_time": bool(
            filing.promised_due_date and today <= filing.promised_due_date
        ),
        "issue_due_date": clock.issue_due(today).due if approved else None,
    }


def _decision_comment(decision, reason):
    comment = _("办结：%(decision)s。") % {"decision": Decision(decision).label}
    if reason:
        comment += _("理由：%(reason)s") % {"reason": reason.strip()}
    return comment


def accept_and_complete(filing, actor, decision, reason="", checklist=None):
    """即办件: accept and decide at the window in one step, the same day (clock 0
    working days); the result then goes out through `issue_result`."""
    if not filing.item.is_immediate:
        raise TransitionError(_("只有即办件可以当场受理并办结。"))
    checklist = checklist or []
    _check_required(checklist)
    now = timezone.now()
    today = timezone.localdate(now)
    filing.accepted_on = today
    dates = _due_dates(filing, filing.pause_periods())
    filing.promised_due_date = dates["promised_due_date"]
    changes = _decision_changes(filing, decision, reason, today)
    with transaction.atomic():
        event = _transition(
            filing,
            "complete_at_window",
            actor,
            _("即办件，当场受理并办结。") + _decision_comment(decision, reason),
            decided_at=now,
            accepted_on=today,
            completed_at=now,
            **dates,
            **changes,
        )
        _save_checklist(checklist)
        return event


def refuse_filing(filing, actor, reason, basis, checklist=None):
    """Refuse (不予受理), with the reason and its legal basis; final."""
    reason, basis = (reason or "").strip(), (basis or "").strip()
    if not reason or not basis:
        raise TransitionError(_("不予受理须写明理由和法律依据。"))
    with transaction.atomic():
        event = _transition(
            filing,
            "refuse",
            actor,
            _("不予受理。理由:%(reason)s 依据:%(basis)s")
            % {"reason": reason, "basis": basis},
            decided_at=timezone.now(),
            refusal_reason=reason,
            refusal_basis=basis,
        )
        _save_checklist(checklist)
        return event


def withdraw_filing(filing, reason=""):
    """The applicant withdraws the filing (any time before completion)."""
    with transaction.atomic():
        return _transition(
            filing, "withdraw", None, reason.strip() or _("申请人撤回申请。")
        )


# ------------------------------------------------------------------ handling


def _event(filing, action, actor, comment, public=False):
    """A timeline event that does not change the state (notes, appointments)."""
    return _record(filing, action, filing.state, filing.state, actor, comment, public)


def instruct_filing(filing, actor, lead_division, co_divisions=(), instruction=""):
    """The director's instruction (批办): one lead division, any co-divisions."""
    co_divisions = [d for d in co_divisions if d.pk != lead_division.pk]
    for division in (lead_division, *co_divisions):
        if not division.path.startswith(filing.department.path):
            raise TransitionError(_("承办处室须为本部门的处室。"))
    instruction = (instruction or "").strip()
    if not instruction:
        raise TransitionError(_("请填写批办意见。"))
    names = "、".join(d.title for d in co_divisions)
    comment = _("牵头主办:%(lead)s。") % {"lead": lead_division.title}
    if names:
        comment += _("协办:%(co)s。") % {"co": names}
    with transaction.atomic():
        event = _transition(
            filing,
            "instruct",
            actor,
            comment,
            lead_division=lead_division,
            instruction=instruction,
            instructed_at=timezone.now(),
        )
        filing.co_divisions.set(co_divisions)
        notify.tell_divisions(
            [lead_division, *co_divisions],
            filing,
            _("新批办办件 %(number)s(%(item)s):%(text)s")
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
        return _transition(filing, "start", actor, comment or _("承办处室开始办理。"))


def add_note(filing, actor, division, text, kind=NoteKind.PROGRESS):
    """A progress note, or a co-division's opinion to the lead division. The lead's
    first note on an assigned filing starts the handling."""
    text = (text or "").strip()
    if not text:
        raise TransitionError(_("请填写内容。"))
    if filing.state not in (S.ASSIGNED, S.IN_PROGRESS, S.SUSPENDED):
        raise TransitionError(_("本件当前不在办理中,不能记录。"))
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
        _event(filing, kind, actor, f"{division.title}:{text}")
        if kind == NoteKind.OPINION and filing.lead_division_id:
            notify.tell_divisions(
                [filing.lead_division],
                filing,
                _("%(division)s 对办件 %(number)s 提出协办意见。")
                % {"division": division.title, "number": filing.tracking_number},
            )
        return note


def request_appointment(filing, actor, kind, purpose):
    """The lead division asks the window for a meeting or a site inspection."""
    if filing.state not in (S.ASSIGNED, S.IN_PROGRESS):
        raise TransitionError(_("本件当前不在办理中,不能申请约见或勘查。"))
    purpose = (purpose or "").strip()
    if not purpose:
        raise TransitionError(_("请写明约见或勘查的事由。"))
    with transaction.atomic():
        if filing.state == S.ASSIGNED:
            start_handling(filing, actor)
        appointment = Appointment.objects.create(
            filing=filing, kind=kind, purpose=purpose, requested_by=actor
        )
        _event(
            filing,
            "request_appointment",
            actor,
            f"{appointment.get_kind_display()}:{purpose}",
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
        _event(
            appointment.filing,
            "schedule_appointment",
            actor,
            _("%(kind)s:%(when)s,%(place)s。")
            % {
                "kind": appointment.get_kind_display(),
                "when": f"{when:%Y-%m-%d %H:%M}",
                "place": place,
            },
            public=True,
        )
        return appointment


def _due_dates(filing, pauses):
    """Promised and statutory due dates from acceptance, leaving out paused days;
    the statutory limit includes an approved extension. 即办件 are due the day of
    acceptance."""
    item = filing.item
    if item.is_immediate:
        promised_days = statutory_days = clock.IMMEDIATE_WORKDAYS
    else:
        promised_days = item.promised_days
        statutory_days = item.statutory_days + filing.extended_days
    promised = add_workdays(filing.accepted_on, promised_days, pauses)
    statutory = add_workdays(filing.accepted_on, statutory_days, pauses)
    return {
        "promised_due_date": promised.due,
        "statutory_due_date": statutory.due,
        "due_dates_confirmed": promised.confirmed and statutory.confirmed,
    }


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
        _transition(
            filing,
            "suspend",
            actor,
            _(
                "特别程序（%(kind)s）：%(reason)s。预计需要 %(days)d 个工作日"
                "（至 %(end)s），所需时间不计入办理期限。"
            )
            % {
                "kind": label,
                "reason": reason,
                "days": expected_days,
                "end": f"{expected_end:%Y-%m-%d}",
            },
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
        dates = _due_dates(filing, filing.pause_periods())
        changes = {
            "statutory_due_date": dates["statutory_due_date"],
            "due_dates_confirmed": dates["due_dates_confirmed"],
        }
        moved = _("法定办结期限延长至 %(due)s。") % {
            "due": f"{dates['statutory_due_date']:%Y-%m-%d}"
        }
    else:
        moved = _("特别程序结束恢复计时后，法定办结期限相应顺延。")
    comment = (
        _("经本部门负责人批准，办理期限延长 %(days)d 个工作日。理由：%(reason)s。")
        % {"days": days, "reason": reason.rstrip("。")}
        + moved
    )
    with transaction.atomic():
        return _change(
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
    dates = _due_dates(filing, filing.pause_periods())
    with transaction.atomic():
        return _transition(
            filing,
            "resume",
            actor,
            (comment.strip() + " " if comment else "")
            + _("恢复计时,承诺办结日期顺延至 %(due)s。")
            % {"due": f"{dates['promised_due_date']:%Y-%m-%d}"},
            clock_pauses=pauses,
            suspension_reason="",
            **dates,
        )


def _store_result_document(upload):
    from services_catalog.inbox.uploads import check_upload, sanitise_name

    detected = check_upload(upload)
    name = sanitise_name(upload.name, detected.extension)
    stored = private_storage().save(storage_path(None, name), upload)
    return stored, name


def complete_filing(filing, actor, decision, reason="", document=None):
    """Completion (办结): the decision (denial needs its reasons) and the result
    document; records the handling time and, for an approval, starts the 10 working
    days to issue it (第四十四条). The outgoing number comes from the register when
    the window issues the result."""
    now = timezone.now()
    today = timezone.localdate(now)
    changes = _decision_changes(filing, decision, reason, today)
    if document is not None:
        try:
            changes["result_document"], changes["result_document_name"] = (
                _store_result_document(document)
            )
        except ValidationError as error:
            raise TransitionError(" ".join(error.messages)) from error
    with transaction.atomic():
        return _transition(
            filing,
            "complete",
            actor,
            _decision_comment(decision, reason),
            completed_at=now,
            **changes,
        )


def issue_result(filing, actor, delivery, carrier="", tracking="", document_type=None):
    """The window sends the result out, under the next number of the office's
    register for `document_type` (the department's only type when not given): for
    pickup at the window, or by mail with the carrier and tracking number."""
    carrier, tracking = (carrier or "").strip(), (tracking or "").strip()
    if delivery not in Delivery.values:
        raise TransitionError(_("请选择送达方式。"))
    if delivery == Delivery.MAIL and not (carrier and tracking):
        raise TransitionError(_("邮寄送达须填写寄递单位和邮件单号。"))
    if delivery == Delivery.MAIL:
        comment = _("办理结果已邮寄:%(carrier)s,单号 %(tracking)s。") % {
            "carrier": carrier,
            "tracking": tracking,
        }
    else:
        comment = _("办理结果已在发文窗口备妥,请凭受理编号和查询码领取。")
    _transition_check(filing, "issue")
    document_type = document_type or outgoing.default_document_type(filing.department)
    now = timezone.now()
    with transaction.atomic():
        try:
            entry = outgoing.take_number(document_type, filing, actor, now)
        except outgoing.RegisterError as error:
            raise TransitionError(str(error)) from error
        return _transition(
            filing,
            "issue",
            actor,
            _("发文字号 %(number)s。") % {"number": entry.number} + comment,
            outgoing_number=entry.number,
            delivery=delivery,
            mail_carrier=carrier,
            mail_tracking_number=tracking,
            issued_at=now,
        )


def void_outgoing_number(entry, actor, reason):
    """Void a number of the register with its reason; the line stays. If the
    number is the one a filing went out with, the filing gets the next number of
    the same register in the same transaction, and its timeline says so."""
    with transaction.atomic():
        try:
            if not outgoing.void(entry, actor, reason):
                raise TransitionError(_("该发文字号已经作废。"))
        except outgoing.RegisterError as error:
            raise TransitionError(str(error)) from error
        filing = entry.filing
        if filing is None or filing.outgoing_number != entry.number:
            return None
        replacement = outgoing.take_number(entry.document_type, filing, actor)
        _change(
            filing,
            "renumber",
            actor,
            _("原发文字号 %(old)s 作废（%(reason)s），改用 %(new)s。")
            % {
                "old": entry.number,
                "reason": entry.void_reason,
                "new": replacement.number,
            },
            outgoing_number=replacement.number,
        )
        return replacement


def record_collection(filing, actor, comment=""):
    """The applicant collected the result at the window (or signed for the mail)."""
    with transaction.atomic():
        return _transition(
            filing,
            "collect",
            actor,
            comment or _("申请人已领取办理结果。"),
            collected_at=timezone.now(),
        )


def can_rate(filing):
    return (
        filing.state in DONE_STATES
        and not Rating.objects.filter(filing=filing).exists()
    )


def rate_filing(filing, score, comment=""):
    """The applicant's rating (好差评), once per completed filing."""
    if filing.state not in DONE_STATES:
        raise TransitionError(_("办结后才能评价。"))
    if not 1 <= int(score) <= 5:
        raise TransitionError(_("评分须为 1 至 5 分。"))
    with transaction.atomic():
        rating, created = Rating.objects.get_or_create(
            filing=filing, defaults={"score": score, "comment": comment.strip()}
        )
        if not created:
            raise TransitionError(_("本件已经评价过,每件只能评价一次。"))
        _event(filing, "rate", None, _("评分 %(score)s 分。") % {"score": score})
        return rating


def can_withdraw(filing):
    return filing.state in TRANSITIONS["withdraw"][0]


def can_supplement(filing):
    return filing.state in TRANSITIONS["supplement"][0]
