"""The supervision dashboard's numbers (监察室, DESIGN §5), aggregated in the
database: the number of queries does not grow with the number of filings.

`dashboard(department, today)` returns open filings by state; for each clock of
`clock` (pre-review, handling, issuing) the due-soon and overdue counts and lists;
the open filings whose statutory limit was extended; per division the handling
clock's counts, the on-time completion rate and the average handling time (working
days) per month, and the ratings of the filings completed in the same months; the
follow-ups of bad ratings (差评整改) open and overdue; `_bar` turns a share into
the width of a bar drawn as inline SVG by the template.

Why it stays fast as filings accumulate (issue 15: ≤ 200 ms at 100,000): it reads
only what can still move, and reads it from indexes (`Filing.Meta`) that hold
every column it needs, so the wide rows of the filings are never touched. Every
count about running clocks comes from one grouped pass over the filings in
`WORKING_STATES` (closed filings, the bulk of a department's history, are not
read); the monthly figures read six months of completions, grouped by day without
a date function per row and summed into months here; each list is a range of an
index in due-date order (one per state) cut at `LIST_SIZE`, loading only the
columns shown. The ratings are those of the months shown, not of every filing ever
rated: they are the board's current picture like the rest of it (the statistics
workbook and the public monthly figures keep the whole record), and an all-time
average read every rating of the department's history on each request (54 of the
board's 93 ms on PostgreSQL at 100,000 filings, four years of them; 9 ms for six
months).
Counts are not kept on transitions nor in a periodic summary because "due soon"
and "overdue" change with the date alone, without any transition, and the office
acting on a case must see the board move at once.
"""

import datetime

from django.db.models import Avg, Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from disclosure.models import DivisionPage
from services_catalog.inbox import clock
from services_catalog.inbox.models import (
    OPEN_STATES,
    Complaint,
    ComplaintStatus,
    Filing,
    FilingState,
    FollowUpStatus,
    Rating,
    RatingFollowUp,
    UrgingNotice,
)

WORKING_STATES = (*OPEN_STATES, FilingState.COMPLETED)
"""The states in which one of a filing's clocks runs or is paused (a completed
filing's issuing clock runs until it is issued)."""

MONTHS = 6
LIST_SIZE = 20
BAR_WIDTH = 120

LISTED_FIELDS = ("tracking_number", "state", "extended_days")
LISTED_TITLES = {
    "item_title": F("item__title"),
    "division_title": F("lead_division__title"),
}
"""What a listed filing shows on the board, besides the due date of its list: its
item's and lead division's titles as columns of the filing's own row."""

CLOCK_KEYS = {
    # key in the board: clock
    "pre_review": clock.PRE_REVIEW,
    "handling": clock.HANDLING,
    "issue": clock.ISSUE,
}
DUE_FIELDS = {
    "pre_review": "pre_review_due_date",
    "handling": "promised_due_date",
    "issue": "issue_due_date",
    "statutory": "statutory_due_date",
}


SECTIONS = [
    # (key, label, clock of the due date shown, case-list query of the whole list)
    ("handling_overdue", _("办结已超期"), "handling", "due=overdue&clock=handling"),
    ("handling_due_soon", _("办结即将到期"), "handling", "due=due_soon&clock=handling"),
    (
        "pre_review_overdue",
        _("预审已超期"),
        "pre_review",
        "due=overdue&clock=pre_review",
    ),
    (
        "pre_review_due_soon",
        _("预审即将到期"),
        "pre_review",
        "due=due_soon&clock=pre_review",
    ),
    ("issue_overdue", _("送达已超期"), "issue", "due=overdue&clock=issue"),
    ("issue_due_soon", _("送达即将到期"), "issue", "due=due_soon&clock=issue"),
    ("extended", _("已延长办理期限"), "statutory", ""),
]
DUE_LABELS = {
    **{key: clock.CLOCK_NAMES[name] for key, name in CLOCK_KEYS.items()},
    "statutory": _("法定办结期限"),
}


def _due_order(due, pk):
    """Soonest due first, a filing without the date last."""
    return (due is None, due or datetime.date.min, pk)


def _listed(filings, key, states=()):
    """The first `LIST_SIZE` filings, soonest due first, each with `due` set to the
    date of the clock the list is about. Only what the board shows is loaded: an
    item's or a division's whole page (StreamFields and all) would cost more than
    every count of the board together, and even a page object limited to its
    title costs more than its row: pages are modelcluster models, whose
    constructor walks every child relation (seven lists of 20 filings, two pages
    each: 12–39 ms of the page's 150–196 ms CPU time at 100,000 filings in
    bench/supervision.py). So the titles come as columns (`LISTED_TITLES`).

    For a clock running in several `states`, one query per state, each reading its
    (department, state, due date) index in order and stopping at `LIST_SIZE`,
    merged here (one query over several states would sort every match: SQLite
    cannot use the partial index on bound parameters)."""
    field = DUE_FIELDS[key]
    listed = filings.only(*LISTED_FIELDS, field).annotate(**LISTED_TITLES)
    parts = [listed.filter(state=state) for state in states] or [listed]
    rows = [row for part in parts for row in part.order_by(field, "pk")[:LIST_SIZE]]
    if len(parts) > 1:
        rows.sort(key=lambda filing: _due_order(getattr(filing, field), filing.pk))
    rows = rows[:LIST_SIZE]
    for filing in rows:
        filing.due = getattr(filing, field)
    return rows


def _months_back(today, count):
    first = today.replace(day=1)
    months = []
    for _step in range(count):
        months.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def _bar(value, maximum):
    if not maximum or value is None:
        return 0
    return round(BAR_WIDTH * float(value) / float(maximum))


def _working_groups(filings, today):
    """One pass over the filings whose clocks run or are paused, grouped by state
    and lead division: how many, how many extended, and each clock's flags.

    The counts count a column of the index (`state`, never null), not the primary
    key: SQLite's indexes hold the row id, PostgreSQL's do not, and there
    `COUNT(id)` read every row from the table instead of the index alone (with
    six months' backlog at 100,000 filings, 81 ms against 34 by EXPLAIN ANALYZE
    on the same busy machine). `_monthly` counts `completed_on` for the same
    reason, and the ratings join the filings' `id` from the months' index."""
    flags = {
        f"{key}_{flag}": Count("state", filter=clock.flag_q(flag, today, clock_name))
        for key, clock_name in CLOCK_KEYS.items()
        for flag in clock.DueFlag
    }
    return list(
        filings.filter(state__in=WORKING_STATES)
        .values("state", "lead_division")
        .annotate(
            n=Count("state"),
            extended=Count("state", filter=Q(extended_days__gt=0)),
            **flags,
        )
        .order_by()
    )


def _monthly(filings, months):
    """{(division pk, first day of month): {total, on_time, days}} of the filings
    completed since `months[0]`: grouped by the completion day in the database (no
    date function per row) and summed into months here."""
    monthly = {}
    for row in (
        filings.filter(completed_on__gte=months[0])
        .values("lead_division", "completed_on")
        .annotate(
            total=Count("completed_on"),
            on_time=Count("completed_on", filter=Q(completed_on_time=True)),
            timed=Count("handling_workdays"),
            workdays=Sum("handling_workdays"),
        )
        .order_by()
    ):
        key = (row["lead_division"], row["completed_on"].replace(day=1))
        cell = monthly.setdefault(
            key, {"total": 0, "on_time": 0, "timed": 0, "workdays": 0}
        )
        for name in cell:
            cell[name] += row[name] or 0
    for cell in monthly.values():
        cell["days"] = cell["workdays"] / cell["timed"] if cell["timed"] else None
    return monthly


def dashboard(department, today):
    filings = Filing.objects.filter(department=department)
    divisions = list(DivisionPage.objects.child_of(department).order_by("path"))
    groups = _working_groups(filings, today)
    open_groups = [row for row in groups if row["state"] in OPEN_STATES]
    by_state = {}
    per_division = {}
    for row in open_groups:
        by_state[row["state"]] = by_state.get(row["state"], 0) + row["n"]
        counts = per_division.setdefault(
            row["lead_division"], {"open": 0, "due_soon": 0, "overdue": 0}
        )
        counts["open"] += row["n"]
        counts["due_soon"] += row["handling_due_soon"]
        counts["overdue"] += row["handling_overdue"]
    counts = {
        "open": sum(row["n"] for row in open_groups),
        "extended": sum(row["extended"] for row in open_groups),
        **{
            f"{key}_{flag}": sum(row[f"{key}_{flag}"] for row in groups)
            for key in CLOCK_KEYS
            for flag in clock.DueFlag
        },
    }
    months = _months_back(today, MONTHS)
    monthly = _monthly(filings, months)
    ratings = {
        row["filing__lead_division"]: row
        for row in Rating.objects.filter(
            filing__department=department, filing__completed_on__gte=months[0]
        )
        .values("filing__lead_division")
        .annotate(
            count=Count("pk"),
            average=Avg("score"),
            poor=Count("pk", filter=Q(score__lte=2)),
        )
        .order_by()
    }
    lists = {
        f"{key}_{flag}": _listed(
            filings.filter(clock.flag_q(flag, today, clock_name)),
            key,
            clock.CLOCKS[clock_name][1],
        )
        for key, clock_name in CLOCK_KEYS.items()
        for flag in clock.DueFlag
    }
    lists["extended"] = _listed(
        filings.filter(state__in=OPEN_STATES, extended_days__gt=0), "statutory"
    )
    open_urgings = UrgingNotice.objects.filter(
        department=department, answered_at__isnull=True
    ).count()
    open_complaints = (
        Complaint.objects.filter(department=department)
        .exclude(status=ComplaintStatus.CLOSED)
        .count()
    )

    follow_ups = RatingFollowUp.objects.filter(department=department)
    follow_up_counts = follow_ups.aggregate(
        open=Count("pk", filter=~Q(status=FollowUpStatus.CLOSED)),
        overdue=Count("pk", filter=RatingFollowUp.overdue_q(today)),
    )
    overdue_follow_ups = list(
        follow_ups.filter(RatingFollowUp.overdue_q(today))
        .select_related("rating__filing")
        .annotate(
            item_title=F("rating__filing__item__title"),
            division_title=F("division__title"),
        )
        .order_by("contact_due", "pk")[:LIST_SIZE]
    )

    max_days = max((row["days"] or 0 for row in monthly.values()), default=0)
    rows = []
    for division in divisions:
        open_row = per_division.get(division.pk, {})
        cells = []
        for month in months:
            row = monthly.get((division.pk, month))
            rate = row["on_time"] * 100 / row["total"] if row and row["total"] else None
            days = row["days"] if row else None
            cells.append(
                {
                    "month": month,
                    "total": row["total"] if row else 0,
                    "rate": rate,
                    "rate_bar": _bar(rate, 100),
                    "days": days,
                    "days_bar": _bar(days, max_days),
                }
            )
        rating = ratings.get(division.pk)
        rows.append(
            {
                "division": division,
                "open": open_row.get("open", 0),
                "due_soon": open_row.get("due_soon", 0),
                "overdue": open_row.get("overdue", 0),
                "months": cells,
                "ratings": rating["count"] if rating else 0,
                "rating": rating["average"] if rating else None,
                "rating_bar": _bar(rating["average"], 5) if rating else 0,
                "poor": rating["poor"] if rating else 0,
            }
        )
    max_state = max(by_state.values(), default=0)
    return {
        "states": [
            {
                "state": state,
                "label": FilingState(state).label,
                "count": by_state.get(state, 0),
                "bar": _bar(by_state.get(state, 0), max_state),
            }
            for state in OPEN_STATES
        ],
        "counts": counts,
        "sections": [
            {
                "key": key,
                "label": label,
                "count": counts.get(key, 0),
                "filings": lists[key],
                "due_label": DUE_LABELS[due],
                "cases_query": query,
            }
            for key, label, due, query in SECTIONS
        ],
        "divisions": rows,
        "months": months,
        "lists": lists,
        "open_urgings": open_urgings,
        "open_complaints": open_complaints,
        "follow_ups": follow_up_counts,
        "overdue_follow_ups": overdue_follow_ups,
        "bar_width": BAR_WIDTH,
    }
