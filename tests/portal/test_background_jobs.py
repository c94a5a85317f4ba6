"""Background jobs (`portal.tasks`, issue 12): written with the change, retried after
a growing delay when they fail, kept with their error once the attempts are used up
(logged, listed for staff), and run by `manage.py run_jobs` when the queue could not
take them."""

import datetime
import logging

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from portal import tasks
from portal.models import BackgroundJob
from portal.settings import env as environment
from tests.factories import UserFactory

DATABASE_QUEUE = {"default": {"BACKEND": environment.DATABASE_TASKS}}
DONE = []
FAILURES = {"left": 0}


@task()
def flaky(value):
    """Fails while FAILURES["left"] > 0, then records `value`."""
    if FAILURES["left"] > 0:
        FAILURES["left"] -= 1
        raise ConnectionError("index server refused the connection")
    DONE.append(value)


@pytest.fixture(autouse=True)
def _reset():
    DONE.clear()
    FAILURES["left"] = 0


def make_due(job):
    BackgroundJob.objects.filter(pk=job.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def test_a_failed_job_is_retried_later_and_then_done(db, caplog, settings):
    settings.BACKGROUND_JOB_RETRY_SECONDS = 30
    FAILURES["left"] = 2
    with caplog.at_level(logging.WARNING, logger="portal.tasks"):
        job = tasks.enqueue_with_transaction(flaky, "a", reference="SJ-1")
    job.refresh_from_db()
    assert (job.status, job.attempts, DONE) == ("pending", 1, [])
    assert "ConnectionError: index server refused" in job.last_error
    first_delay = job.next_attempt_at - timezone.now()
    assert 25 < first_delay.total_seconds() <= 30
    assert "failed (attempt 1)" in caplog.text and "SJ-1" in caplog.text

    assert tasks.run_due_jobs() == (0, 0), "not due yet: nothing runs"
    make_due(job)
    assert tasks.run_due_jobs() == (0, 1)
    job.refresh_from_db()
    second_delay = job.next_attempt_at - timezone.now()
    assert second_delay > datetime.timedelta(seconds=55), "the delay doubles"

    make_due(job)
    call_command("run_jobs")
    job.refresh_from_db()
    assert (job.status, job.attempts, job.last_error, DONE) == ("done", 3, "", ["a"])


def test_a_job_out_of_attempts_is_failed_logged_and_can_be_restarted(
    db, caplog, settings
):
    settings.BACKGROUND_JOB_MAX_ATTEMPTS = 2
    FAILURES["left"] = 5
    job = tasks.enqueue_with_transaction(flaky, "b")
    make_due(job)
    with caplog.at_level(logging.ERROR, logger="portal.tasks"):
        tasks.run_due_jobs()
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("failed", 2)
    assert "failed for good after 2 attempts" in caplog.text
    make_due(job)
    assert tasks.run_due_jobs() == (0, 0), "a failed job is not run again by itself"

    FAILURES["left"] = 0
    call_command("run_jobs", retry_failed=True)
    job.refresh_from_db()
    assert (job.status, DONE) == ("done", ["b"])


def test_a_job_rolled_back_with_its_change_never_runs(db):
    with override_settings(TASKS=DATABASE_QUEUE):
        with pytest.raises(RuntimeError), transaction.atomic():
            tasks.enqueue_with_transaction(flaky, "c")
            raise RuntimeError("the change fails")
    assert not BackgroundJob.objects.exists() and not DBTaskResult.objects.exists()


# The worker closes database connections between tasks, as in production.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_retries_through_the_database_queue(settings):
    settings.BACKGROUND_JOB_RETRY_SECONDS = 600
    FAILURES["left"] = 1
    with override_settings(TASKS=DATABASE_QUEUE):
        job = tasks.enqueue_with_transaction(flaky, "d")
        call_command("worker", batch=True)
        job.refresh_from_db()
        assert (job.status, job.attempts) == ("pending", 1)
        retry = DBTaskResult.objects.filter(status="READY").get()
        assert retry.run_after == job.next_attempt_at, "deferred, not lost"
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
        make_due(job)
        call_command("worker", batch=True)
    job.refresh_from_db()
    assert (job.status, DONE) == ("done", ["d"])


def test_a_queue_that_is_down_loses_no_job(db, django_capture_on_commit_callbacks):
    unreachable = {"default": {"URL": "redis://127.0.0.1:1/0"}}
    with override_settings(
        TASKS={"default": {"BACKEND": environment.RQ_TASKS}}, RQ_QUEUES=unreachable
    ):
        with django_capture_on_commit_callbacks(execute=True):
            job = tasks.enqueue_with_transaction(flaky, "e")
    assert DONE == [] and BackgroundJob.objects.get().status == "pending"
    call_command("run_jobs")  # cron's safety net
    job.refresh_from_db()
    assert (job.status, DONE) == ("done", ["e"])


def test_staff_see_failed_jobs_with_their_error(client, db, settings):
    settings.BACKGROUND_JOB_MAX_ATTEMPTS = 1
    FAILURES["left"] = 1
    tasks.enqueue_with_transaction(flaky, "f", reference="SJ-20260105-00001")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get(reverse("background_jobs:index") + "?status=failed")
    html = page.content.decode()
    assert page.status_code == 200
    assert "SJ-20260105-00001" in html and "ConnectionError" in html
    add = client.get("/admin/background_jobs/new/")
    assert (add.status_code, add.url) == (302, "/admin/"), "written by code only"
