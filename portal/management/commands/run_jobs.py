"""`manage.py run_jobs`: run every background job that is due now (`portal.tasks`).

The worker runs jobs as they are written and retries them itself; run this from cron
as the safety net (a queue that was down, a worker that died, a backend that cannot
defer retries). `--retry-failed` first gives jobs that used up their attempts a fresh
start.
"""

from django.utils.translation import gettext as _

from portal import tasks
from portal.management.safety_net import SafetyNetCommand
from portal.models import BackgroundJob


class Command(SafetyNetCommand):
    help = "Run the background jobs that are due (index updates, receipt PDFs)."
    retry_help = "Also try again the jobs that used up their attempts."
    model = BackgroundJob

    def run_due(self):
        done, left = tasks.run_due_jobs()
        return _("已完成 %(done)s 个后台任务，未完成 %(left)s 个。") % {
            "done": done,
            "left": left,
        }
