"""The only writers of the inspection office's records (监察室, DESIGN §5):
complaints (投诉), urging notices (督办单) and accountability records (责任追究).

Each function checks the user against the model's registered scope policy
(`services_catalog.inbox.permissions`, the one department/division rule of
`disclosure.scope`), writes the change and a Wagtail audit-log entry
(`inbox.<record>.<action>`, registered in `wagtail_hooks` from `LOG_ACTIONS`) in
one transaction. A change to an existing record is a conditional UPDATE on the
`version` the user saw, so of two users handling the same record at once exactly
one wins and the other gets `StaleRecord` with the message to refresh; a record
out of the user's scope is refused with `PermissionDenied`.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log
from wagtail.permissions import policy_registry

from disclosure.models import DivisionPage
from services_catalog.inbox import notify
from services_catalog.inbox.models import (
    AccountabilityRecord,
    Complaint,
    ComplaintStatus,
    UrgingNotice,
)
from services_catalog.inbox.wording import STALE

LOG_ACTIONS = {
    "inbox.complaint.file": gettext_lazy("收到投诉"),
    "inbox.complaint.handle": gettext_lazy("处理投诉"),
    "inbox.urging.issue": gettext_lazy("发出督办单"),
    "inbox.urging.answer": gettext_lazy("答复督办单"),
    "inbox.accountability.record": gettext_lazy("登记责任追究"),
    "inbox.accountability.correct": gettext_lazy("更正责任追究记录"),
}
"""The Wagtail log actions of supervision records, with their labels."""

ACCOUNTABILITY_FIELDS = (
    "post",
    "person",
    "filing",
    "complaint",
    "finding",
    "measure",
    "decided_on",
)


class RecordError(Exception):
    """A change that cannot be made; the message is for the user, in Chinese."""


class StaleRecord(RecordError):
    """The record changed since the user read it."""


def _policy(model):
    return policy_registry.get_by_type(model)


def _require(actor, action, instance):
    """Refuse `action` on `instance` unless the user may do it and reaches it."""
    policy = _policy(type(instance))
    if not policy.user_has_permission_for_instance(actor, action, instance):
        raise PermissionDenied


def _create(actor, instance, action, data):
    """Save a new record after checking the user may add it; refuse it (rolled
    back with the caller's transaction) when it lands outside the user's scope."""
    if actor is not None:
        _require(actor, "add", instance)
    instance.save()
    if actor is not None and not _policy(type(instance)).user_can_reach(
        actor, instance
    ):
        raise PermissionDenied
    log(instance, action, user=actor, title=str(instance), data=data)
    return instance


def _update(actor, instance, version, action, data, **changes):
    """The conditional UPDATE on the version the user saw, and its log entry."""
    _require(actor, "change", instance)
    updated = (
        type(instance)
        ._default_manager.filter(pk=instance.pk, version=version)
        .update(version=F("version") + 1, **changes)
    )
    if not updated:
        raise StaleRecord(str(STALE))
    instance.version = int(version) + 1
    for field, value in changes.items():
        setattr(instance, field, value)
    log(instance, action, user=actor, title=str(instance), data=data)
    return instance


def _check_department(department, **related):
    """Refuse related objects of another department (a filing, division, person,
    post or complaint named on a record)."""
    names = {
        "filing": _("办件"),
        "division": _("处室"),
        "person": _("人员"),
        "post": _("岗位"),
        "complaint": _("投诉"),
    }
    for name, obj in related.items():
        if obj is None:
            continue
        if name == "division":
            ok = DivisionPage.objects.child_of(department).filter(pk=obj.pk).exists()
        elif name == "post":
            ok = (
                DivisionPage.objects.child_of(department)
                .filter(pk=obj.division_id)
                .exists()
            )
        else:
            ok = obj.department_id == department.pk
        if not ok:
            raise RecordError(
                _("所选%(what)s不属于%(department)s。")
                % {"what": names[name], "department": department.title}
            )


def _label(obj):
    return str(obj) if obj is not None else ""


# ------------------------------------------------------------------ complaints


def file_complaint(
    department, *, name, contact, text, filing=None, division=None, person=None
):
    """A complaint from the public form (no staff user), about a filing, a division
    or a person of `department`."""
    _check_department(department, filing=filing, division=division, person=person)
    with transaction.atomic():
        return _create(
            None,
            Complaint(
                department=department,
                filing=filing,
                division=division,
                person=person,
                name=name,
                contact=contact,
                text=text,
            ),
            "inbox.complaint.file",
            {
                "filing": _label(filing),
                "division": _label(division),
                "person": _label(person),
            },
        )


def handle_complaint(complaint, actor, version, *, status, handling):
    """The inspection office records how a complaint is handled."""
    with transaction.atomic():
        return _update(
            actor,
            complaint,
            version,
            "inbox.complaint.handle",
            {
                "from": complaint.status,
                "to": status,
                "handling": handling,
            },
            status=ComplaintStatus(status),
            handling=handling,
            handled_by=actor,
            handled_at=timezone.now(),
        )


# ------------------------------------------------------------------ urging


def issue_urging(actor, department, *, division, text, reply_by, filing=None):
    """Send an urging notice to a division of `department`; the division's
    handlers see it in their notices and get an e-mail."""
    _check_department(department, division=division, filing=filing)
    with transaction.atomic():
        notice = _create(
            actor,
            UrgingNotice(
                department=department,
                division=division,
                filing=filing,
                text=text,
                reply_by=reply_by,
                issued_by=actor,
            ),
            "inbox.urging.issue",
            {
                "division": division.title,
                "filing": _label(filing),
                "reply_by": f"{reply_by:%Y-%m-%d}",
            },
        )
        notify.tell_divisions(
            [division],
            filing,
            _("督办单：%(text)s（请于 %(day)s 前答复）")
            % {"text": text, "day": f"{reply_by:%Y-%m-%d}"},
        )
    return notice


def answer_urging(notice, actor, version, *, answer):
    """The addressed division answers an urging notice, once; the inspection office
    is told."""
    if int(version) != notice.version:
        raise StaleRecord(str(STALE))
    if notice.answered_at is not None:
        raise RecordError(_("这份督办单已经答复。"))
    with transaction.atomic():
        _update(
            actor,
            notice,
            version,
            "inbox.urging.answer",
            {"answer": answer},
            answer=answer,
            answered_by=actor,
            answered_at=timezone.now(),
        )
        notify.tell_supervisors(
            notice.department,
            _("%(division)s已答复督办单：%(answer)s")
            % {"division": notice.division.title, "answer": answer},
        )
    return notice


# ------------------------------------------------------------------ accountability


def _check_accountability(department, fields):
    if not fields.get("post") and not fields.get("person"):
        raise RecordError(_("责任追究须指明岗位或人员。"))
    _check_department(
        department,
        **{k: fields.get(k) for k in ("post", "person", "filing", "complaint")},
    )


def record_accountability(actor, department, **fields):
    """An accountability record on a post or a person of `department` (`fields`:
    those of `ACCOUNTABILITY_FIELDS`)."""
    _check_accountability(department, fields)
    with transaction.atomic():
        return _create(
            actor,
            AccountabilityRecord(department=department, recorded_by=actor, **fields),
            "inbox.accountability.record",
            _accountability_data(fields),
        )


def correct_accountability(record, actor, version, **fields):
    """Correct an accountability record (`fields`: those of
    `ACCOUNTABILITY_FIELDS`; those not given keep their value)."""
    current = {name: getattr(record, name) for name in ACCOUNTABILITY_FIELDS}
    _check_accountability(record.department, {**current, **fields})
    with transaction.atomic():
        return _update(
            actor,
            record,
            version,
            "inbox.accountability.correct",
            _accountability_data(fields),
            **fields,
        )


def _accountability_data(fields):
    return {
        name: _label(value) if hasattr(value, "pk") else str(value)
        for name, value in fields.items()
    }
