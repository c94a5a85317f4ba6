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
