"""Catalog import speed (issue 15 point 4): first import and re-import of the
unchanged file, at each size, on a fresh database each time.

    .venv/bin/python bench/catalog_import.py [--sizes 1000,10000] [--departments 4]
        [--profile DIR]
    DATABASE_URL=postgres://…/importdb .venv/bin/python bench/catalog_import.py

Each size runs in a process of its own on an empty, migrated database: a temporary
SQLite file, or, with a PostgreSQL `DATABASE_URL`, Django's test database beside it
(``<name>_bench``, created and dropped by the run). The file is the generated one of
`bench/catalog.py` (realistic items: four materials, three steps, basis, FAQs).

Printed per size: the first import with ``--publish`` (all pages created and
published) and the import of the same file again (all unchanged), each in wall
seconds and CPU seconds with the load average beside them — on a shared machine
the wall clock says more about the neighbours than about the import — and the
queued index tasks the worker then runs (site search, Wagtail's search and
reference index; run here on the database queue with ``manage.py worker``).

With ``--profile DIR`` each import runs under cProfile and its statistics are kept
as ``DIR/<database>-<items>-first.prof`` and ``…-again.prof`` (read them with
``python -m pstats``); the figures printed then include the profiler's overhead.
"""

import argparse
import cProfile
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import print_table

COLUMNS = [
    "database",
    "items",
    "first_s",
    "first_cpu_s",
    "tasks_s",
    "again_s",
    "again_cpu_s",
    "load",
]


def load():
    return "/".join(f"{n:.1f}" for n in os.getloadavg())


def timed(function, profile_to=None):
    profiler = cProfile.Profile() if profile_to else None
    started, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    result = function()
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile_to)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    return result, round(wall, 1), round(cpu, 1)


def run_one(size, departments, profile):
    """In the child process: migrate a fresh database, import twice, print JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        scratch = Path(tempfile.mkdtemp(prefix="chuangkou-bench-import-"))
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    from bench.catalog import generate_catalog
    from portal.settings import env as environment
    from services_catalog.importing import import_catalog_file

    if connection.vendor == "postgresql":
        connection.settings_dict["TEST"]["NAME"] = (
            f"{connection.settings_dict['NAME']}_bench"
        )
        connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
    else:
        call_command("migrate", verbosity=0, interactive=False)
    folder = Path(tempfile.mkdtemp(prefix="chuangkou-bench-catalog-"))
    path = folder / "catalog.json"
    path.write_text(json.dumps(generate_catalog(size, departments), ensure_ascii=False))

    row = {"database": connection.vendor, "items": size}
    stats = Path(profile) / f"{connection.vendor}-{size}" if profile else None
    with override_settings(TASKS={"default": {"BACKEND": environment.DATABASE_TASKS}}):
        report, row["first_s"], row["first_cpu_s"] = timed(
            lambda: import_catalog_file(path, publish=True),
            f"{stats}-first.prof" if stats else None,
        )
        if not report.ok:
            raise SystemExit(report.summary())
        _, row["tasks_s"], _ = timed(lambda: call_command("worker", batch=True))
        report, row["again_s"], row["again_cpu_s"] = timed(
            lambda: import_catalog_file(path, publish=True),
            f"{stats}-again.prof" if stats else None,
        )
    if not report.ok or report.counts["item", "unchanged"] != size:
        raise SystemExit(report.summary())
    row["load"] = load()
    if connection.vendor == "postgresql":
        connection.creation.destroy_test_db(
            settings.DATABASES["default"]["NAME"], verbosity=0
        )
    print(json.dumps(row))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--departments", type=int, default=4)
    parser.add_argument("--profile", metavar="DIR", help="write cProfile statistics")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_one(args.one, args.departments, args.profile)
        return
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"{size} 个事项……（负载 {load()}）", file=sys.stderr, flush=True)
        output = subprocess.run(
            [sys.executable, __file__, "--one", str(size)]
            + ["--departments", str(args.departments)]
            + (["--profile", os.path.abspath(args.profile)] if args.profile else []),
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        rows.append(json.loads(output.strip().splitlines()[-1]))
    print_table(rows, COLUMNS)


if __name__ == "__main__":
    main()
