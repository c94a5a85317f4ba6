"""The decision and what follows it: completion (also of an immediate item at the
window), issuing under a number of the outgoing register, voiding a number, the
applicant's collection and rating.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from wagtail.log_actions import log

from portal.uploads import check_upload, private_storage, sanitise_name
from portal.workdays import count_workdays
from services_catalog.inbox import clock, outgoing, signals
from services_catalog.inbox.models import (
    DONE_STATES,
    Decision,
    Delivery,
    Rating,
)
from services_catalog.inbox.uploads import inbox_path
from services_catalog.inbox.wording import Said
from services_catalog.inbox.workflow._base import (
    TransitionError,
    change,
    check_transition,
    record_event,
    transition,
)


def decision_changes(filing, decision, reason, today):
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


def decision_comment(decision, reason):
    comment = Said(N_("办结：%(decision)s。"), decision=Decision(decision).label)
    if reason:
        comment += Said(N_("理由：%(reason)s"), reason=reason.strip())
    return comment


def _store_result_document(upload):
    detected = check_upload(upload)
    name = sanitise_name(upload.name, detected.extension)
    stored = private_storage().save(inbox_path(None, name), upload)
    return stored, name


def complete_filing(filing, actor, decision, reason="", document=None):
    """Completion (办结): the decision (denial needs its reasons) and the result
    document; records the handling time and, for an approval, starts the 10 working
    days to issue it (第四十四条). The outgoing number comes from the register when
    the window issues the result."""
    now = timezone.now()
    today = timezone.localdate(now)
    changes = decision_changes(filing, decision, reason, today)
    if document is not None:
        try:
            changes["result_document"], changes["result_document_name"] = (
                _store_result_document(document)
            )
        except ValidationError as error:
            raise TransitionError(" ".join(error.messages)) from error
    with transaction.atomic():
        return transition(
            filing,
            "complete",
            actor,
            decision_comment(decision, reason),
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
        comment = Said(
            N_("办理结果已邮寄：%(carrier)s，单号 %(tracking)s。"),
            carrier=carrier,
            tracking=tracking,
        )
    else:
        comment = Said(N_("办理结果已在发文窗口备妥，请凭受理编号和查询码领取。"))
    check_transition(filing, "issue")
    document_type = document_type or outgoing.default_document_type(filing.department)
    now = timezone.now()
    with transaction.atomic():
        try:
            entry = outgoing.take_number(document_type, filing, actor, now)
        except outgoing.RegisterError as error:
            raise TransitionError(str(error)) from error
        return transition(
            filing,
            "issue",
            actor,
            Said(N_("发文字号 %(number)s。"), number=entry.number) + comment,
            outgoing_number=entry.number,
            delivery=delivery,
            mail_carrier=carrier,
            mail_tracking_number=tracking,
            issued_at=now,
        )


def void_outgoing_number(entry, actor, reason):
    """Void a number of the register with its reason; the line stays, and the
    audit log records it. If the number is the one a filing went out with, the
    filing gets the next number of the same register in the same transaction, and
    its timeline says so; returns that new line (None otherwise)."""
    with transaction.atomic():
        try:
            if not outgoing.void(entry, actor, reason):
                raise TransitionError(_("该发文字号已经作废。"))
        except outgoing.RegisterError as error:
            raise TransitionError(str(error)) from error
        log(
            instance=entry,
            action="inbox.void_number",
            user=actor,
            title=entry.number,
            data={"reason": entry.void_reason},
        )
        filing = entry.filing
        if filing is None or filing.outgoing_number != entry.number:
            return None
        replacement = outgoing.take_number(entry.document_type, filing, actor)
        change(
            filing,
            "renumber",
            actor,
            Said(
                N_("原发文字号 %(old)s 作废（%(reason)s），改用 %(new)s。"),
                old=entry.number,
                reason=entry.void_reason,
                new=replacement.number,
            ),
            outgoing_number=replacement.number,
        )
        return replacement


def record_collection(filing, actor, comment=""):
    """The applicant collected the result at the window (or signed for the mail)."""
    with transaction.atomic():
        return transition(
            filing,
            "collect",
            actor,
            comment or Said(N_("申请人已领取办理结果。")),
            collected_at=timezone.now(),
        )


def can_rate(filing):
    return (
        filing.state in DONE_STATES
        and not Rating.objects.filter(filing=filing).exists()
    )


def rate_filing(filing, score, comment=""):
    """The applicant's rating (好差评), once per completed filing; a bad one opens
    its follow-up (差评整改) in the same transaction (`signals.rating_recorded`,
    received by `records`)."""
    if filing.state not in DONE_STATES:
        raise TransitionError(_("办结后才能评价。"))
    if not 1 <= int(score) <= 5:
        raise TransitionError(_("评分须为 1 至 5 分。"))
    with transaction.atomic():
        rating, created = Rating.objects.get_or_create(
            filing=filing, defaults={"score": score, "comment": comment.strip()}
        )
        if not created:
            raise TransitionError(_("本件已经评价过，每件只能评价一次。"))
        record_event(filing, "rate", None, _("评分 %(score)s 分。") % {"score": score})
        signals.rating_recorded.send(sender=Rating, rating=rating)
        return rating
