"""Duty roster rules: the rotation generator, conflict checks and the published
schedule read by the reception page, the home page card, the iCal feed and the API.

`generate_roster` fills a date range with `RosterEntry` objects (not saved) by
rotation over the department's leaders (published `Person`s marked `is_leader`),
on working days only (`portal.workdays`): each slot goes to the available leader
with the fewest duties so far, ties to the one who served least recently. Leaders
marked unavailable on a date (`LeaderUnavailability`) or already on duty in another
roster at that time are skipped. `find_conflicts` is the one-leader-one-slot rule that
the admin form applies before the database constraint would refuse a save.
"""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.workdays import is_workday
from reception.models.roster import (
    LeaderUnavailability,
    RosterEntry,
    Slot,
    slot_rank,
    slots_overlap,
)


class Pattern(models.TextChoices):
    """How a generated roster fills each working day."""

    HALF_DAYS = "half_days", gettext_lazy("每个工作日上午、下午各一位领导")
    FULL_DAYS = "full_days", gettext_lazy("每个工作日一位领导全天接访")


PATTERN_SLOTS = {
    Pattern.HALF_DAYS: (Slot.MORNING, Slot.AFTERNOON),
    Pattern.FULL_DAYS: (Slot.FULL_DAY,),
}
"""The slots filled on each working day, by the pattern a clerk chooses."""

_ONE_DAY = datetime.timedelta(days=1)


def department_leaders(department):
    """The people a department can put on duty: its published leaders, in order."""
    from disclosure.models import Person

    return Person.objects.live().filter(department=department, is_leader=True)


def working_days(start, end):
    """The working days from `start` to `end`, both included."""
    days, day = [], start
    while day <= end:
        if is_workday(day):
            days.append(day)
        day += _ONE_DAY
    return days


@dataclass
class GeneratedRoster:
    """What `generate_roster` proposes: entries to save and slots nobody could take."""

    entries: list = field(default_factory=list)
    unfilled: list = field(default_factory=list)  # (date, slot) pairs

    def counts(self):
        """Duties per leader id."""
        totals = defaultdict(int)
        for entry in self.entries:
            totals[entry.leader_id] += 1
        return dict(totals)


def _busy_slots(leader_ids, start, end, exclude_period):
    """(leader id, date) → slots already held in other rosters."""
    busy = defaultdict(list)
    existing = RosterEntry.objects.filter(
        leader_id__in=leader_ids, date__gte=start, date__lte=end
    )
    if exclude_period is not None and exclude_period.pk:
        existing = existing.exclude(period=exclude_period)
    for leader_id, day, slot in existing.values_list("leader_id", "date", "slot"):
        busy[leader_id, day].append(slot)
    return busy


def _absences(leader_ids, start, end, reasons=False):
    """leader id → list of (first, last) unavailable dates overlapping the range
    (with the reason as a third item when `reasons`)."""
    absences = defaultdict(list)
    rows = LeaderUnavailability.objects.filter(
        person_id__in=leader_ids, start_date__lte=end, end_date__gte=start
    ).values_list("person_id", "start_date", "end_date", "reason")
    for person_id, first, last, reason in rows:
        absences[person_id].append((first, last, reason) if reasons else (first, last))
    return absences


def _last_served(leader_ids, before):
    """leader id → the last date each served before the range, so that a new roster
    carries the rotation on from the previous one."""
    return dict(
        RosterEntry.objects.published()
        .filter(leader_id__in=leader_ids, date__lt=before)
        .values("leader_id")
        .annotate(last=Max("date"))
        .values_list("leader_id", "last")
    )


def generate_roster(
    department,
    start,
    end,
    pattern=Pattern.HALF_DAYS,
    location="",
    scope="",
    leaders=None,
    period=None,
):
    """Propose a roster for `department` from `start` to `end` (unsaved entries).

    `pattern` fills a morning and an afternoon (`Pattern.HALF_DAYS`) or one full day
    (`Pattern.FULL_DAYS`) per working day. `leaders` defaults to `department_leaders`.
    `period` is the roster being (re)generated; its own stored entries do not count
    as busy.
    """
    leaders = list(leaders if leaders is not None else department_leaders(department))
    leader_ids = [leader.pk for leader in leaders]
    busy = _busy_slots(leader_ids, start, end, period)
    absences = _absences(leader_ids, start, end)
    last_served = _last_served(leader_ids, start)
    # Rotation order: who served longest ago (or never) first, then display order.
    order = {leader.pk: position for position, leader in enumerate(leaders)}
    never = datetime.date.min
    turn = {
        leader.pk: (last_served.get(leader.pk, never).toordinal(), order[leader.pk])
        for leader in leaders
    }
    counts = dict.fromkeys(leader_ids, 0)
    result = GeneratedRoster()
    step = 0
    for day in working_days(start, end):
        on_duty_today = set()
        for slot in PATTERN_SLOTS[pattern]:
            candidates = [
                leader
                for leader in leaders
                if not any(first <= day <= last for first, last in absences[leader.pk])
                and not any(slots_overlap(slot, held) for held in busy[leader.pk, day])
            ]
            if not candidates:
                result.unfilled.append((day, slot))
                continue
            chosen = min(
                candidates,
                key=lambda leader: (
                    counts[leader.pk],
                    leader.pk in on_duty_today,
                    turn[leader.pk],
                ),
            )
            step += 1
            counts[chosen.pk] += 1
            turn[chosen.pk] = (datetime.date.max.toordinal() + step, order[chosen.pk])
            on_duty_today.add(chosen.pk)
            busy[chosen.pk, day].append(slot)
            result.entries.append(
                RosterEntry(
                    date=day, slot=slot, leader=chosen, location=location, scope=scope
                )
            )
    return result


@dataclass(frozen=True)
class Conflict:
    """An entry that breaks the one-leader-one-slot rule, and why."""

    index: int  # position of the entry in the list checked
    message: str


def find_conflicts(entries, period=None):
    """Check `entries` (objects with `leader_id`, `date`, `slot`) against each other
    and against the stored entries of every roster other than `period`: a leader holds
    at most one entry per half day, and a full day takes both halves."""
    conflicts = []
    seen = defaultdict(list)
    for index, entry in enumerate(entries):
        for other in seen[entry.leader_id, entry.date]:
            if slots_overlap(entry.slot, other.slot):
                conflicts.append(
                    Conflict(index, _("同一领导在同一时段只能安排一次值班。"))
                )
                break
        seen[entry.leader_id, entry.date].append(entry)
    if not entries:
        return conflicts
    dates = [entry.date for entry in entries]
    stored = RosterEntry.objects.filter(
        leader_id__in={entry.leader_id for entry in entries},
        date__gte=min(dates),
        date__lte=max(dates),
    ).select_related("period")
    if period is not None and period.pk:
        stored = stored.exclude(period=period)
    held = defaultdict(list)
    for other in stored:
        held[other.leader_id, other.date].append(other)
    for index, entry in enumerate(entries):
        for other in held[entry.leader_id, entry.date]:
            if slots_overlap(entry.slot, other.slot):
                conflicts.append(
                    Conflict(
                        index,
                        _("该领导在“%(period)s”中已安排了这一时段的值班。")
                        % {"period": other.period},
                    )
                )
                break
    return conflicts


def unavailable_leaders(entries):
    """(leader id, date) → reason, for the entries whose leader is marked
    unavailable on their date."""
    if not entries:
        return {}
    dates = [entry.date for entry in entries]
    absences = _absences(
        {entry.leader_id for entry in entries}, min(dates), max(dates), reasons=True
    )
    return {
        (entry.leader_id, entry.date): reason
        for entry in entries
        for first, last, reason in absences[entry.leader_id]
        if first <= entry.date <= last
    }


# The published schedule -------------------------------------------------------------


@dataclass
class DutyDay:
    """One date of the public schedule with its published entries."""

    date: datetime.date
    is_workday: bool
    entries: list

    @property
    def is_today(self):
        return self.date == timezone.localdate()


def published_entries(department, start, end):
    """Published entries of `department` (or of every department when None)."""
    entries = RosterEntry.objects.published().between(start, end)
    if department is not None:
        entries = entries.of_department(department)
    return entries.in_display_order()


def duty_days(department, start, end, workdays_only=True):
    """The schedule from `start` to `end` as `DutyDay`s (working days only, unless a
    published entry falls on another day)."""
    by_date = defaultdict(list)
    for entry in published_entries(department, start, end):
        by_date[entry.date].append(entry)
    days, day = [], start
    while day <= end:
        workday = is_workday(day)
        if workday or by_date.get(day) or not workdays_only:
            entries = sorted(by_date.get(day, []), key=lambda e: slot_rank(e.slot))
            days.append(DutyDay(day, workday, entries))
        day += _ONE_DAY
    return days


def week_bounds(day):
    """Monday and Sunday of the week holding `day`."""
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def month_bounds(year, month):
    """First and last day of a month."""
    return (
        datetime.date(year, month, 1),
        datetime.date(year, month, calendar.monthrange(year, month)[1]),
    )


def parse_month(value, default):
    """`YYYY-MM` as (year, month), or `default` for anything else."""
    try:
        parsed = datetime.datetime.strptime(value or "", "%Y-%m")
    except ValueError:
        return default
    if not 2000 <= parsed.year <= 2100:
        return default
    return parsed.year, parsed.month


def shift_month(year, month, delta):
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def published_periods(department, start, end):
    """The live rosters of `department` covering any date from `start` to `end`."""
    from reception.models import RosterPeriod

    return RosterPeriod.objects.filter(
        department=department, live=True, start_date__lte=end, end_date__gte=start
    ).order_by("start_date")


def roster_status(department, start, end):
    """When the roster shown for the range was last published (or None), and the
    notes of its periods."""
    periods = list(published_periods(department, start, end))
    published = [period.last_published_at for period in periods]
    return {
        "roster_updated_at": max(filter(None, published), default=None),
        "roster_notes": [period.note for period in periods if period.note],
    }
