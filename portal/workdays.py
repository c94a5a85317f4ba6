"""The working-day calendar (工作日历, DESIGN §8): which days count towards a limit.

Used by the filing clock (promised and statutory due dates), the `workdays` management
command and the `workdays/add` API.

A day is a working day when, in order of precedence:

1. a `WorkdayOverride` row for that date says so (entered by an administrator from the
   State Council's notice; it wins over everything else);
2. otherwise the `holidays` package's China calendar makes it a make-up working day
   (调休上班, a Saturday or Sunday worked in exchange for a longer holiday) or an
   official holiday (放假);
3. otherwise Monday to Friday are working days and weekends are not.

A year's schedule counts as confirmed only when a `WorkdayYear` row marks it so; for
other years the library's rules are an estimate, and results that reach into them say
so through their `confirmed` flag.

Speed: the library's data is computed once per year and kept for the life of the
process; the override table and the confirmed years are read with one query each per
call and, outside transactions, kept until a change to either model commits. The
change bumps a version number in Django's cache, so every worker process reloads.
"""

from __future__ import annotations

import datetime
import functools
import uuid
from collections.abc import Iterable
from typing import NamedTuple

import holidays
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from holidays.constants import PUBLIC

from portal.models import WorkdayOverride, WorkdayYear

MAX_WORKDAYS = 3650
"""The longest time limit `add_workdays` accepts, in working days (about 14 years)."""

FIRST_YEAR = 1990
LAST_YEAR = 2100
"""The calendar answers for dates in these years only (the library's lunar calendar
ends in 2100, and `WorkdayYear` accepts the same range)."""

_ONE_DAY = datetime.timedelta(days=1)
_VERSION_KEY = "portal:workdays:version"

Pause = tuple[datetime.date, datetime.date | None]
"""A period when the clock stands still: first and last paused day, both included;
`None` as the last day means the clock has not restarted yet."""


class WorkdayError(ValueError):
    """A request the calendar cannot answer; the message is in Chinese, for users."""


class Deadline(NamedTuple):
    """The answer of `add_workdays`."""

    due: datetime.date | None
    """The due date; `None` when the clock is stopped by a pause that has not ended."""
    confirmed: bool
    """True when every year from the start to the due date (or, while the clock is
    stopped, to the start of that pause) has a confirmed holiday schedule."""
    remaining: int
    """Working days still to run when the clock restarts (0 once `due` is known)."""


@functools.cache
def _library_year(
    year: int,
) -> tuple[frozenset[datetime.date], frozenset[datetime.date]]:
    """The library's official holidays and make-up working days of `year`."""
    calendar = holidays.China(years=year, categories=(PUBLIC,))
    days_off = frozenset(day for day in calendar if day.year == year)
    # `weekend_workdays` also holds cross-year make-up days of other years.
    make_up_days = frozenset(
        day for day in calendar.weekend_workdays if day.year == year
    )
    return days_off, make_up_days


class _Adjustments(NamedTuple):
    """What administrators entered: overrides by date and the confirmed years."""

    version: str | None
    overrides: dict[datetime.date, bool]
    confirmed_years: frozenset[int]


_adjustments: _Adjustments | None = None


def _current_adjustments() -> _Adjustments:
    """The administrators' data, read again only after a change in any process.

    Inside a transaction the rows are always read afresh and not kept: that
    transaction may have changed them and may still roll back."""
    global _adjustments
    version = cache.get(_VERSION_KEY)
    cached = _adjustments
    in_transaction = transaction.get_connection().in_atomic_block
    if cached is not None and cached.version == version and not in_transaction:
        return cached
    fresh = _Adjustments(
        version=version,
        overrides=dict(WorkdayOverride.objects.values_list("date", "is_workday")),
        confirmed_years=frozenset(
            WorkdayYear.objects.filter(confirmed=True).values_list("year", flat=True)
        ),
    )
    if not in_transaction:
        _adjustments = fresh
    return fresh


def clear_cache() -> None:
    """Forget the administrators' data in this process and tell the other processes
    to do the same. Runs when a `WorkdayOverride` or `WorkdayYear` change commits."""
    global _adjustments
    _adjustments = None
    cache.set(_VERSION_KEY, uuid.uuid4().hex, timeout=None)


@receiver(post_save, sender=WorkdayOverride, dispatch_uid="workdays-override-saved")
@receiver(post_delete, sender=WorkdayOverride, dispatch_uid="workdays-override-gone")
@receiver(post_save, sender=WorkdayYear, dispatch_uid="workdays-year-saved")
@receiver(post_delete, sender=WorkdayYear, dispatch_uid="workdays-year-gone")
def _calendar_data_changed(using, **kwargs) -> None:
    transaction.on_commit(clear_cache, using=using)


def _check_in_range(day: datetime.date) -> None:
    if isinstance(day, datetime.datetime):
        # Which day a moment falls on depends on the time zone: the caller decides.
        raise TypeError("The calendar takes dates; use timezone.localdate(moment).")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise WorkdayError(
            f"日期 {day:%Y-%m-%d} 超出工作日历的范围"
            f"（{FIRST_YEAR} 年至 {LAST_YEAR} 年）。"
        )


def _is_workday(day: datetime.date, adjustments: _Adjustments) -> bool:
    _check_in_range(day)
    override = adjustments.overrides.get(day)
    if override is not None:
        return override
    days_off, make_up_days = _library_year(day.year)
    if day.weekday() >= 5:
        return day in make_up_days
    return day not in days_off


def is_workday(day: datetime.date) -> bool:
    """Whether `day` is a working day (see the module docstring for the rules).

    Raises `WorkdayError` for a date outside the calendar's years."""
    return _is_workday(day, _current_adjustments())


def _check_pauses(paused: Iterable[Pause]) -> list[Pause]:
    pauses = list(paused)
    for first, last in pauses:
        if last is not None and last < first:
            raise WorkdayError(
                f"暂停期间的结束日 {last:%Y-%m-%d} 早于开始日 {first:%Y-%m-%d}。"
            )
    return pauses


def _is_paused(day: datetime.date, pauses: list[Pause]) -> bool:
    return any(first <= day and (last is None or day <= last) for first, last in pauses)


def _open_pause_start(
    after: datetime.date, pauses: list[Pause]
) -> datetime.date | None:
    """The first day after `after` from which the clock never runs again, if any."""
    starts = [max(first, after + _ONE_DAY) for first, last in pauses if last is None]
    return min(starts, default=None)


def add_workdays(
    start: datetime.date, n: int, paused: Iterable[Pause] = ()
) -> Deadline:
    """The date on which a time limit of `n` working days ends.

    The start day itself never counts (a limit counted from acceptance starts the day
    after): the due date is the `n`-th working day after `start`, so `n = 0` gives
    `start` itself. Days inside a paused period (补正、特别程序, DESIGN §5) do not
    count; when the clock restarts, the remaining days count from the next working day.
    If a pause has no end, the clock is still stopped: the answer has no due date and
    says how many working days remain.

    Raises `WorkdayError` when `n` is not between 0 and `MAX_WORKDAYS`, when a pause
    ends before it starts, or when the count leaves the calendar's years.
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_WORKDAYS:
        raise WorkdayError(
            f"工作日天数应为 0 至 {MAX_WORKDAYS} 之间的整数，收到：{n!r}。"
        )
    _check_in_range(start)
    pauses = _check_pauses(paused)
    adjustments = _current_adjustments()
    stopped_from = _open_pause_start(start, pauses)
    day, remaining = start, n
    while remaining:
        if stopped_from is not None and day + _ONE_DAY >= stopped_from:
            confirmed = not _unconfirmed_years(start, stopped_from, adjustments)
            return Deadline(due=None, confirmed=confirmed, remaining=remaining)
        day += _ONE_DAY
        if _is_workday(day, adjustments) and not _is_paused(day, pauses):
            remaining -= 1
    return Deadline(
        due=day,
        confirmed=not _unconfirmed_years(start, day, adjustments),
        remaining=0,
    )


def count_workdays(
    start: datetime.date, end: datetime.date, paused: Iterable[Pause] = ()
) -> int:
    """How many working days run after `start` up to and including `end`, leaving out
    paused days: the inverse of `add_workdays`, so
    `count_workdays(s, add_workdays(s, n).due) == n`.

    The result is 0 when `end == start` and negative when `end` is before `start`
    (`count_workdays(a, b) == -count_workdays(b, a)`): counted from the due date to
    today it is how many working days a case is overdue.

    Raises `WorkdayError` for a pause that ends before it starts or a date outside the
    calendar's years.
    """
    if end < start:
        return -count_workdays(end, start, paused)
    _check_in_range(start)
    _check_in_range(end)
    pauses = _check_pauses(paused)
    adjustments = _current_adjustments()
    count, day = 0, start
    while day < end:
        day += _ONE_DAY
        if _is_workday(day, adjustments) and not _is_paused(day, pauses):
            count += 1
    return count


def _unconfirmed_years(
    start: datetime.date, end: datetime.date, adjustments: _Adjustments
) -> list[int]:
    first, last = sorted((start.year, end.year))
    return [
        year
        for year in range(first, last + 1)
        if year not in adjustments.confirmed_years
    ]


def unconfirmed_years(start: datetime.date, end: datetime.date) -> list[int]:
    """The years from `start` to `end` (in either order) whose holiday schedule is
    not confirmed by a `WorkdayYear` row, so that the calendar only estimates them."""
    return _unconfirmed_years(start, end, _current_adjustments())


def years_confirmed(start: datetime.date, end: datetime.date) -> bool:
    """Whether every year from `start` to `end` (in either order) has its holiday
    schedule marked as confirmed by a `WorkdayYear` row."""
    return not unconfirmed_years(start, end)
