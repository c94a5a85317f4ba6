"""The shape shared by the commands cron runs as the worker's safety net."""

from django.core.management.base import BaseCommand
from django.utils import timezone


class SafetyNetCommand(BaseCommand):
    """Run what is due now; `--retry-failed` first gives the rows of `model` that
    used up their attempts a fresh start.

    `model` has `status` (with `Status.FAILED` and `Status.PENDING`), `attempts` and
    `next_attempt_at`; `run_due()` does the work and returns the line to print.
    """

    model = None
    retry_help = ""

    def add_arguments(self, parser):
        parser.add_argument("--retry-failed", action="store_true", help=self.retry_help)

    def handle(self, *args, retry_failed=False, **options):
        if retry_failed:
            self.model.objects.filter(status=self.model.Status.FAILED).update(
                status=self.model.Status.PENDING,
                attempts=0,
                next_attempt_at=timezone.now(),
            )
        self.stdout.write(self.run_due())

    def run_due(self):
        raise NotImplementedError
