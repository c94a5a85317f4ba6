"""Every department side by side, per month (第十点: what the departments report to
the provincial government office): whether it has published its implementation
measures (实施办法) and its service commitments, its number of live items, and for
the month the filings completed, the on-time rate, the average handling time in
working days, the complaints received, the rating average and the bad-rating
follow-up rate; the open filings overdue now.

Aggregated in the database, a fixed number of queries whatever the number of
departments and filings. Used by the provincial office's admin view and workbook
(`overview_views`) and by the open data `GET /api/v1/departments/`
(`statistics_api`): figures only, never a case.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, Q
from django.utils import timezone

from disclosure.models import ContentPage, DepartmentPage
from services_catalog.inbox import clock
from services_catalog.inbox.models import (
    BAD_SCORE,
    Complaint,
    Filing,
    FollowUpStatus,
    Rating,
)
from services_catalog.inbox.rating_stats import months_back
from services_catalog.models import ServiceItemPage

BAR_WIDTH = 160


@dataclass
class DepartmentFigures:
    """One department's row of the overview for one month."""

    department: DepartmentPage
    month: datetime.date
    measures_published: bool = False
    commitments_published: bool = False
    items: int = 0
    completed: int = 0
    on_time: int = 0
    average_days: float | None = None
    overdue: int = 0
    complaints: int = 0
    ratings: int = 0
    rating_average: float | None = None
    bad_ratings: int = 0
    followed_up: int = 0

    @property
    def on_time_rate(self):
        return round(self.on_time * 100 / self.completed, 1) if self.completed else None

    @property
    def follow_up_rate(self):
        return (
            round(self.followed_up * 100 / self.bad_ratings, 1)
            if self.bad_ratings
            else None
        )

    @property
    def on_time_bar(self):
        return round(BAR_WIDTH * (self.on_time_rate or 0) / 100)

    @property
    def rating_bar(self):
        return round(BAR_WIDTH * (self.rating_average or 0) / 5)

    def as_dict(self):
        return {
            "code": self.department.code,
            "name": self.department.title,
            "month": f"{self.month:%Y-%m}",
            "measures_published": self.measures_published,
            "commitments_published": self.commitments_published,
            "items": self.items,
            "completed": self.completed,
            "on_time_rate": self.on_time_rate,
            "average_handling_days": self.average_days,
            "overdue": self.overdue,
            "complaints": self.complaints,
            "ratings": self.ratings,
            "rating_average": self.rating_average,
            "bad_ratings": self.bad_ratings,
            "follow_up_rate": self.follow_up_rate,
        }


def month_bounds(month):
    """First day of `month` and first day of the next."""
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return month, following


def _counts(queryset, key, **aggregates):
    return {row[key]: row for row in queryset.values(key).annotate(**aggregates)}


def _published_kinds():
    """{parent page path: set of kinds of its live content pages}."""
    kinds = {}
    for path, kind in ContentPage.objects.live().values_list("path", "kind"):
        kinds.setdefault(path[: -ContentPage.steplen], set()).add(kind)
    return kinds


def _item_counts(departments):
    counts = dict.fromkeys((d.path for d in departments), 0)
    for path in ServiceItemPage.objects.live().values_list("path", flat=True):
        for department_path in counts:
            if path.startswith(department_path):
                counts[department_path] += 1
                break
    return counts


def overview(month, today=None):
    """The rows of every live department for `month` (its first day), in tree
    order."""
    today = today or timezone.localdate()
    start, end = month_bounds(month)
    departments = list(DepartmentPage.objects.live().order_by("path"))
    kinds = _published_kinds()
    items = _item_counts(departments)
    completed = _counts(
        Filing.objects.filter(completed_on__gte=start, completed_on__lt=end),
        "department",
        total=Count("pk"),
        on_time=Count("pk", filter=Q(completed_on_time=True)),
        days=Avg("handling_workdays"),
    )
    overdue = _counts(
        Filing.objects.filter(clock.overdue_q(today)), "department", n=Count("pk")
    )
    complaints = _counts(
        Complaint.objects.filter(created_at__date__gte=start, created_at__date__lt=end),
        "department",
        n=Count("pk"),
    )
    ratings = _counts(
        Rating.objects.filter(created_at__date__gte=start, created_at__date__lt=end),
        "filing__department",
        n=Count("pk"),
        average=Avg("score"),
        bad=Count("pk", filter=Q(score__lte=BAD_SCORE)),
        followed_up=Count(
            "pk",
            filter=Q(score__lte=BAD_SCORE, follow_up__status=FollowUpStatus.CLOSED),
        ),
    )
    rows = []
    for department in departments:
        done = completed.get(department.pk, {})
        rated = ratings.get(department.pk, {})
        published = kinds.get(department.path, set())
        rows.append(
            DepartmentFigures(
                department=department,
                month=month,
                measures_published=ContentPage.Kind.MEASURES in published,
                commitments_published=bool(department.commitments)
                or ContentPage.Kind.COMMITMENT in published,
                items=items.get(department.path, 0),
                completed=done.get("total", 0),
                on_time=done.get("on_time", 0),
                average_days=round(float(done["days"]), 1)
                if done.get("days") is not None
                else None,
                overdue=overdue.get(department.pk, {}).get("n", 0),
                complaints=complaints.get(department.pk, {}).get("n", 0),
                ratings=rated.get("n", 0),
                rating_average=round(float(rated["average"]), 2)
                if rated.get("average") is not None
                else None,
                bad_ratings=rated.get("bad", 0),
                followed_up=rated.get("followed_up", 0),
            )
        )
    return rows


def months_offered(today):
    """The months one may choose, newest first."""
    return list(reversed(months_back(today)))


def parse_month(value, today):
    """`value` (YYYY-MM) as the first day of an offered month, else this month."""
    try:
        month = datetime.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return today.replace(day=1)
    return month if month in months_offered(today) else today.replace(day=1)
