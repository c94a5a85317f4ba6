"""Issuing numbers from the outgoing-document register (发文登记, DESIGN §5).

`take_number` runs inside the transaction that issues a result (`workflow.issue_result`)
or replaces a voided number (`workflow.void_outgoing_number`): the counter row of the
document type and year stays locked (SELECT … FOR UPDATE on PostgreSQL; SQLite's
IMMEDIATE transactions serialise writers) until it commits, and the register line is
written in the same transaction, so numbers are unique and a rolled-back issue leaves
no gap. A number is never deleted; voiding keeps it with the reason.
"""

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from services_catalog.inbox.models import (
    OutgoingCounter,
    OutgoingDocumentType,
    OutgoingNumber,
)


class RegisterError(Exception):
    """The register cannot give a number; the message is for the user, in Chinese."""


def document_types(department):
    return OutgoingDocumentType.objects.filter(department=department)


def default_document_type(department):
    """The department's document type when it has exactly one, else None."""
    types = list(document_types(department)[:2])
    return types[0] if len(types) == 1 else None


def subject_of(filing):
    return _("关于%(applicant)s申请%(item)s的决定") % {
        "applicant": filing.applicant_name,
        "item": filing.item.title,
    }


def take_number(document_type, filing, actor, now=None):
    """Write the next line of the register for `filing` and return it.

    Must run inside a transaction (see the module docstring)."""
    if document_type is None:
        raise RegisterError(
            _(
                "请选择发文文种；本部门尚未设置文种的，请先在“发文登记”中添加文种和机关代字。"
            )
        )
    if document_type.department_id != filing.department_id:
        raise RegisterError(_("发文文种须为本部门的文种。"))
    now = now or timezone.now()
    year = timezone.localdate(now).year
    counter, _created = OutgoingCounter.objects.select_for_update().get_or_create(
        document_type=document_type, year=year
    )
    counter.last_number = F("last_number") + 1
    counter.save(update_fields=["last_number"])
    counter.refresh_from_db(fields=["last_number"])
    return OutgoingNumber.objects.create(
        document_type=document_type,
        department_id=filing.department_id,
        year=year,
        sequence=counter.last_number,
        number=document_type.format_number(year, counter.last_number),
        filing=filing,
        subject=subject_of(filing)[:255],
        issued_at=now,
        issued_by=actor,
    )


def void(entry, actor, reason):
    """Mark a register line void with its reason (it stays in the register).

    Returns False when the line was already void (another user was quicker)."""
    reason = (reason or "").strip()
    if not reason:
        raise RegisterError(_("作废发文字号须写明原因。"))
    updated = OutgoingNumber.objects.filter(pk=entry.pk, voided_at=None).update(
        voided_at=timezone.now(), voided_by=actor, void_reason=reason
    )
    entry.refresh_from_db()
    return bool(updated)
