"""Enqueueing background work with the change that causes it (DESIGN §3).

`enqueue_with_transaction(task, *args)` puts a django-tasks task on the configured
queue so that it runs exactly when the caller's transaction commits:

- the database queue (the default) writes the task row inside that transaction, so
  the task exists if and only if the change does, and the worker, reading only
  committed rows, never runs it early;
- a queue outside the database (RQ on Redis) gets the task once the transaction has
  committed;
- the immediate backend runs the task at once, inside the request: the fallback for
  a site that runs no worker (``TASKS_BACKEND=django_tasks.backends.immediate.
  ImmediateBackend``, as the tests do), with the behaviour of doing the work inline.
"""

from django.db import transaction
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db import DatabaseBackend


def enqueue_with_transaction(task, *args):
    """Enqueue `task(*args)` with the current transaction (see the module doc)."""
    if isinstance(task.get_backend(), DatabaseBackend | ImmediateBackend):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args), robust=True)
