"""Where one online filing spends its time: CPU and SQL of each step, and cProfile.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python bench/profile_intake.py [--runs 30] [--top 40] [--sql]

The same set-up as `bench/intake.py` (its settings, database and item), but in one
process through Django's test client: each filing GETs the form, POSTs it with two
100 KB PDFs and GETs the receipt. Prints, per step, the median CPU time of this
process (`time.process_time`: with PostgreSQL, the database's own work is left out)
and the number of SQL statements; with ``--sql`` the statements of one filing; then
the functions with the most cumulative CPU time over ``--runs`` filings (cProfile
with a CPU clock, so waiting for the database or for a core does not count).
"""

import argparse
import cProfile
import os
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import ROOT
from bench.intake import ACTION, APPLICANT_FIELDS, HIDDEN, PDF, bench_env, prepare

STEPS = ("form", "post", "receipt")


def filing_steps(client, path, material_ids):
    """One filing as (step, callable) pairs; each callable makes the request."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    state = {}

    def form():
        client.cookies.clear()
        response = client.get(path, secure=True)
        assert response.status_code == 200, response.status_code
        html = response.content.decode()
        state["fields"] = dict(HIDDEN.findall(html))
        state["action"] = ACTION.search(html).group(1)

    def post():
        fields = {**state["fields"], **APPLICANT_FIELDS}
        for pk in material_ids:
            fields[f"material_{pk}"] = SimpleUploadedFile(
                "申请书.pdf", PDF, "application/pdf"
            )
        response = client.post(
            state["action"],
            fields,
            secure=True,
            headers={"referer": f"https://testserver{path}"},
        )
        assert response.status_code == 302, response.content[:500]
        state["receipt"] = response["Location"]

    def receipt():
        assert client.get(state["receipt"], secure=True).status_code == 200

    return list(zip(STEPS, (form, post, receipt), strict=True))


def child(path, material_ids, runs, top, show_sql):
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(enforce_csrf_checks=True, headers={"x-forwarded-proto": "https"})
    for _ in range(5):  # warm: imports, templates, the shared page frame
        for _step, request in filing_steps(client, path, material_ids):
            request()
    cpu = {step: [] for step in STEPS}
    for _ in range(runs):
        for step, request in filing_steps(client, path, material_ids):
            started = time.process_time()
            request()
            cpu[step].append((time.process_time() - started) * 1000)
    queries = {}
    for step, request in filing_steps(client, path, material_ids):
        with CaptureQueriesContext(connection) as captured:
            request()
        queries[step] = [query["sql"] for query in captured.captured_queries]
    for step in STEPS:
        print(
            f"{step:8} CPU median {statistics.median(cpu[step]):6.1f} ms, "
            f"{len(queries[step])} SQL statements"
        )
    total = sum(statistics.median(values) for values in cpu.values())
    print(f"filing   CPU median {total:6.1f} ms (the sum of the steps' medians)")
    if show_sql:
        for step in STEPS:
            print(f"\n-- {step}")
            for sql in queries[step]:
                print(re.sub(r"\s+", " ", sql)[:200])
    profile = cProfile.Profile(time.process_time)
    for _ in range(runs):
        for _step, request in filing_steps(client, path, material_ids):
            profile.runcall(request)
    print()
    pstats.Stats(profile).sort_stats("cumulative").print_stats(top)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sql", action="store_true")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        path, ids = args.child
        return child(path, ids.split(","), args.runs, args.top, args.sql)
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL (a scratch PostgreSQL database).")
    env = bench_env(Path(tempfile.mkdtemp(prefix="chuangkou-bench-intake-")))
    _item_id, path, material_ids = prepare(env)
    command = [sys.executable, __file__, "--child", path, ",".join(material_ids)]
    command += ["--runs", str(args.runs), "--top", str(args.top)]
    subprocess.run(command + ["--sql"] * args.sql, cwd=ROOT, env=env, check=True)


if __name__ == "__main__":
    main()
