"""One migrated test database per run, copied for each pytest-xdist worker.

Migrating takes about fifty seconds of CPU (some 280 migrations, most of it Django
rendering their model states), and pytest-django has every worker migrate its own
database. Here the first worker that needs a database migrates a template under a
file lock, and stores its serialised content (for `serialized_rollback`) beside it;
every worker then copies the template: `CREATE DATABASE … TEMPLATE` on PostgreSQL,
SQLite's backup API for a database file. The controller process names the run
(`RUN_VARIABLE`, inherited by the workers it starts) and removes the template when
the run ends.

The copy is the migrated database itself, not a rebuild from the models, so the
tests still run against what the migrations produce, data migrations included.
"""

import fcntl
import os
import sqlite3
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

RUN_VARIABLE = "CHUANGKOU_TEST_RUN"


def name_the_run():
    """Called in the controller before any worker starts."""
    os.environ.setdefault(RUN_VARIABLE, uuid.uuid4().hex[:12])


def _run():
    return os.environ[RUN_VARIABLE]


def _scratch(suffix):
    return Path(tempfile.gettempdir()) / f"chuangkou-template-{_run()}{suffix}"


@contextmanager
def _locked():
    with open(_scratch(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _is_sqlite(connection):
    return connection.vendor == "sqlite"


def _template_name(connection, test_name):
    if _is_sqlite(connection):
        return str(_scratch(".sqlite3"))
    # The worker's name without pytest-django's `_gwN` suffix, then the run.
    base = test_name.rsplit("_gw", 1)[0]
    return f"{base}_template_{_run()}"[:63]


def _build_template(connection, template):
    """Migrate the template and keep its serialised content in a file."""
    test_settings = connection.settings_dict["TEST"]
    own_name, test_settings["NAME"] = test_settings.get("NAME"), template
    try:
        connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=True, keepdb=False
        )
        contents = connection._test_serialized_contents
    finally:
        test_settings["NAME"] = own_name
        connection.close()
    serialized = _scratch(".json")
    serialized.with_suffix(".part").write_text(contents, encoding="utf-8")
    serialized.with_suffix(".part").replace(serialized)


def _copy_template(connection, template, target):
    if _is_sqlite(connection):
        Path(target).unlink(missing_ok=True)
        source, copy = sqlite3.connect(template), sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return
    quote = connection.ops.quote_name
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)}")
        cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(template)}")


def setup_database():
    """The worker's test database, copied from the run's template (built by the first
    worker to get here). Returns what `django.test.utils.teardown_databases` takes."""
    from django.conf import settings
    from django.db import connection

    target = connection.creation._get_test_db_name()
    template = _template_name(connection, target)
    original_name = connection.settings_dict["NAME"]
    with _locked():
        if not _scratch(".json").exists():
            _build_template(connection, template)
        connection.settings_dict["NAME"] = original_name
        _copy_template(connection, template, target)
    settings.DATABASES[connection.alias]["NAME"] = target
    connection.settings_dict["NAME"] = target
    connection._test_serialized_contents = _scratch(".json").read_text(encoding="utf-8")
    connection.ensure_connection()
    return [(connection, original_name, True)]


def remove_template():
    """Called in the controller when the run ends; the workers are gone by then."""
    from django.db import connection

    if RUN_VARIABLE not in os.environ or not _scratch(".json").exists():
        return
    if _is_sqlite(connection):
        Path(_template_name(connection, "")).unlink(missing_ok=True)
    else:
        template = _template_name(connection, connection.creation._get_test_db_name())
        quoted = connection.ops.quote_name(template)
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
    for suffix in (".json", ".lock"):
        _scratch(suffix).unlink(missing_ok=True)
