"""Bulk changes: many objects written at once, their side effects done once.

What signal receivers do for each saved object (the site search indexes it) costs
far more, repeated for thousands of pages, than one pass at the end. A bulk change —
the catalog import — runs inside `bulk_changes()`, which enters every context manager
named in the setting `BULK_CHANGE_CONTEXTS` (dotted paths): each collects the work its
receivers would do and does it once when the block ends. The setting, at the top
of the project, wires the apps together, so an app that writes in bulk (the catalog)
does not import the apps above it that react (search).
"""

from contextlib import ExitStack, contextmanager

from django.conf import settings
from django.utils.module_loading import import_string


@contextmanager
def bulk_changes():
    with ExitStack() as stack:
        for path in settings.BULK_CHANGE_CONTEXTS:
            stack.enter_context(import_string(path)())
        yield
