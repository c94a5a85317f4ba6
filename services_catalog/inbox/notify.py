"""Telling the applicant what happened to their filing: e-mail, and an SMS interface.

`filing_changed` runs after a transition commits (the workflow module schedules it
with `transaction.on_commit`). SMS goes through the backend named by the setting
`SMS_BACKEND` (a dotted path to a class with `send(mobile, text)`); the default only
logs, so a deployment plugs in its carrier's gateway without touching this module.
A failing channel is logged and never undoes the transition.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from portal.sites import absolute_url
from services_catalog.inbox.wording import ACTION_LABELS

logger = logging.getLogger(__name__)

DEFAULT_SMS_BACKEND = "services_catalog.inbox.notify.LoggingSMSBackend"


class LoggingSMSBackend:
    """Writes the text message to the log instead of sending it."""

    def send(self, mobile, text):
        masked = f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) >= 7 else mobile
        logger.info("SMS to %s: %s", masked, text)


def sms_backend():
    return import_string(getattr(settings, "SMS_BACKEND", DEFAULT_SMS_BACKEND))()


def message_for(filing, event):
    """(subject, text) of the notice about `event`."""
    lookup_url = absolute_url(reverse("inbox:lookup"))
    subject = _("【%(site)s】您的办件 %(number)s:%(action)s") % {
        "site": settings.WAGTAIL_SITE_NAME,
        "number": filing.tracking_number,
        "action": ACTION_LABELS.get(event.action, event.action),
    }
    lines = [
        _("%(name)s:") % {"name": filing.applicant_name},
        _("您申请的“%(item)s”(受理编号 %(number)s)当前状态:%(state)s。")
        % {
            "item": filing.item.title,
            "number": filing.tracking_number,
            "state": filing.get_state_display(),
        },
    ]
    if event.comment:
        lines.append(event.comment)
    lines.append(
        _("请凭受理编号和查询码在 %(url)s 查询办理进度。") % {"url": lookup_url}
    )
    return subject, "\n".join(lines)


def filing_changed(filing_id, event_id):
    """Send the e-mail (when the applicant gave one) and the SMS about an event."""
    from services_catalog.inbox.models import FilingEvent

    event = (
        FilingEvent.objects.select_related("filing__item")
        .filter(pk=event_id, filing_id=filing_id)
        .first()
    )
    if event is None or not event.public:
        return
    filing = event.filing
    subject, text = message_for(filing, event)
    if filing.email:
        try:
            send_mail(subject, text, None, [filing.email])
        except Exception:  # the mail server's failure must not reach the applicant
            logger.exception("Could not e-mail %s", filing.tracking_number)
    try:
        sms_backend().send(filing.mobile, f"{subject} {text}")
    except Exception:
        logger.exception("Could not send SMS about %s", filing.tracking_number)


def _emails_of(users):
    return sorted({user.email for user in users if user.email})


def _send_after_commit(subject, text, recipients):
    from django.db import transaction

    def send():
        if not recipients:
            return
        try:
            send_mail(subject, text, None, recipients)
        except Exception:  # a mail failure must not undo the record
            logger.exception("Could not e-mail staff: %s", subject)

    transaction.on_commit(send)


def tell_divisions(divisions, filing, text):
    """Put `text` in each division's admin notice list and e-mail its handlers."""
    from django.contrib.auth import get_user_model

    from services_catalog.inbox.models import DivisionNotice

    divisions = list(divisions)
    DivisionNotice.objects.bulk_create(
        DivisionNotice(division=division, filing=filing, text=text[:500])
        for division in divisions
    )
    members = get_user_model().objects.filter(
        is_active=True, staff_membership__division__in=divisions
    )
    _send_after_commit(
        f"【{settings.WAGTAIL_SITE_NAME}】{text[:60]}", text, _emails_of(members)
    )


def tell_supervisors(department, text):
    """E-mail the inspection office (监察室) of `department`."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    perm = Q(groups__permissions__codename="supervise_filing") | Q(
        user_permissions__codename="supervise_filing"
    )
    members = (
        get_user_model()
        .objects.filter(is_active=True, staff_membership__department=department)
        .filter(perm)
        .distinct()
    )
    _send_after_commit(
        f"【{settings.WAGTAIL_SITE_NAME}】{text[:60]}", text, _emails_of(members)
    )
