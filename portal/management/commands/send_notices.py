"""`manage.py send_notices`: deliver every notice of the outbox that is due now.

The worker delivers notices as they are written and retries them itself; run this from
cron as the safety net (a queue that was down, a backend that cannot defer retries).
`--retry-failed` first gives messages that used up their attempts a fresh start.
"""

from django.utils.translation import gettext as _

from portal import outbox
from portal.management.safety_net import SafetyNetCommand
from portal.models import OutgoingMessage


class Command(SafetyNetCommand):
    help = "Deliver the outbox's notices that are due (e-mail, SMS)."
    retry_help = "Also try again the notices that used up their attempts."
    model = OutgoingMessage

    def run_due(self):
        sent, pending = outbox.deliver_due()
        return _("已发送 %(sent)s 条通知，尚未送达 %(pending)s 条。") % {
            "sent": sent,
            "pending": pending,
        }
