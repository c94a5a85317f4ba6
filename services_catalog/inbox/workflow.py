"""The filing state machine (DESIGN §5): the only code that writes `Filing.state`.

Every transition function checks that the action is allowed from the filing's current
state and moves it with a conditional UPDATE (`state` and `version` must still be what
the caller read), so of two clerks acting at once exactly one wins and the other gets
a `TransitionError`. In the same `transaction.atomic()` it writes the timeline event
(`FilingEvent`), a Wagtail audit-log entry and the notices to the applicant
(`notify.filing_changed`: an outbox the worker delivers once the transaction commits).

Intake (`create_filing`) issues the tracking number and the access code (`codes`).
After acceptance: the director's
instruction (`instruct_filing`), the divisions' handling (`add_note`,
`request_appointment`, `suspend_filing`, `resume_filing`, `complete_filing`) and the
window's scheduling, issuing and collection (`schedule_appointment`, `issue_result`,
`record_collection`). A form that acted on a filing it read earlier passes that
version to `check_version`, so a stale page never overwrites a newer decision.

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
from services_catalog.inbox import notify
from services_catalog.inbox.codes import (
    generate_access_code,
    hash_access_code,
    next_tracking_number,
)
from services_catalog.inbox.models import (
    DONE_STATES,
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
    SupplementRequest,
    UploadSource,
)
from services_catalog.inbox.uploads import private_storage, storage_path
from services_catalog.inbox.wording import ACTION_LABELS, APPLICANT, STALE

S = FilingState
TRANSITIONS = {
    # action: (states it is allowed from, state it leads to)
    "request_supplement": ({S.SUBMITTED}, S.SUPPLEMENT_REQUESTED),
    "supplement": ({S.SUPPLEMENT_REQUESTED}, S.SUBMITTED),
    "accept": ({S.SUBMITTED}, S.ACCEPTED),
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


def _actor_label(actor):
    if actor is None:
        return str(APPLICANT)
    return actor.get_full_name() or actor.get_username()


def _record(filing, action, from_state, to_state, actor, comment, public=True):
    """Write the timeline event, the audit-log entry and the notices (outbox)."""
    event = FilingEvent.objects.create(
        filing=filing,
        actor=actor,
        actor_label=_actor_label(actor),
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


def _transition(filing, action, actor, comment="", **changes):
    """Move `filing` along `action`; must run inside `transaction.atomic()`."""
    allowed_from, to_state = TRANSITIONS[action]
    from_state = filing.state
    if from_state not in allowed_from:
        raise TransitionError(
            _("办件当前状态为“%(state)s”,不能执行“%(action)s”。")
            % {
                "state": FilingState(from_state).label,
                "action": ACTION_LABELS[action],
            }
        )
    updated = Filing.objects.filter(
        pk=filing.pk, state=from_state, version=filing.version
    ).update(state=to_state, version=F("version") + 1, **changes)
    if not updated:
        raise TransitionError(str(STALE))
    filing.state = to_state
    filing.version += 1
    for field, value in changes.items():
        setattr(filing, field, value)
    return _record(filing, action, from_state, to_state, actor, comment)


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
    with transaction.atomic():
        notice = filing.current_supplement_request()
        _transition(
            filing,
            "supplement",
            None,
            comment or _("申请人已按一次性告知书补正材料。"),
            supplemented_at=now,
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
    flagged = [entry for entry in _flagged(checklist) if entry.material.required]
    if flagged:
        raise TransitionError(
            _("必需材料未收齐(%(names)s),不能受理;请发出一次性告知书。")
            % {"names": "、".join(entry.material.name for entry in flagged)}
        )
    now = timezone.now()
    today = timezone.localdate(now)
    pauses = filing.pause_periods()
    promised = add_workdays(today, filing.item.promised_days, paused=pauses)
    statutory = add_workdays(today, filing.item.statutory_days, paused=pauses)
    with transaction.atomic():
        event = _transition(
            filing,
            "accept",
            actor,
            comment
            or _("已受理,承诺于 %(due)s 前办结。")
            % {"due": f"{promised.due:%Y-%m-%d}"},
            decided_at=now,
            accepted_on=today,
            promised_due_date=promised.due,
            statutory_due_date=statutory.due,
            due_dates_confirmed=promised.confirmed and statutory.confirmed,
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
    promised = add_workdays(filing.accepted_on, filing.item.promised_days, pauses)
    statutory = add_workdays(filing.accepted_on, filing.item.statutory_days, pauses)
    return {
        "promised_due_date": promised.due,
        "statutory_due_date": statutory.due,
        "due_dates_confirmed": promised.confirmed and statutory.confirmed,
    }


def suspend_filing(filing, actor, reason):
    """A special procedure (听证、检验、鉴定、专家评审…): the clock stops from today
    until the procedure ends; the due dates are unknown meanwhile."""
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("请写明特别程序的种类和事由。"))
    today = timezone.localdate()
    pauses = [*filing.clock_pauses, [today.isoformat(), None]]
    with transaction.atomic():
        return _transition(
            filing,
            "suspend",
            actor,
            _("特别程序:%(reason)s。期间不计入办理时限。") % {"reason": reason},
            suspension_reason=reason,
            clock_pauses=pauses,
            promised_due_date=None,
            statutory_due_date=None,
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


def complete_filing(
    filing, actor, decision, reason="", outgoing_number="", document=None
):
    """Completion (办结): the decision (denial needs its reasons), the outgoing
    document number and the result document; records the handling time."""
    reason = (reason or "").strip()
    outgoing_number = (outgoing_number or "").strip()
    if decision not in Decision.values:
        raise TransitionError(_("请选择办理决定。"))
    if decision == Decision.DENIED and not reason:
        raise TransitionError(_("不予批准须写明理由。"))
    if not outgoing_number:
        raise TransitionError(_("请填写发文字号。"))
    now = timezone.now()
    today = timezone.localdate(now)
    changes = {}
    if document is not None:
        try:
            changes["result_document"], changes["result_document_name"] = (
                _store_result_document(document)
            )
        except ValidationError as error:
            raise TransitionError(" ".join(error.messages)) from error
    label = Decision(decision).label
    comment = _("办结:%(decision)s。发文字号 %(number)s。") % {
        "decision": label,
        "number": outgoing_number,
    }
    if reason:
        comment += _("理由:%(reason)s") % {"reason": reason}
    with transaction.atomic():
        return _transition(
            filing,
            "complete",
            actor,
            comment,
            decision=decision,
            decision_reason=reason,
            outgoing_number=outgoing_number,
            completed_at=now,
            completed_on=today,
            handling_workdays=max(
                0, count_workdays(filing.accepted_on, today, filing.pause_periods())
            ),
            completed_on_time=bool(
                filing.promised_due_date and today <= filing.promised_due_date
            ),
            **changes,
        )


def issue_result(filing, actor, delivery, carrier="", tracking=""):
    """The window sends the result out: for pickup at the window, or by mail with
    the carrier and tracking number."""
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
    with transaction.atomic():
        return _transition(
            filing,
            "issue",
            actor,
            comment,
            delivery=delivery,
            mail_carrier=carrier,
            mail_tracking_number=tracking,
            issued_at=timezone.now(),
        )


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
