"""Telling applicants and staff what happened: the notices of the filing inbox.

Each function writes its notices to the outbox (`portal.outbox`) in the caller's
transaction, so a notice exists exactly when the event that causes it does, and the
background worker delivers them with retries; a mail server or SMS gateway that is down
delays a notice and never loses it nor undoes the event. This module only words and
addresses notices: it does not import the workflow, which announces what happened
through `signals` (received here, connected when the app is ready); consultations
(`consultations`) call it directly.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from portal import outbox
from portal.sites import absolute_url
from services_catalog.inbox import signals
from services_catalog.inbox.models import DivisionNotice
from services_catalog.inbox.wording import ACTION_LABELS


def message_for(filing, event):
    """(subject, text) of the notice about `event`."""
    lookup_url = absolute_url(reverse("inbox:lookup"))
    subject = _("【%(site)s】您的办件 %(number)s：%(action)s") % {
        "site": settings.WAGTAIL_SITE_NAME,
        "number": filing.tracking_number,
        "action": ACTION_LABELS.get(event.action, event.action),
    }
    lines = [
        _("%(name)s：") % {"name": filing.applicant_name},
        _("您申请的“%(item)s”（受理编号 %(number)s）当前状态：%(state)s。")
        % {
            "item": filing.item.title,
            "number": filing.tracking_number,
            "state": filing.get_state_display(),
        },
    ]
    if event.comment:
        lines.append(event.public_comment)
    lines.append(
        _("请凭受理编号和查询码在 %(url)s 查询办理进度。") % {"url": lookup_url}
    )
    return subject, "\n".join(lines)


def filing_changed(filing, event):
    """Queue the e-mail (when the applicant gave one) and the SMS about an event
    (`filing` as the workflow holds it, with the change applied)."""
    if not event.public:
        return
    subject, text = message_for(filing, event)
    outbox.send_email([filing.email], subject, text, filing.tracking_number)
    outbox.send_sms(filing.mobile, f"{subject} {text}", filing.tracking_number)


def consultation_answered(consultation):
    """Queue the e-mail (when the asker gave one) and the SMS telling the asker that
    the consultation is answered, with the way to read the answer."""
    subject = _("【%(site)s】您的咨询 %(number)s 已答复") % {
        "site": settings.WAGTAIL_SITE_NAME,
        "number": consultation.tracking_number,
    }
    text = "\n".join(
        [
            _("%(name)s：") % {"name": consultation.name},
            _("您向%(department)s提出的咨询（咨询编号 %(number)s）已答复。")
            % {
                "department": consultation.department.title,
                "number": consultation.tracking_number,
            },
            _("请凭咨询编号和查询码在 %(url)s 查看答复。")
            % {"url": absolute_url(reverse("inbox:lookup"))},
        ]
    )
    reference = consultation.tracking_number
    outbox.send_email([consultation.email], subject, text, reference)
    outbox.send_sms(consultation.mobile, f"{subject} {text}", reference)


def _tell_staff(members, text, reference):
    emails = [user.email for user in members]
    outbox.send_email(
        emails, f"【{settings.WAGTAIL_SITE_NAME}】{text[:60]}", text, reference
    )


def tell_divisions(divisions, filing, text):
    """Put `text` in each division's admin notice list and e-mail its handlers."""
    divisions = list(divisions)
    DivisionNotice.objects.bulk_create(
        DivisionNotice(division=division, filing=filing, text=text[:500])
        for division in divisions
    )
    members = get_user_model().objects.filter(
        is_active=True, staff_membership__division__in=divisions
    )
    _tell_staff(members, text, filing.tracking_number if filing else "")


def tell_supervisors(department, text):
    """E-mail the inspection office (监察室) of `department`."""
    perm = Q(groups__permissions__codename="supervise_filing") | Q(
        user_permissions__codename="supervise_filing"
    )
    members = (
        get_user_model()
        .objects.filter(is_active=True, staff_membership__department=department)
        .filter(perm)
        .distinct()
    )
    _tell_staff(members, text, "")


@receiver(signals.filing_event_recorded, dispatch_uid="notify-filing-event")
def _on_filing_event(sender, filing, event, **kwargs):
    filing_changed(filing, event)


@receiver(signals.divisions_to_be_told, dispatch_uid="notify-divisions")
def _on_divisions_to_be_told(sender, divisions, filing, text, **kwargs):
    tell_divisions(divisions, filing, text)
