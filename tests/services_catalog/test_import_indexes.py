"""An import writes Wagtail's own indexes in bulk, through the task queue
(`portal.bulk`): the admin's page search (modelsearch) and the reference index get
one task each for the whole file instead of a task for every page saved, the
worker fills them, a rolled-back import queues nothing, and a page saved outside an
import is still indexed at once."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult
from modelsearch.tasks import insert_or_update_object_task
from wagtail.models import ReferenceIndex
from wagtail.search.models import IndexEntry
from wagtail.tasks import update_reference_index_task

from disclosure.models import DivisionPage
from portal.bulk import update_model_search, update_reference_index
from portal.models import BackgroundJob
from portal.settings import env as environment
from search.indexer import update_index
from services_catalog.importing import import_catalog
from services_catalog.models import ServiceItemPage
from tests.services_catalog.test_import import catalog_data

DATABASE_QUEUE = {"default": {"BACKEND": environment.DATABASE_TASKS}}


def queued(task):
    return BackgroundJob.objects.filter(task=task.module_path).count()


def in_admin_search(page):
    """Whether Wagtail's search index holds `page` (under its own page type)."""
    content_type = ContentType.objects.get_for_model(page.specific_class)
    return IndexEntry.objects.filter(
        content_type=content_type, object_id=str(page.pk), title=page.title
    ).exists()


def referencing(page):
    """The pages the reference index records as using `page`."""
    return {
        reference.object_id
        for reference in ReferenceIndex.get_references_to(page)
        if reference.base_content_type.model == "page"
    }


# The worker closes database connections between tasks, as in production.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_import_queues_one_task_per_index_and_the_worker_fills_them(home_page):
    with override_settings(TASKS=DATABASE_QUEUE):
        report = import_catalog(catalog_data(), publish=True)
        assert report.ok, report.summary()

        assert queued(update_model_search) == 1
        assert queued(update_reference_index) == 1
        assert queued(update_index) == 1
        assert queued(insert_or_update_object_task) == 0
        assert queued(update_reference_index_task) == 0
        items = list(ServiceItemPage.objects.order_by("code"))
        division = DivisionPage.objects.get(code="SJ-SP")
        assert not any(in_admin_search(item) for item in items)
        assert not referencing(division)

        call_command("worker", batch=True)

        assert all(in_admin_search(item) for item in items)
        assert in_admin_search(division)
        # Two items name SJ-SP as their lead division.
        assert referencing(division) == {str(items[0].pk), str(items[1].pk)}
        assert not BackgroundJob.objects.exclude(status="done").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_import_rolled_back_queues_nothing(home_page, monkeypatch):
    clean = ServiceItemPage.clean

    def refusing_the_last_item(page):
        # A rule of the page's own that the file's checks do not know.
        if page.code == "11220000SJ0003":
            raise ValidationError({"result": "该事项暂停办理"})
        clean(page)

    monkeypatch.setattr(ServiceItemPage, "clean", refusing_the_last_item)
    with override_settings(TASKS=DATABASE_QUEUE):
        report = import_catalog(catalog_data(), publish=True)
        assert report.errors == ["11220000SJ0003.result：该事项暂停办理"]
        assert not ServiceItemPage.objects.exists()
        assert not BackgroundJob.objects.exists()
        assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_a_page_saved_outside_an_import_is_indexed_at_once(home_page):
    assert import_catalog(catalog_data(), publish=True).ok
    item = ServiceItemPage.objects.get(code="11220000SJ0003")
    assert in_admin_search(item)  # the immediate backend ran the queued task

    item.title = "特种设备使用登记变更"
    item.save_revision().publish()

    assert in_admin_search(item)
