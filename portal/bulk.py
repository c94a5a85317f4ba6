"""Bulk changes: many objects written at once, their side effects done once.

What signal receivers do for each saved object (the site search and Wagtail's own
search index it) costs far more, repeated for thousands of pages, than one pass at
the end. A bulk change — the catalog import — runs inside `bulk_changes()`, which
enters every context manager named in the setting `BULK_CHANGE_CONTEXTS` (dotted
paths): each collects the work its receivers would do and does it once when the
block ends. The setting, at the top of the project, wires the apps together, so an
app that writes in bulk (the catalog) does not import the apps above it that react
(search).

Two of them are for Wagtail's own indexes, which it keeps with a task per saved
object (three for each page an import creates and publishes):

- `deferred_model_search`, for modelsearch (the admin's page and document search),
  whose database backend also recomputes its title weights after each object; one
  task (`update_model_search`) indexes the collected objects with the backend's
  ``add_bulk``;
- `deferred_reference_index`, for the reference index (where an object is used),
  switched off with Wagtail's ``disable_reference_index_auto_update``; one task
  (`update_reference_index`) records the collected objects' references.

Both tasks go on the queue with the change's transaction (`portal.tasks`).
"""

import logging
import threading
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.utils.module_loading import import_string
from django_tasks import task
from modelcluster.fields import ParentalKey
from modelcluster.models import get_all_child_relations
from modelsearch.backends import get_search_backends_with_name
from modelsearch.index import get_indexed_models
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from portal.tasks import enqueue_with_transaction

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


@contextmanager
def bulk_changes():
    with ExitStack() as stack:
        for path in settings.BULK_CHANGE_CONTEXTS:
            stack.enter_context(import_string(path)())
        yield


# Wagtail's own search index


def _grouped(keys):
    """{model: [pk, …]} of ``[model label, pk]`` pairs (unknown models left out)."""
    pks = {}
    for label, pk in keys:
        pks.setdefault(label, []).append(pk)
    models = {}
    for label, ids in pks.items():
        try:
            models[apps.get_model(label)] = ids
        except LookupError:
            continue
    return models


def _batches(ids):
    for start in range(0, len(ids), BATCH_SIZE):
        yield ids[start : start + BATCH_SIZE]


_collected = ContextVar("bulk_model_search", default=None)
_taken_over = set()
_take_over_lock = threading.Lock()


def _index_on_save(sender, instance, raw=False, **kwargs):
    """modelsearch's receiver, except inside `deferred_model_search`."""
    pending = _collected.get()
    if pending is None:
        post_save_signal_handler(instance, raw=raw, **kwargs)
        return
    if raw:
        return
    indexed = instance.get_indexed_instance()
    if indexed is not None:
        pending.add((indexed._meta.label_lower, indexed.pk))


def _take_over_receivers():
    """Put `_index_on_save` in the place of modelsearch's post_save receiver, once
    per process (modelsearch connects its receivers when its app is ready, after
    ours). The new receiver is connected before the old one goes, so no save in
    another thread meanwhile goes unindexed."""
    with _take_over_lock:
        for model in get_indexed_models():
            if model in _taken_over:
                continue
            _taken_over.add(model)
            uid = f"portal.bulk:{model._meta.label_lower}"
            post_save.connect(_index_on_save, sender=model, dispatch_uid=uid)
            if not post_save.disconnect(post_save_signal_handler, sender=model):
                # The model has no automatic updates (search_auto_update = False).
                post_save.disconnect(sender=model, dispatch_uid=uid)


@contextmanager
def deferred_model_search():
    """Inside the block, collect the saves modelsearch would index one by one and
    queue them as one `update_model_search` task when the block ends without an
    error (with the transaction, `portal.tasks`)."""
    if _collected.get() is not None:
        yield
        return
    _take_over_receivers()
    pending = set()
    token = _collected.set(pending)
    try:
        yield
    finally:
        _collected.reset(token)
    if pending:
        enqueue_with_transaction(
            update_model_search, [[label, pk] for label, pk in sorted(pending)]
        )


@task()
def update_model_search(keys):
    """Index the objects named by ``[model label, pk]`` pairs, as they are now, in
    every search backend with automatic updates; returns how many were indexed.
    One gone meanwhile was removed from the index when it was deleted."""
    indexed = 0
    for model, ids in _grouped(keys).items():
        for batch in _batches(ids):
            objects = list(model.get_indexed_objects().filter(pk__in=batch))
            for name, backend in get_search_backends_with_name(with_auto_update=True):
                try:
                    backend.add_bulk(model, objects)
                except Exception:
                    # As modelsearch does: an external index's failure is logged, a
                    # database index's fails the caller's transaction anyway.
                    logger.exception("model search update failed (%s)", name)
                    if not backend.catch_indexing_errors:
                        raise
            indexed += len(objects)
    return indexed


# Wagtail's reference index

_referencing = ContextVar("bulk_reference_index", default=None)
_references_connected = threading.Lock()
_references_receiver = []


def _collect_references(sender, instance, raw=False, **kwargs):
    """Note the object whose references a save changes: a child's (an inline row
    on a ParentalKey) are recorded under its parent, as Wagtail does."""
    pending = _referencing.get()
    if pending is None or raw:
        return
    model, pk = type(instance), instance.pk
    while True:
        parental = next(
            (f for f in model._meta.get_fields() if isinstance(f, ParentalKey)), None
        )
        if parental is None:
            break
        model, pk = parental.related_model, getattr(instance, parental.attname)
        instance = None  # only the parent's key is known from here on
        if pk is None:
            return
    if ReferenceIndex.is_indexed(model):
        pending.add((model._meta.label_lower, pk))


@contextmanager
def deferred_reference_index():
    """Inside the block, Wagtail's per-save reference index updates are switched
    off and the saved objects collected; one `update_reference_index` task is
    queued for them when the block ends without an error."""
    if _referencing.get() is not None:
        yield
        return
    with _references_connected:
        if not _references_receiver:
            post_save.connect(_collect_references, dispatch_uid="portal.bulk:refs")
            _references_receiver.append(_collect_references)
    pending = set()
    token = _referencing.set(pending)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        _referencing.reset(token)
    if pending:
        enqueue_with_transaction(
            update_reference_index, [[label, pk] for label, pk in sorted(pending)]
        )


@task()
def update_reference_index(keys):
    """Record the references of the objects named by ``[model label, pk]`` pairs,
    as they are now; returns how many objects were looked at."""
    done = 0
    for model, ids in _grouped(keys).items():
        # The inline rows are read for their references too: one query a relation.
        children = [rel.get_accessor_name() for rel in get_all_child_relations(model)]
        objects = model._default_manager.prefetch_related(*children)
        for batch in _batches(ids):
            with transaction.atomic():
                for obj in objects.filter(pk__in=batch):
                    ReferenceIndex.create_or_update_for_object(obj)
                    done += 1
    return done
