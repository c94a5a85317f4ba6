"""Import of the catalog/1 format (DESIGN §9): departments, divisions and service items
from a JSON file or an XLSX workbook (`services_catalog.xlsx`).

Used by ``manage.py import_catalog``, the admin upload (`services_catalog.admin_views`)
and the demo content (`services_catalog.demo`); all go through `import_catalog`. A file
is imported in three stages, so that a bad file changes nothing:

1. `parse` — read the file (refusing hostile ones) and check every record's form;
2. `check` — codes against the database;
3. `apply` — in one transaction, create, update or leave alone each page through
   Wagtail's page API, as one bulk change (`portal.bulk`): search documents and
   references are written once, in bulk, by tasks queued with the pages, not once
   per page saved.
"""

import gc
from contextlib import contextmanager

from django.db import transaction

from portal.bulk import bulk_changes
from services_catalog.importing.apply import Abort, Importer, default_home_page
from services_catalog.importing.check import check_references, check_scope
from services_catalog.importing.parse import parse_catalog, read_catalog_file
from services_catalog.importing.report import ImportReport

__all__ = [
    "ImportReport",
    "default_home_page",
    "import_catalog",
    "import_catalog_file",
    "parse_catalog",
    "read_catalog_file",
]


@contextmanager
def long_lived_objects_frozen():
    """Keep the objects that exist now out of the garbage collector's full passes
    while an import runs (it decorates the import functions). An import allocates
    enough to set off several of them, and each would walk every object of the
    process — jieba's dictionary alone is over a million — which made re-importing
    a large file take several times as long as the work itself. Nothing is lost:
    they are collected again afterwards."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@long_lived_objects_frozen()
def import_catalog_file(file, name=None, **options):
    """Read and import one file; see `import_catalog` for the options."""
    data, report = read_catalog_file(file, name)
    if data is None:
        return report
    return import_catalog(data, report=report, **options)


@long_lived_objects_frozen()
def import_catalog(
    data,
    *,
    publish=False,
    dry_run=False,
    user=None,
    home_page=None,
    progress=None,
    report=None,
    departments_allowed=None,
):
    """Import catalog/1 `data` (a dictionary); returns an `ImportReport`.

    `user` is recorded on revisions and log entries; whether they may import (and
    publish) is for the caller to decide, as the admin view does. `home_page` is
    where new departments go (default: the default site's root page);
    `progress(done, total)` is called as items are processed; `report` carries problems
    found while reading the file (an XLSX workbook's, say) into this import;
    `departments_allowed`, when given, is the set of department codes the file may
    touch (a department's own editors import only their own department).
    """
    report = report or ImportReport()
    report.dry_run, report.publish = dry_run, publish
    departments = parse_catalog(data, report)
    check_scope(departments, departments_allowed, report)
    if report.ok:
        check_references(departments, report)
    if not report.ok:
        return report
    importer = Importer(report, publish, dry_run, user, home_page, progress)
    try:
        with transaction.atomic():
            # Every page, inline material and step saved would reindex its page;
            # the pages written are indexed once each, by tasks queued at the end
            # (portal.bulk): the site search, Wagtail's search and reference index.
            with bulk_changes():
                importer.apply(departments)
            if report.errors:
                raise Abort
    except Abort:
        report.counts.clear()
    return report
