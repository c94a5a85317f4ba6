"""The supervision dashboard (监察室) at 0 / 1,000 / 10,000 / 100,000 filings, on
SQLite and PostgreSQL.

    .venv/bin/python bench/supervision.py [--sizes 0 1000 10000 100000] [--runs 10]
    .venv/bin/python bench/supervision.py --postgres postgres://postgres@HOST:5432/NAME
    .venv/bin/python bench/supervision.py --profile  # slowest queries at the last size
    .venv/bin/python bench/supervision.py --mix backlog  # months of work piled up

Migrates a scratch database (SQLite; with `--postgres`, a scratch database
`NAME_bench` created beside NAME and dropped afterwards, measured after SQLite),
creates one department with four divisions and a supervisor, then grows the
department's filings with `bulk_create` (every state; pre-review, handling, issuing
and statutory due dates as the workflow sets them, some overdue, some due soon, some
extended; completed ones with handling times, some late; ratings on some; `--mix`
says how they spread over time: four years of a department's record by default, or a
backlog of six months where more than half are open), refreshes the planner
statistics as production does (PostgreSQL: VACUUM ANALYZE, autovacuum's work;
SQLite: `manage.py analyze_database`, the daily cron job) and at each size prints
the dashboard's median and p95 latency, its CPU time in this process (with SQLite
the figure a loaded machine does not inflate), the median time of the board's
numbers alone (`supervision.dashboard`, what grows with the data; the rest is the
admin page around it, measured at 0 filings), the number of open filings and the SQL
query count, which must not grow. `--profile` also prints the slowest queries of one
request at the largest size."""

import argparse
import datetime
import gc
import io
import os
import random
import statistics
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import measure, print_table, setup_django, vacuum_until_visible

HISTORY_YEARS = 4
RECENT_DAYS = 60
"""In the `history` mix, filings accepted within this many days are spread over
every state; older ones are closed but for the few still stuck (`STUCK`)."""
STUCK = 0.015


def build(department, divisions, item, start, count, rng, mix="history"):
    """`count` more filings of `department`. `mix` says how they spread over time:

    - ``history`` (the default): a department's record of `HISTORY_YEARS` years at a
      steady rate. What was accepted in the last `RECENT_DAYS` days is in every state
      as in ``backlog``; what is older is closed (collected, issued, refused,
      withdrawn) except `STUCK` of it, still open (suspended, or long overdue). At
      100,000 filings 3.5 % are open: a department receiving some 100 filings a
      working day with a few weeks' work in hand.
    - ``backlog``: every filing accepted within the last 180 days and each state as
      likely as in the list below, so more than half of them are open: the worst
      case, a department with months of work piled up.
    """
    from services_catalog.inbox.models import Filing, FilingState, Rating

    today = datetime.date.today()
    states = [
        FilingState.SUBMITTED,
        FilingState.ACCEPTED,
        FilingState.ASSIGNED,
        FilingState.IN_PROGRESS,
        FilingState.IN_PROGRESS,
        FilingState.SUSPENDED,
        FilingState.COMPLETED,
        FilingState.ISSUED,
        FilingState.COLLECTED,
        FilingState.COLLECTED,
        FilingState.COLLECTED,
        FilingState.REFUSED,
    ]
    closed = [
        *[FilingState.COLLECTED] * 8,
        FilingState.ISSUED,
        FilingState.REFUSED,
        FilingState.WITHDRAWN,
    ]
    stuck = [FilingState.ASSIGNED, FilingState.IN_PROGRESS, FilingState.SUSPENDED]
    batch = []
    for n in range(start, start + count):
        age = rng.randint(0, 180 if mix == "backlog" else HISTORY_YEARS * 365)
        if age <= RECENT_DAYS or mix == "backlog":
            state = rng.choice(states)
        else:
            state = rng.choice(stuck if rng.random() < STUCK else closed)
        accepted = today - datetime.timedelta(days=age)
        received = (
            today - datetime.timedelta(days=rng.randint(0, 9))
            if state == FilingState.SUBMITTED
            else accepted - datetime.timedelta(days=rng.randint(0, 5))
        )
        due = accepted + datetime.timedelta(days=rng.randint(5, 30))
        extended = 10 if rng.random() < 0.02 else 0
        done = state in (
            FilingState.COMPLETED,
            FilingState.ISSUED,
            FilingState.COLLECTED,
        )
        completed = (
            min(today, accepted + datetime.timedelta(days=rng.randint(1, 35)))
            if done
            else None
        )
        batch.append(
            Filing(
                item=item,
                department=department,
                tracking_number=f"{department.code}-BENCH-{n:07d}",
                access_code_hash="x",
                state=state,
                applicant_type="person",
                applicant_name=f"申请人{n}",
                id_number="11010519491231002X",
                mobile="13800138000",
                address="长春",
                received_on=received,
                pre_review_due_date=received + datetime.timedelta(days=7),
                accepted_on=accepted if state != FilingState.SUBMITTED else None,
                promised_due_date=due if state != FilingState.SUBMITTED else None,
                statutory_due_date=(due + datetime.timedelta(days=14 + extended))
                if state != FilingState.SUBMITTED
                else None,
                extended_days=extended,
                issue_due_date=completed + datetime.timedelta(days=14)
                if done
                else None,
                lead_division=rng.choice(divisions)
                if state not in (FilingState.SUBMITTED, FilingState.ACCEPTED)
                else None,
                completed_on=completed,
                completed_on_time=(completed <= due) if done else None,
                handling_workdays=rng.randint(1, 25) if done else None,
            )
        )
    created = Filing.objects.bulk_create(batch, batch_size=2000)
    ratings = [
        Rating(filing=f, score=rng.randint(1, 5))
        for f in created
        if f.state == FilingState.COLLECTED and rng.random() < 0.3
    ]
    if ratings and ratings[0].filing.pk is None:  # backends without RETURNING
        numbers = [r.filing.tracking_number for r in ratings]
        ids = dict(
            Filing.objects.filter(tracking_number__in=numbers).values_list(
                "tracking_number", "pk"
            )
        )
        for rating in ratings:
            rating.filing_id = ids[rating.filing.tracking_number]
    Rating.objects.bulk_create(ratings, batch_size=2000)


def run(sizes, runs, profile, mix):
    setup_django()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone
    from wagtail.models import Site

    from disclosure.permissions import assign_staff
    from portal import roles
    from services_catalog.inbox import supervision
    from services_catalog.inbox.models import OPEN_STATES, Filing
    from tests.factories import DivisionPageFactory, UserFactory
    from tests.inbox.builders import make_item

    home = Site.objects.get(is_default_site=True).root_page.specific
    item = make_item(home, code=f"B{uuid.uuid4().hex[:8].upper()}")
    department = item.department
    divisions = [item.lead_division] + [
        DivisionPageFactory(parent=department) for _ in range(3)
    ]
    supervisor = UserFactory(username=f"bench-supervisor-{uuid.uuid4().hex[:6]}")
    assign_staff(supervisor, department, staff_roles=[roles.Role.SUPERVISOR])
    client = Client()
    client.force_login(supervisor)
    url = reverse("supervision:dashboard")

    print(f"{connection.vendor}:", flush=True)
    rng = random.Random(6)
    rows, built = [], 0
    for size in sorted(sizes):
        build(department, divisions, item, built, size - built, rng, mix)
        built = size
        gc.collect()  # the load's garbage is not the requests' to collect
        if connection.vendor == "postgresql":
            # What autovacuum does after a load.
            visible, pages, passes = vacuum_until_visible(
                connection, ["inbox_filing", "inbox_rating"]
            )
            print(f"filing pages all-visible: {visible} of {pages} ({passes} passes)")
        else:
            # What the daily `analyze_database` cron job does (SQLite keeps no
            # planner statistics by itself).
            call_command("analyze_database", stdout=io.StringIO())
        result = measure(client, url, runs=runs, warmup=2)
        board = []
        for _ in range(runs):
            started = time.perf_counter()
            supervision.dashboard(department, timezone.localdate())
            board.append((time.perf_counter() - started) * 1000)
        open_filings = Filing.objects.filter(
            department=department, state__in=OPEN_STATES
        ).count()
        rows.append(
            {
                "database": connection.vendor,
                "mix": mix,
                "filings": f"{size:,}",
                "open": f"{open_filings:,}",
                "median_ms": f"{result['median_ms']:.1f}",
                "p95_ms": f"{result['p95_ms']:.1f}",
                "cpu_ms": f"{result['cpu_ms']:.1f}",
                "board_ms": f"{statistics.median(board):.1f}",
                "queries": result["queries"],
            }
        )
        print(f"{size:,} filings: {rows[-1]}", flush=True)
    print()
    print_table(
        rows,
        [
            *("database", "mix", "filings", "open"),
            *("median_ms", "p95_ms", "cpu_ms", "board_ms", "queries"),
        ],
    )
    if profile:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(f"\nslowest queries of one request at {built:,} filings:")
        for query in sorted(queries, key=lambda q: -float(q["time"]))[:8]:
            print(f"{float(query['time']) * 1000:8.1f} ms  {query['sql'][:150]}")


def scratch_postgres(url):
    """A fresh database `<name>_bench` on the server of `url`: (its URL, a function
    that drops it)."""
    import psycopg

    base, name = url.rsplit("/", 1)
    scratch = f"{name}_bench"

    def execute(statement):
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(statement)

    execute(f'DROP DATABASE IF EXISTS "{scratch}"')
    execute(f'CREATE DATABASE "{scratch}"')
    return f"{base}/{scratch}", lambda: execute(f'DROP DATABASE IF EXISTS "{scratch}"')


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[0, 1000, 10000, 100000]
    )
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--mix",
        choices=["history", "backlog"],
        default="history",
        help="how the filings spread over time and states (see `build`)",
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="then measure on a scratch database beside this PostgreSQL one",
    )
    args = parser.parse_args()
    if not args.postgres:
        run(args.sizes, args.runs, args.profile, args.mix)
        return
    command = [sys.executable, __file__, "--runs", str(args.runs), "--mix", args.mix]
    command += ["--sizes"]
    command += [str(size) for size in args.sizes]
    command += ["--profile"] if args.profile else []
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    subprocess.run(command, env=environment, check=True)
    print()
    scratch, drop = scratch_postgres(args.postgres)
    try:
        subprocess.run(
            command, env={**environment, "DATABASE_URL": scratch}, check=True
        )
    finally:
        drop()


if __name__ == "__main__":
    main()
