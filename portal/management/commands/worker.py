"""`manage.py worker`: run the background worker of the configured task queue.

The database queue (the default) is worked by django-tasks-db's ``db_worker``; the RQ
queue (when `REDIS_URL` is set) by django-rq's ``rqworker`` with its scheduler, which
runs the retries that are deferred to a later time. With the immediate backend every
task already ran inside its request and there is nothing to work.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from portal.settings.env import DATABASE_TASKS, RQ_TASKS


class Command(BaseCommand):
    help = "Run the background task worker (database queue or RQ)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Work off what is due now, then exit (for cron or tests).",
        )

    def handle(self, *args, batch=False, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        if backend == DATABASE_TASKS:
            call_command(
                "db_worker",
                batch=batch,
                reload=False,
                startup_delay=not batch,
            )
        elif backend == RQ_TASKS:
            call_command(
                "rqworker",
                "default",
                job_class="django_tasks_rq.backend.Job",
                with_scheduler=True,
                burst=batch,
            )
        else:
            self.stdout.write(f"{backend} runs tasks in the request; no worker needed.")
