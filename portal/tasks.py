"""Background work that is neither lost nor given up on a first failure (DESIGN §3).

`enqueue_with_transaction(task, *args)` writes a `BackgroundJob` (the task's path and
its arguments) in the caller's transaction, so the job exists exactly when the change
that needs it does, and hands `run_job(job id)` to the configured django-tasks queue:

- the database queue (the default) writes its task row in the same transaction; the
  worker, reading only committed rows, never runs it early;
- a queue outside the database (RQ on Redis) gets it once the transaction commits; if
  that queue cannot be reached then, the job is still there for `run_due_jobs`;
- the immediate backend runs it at once, inside the request (a site without a worker,
  and the tests).

`run_job` claims the job with a conditional UPDATE (two workers never run one job) and
calls the task. A failure is logged with its traceback and kept on the job; the job is
tried again after a growing delay (`BACKGROUND_JOB_RETRY_SECONDS`, doubling up to
`BACKGROUND_JOB_RETRY_MAX_SECONDS`) until `BACKGROUND_JOB_MAX_ATTEMPTS`, then marked
failed, logged as an error and listed for staff (设置 → 后台任务). A worker that dies
in the middle leaves the job claimed for `BACKGROUND_JOB_LEASE_SECONDS`, after which
it is due again. `manage.py run_jobs` (cron) runs what is due on any queue: the safety
net for retries a queue cannot defer, a queue that was down, a worker that died.
"""

import datetime
import logging
import traceback
from contextlib import nullcontext

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db import DatabaseBackend

from portal.models import BackgroundJob

logger = logging.getLogger(__name__)


def enqueue_with_transaction(task, *args, reference=""):
    """Have `task(*args)` run in the background once the current transaction
    commits, with retries (see the module doc); returns the `BackgroundJob`."""
    job = BackgroundJob.objects.create(
        task=task.module_path, args=list(args), reference=str(reference)[:100]
    )
    _dispatch(job.pk)
    return job


def runs_in_request():
    """True when no worker runs the jobs: the immediate backend runs each one inside
    the request that writes it, so work that can as well be done on demand (a
    receipt PDF) is better left to the request that needs it."""
    return isinstance(run_job.get_backend(), ImmediateBackend)


def _dispatch(job_id, run_after=None):
    backend = run_job.get_backend()
    if run_after is not None and not backend.supports_defer:
        return  # `run_due_jobs` (cron) runs it when it is due
    queued = run_job.using(run_after=run_after) if run_after else run_job
    if isinstance(backend, DatabaseBackend | ImmediateBackend):
        queued.enqueue(job_id)
    else:
        transaction.on_commit(lambda: queued.enqueue(job_id), robust=True)


def retry_delay(attempts):
    """How long to wait after the `attempts`-th failed try."""
    first = getattr(settings, "BACKGROUND_JOB_RETRY_SECONDS", 30)
    longest = getattr(settings, "BACKGROUND_JOB_RETRY_MAX_SECONDS", 3600)
    return datetime.timedelta(seconds=min(first * 2 ** (attempts - 1), longest))


def _claim(job_id):
    """Take the job if it is pending and due; None when another worker has it, it
    is done, or it is not due yet."""
    now = timezone.now()
    lease = datetime.timedelta(
        seconds=getattr(settings, "BACKGROUND_JOB_LEASE_SECONDS", 600)
    )
    claimed = BackgroundJob.objects.filter(
        pk=job_id, status=BackgroundJob.Status.PENDING, next_attempt_at__lte=now
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + lease)
    return BackgroundJob.objects.get(pk=job_id) if claimed else None


@task()
def run_job(job_id):
    """Run one `BackgroundJob` (see the module doc); True when it succeeded."""
    job = _claim(job_id)
    if job is None:
        return False
    # Inside a request's transaction (the immediate backend) a savepoint keeps a
    # failure from breaking it; in the worker the task manages its own transactions.
    in_request = transaction.get_connection().in_atomic_block
    try:
        with transaction.atomic() if in_request else nullcontext():
            import_string(job.task).call(*job.args)
    except Exception as error:  # any failure of the work: keep it, try again later
        job.last_error = "".join(traceback.format_exception(error))[-4000:]
        if job.attempts >= getattr(settings, "BACKGROUND_JOB_MAX_ATTEMPTS", 8):
            job.status = BackgroundJob.Status.FAILED
            logger.error(
                "Background job %s (%s) failed for good after %s attempts: %r",
                job.pk,
                job,
                job.attempts,
                error,
            )
        else:
            job.next_attempt_at = timezone.now() + retry_delay(job.attempts)
            logger.warning(
                "Background job %s (%s) failed (attempt %s), retried at %s: %r",
                job.pk,
                job,
                job.attempts,
                job.next_attempt_at,
                error,
            )
            _dispatch(job.pk, job.next_attempt_at)
    else:
        job.status = BackgroundJob.Status.DONE
        job.finished_at = timezone.now()
        job.last_error = ""
    job.save(update_fields=["status", "next_attempt_at", "last_error", "finished_at"])
    return job.status == BackgroundJob.Status.DONE


def run_due_jobs():
    """Run every pending job that is due now; returns (done, still pending or
    failed)."""
    due = BackgroundJob.objects.filter(
        status=BackgroundJob.Status.PENDING, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)
    results = [run_job.call(pk) for pk in list(due)]
    return sum(results), len(results) - sum(results)
