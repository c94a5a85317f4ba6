"""Index updates go through the task queue (DESIGN §3, issue 12): publishing and
unpublishing write one `update_index` job with the change, and the worker
(`manage.py worker`) indexes; a publication rolled back leaves no job; the immediate
backend indexes inside the request, without a worker; an index that fails is
retried, and nothing is lost."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from portal.models import BackgroundJob
from portal.settings import env as environment
from portal.tasks import run_job
from search.backends import get_backend
from search.indexer import update_index
from search.models import SearchDocument
from tests.search.helpers import make_item, publish, search, titles

DATABASE_QUEUE = {"default": {"BACKEND": environment.DATABASE_TASKS}}


def indexed(page):
    return SearchDocument.objects.filter(key=f"page:{page.pk}").exists()


def queued_updates():
    jobs = BackgroundJob.objects.filter(task=update_index.module_path)
    pending = jobs.filter(status="pending")
    queued = DBTaskResult.objects.filter(task_path=run_job.module_path, status="READY")
    assert queued.count() == pending.count(), "each pending job is on the queue"
    return pending


# The worker closes database connections between tasks, as in production.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_indexes_what_publishing_queued(ecology_catalog, permit_division):
    with override_settings(TASKS=DATABASE_QUEUE):
        item = make_item(
            ecology_catalog, permit_division, "11220000ST0001", "排污许可证核发"
        )
        assert not indexed(item), "publishing does not index inside the request"
        assert queued_updates().count() == 1
        call_command("worker", batch=True)
        assert indexed(item) and titles(search("排污许可")) == ["排污许可证核发"]
        assert not queued_updates().exists()

        item.unpublish()
        assert indexed(item), "unpublishing waits for the worker too"
        call_command("worker", batch=True)
        assert not indexed(item) and search("排污许可").total == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_publication_rolled_back_queues_nothing(ecology_catalog, permit_division):
    with override_settings(TASKS=DATABASE_QUEUE):
        item = make_item(
            ecology_catalog,
            permit_division,
            "11220000ST0002",
            "危险废物经营许可",
            publish_now=False,
        )
        with pytest.raises(RuntimeError), transaction.atomic():
            publish(item)
            assert queued_updates().count() == 1
            raise RuntimeError("the editor's request fails after publishing")
        assert not queued_updates().exists()
        call_command("worker", batch=True)
        assert not indexed(item)


@pytest.mark.django_db
def test_the_immediate_backend_indexes_in_the_request(ecology_catalog, permit_division):
    item = make_item(ecology_catalog, permit_division, "11220000ST0003", "辐射安全许可")
    assert indexed(item)


@pytest.mark.django_db
def test_a_failed_index_update_is_retried_and_nothing_is_lost(
    ecology_catalog, permit_division, monkeypatch, caplog
):
    backend = get_backend()
    real = backend.index_documents

    def refuse(documents):
        raise ConnectionError("the index is down")

    monkeypatch.setattr(backend, "index_documents", refuse)
    item = make_item(ecology_catalog, permit_division, "11220000ST0004", "排污许可延续")
    assert item.live and not indexed(item), "the publication stands"
    job = BackgroundJob.objects.get(task=update_index.module_path, status="pending")
    assert "the index is down" in job.last_error and job.attempts == 1
    assert "failed (attempt 1)" in caplog.text

    monkeypatch.setattr(backend, "index_documents", real)
    BackgroundJob.objects.filter(pk=job.pk).update(next_attempt_at=job.created_at)
    call_command("run_jobs")
    job.refresh_from_db()
    assert job.status == "done" and indexed(item)
