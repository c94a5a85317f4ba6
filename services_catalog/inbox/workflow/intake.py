"""Intake and pre-review: the filing's creation, then acceptance, refusal, the
one-time notice and its supplement, deemed acceptance and withdrawal.

`create_filing` issues the tracking number and the access code (`codes`) and starts
the pre-review clock; pre-review ends in acceptance, refusal or the one-time notice,
or — when its 5 working days pass — in deemed acceptance (`deem_accepted`, run by
`sweep_deadlines`); an immediate item (即办件) is accepted and decided in one step
(`accept_and_complete`).
"""

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import BigIntegerField, Case, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from services_catalog.inbox import clock
from services_catalog.inbox.codes import (
    generate_access_code,
    hash_access_code,
    next_tracking_number,
)
from services_catalog.inbox.models import (
    Channel,
    Filing,
    FilingMaterial,
    FilingUpload,
    MaterialStatus,
    SupplementRequest,
    UploadSource,
)
from services_catalog.inbox.wording import Said
from services_catalog.inbox.workflow._base import (
    TRANSITIONS,
    S,
    TransitionError,
    due_dates,
    record,
    transition,
)
from services_catalog.inbox.workflow.results import decision_changes, decision_comment


@dataclass
class ChecklistEntry:
    """The clerk's verdict on one material in pre-review."""

    material: FilingMaterial
    status: str
    note: str = ""


def create_filing(item, applicant, *, form_token, channel=Channel.ONLINE, actor=None):
    """Create a filing for `item` from the applicant's cleaned data, attach the
    uploads waiting under `form_token`, and return `(filing, access_code)`.

    Raises IntegrityError when a filing with this form token already exists (a
    replayed form); the caller answers with that filing's receipt."""
    department = item.department
    access_code = generate_access_code()
    now = timezone.now()
    received_on = timezone.localdate(now)
    # No savepoint of its own: a failure here fails the caller's transaction too.
    with transaction.atomic(savepoint=False):
        # A unique stand-in until the number is issued, last (see `codes`).
        filing = Filing.objects.create(
            item=item,
            department=department,
            tracking_number=f"~{uuid.uuid4().hex[:31]}",
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
        by_material = [
            When(item_material_id=m.item_material_id, then=Value(m.pk))
            for m in materials
        ]
        FilingUpload.objects.filter(form_token=form_token, filing=None).update(
            filing=filing,
            material=Case(*by_material, default=None, output_field=BigIntegerField()),
        )
        filing.tracking_number = next_tracking_number(department.code, received_on)
        filing.access_code_hash = hash_access_code(filing.tracking_number, access_code)
        Filing.objects.filter(pk=filing.pk).update(
            tracking_number=filing.tracking_number,
            access_code_hash=filing.access_code_hash,
        )
        action = "receive" if channel == Channel.WINDOW else "submit"
        record(filing, action, "", S.SUBMITTED, actor, "")
    return filing, access_code


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
                "一次性告知书须列明需补正的材料：请至少将一项材料标记为“缺少”或“不符合要求”。"
            )
        )
    with transaction.atomic():
        comment = Said(
            N_("需补正 %(count)d 项材料：%(names)s。"),
            count=len(flagged),
            names=[entry.material.name for entry in flagged],
        )
        transition(filing, "request_supplement", actor, comment)
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
        transition(
            filing,
            "supplement",
            None,
            comment or Said(N_("申请人已按一次性告知书补正材料。")),
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
    dates = due_dates(filing, filing.pause_periods())
    with transaction.atomic():
        event = transition(
            filing,
            "accept",
            actor,
            comment
            or Said(
                N_("已受理，承诺于 %(due)s 前办结。"),
                due=f"{dates['promised_due_date']:%Y-%m-%d}",
            ),
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
    dates = due_dates(filing, filing.pause_periods())
    comment = Said(
        N_(
            "预审期限 %(due)s 已过，窗口未作出受理决定，也未一次性告知补正。"
            "依照《中华人民共和国行政许可法》第三十二条，自收到申请材料之日"
            "（%(received)s）起视为受理，承诺于 %(promised)s 前办结。"
        ),
        due=f"{filing.pre_review_due_date:%Y-%m-%d}",
        received=f"{received_on:%Y-%m-%d}",
        promised=f"{dates['promised_due_date']:%Y-%m-%d}",
    )
    with transaction.atomic():
        return transition(
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
    dates = due_dates(filing, filing.pause_periods())
    filing.promised_due_date = dates["promised_due_date"]
    changes = decision_changes(filing, decision, reason, today)
    with transaction.atomic():
        event = transition(
            filing,
            "complete_at_window",
            actor,
            Said(N_("即办件，当场受理并办结。")) + decision_comment(decision, reason),
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
        event = transition(
            filing,
            "refuse",
            actor,
            Said(
                N_("不予受理。理由：%(reason)s 依据：%(basis)s"),
                reason=reason,
                basis=basis,
            ),
            decided_at=timezone.now(),
            refusal_reason=reason,
            refusal_basis=basis,
        )
        _save_checklist(checklist)
        return event


def withdraw_filing(filing, reason=""):
    """The applicant withdraws the filing (any time before completion)."""
    with transaction.atomic():
        return transition(
            filing,
            "withdraw",
            None,
            reason.strip() or Said(N_("申请人撤回申请。")),
        )


def can_withdraw(filing):
    return filing.state in TRANSITIONS["withdraw"][0]


def can_supplement(filing):
    return filing.state in TRANSITIONS["supplement"][0]
