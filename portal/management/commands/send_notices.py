"""`manage.py send_notices`: deliver every notice of the outbox that is due now.

The worker delivers notices as they are written and retries them itself; run this from
cron as the safety net (a queue that was down, a backend that cannot defer retries).
`--retry-failed` first gives messages that used up their attempts a fresh start.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import outbox
from portal.models import OutgoingMessage


class Command(BaseCommand):
    help = "Deliver the outbox's notices that are due (e-mail, SMS)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="Also try again the notices that used up their attempts.",
        )

    def handle(self, *args, retry_failed=False, **options):
        if retry_failed:
            OutgoingMessage.objects.filter(status=OutgoingMessage.Status.FAILED).update(
                status=OutgoingMessage.Status.PENDING,
                attempts=0,
                next_attempt_at=timezone.now(),
            )
        sent, pending = outbox.deliver_due()
        self.stdout.write(
            _("已发送 %(sent)s 条通知，尚未送达 %(pending)s 条。")
            % {"sent": sent, "pending": pending}
        )
