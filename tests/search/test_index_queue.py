"""Index updates go through the task queue (DESIGN §3, issue 12): publishing and
unpublishing put one `update_index` task on the database queue with the change,
and the worker (`manage.py worker`) indexes; a publication rolled back leaves no
task; the immediate backend indexes inside the request, without a worker."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from portal.settings import env as environment
from search.indexer import update_index
from search.models import SearchDocument
from tests.search.helpers import make_item, publish, search, titles

DATABASE_QUEUE = {"default": {"BACKEND": environment.DATABASE_TASKS}}


def indexed(page):
    return SearchDocument.objects.filter(key=f"page:{page.pk}").exists()


def queued_updates():
    return DBTaskResult.objects.filter(
        task_path=update_index.module_path, status="READY"
    )


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
