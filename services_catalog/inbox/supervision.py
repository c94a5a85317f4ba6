"""The supervision dashboard's numbers (监察室, DESIGN §5), aggregated in the
database: the number of queries does not grow with the number of filings.

`dashboard(department, today)` returns open filings by state, due-soon and overdue
counts and lists per division, the on-time completion rate and the average handling
time (working days) per division and month, and the ratings per division; `bars`
turns a share into the width of a bar drawn as inline SVG by the template.
"""

import datetime

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth

from disclosure.models import DivisionPage
from services_catalog.inbox import clock
from services_catalog.inbox.models import (
    OPEN_STATES,
    Complaint,
    ComplaintStatus,
    Filing,
    FilingState,
    Rating,
    UrgingNotice,
)

MONTHS = 6
LIST_SIZE = 20
BAR_WIDTH = 120


def _months_back(today, count):
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        months.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def _bar(value, maximum):
    if not maximum or value is None:
        return 0
    return round(BAR_WIDTH * float(value) / float(maximum))


def dashboard(department, today):
    filings = Filing.objects.filter(department=department)
    divisions = list(DivisionPage.objects.child_of(department).order_by("path"))
    by_state = dict(
        filings.filter(state__in=OPEN_STATES)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    per_division = {
        row["lead_division"]: row
        for row in filings.filter(state__in=OPEN_STATES)
        .values("lead_division")
        .annotate(
            open=Count("pk"),
            due_soon=Count("pk", filter=clock.due_soon_q(today)),
            overdue=Count("pk", filter=clock.overdue_q(today)),
        )
    }
    months = _months_back(today, MONTHS)
    monthly = {}
    for row in (
        filings.filter(completed_on__gte=months[0])
        .annotate(month=TruncMonth("completed_on"))
        .values("lead_division", "month")
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=Q(completed_on_time=True)),
            days=Avg("handling_workdays"),
        )
    ):
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        monthly[(row["lead_division"], month)] = row
    ratings = {
        row["filing__lead_division"]: row
        for row in Rating.objects.filter(filing__department=department)
        .values("filing__lead_division")
        .annotate(
            count=Count("pk"),
            average=Avg("score"),
            poor=Count("pk", filter=Q(score__lte=2)),
        )
    }
    counts = Filing.objects.filter(department=department).aggregate(
        due_soon=Count("pk", filter=clock.due_soon_q(today)),
        overdue=Count("pk", filter=clock.overdue_q(today)),
        open=Count("pk", filter=Q(state__in=OPEN_STATES)),
    )
    lists = {
        "due_soon": list(
            filings.filter(clock.due_soon_q(today))
            .select_related("item", "lead_division")
            .order_by("promised_due_date", "pk")[:LIST_SIZE]
        ),
        "overdue": list(
            filings.filter(clock.overdue_q(today))
            .select_related("item", "lead_division")
            .order_by("promised_due_date", "pk")[:LIST_SIZE]
        ),
    }
    open_urgings = UrgingNotice.objects.filter(
        department=department, answered_at__isnull=True
    ).count()
    open_complaints = (
        Complaint.objects.filter(department=department)
        .exclude(status=ComplaintStatus.CLOSED)
        .count()
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
        "divisions": rows,
        "months": months,
        "lists": lists,
        "open_urgings": open_urgings,
        "open_complaints": open_complaints,
        "bar_width": BAR_WIDTH,
    }
