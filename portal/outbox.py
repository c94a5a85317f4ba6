"""The outbox: notices written with the event that causes them, delivered later.

`send_email` and `send_sms` write one `OutgoingMessage` per recipient inside the
caller's transaction, so a notice exists exactly when its event does, and enqueue the
`deliver` task with it (the database queue's row commits with the message; other
queues get it once that transaction commits). `deliver` sends one message; when the mail
server or SMS gateway fails it records the error and tries again after a growing delay
(`OUTBOX_RETRY_SECONDS`, doubling up to `OUTBOX_RETRY_MAX_SECONDS`) until
`OUTBOX_MAX_ATTEMPTS`, then marks it failed for staff to see (设置 → 待发通知;
`send_notices --retry-failed` tries those again). Queues that cannot defer a task (the
immediate backend) leave the retry to `deliver_due`, which `manage.py send_notices`
runs from cron on every queue as a safety net.

Text messages go through the class named by `SMS_BACKEND` (``send(mobile, text)``); the
default only logs, so a deployment plugs in its carrier's gateway without code changes.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks_db import DatabaseBackend

from portal.models import OutgoingMessage

logger = logging.getLogger(__name__)


class LoggingSMSBackend:
    """Writes the text message to the log instead of sending it."""

    def send(self, mobile, text):
        masked = f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) >= 7 else mobile
        logger.info("SMS to %s: %s", masked, text)


def sms_backend():
    return import_string(
        getattr(settings, "SMS_BACKEND", "portal.outbox.LoggingSMSBackend")
    )()


def send_email(recipients, subject, body, reference=""):
    """Queue `subject`/`body` to each address in `recipients` (blank ones skipped)."""
    return _queue(
        OutgoingMessage.Channel.EMAIL,
        sorted(set(filter(None, recipients))),
        subject,
        body,
        reference,
    )


def send_sms(mobile, text, reference=""):
    """Queue a text message to `mobile` (nothing when it is blank)."""
    return _queue(
        OutgoingMessage.Channel.SMS, [mobile] if mobile else [], "", text, reference
    )


def _queue(channel, recipients, subject, body, reference):
    messages = OutgoingMessage.objects.bulk_create(
        OutgoingMessage(
            channel=channel,
            recipient=recipient,
            subject=subject[:255],
            body=body,
            reference=reference[:64],
        )
        for recipient in recipients
    )
    for message in messages:
        if isinstance(deliver.get_backend(), DatabaseBackend):
            deliver.enqueue(message.pk)  # its row commits with the message's
        else:
            transaction.on_commit(lambda pk=message.pk: _enqueue(pk), robust=True)
    return messages


def _enqueue(pk, run_after=None):
    if run_after is not None:
        if not deliver.get_backend().supports_defer:
            return  # `deliver_due` (cron) retries it when it is due
        deliver.using(run_after=run_after).enqueue(pk)
    else:
        deliver.enqueue(pk)


def retry_delay(attempts):
    """How long to wait after the `attempts`-th failed try."""
    first = getattr(settings, "OUTBOX_RETRY_SECONDS", 60)
    longest = getattr(settings, "OUTBOX_RETRY_MAX_SECONDS", 6 * 3600)
    return datetime.timedelta(seconds=min(first * 2 ** (attempts - 1), longest))


def _send(message):
    if message.channel == OutgoingMessage.Channel.SMS:
        text = f"{message.subject} {message.body}" if message.subject else message.body
        sms_backend().send(message.recipient, text)
    else:
        EmailMessage(message.subject, message.body, to=[message.recipient]).send()


@task()
def deliver(message_id):
    """Send one queued message if it is still due; on failure, schedule the retry.
    Two workers never send the same message: the row stays locked while it is sent."""
    with transaction.atomic():
        message = (
            OutgoingMessage.objects.select_for_update(skip_locked=True)
            .filter(
                pk=message_id,
                status=OutgoingMessage.Status.PENDING,
                next_attempt_at__lte=timezone.now(),
            )
            .first()
        )
        if message is None:
            return False
        message.attempts += 1
        try:
            _send(message)
        except Exception as error:  # any failure of the channel: keep it, try later
            logger.warning("Notice %s not delivered: %r", message.pk, error)
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            if message.attempts >= getattr(settings, "OUTBOX_MAX_ATTEMPTS", 10):
                message.status = OutgoingMessage.Status.FAILED
            else:
                message.next_attempt_at = timezone.now() + retry_delay(message.attempts)
                transaction.on_commit(
                    lambda: _enqueue(message.pk, message.next_attempt_at), robust=True
                )
        else:
            message.status = OutgoingMessage.Status.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
        message.save()
        return message.status == OutgoingMessage.Status.SENT


def deliver_due():
    """Try every pending message that is due now; returns (sent, still pending)."""
    due = OutgoingMessage.objects.filter(
        status=OutgoingMessage.Status.PENDING, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)
    results = [deliver.call(pk) for pk in list(due)]
    return sum(results), len(results) - sum(results)
