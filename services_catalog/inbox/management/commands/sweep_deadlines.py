"""`python manage.py sweep_deadlines` (for cron): record deemed acceptances and warn
about filings that became due soon (two working days or fewer left) or overdue.

A filing whose pre-review deadline (5 working days from receipt) passed without an
acceptance, a refusal or a one-time notice is accepted as of the day its materials
were received (视为受理, 行政许可法第三十二条) through `workflow.deem_accepted`, which
writes the timeline event and tells the applicant.

Each warning goes to the lead division's notice list and handlers and to the
department's inspection office (监察室). A `DeadlineNotice` row per filing, level and
due date records what was sent, so running the command again sends nothing new; a
due date moved by a special procedure gets its own warnings.
"""

from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from services_catalog.inbox import clock, notify, workflow
from services_catalog.inbox.models import DeadlineLevel, DeadlineNotice, Filing

MESSAGES = {
    DeadlineLevel.DUE_SOON: "办件 {number}（{item}）将于 {due} 到期，请抓紧办理。",
    DeadlineLevel.OVERDUE: (
        "办件 {number}（{item}）已超过承诺办结日期 {due}，请立即办理并说明原因。"
    ),
}


class Command(BaseCommand):
    help = (
        "Notify divisions and supervisors of filings due soon or overdue (idempotent)."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        deemed = self.deem_accepted(today)
        self.stdout.write(_("视为受理 %(count)s 件。") % {"count": deemed})
        sent = 0
        for level, condition in (
            (DeadlineLevel.OVERDUE, clock.overdue_q(today)),
            (DeadlineLevel.DUE_SOON, clock.due_soon_q(today)),
        ):
            filings = (
                Filing.objects.filter(condition)
                .exclude(
                    Exists(
                        DeadlineNotice.objects.filter(
                            filing=OuterRef("pk"),
                            level=level,
                            due_date=OuterRef("promised_due_date"),
                        )
                    )
                )
                .select_related("item", "department", "lead_division")
            )
            for filing in filings.iterator(chunk_size=500):
                sent += self.warn(filing, level)
        self.stdout.write(_("已发出期限提醒 %(count)s 条。") % {"count": sent})

    def deem_accepted(self, today):
        count = 0
        late = Filing.objects.filter(clock.overdue_q(today, clock.PRE_REVIEW))
        for filing in late.select_related("item", "department").iterator(
            chunk_size=500
        ):
            try:
                workflow.deem_accepted(filing)
            except workflow.TransitionError:  # a clerk decided it meanwhile
                continue
            count += 1
        return count

    def warn(self, filing, level):
        text = MESSAGES[level].format(
            number=filing.tracking_number,
            item=filing.item.title,
            due=f"{filing.promised_due_date:%Y-%m-%d}",
        )
        try:
            with transaction.atomic():
                DeadlineNotice.objects.create(
                    filing=filing, level=level, due_date=filing.promised_due_date
                )
                if filing.lead_division_id:
                    notify.tell_divisions([filing.lead_division], filing, text)
                notify.tell_supervisors(filing.department, text)
        except IntegrityError:  # another run sent it meanwhile
            return 0
        return 1
