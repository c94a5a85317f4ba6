"""The filing state machine (DESIGN §5): the only code that writes `Filing.state`.

Every transition function checks that the action is allowed from the filing's current
state and moves it with a conditional UPDATE (`state` and `version` must still be what
the caller read), so of two clerks acting at once exactly one wins and the other gets
a `TransitionError`. In the same `transaction.atomic()` it writes the timeline event
(`FilingEvent`) and a Wagtail audit-log entry; the applicant is notified only after the
transaction commits (`notify.filing_changed`).

Intake (`create_filing`) issues the tracking number from `TrackingCounter` and the
access code, whose salted hash alone is stored.
"""

import functools
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from portal.workdays import add_workdays
from services_catalog.inbox import notify
from services_catalog.inbox.models import (
    Channel,
    Filing,
    FilingEvent,
    FilingMaterial,
    FilingState,
    FilingUpload,
    MaterialStatus,
    SupplementRequest,
    TrackingCounter,
    UploadSource,
)

ACCESS_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""No 0/O, 1/I/L: an access code is read off paper and typed in again."""
ACCESS_CODE_LENGTH = 8

S = FilingState
TRANSITIONS = {
    # action: (states it is allowed from, state it leads to)
    "request_supplement": ({S.SUBMITTED}, S.SUPPLEMENT_REQUESTED),
    "supplement": ({S.SUPPLEMENT_REQUESTED}, S.SUBMITTED),
    "accept": ({S.SUBMITTED}, S.ACCEPTED),
    "refuse": ({S.SUBMITTED}, S.REFUSED),
    "withdraw": ({S.SUBMITTED, S.SUPPLEMENT_REQUESTED, S.ACCEPTED}, S.WITHDRAWN),
}

ACTION_LABELS = {
    "submit": gettext_lazy("提交申请"),
    "receive": gettext_lazy("窗口收件"),
    "request_supplement": gettext_lazy("一次性告知补正材料"),
    "supplement": gettext_lazy("补正材料"),
    "accept": gettext_lazy("受理"),
    "refuse": gettext_lazy("不予受理"),
    "withdraw": gettext_lazy("撤回申请"),
}
"""Every action on the timeline; each is also a Wagtail log action `inbox.<action>`."""

APPLICANT = gettext_lazy("申请人")


class TransitionError(Exception):
    """An action that is not allowed now; the message is for the user, in Chinese."""


@dataclass
class ChecklistEntry:
    """The clerk's verdict on one material in pre-review."""

    material: FilingMaterial
    status: str
    note: str = ""


# ------------------------------------------------------------------ intake


def generate_access_code():
    return "".join(
        secrets.choice(ACCESS_CODE_ALPHABET) for _ in range(ACCESS_CODE_LENGTH)
    )


def normalise_access_code(code):
    return "".join(str(code or "").split()).replace("-", "").upper()


def hash_access_code(tracking_number, code):
    """A keyed hash of the code (HMAC with SECRET_KEY), bound to its filing."""
    value = f"{tracking_number}:{normalise_access_code(code)}"
    return salted_hmac(
        "chuangkou.inbox.access_code", value, algorithm="sha256"
    ).hexdigest()


def find_filing(tracking_number, code):
    """The filing with this number and access code, else None — the same answer for
    an unknown number and a wrong code."""
    number = str(tracking_number or "").strip().upper()
    filing = Filing.objects.filter(tracking_number=number).first()
    expected = hash_access_code(number, code)
    if filing is None or not constant_time_compare(filing.access_code_hash, expected):
        return None
    return filing


def next_tracking_number(department_code, day):
    """`{DEPT}-{YYYYMMDD}-{NNNNN}`: the next number of the department for the day.

    Must run inside the transaction that creates the filing: the counter row stays
    locked (SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions
    serialise writers) until it commits, so no two filings share a number."""
    counter, _created = TrackingCounter.objects.select_for_update().get_or_create(
        department_code=department_code, day=day
    )
    counter.last_number = F("last_number") + 1
    counter.save(update_fields=["last_number"])
    counter.refresh_from_db(fields=["last_number"])
    return f"{department_code}-{day:%Y%m%d}-{counter.last_number:05d}"


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
    """Write the timeline event and the audit-log entry; notify after commit."""
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
    transaction.on_commit(functools.partial(notify.filing_changed, filing.pk, event.pk))
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
        raise TransitionError(_("该办件刚刚已被其他人处理,请刷新页面查看最新状态。"))
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


# ------------------------------------------------------------------ applicant's view

STATE_GUIDANCE = {
    S.SUBMITTED: (
        gettext_lazy("窗口正在预审您提交的材料。"),
        gettext_lazy(
            "无需操作。预审后将受理、一次性告知需补正的材料或说明不予受理的理由。"
        ),
    ),
    S.SUPPLEMENT_REQUESTED: (
        gettext_lazy("材料需要补正;补正期间不计入办理时限。"),
        gettext_lazy("请按一次性告知书一次补齐所列材料,在本页上传后提交。"),
    ),
    S.REFUSED: (
        gettext_lazy("本申请不予受理。"),
        gettext_lazy("如对决定有异议,可依法申请行政复议或提起行政诉讼。"),
    ),
    S.ACCEPTED: (
        gettext_lazy("申请已受理,正在办理。"),
        gettext_lazy("请留意短信或邮件通知;办结后可凭受理编号领取结果。"),
    ),
    S.WITHDRAWN: (
        gettext_lazy("申请已撤回,本件不再办理。"),
        gettext_lazy("如需办理,请重新提交申请。"),
    ),
}


def can_withdraw(filing):
    return filing.state in TRANSITIONS["withdraw"][0]


def can_supplement(filing):
    return filing.state in TRANSITIONS["supplement"][0]


def applicant_view(filing):
    """What the applicant's lookup (page and API) shows, in plain Chinese."""
    explanation, next_steps = STATE_GUIDANCE.get(filing.state, ("", ""))
    notice = filing.current_supplement_request()
    return {
        "tracking_number": filing.tracking_number,
        "item": filing.item.title,
        "item_code": filing.item.code,
        "department": filing.department.title,
        "state": filing.state,
        "state_label": str(filing.get_state_display()),
        "explanation": str(explanation),
        "next_steps": str(next_steps),
        "submitted_at": filing.submitted_at,
        "accepted_on": filing.accepted_on,
        "promised_due_date": filing.promised_due_date,
        "due_date_confirmed": filing.due_dates_confirmed,
        "can_supplement": can_supplement(filing),
        "can_withdraw": can_withdraw(filing),
        "notice": notice,
        "appointments": [],
        "timeline": [
            {
                "at": event.at,
                "action": event.action,
                "action_label": str(ACTION_LABELS.get(event.action, event.action)),
                "state_label": str(FilingState(event.to_state).label)
                if event.to_state in FilingState.values
                else event.to_state,
                "comment": event.comment,
            }
            for event in filing.events.filter(public=True)
        ],
    }
