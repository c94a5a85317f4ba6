"""Shared set-up for the benchmark scripts in bench/.

Each script runs against its own throw-away SQLite database (or `DATABASE_URL` when
set, e.g. a scratch PostgreSQL database), migrates it and measures through Django's
test client in-process, so figures compare like with like on one machine.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup_django(settings_module="portal.settings.test"):
    """Point Django at a scratch database and migrate it quietly."""
    sys.path.insert(0, str(ROOT))
    if "DATABASE_URL" not in os.environ:
        scratch = Path(tempfile.mkdtemp(prefix="chuangkou-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0, interactive=False)


def measure(client, url, runs=50, warmup=5):
    """Median and p95 latency (ms), the median CPU time this process spent per
    request (ms: with SQLite, in-process, that includes the database's work and
    leaves out the time spent waiting for a core on a loaded machine) and the SQL
    query count of one GET of `url`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    timings, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    timings.sort()
    return {
        "median_ms": statistics.median(timings),
        "p95_ms": timings[int(len(timings) * 0.95) - 1],
        "cpu_ms": statistics.median(cpu),
        "queries": len(queries),
    }


def print_table(rows, columns):
    widths = [
        max(len(str(c)), *(len(str(r.get(c, ""))) for r in rows)) for c in columns
    ]
    print("  ".join(str(c).ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row in rows:
        cells = []
        for column, width in zip(columns, widths, strict=True):
            value = row.get(column, "")
            if isinstance(value, float):
                value = f"{value:.2f}"
            cells.append(str(value).ljust(width))
        print("  ".join(cells))


def vacuum_until_visible(connection, tables, passes=10):
    """PostgreSQL: VACUUM ANALYZE `tables` as autovacuum leaves them after a bulk
    load (it may be off on a scratch cluster), until at least 99 % of the first
    table's pages are all-visible, so that index-only scans read no table page.
    Returns (all-visible pages, pages, passes).

    A VACUUM from Django's own connection was seen to leave every page not
    all-visible (relallvisible 0: each index range then read the table's pages),
    so it runs on a connection of its own. A VACUUM while autovacuum analyses the
    freshly loaded table (its snapshot holds the horizon back) was seen to leave
    half the pages not all-visible: it is repeated, a few seconds apart, as
    autovacuum's next pass would."""
    import psycopg

    with psycopg.connect(
        **connection.get_connection_params(), autocommit=True
    ) as vacuum:
        done, pages, visible = 0, 1, 0
        while visible < 0.99 * pages and done < passes:
            if done:
                time.sleep(3)
            done += 1
            for table in tables:
                vacuum.execute(f"VACUUM ANALYZE {table}")
            pages, visible = vacuum.execute(
                "SELECT relpages, relallvisible FROM pg_class WHERE relname = %s",
                [tables[0]],
            ).fetchone()
    return visible, pages, done
