"""Public monthly statistics of service ratings (好差评, DESIGN §5 and issue 17):
per department, or per item, per month — how many ratings, the share of each
grade, the average, how many were bad (1–2) and how many of those were followed up
(差评整改 closed with its reply to the applicant).

One aggregate query whatever the number of ratings; months without ratings are
listed with zeros. Used by the public page (`rating_views`), its CSV and XLSX
downloads and `GET /api/v1/ratings/` (`statistics_api`). No case-level data.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth

from services_catalog.inbox.models import (
    BAD_SCORE,
    FollowUpStatus,
    Rating,
)

MONTHS = 12
GRADES = (5, 4, 3, 2, 1)
BAR_WIDTH = 400
"""The width of a month's bar in the chart, in SVG units (100 %)."""
LABEL_WIDTH = 80
ROW_HEIGHT = 24
VALUE_WIDTH = 110


def months_back(today, count=MONTHS):
    """The first days of the last `count` months, oldest first, ending with
    `today`'s month."""
    first = today.replace(day=1)
    months = [first]
    for _step in range(count - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        months.append(first)
    return list(reversed(months))


@dataclass
class Month:
    """One month of ratings."""

    month: datetime.date
    count: int = 0
    average: float | None = None
    bad: int = 0
    followed_up: int = 0
    grades: dict = field(default_factory=lambda: dict.fromkeys(GRADES, 0))

    @property
    def label(self):
        return f"{self.month:%Y-%m}"

    def share(self, grade):
        """Percentage of the month's ratings with `grade` (0 when none)."""
        return self.grades[grade] * 100 / self.count if self.count else 0

    @property
    def follow_up_rate(self):
        return self.followed_up * 100 / self.bad if self.bad else None

    def grade_cells(self):
        """(grade, its name, count, percentage) of each grade, best first, for the
        table."""
        return [
            (grade, label, self.grades[grade], self.share(grade))
            for grade, label in grade_labels()
        ]

    def segments(self):
        """The chart's stacked bar: (grade, x, width) of each grade present."""
        x = float(LABEL_WIDTH)
        segments = []
        for grade in GRADES:
            width = BAR_WIDTH * self.share(grade) / 100
            if width:
                segments.append((grade, round(x, 2), round(width, 2)))
            x += width
        return segments


def grade_labels():
    """(grade, its name) of each grade, best first."""
    return [(grade, Rating.Score(grade).label) for grade in GRADES]


def chart(months):
    """The geometry of the SVG chart: one row per month, oldest first."""
    return {
        "width": LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH,
        "height": ROW_HEIGHT * len(months),
        "bar_width": BAR_WIDTH,
        "bar_x": LABEL_WIDTH,
        "value_x": LABEL_WIDTH + BAR_WIDTH + 8,
        "rows": [
            {"month": month, "y": index * ROW_HEIGHT}
            for index, month in enumerate(months)
        ],
    }


def ratings_of(department, item=None):
    ratings = Rating.objects.filter(filing__department=department)
    if item is not None:
        ratings = ratings.filter(filing__item=item)
    return ratings


def monthly(ratings, today, count=MONTHS):
    """The last `count` months of `ratings` (a Rating queryset), oldest first."""
    months = months_back(today, count)
    rows = {month: Month(month) for month in months}
    aggregates = {
        f"grade_{grade}": Count("pk", filter=Q(score=grade)) for grade in GRADES
    }
    for row in (
        ratings.filter(created_at__date__gte=months[0])
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(
            count=Count("pk"),
            average=Avg("score"),
            bad=Count("pk", filter=Q(score__lte=BAD_SCORE)),
            followed_up=Count(
                "pk",
                filter=Q(score__lte=BAD_SCORE, follow_up__status=FollowUpStatus.CLOSED),
            ),
            **aggregates,
        )
    ):
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        target = rows.get(month)
        if target is None:
            continue
        target.count = row["count"]
        target.average = round(float(row["average"]), 2) if row["average"] else None
        target.bad = row["bad"]
        target.followed_up = row["followed_up"]
        target.grades = {grade: row[f"grade_{grade}"] for grade in GRADES}
    return [rows[month] for month in months]


def totals(months):
    """The period's figures, summed over `months`."""
    total = Month(months[0].month if months else None)
    for month in months:
        total.count += month.count
        total.bad += month.bad
        total.followed_up += month.followed_up
        for grade in GRADES:
            total.grades[grade] += month.grades[grade]
    if total.count:
        total.average = round(
            sum(grade * n for grade, n in total.grades.items()) / total.count, 2
        )
    return total
