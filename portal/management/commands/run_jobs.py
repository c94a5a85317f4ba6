"""`manage.py run_jobs`: run every background job that is due now (`portal.tasks`).

The worker runs jobs as they are written and retries them itself; run this from cron
as the safety net (a queue that was down, a worker that died, a backend that cannot
defer retries). `--retry-failed` first gives jobs that used up their attempts a fresh
start.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import tasks
from portal.models import BackgroundJob


class Command(BaseCommand):
    help = "Run the background jobs that are due (index updates, receipt PDFs)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="Also try again the jobs that used up their attempts.",
        )

    def handle(self, *args, retry_failed=False, **options):
        if retry_failed:
            BackgroundJob.objects.filter(status=BackgroundJob.Status.FAILED).update(
                status=BackgroundJob.Status.PENDING,
                attempts=0,
                next_attempt_at=timezone.now(),
            )
        done, left = tasks.run_due_jobs()
        self.stdout.write(
            _("已完成 %(done)s 个后台任务，未完成 %(left)s 个。")
            % {"done": done, "left": left}
        )
