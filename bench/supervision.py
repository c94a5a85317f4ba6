"""The supervision dashboard (监察室) at 1,000 / 10,000 / 100,000 filings.

    .venv/bin/python bench/supervision.py [--sizes 1000 10000 100000] [--runs 10]

Migrates a scratch database (SQLite, or `DATABASE_URL`), creates one department with
four divisions and a supervisor, then grows the department's filings with
`bulk_create` (every state; open ones due over the next weeks, some overdue; completed
ones spread over six months with handling times, some late; ratings on some) and at
each size prints the dashboard's median and p95 latency and its SQL query count,
which must not grow with the data.
"""

import argparse
import datetime
import os
import random
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import measure, print_table, setup_django


def build(department, divisions, item, start, count, rng):
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
    batch = []
    for n in range(start, start + count):
        state = rng.choice(states)
        accepted = today - datetime.timedelta(days=rng.randint(0, 180))
        due = accepted + datetime.timedelta(days=rng.randint(5, 30))
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
                accepted_on=accepted if state != FilingState.SUBMITTED else None,
                promised_due_date=due if state != FilingState.SUBMITTED else None,
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


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    setup_django()

    from django.test import Client
    from django.urls import reverse
    from wagtail.models import Site

    from disclosure.permissions import assign_staff
    from portal import roles
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

    rng = random.Random(6)
    rows, built = [], 0
    for size in sorted(args.sizes):
        build(department, divisions, item, built, size - built, rng)
        built = size
        result = measure(
            client, reverse("supervision:dashboard"), runs=args.runs, warmup=2
        )
        rows.append(
            {
                "filings": f"{size:,}",
                "median_ms": f"{result['median_ms']:.1f}",
                "p95_ms": f"{result['p95_ms']:.1f}",
                "queries": result["queries"],
            }
        )
        print(f"{size:,} filings: {rows[-1]}", flush=True)
    print()
    print_table(rows, ["filings", "median_ms", "p95_ms", "queries"])


if __name__ == "__main__":
    main()
