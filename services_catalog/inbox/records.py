"""The only writers of the inspection office's records (监察室, DESIGN §5):
complaints (投诉), urging notices (督办单), accountability records (责任追究) and
the follow-ups of bad ratings (差评整改).

Each function checks the user against the model's registered scope policy
(`services_catalog.inbox.permissions`, the one department/division rule of
`disclosure.scope`), writes the change and a Wagtail audit-log entry
(`inbox.<record>.<action>`, registered in `wagtail_hooks` from `LOG_ACTIONS`) in
one transaction. A change to an existing record is a conditional UPDATE on the
`version` the user saw, so of two users handling the same record at once exactly
one wins and the other gets `StaleRecord` with the message to refresh; a record
out of the user's scope is refused with `PermissionDenied`.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as N_
from wagtail.log_actions import log
from wagtail.permissions import policy_registry

from disclosure.models import DivisionPage
from portal.workdays import add_workdays
from services_catalog.inbox import notify, signals
from services_catalog.inbox.models import (
    BAD_SCORE,
    AccountabilityRecord,
    Complaint,
    ComplaintStatus,
    FollowUpStatus,
    RatingFollowUp,
    UrgingNotice,
)
from services_catalog.inbox.wording import STALE, Said
from services_catalog.inbox.workflow._base import record_event

LOG_ACTIONS = {
    "inbox.complaint.file": gettext_lazy("收到投诉"),
    "inbox.complaint.handle": gettext_lazy("处理投诉"),
    "inbox.urging.issue": gettext_lazy("发出督办单"),
    "inbox.urging.answer": gettext_lazy("答复督办单"),
    "inbox.accountability.record": gettext_lazy("登记责任追究"),
    "inbox.accountability.correct": gettext_lazy("更正责任追究记录"),
    "inbox.follow_up.open": gettext_lazy("收到差评，开始整改"),
    "inbox.follow_up.handle": gettext_lazy("处理差评整改"),
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


# ------------------------------------------------------------------ bad ratings


def open_follow_up(rating):
    """A bad rating (1–2) opens its follow-up for the inspection office of the
    filing's department, due `INBOX_RATING_FOLLOW_UP_WORKDAYS` working days after
    the rating; the inspection office is told. Returns None for a good rating.
    Runs in the rating's transaction (`workflow.rate_filing` announces it)."""
    if int(rating.score) > BAD_SCORE:
        return None
    filing = rating.filing
    rated_on = timezone.localdate(rating.created_at)
    due = add_workdays(rated_on, settings.INBOX_RATING_FOLLOW_UP_WORKDAYS).due
    with transaction.atomic():
        follow_up = _create(
            None,
            RatingFollowUp(
                rating=rating,
                department=filing.department,
                division=filing.lead_division,
                opened_at=rating.created_at,
                contact_due=due,
            ),
            "inbox.follow_up.open",
            {"score": rating.score, "contact_due": f"{due:%Y-%m-%d}"},
        )
        notify.tell_supervisors(
            filing.department,
            _("办件 %(number)s 收到差评（%(score)s 分），请于 %(day)s 前回访申请人。")
            % {
                "number": filing.tracking_number,
                "score": rating.score,
                "day": f"{due:%Y-%m-%d}",
            },
        )
    return follow_up


@receiver(signals.rating_recorded, dispatch_uid="records-open-follow-up")
def _on_rating_recorded(sender, rating, **kwargs):
    open_follow_up(rating)


def handle_follow_up(
    follow_up,
    actor,
    version,
    *,
    status,
    contact_note="",
    findings="",
    rectification="",
    reply="",
):
    """The inspection office records the contact with the applicant and, to close
    the follow-up, what it found, what was rectified and its reply; the reply goes
    to the applicant (on the lookup page's timeline, by e-mail and SMS) in the same
    transaction. A closed follow-up is not reopened."""
    status = FollowUpStatus(status)
    texts = {
        "contact_note": contact_note.strip(),
        "findings": findings.strip(),
        "rectification": rectification.strip(),
        "reply": reply.strip(),
    }
    # As stored: an admin form has already put its input on `follow_up`.
    stored = RatingFollowUp.objects.get(pk=follow_up.pk)
    if stored.status == FollowUpStatus.CLOSED:
        raise RecordError(_("这项差评整改已经办结。"))
    if status != FollowUpStatus.OPEN and not texts["contact_note"]:
        raise RecordError(_("请填写联系申请人的情况。"))
    if status == FollowUpStatus.CLOSED and not all(texts.values()):
        raise RecordError(_("办结前请填写核查情况、整改措施和答复申请人的内容。"))
    now = timezone.now()
    changes = {**texts, "status": status, "handled_by": actor}
    if status != FollowUpStatus.OPEN and stored.contacted_at is None:
        changes["contacted_at"] = now
    if status == FollowUpStatus.CLOSED:
        changes["closed_at"] = now
    with transaction.atomic():
        _update(
            actor,
            follow_up,
            version,
            "inbox.follow_up.handle",
            {"from": stored.status, "to": status, **texts},
            **changes,
        )
        if status == FollowUpStatus.CLOSED:
            record_event(
                follow_up.rating.filing,
                "follow_up",
                actor,
                Said(N_("对您的评价的整改答复：%(reply)s"), reply=texts["reply"]),
                public=True,
            )
    return follow_up
