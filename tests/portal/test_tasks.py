"""The task queue: the database queue by default, RQ on Redis when `REDIS_URL` is set,
and `manage.py worker` works off whichever is configured."""

import os

import pytest
import redis
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.test import override_settings
from wagtail.tasks import delete_file_from_storage_task

from portal.settings import env as environment

DATABASE_QUEUE = {"default": {"BACKEND": environment.DATABASE_TASKS}}
TEST_REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/6")


def test_the_database_queue_is_the_default(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("TASKS_BACKEND", raising=False)
    assert environment.tasks()["TASKS"] == DATABASE_QUEUE


def test_redis_url_selects_the_rq_queue_on_that_server(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/2")
    monkeypatch.delenv("TASKS_BACKEND", raising=False)
    settings = environment.tasks()
    assert settings["TASKS"]["default"]["BACKEND"] == environment.RQ_TASKS
    assert settings["RQ_QUEUES"]["default"]["URL"] == "redis://cache.internal:6379/2"


def _queue_a_file_deletion():
    storage = storages["default"]
    name = storage.save("queued/remove-me.txt", ContentFile(b"x"))
    delete_file_from_storage_task.enqueue(storage.deconstruct(), name)
    return storage, name


# The worker closes database connections between tasks, as in production.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_runs_what_the_database_queue_holds():
    with override_settings(TASKS=DATABASE_QUEUE):
        storage, name = _queue_a_file_deletion()
        assert storage.exists(name), "an enqueued task waits for the worker"
        call_command("worker", batch=True)
    assert not storage.exists(name)


def _redis_or_skip():
    connection = redis.Redis.from_url(TEST_REDIS)
    try:
        connection.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {TEST_REDIS}")
    connection.flushdb()
    return connection


def test_the_worker_runs_what_the_rq_queue_holds():
    _redis_or_skip()
    rq = {"default": {"URL": TEST_REDIS}}
    with override_settings(
        TASKS={"default": {"BACKEND": environment.RQ_TASKS}}, RQ_QUEUES=rq
    ):
        storage, name = _queue_a_file_deletion()
        assert storage.exists(name)
        call_command("worker", batch=True)
    assert not storage.exists(name)
