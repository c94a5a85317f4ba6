"""The clocks of a filing in working days (DESIGN §5 and §8, 行政许可法第八十二条).

A filing has three clocks, each running in its own states:

- `PRE_REVIEW` — the window accepts, refuses or sends the one-time notice within
  5 working days of receiving the materials (第三十二条); otherwise the deadline
  sweep records the filing as accepted from the day of receipt (视为受理).
- `HANDLING` — the promised time limit, from the day after acceptance, leaving out
  paused days (supplements, special procedures); the statutory date beside it moves
  when the director approves an extension (第四十二条).
- `ISSUE` — an approving decision is issued (颁发、送达) within 10 working days
  (第四十四条).

Days left are the working days after today up to and including the due date, so a
filing due today has 0 days left and one due yesterday is overdue. "Due soon" is two
working days or fewer. The same rules are expressed as date bounds (`due_soon_until`)
so that lists and the dashboard filter in the database.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.workdays import add_workdays, count_workdays
from services_catalog.inbox.models import CLOCK_STATES, FilingState

DUE_SOON_WORKDAYS = 2
PRE_REVIEW_WORKDAYS = 5
ISSUE_WORKDAYS = 10
IMMEDIATE_WORKDAYS = 0
"""即办件 are decided at the window on the day of acceptance."""


class ClockStatus(models.TextChoices):
    """Where a running clock stands (`status_of`)."""

    ON_TRACK = "on_track", _("正常")
    DUE_SOON = "due_soon", _("即将到期")
    OVERDUE = "overdue", _("已超期")
    PAUSED = "paused", _("暂停计时")


class DueFlag(models.TextChoices):
    """The two statuses that lists, panels and the dashboard flag and filter by."""

    DUE_SOON = ClockStatus.DUE_SOON.value, ClockStatus.DUE_SOON.label
    OVERDUE = ClockStatus.OVERDUE.value, ClockStatus.OVERDUE.label


class Clock(models.TextChoices):
    """The three clocks of a filing, named by the deadline each keeps."""

    PRE_REVIEW = "pre_review", _("预审期限")
    HANDLING = "handling", _("办结期限")
    ISSUE = "issue", _("送达期限")


# The module-level names the rest of the inbox compares and looks labels up with.
ON_TRACK, DUE_SOON, OVERDUE, PAUSED = ClockStatus
LABELS = dict(ClockStatus.choices)
PRE_REVIEW, HANDLING, ISSUE = Clock
CLOCKS = {
    # clock: (due date field, states in which it runs)
    PRE_REVIEW: ("pre_review_due_date", (FilingState.SUBMITTED,)),
    HANDLING: ("promised_due_date", CLOCK_STATES),
    ISSUE: ("issue_due_date", (FilingState.COMPLETED,)),
}
CLOCK_NAMES = dict(Clock.choices)


def pre_review_due(received_on):
    """The last day of pre-review for materials received on `received_on`."""
    return add_workdays(received_on, PRE_REVIEW_WORKDAYS)


def issue_due(decided_on):
    """The last day to issue an approving decision made on `decided_on`."""
    return add_workdays(decided_on, ISSUE_WORKDAYS)


def due_soon_until(today):
    """The last due date that counts as due soon on `today`."""
    return add_workdays(today, DUE_SOON_WORKDAYS).due


def overdue_q(today, clock=HANDLING):
    field, states = CLOCKS[clock]
    return Q(state__in=states, **{f"{field}__lt": today})


def due_soon_q(today, clock=HANDLING):
    field, states = CLOCKS[clock]
    return Q(
        state__in=states,
        **{f"{field}__gte": today, f"{field}__lte": due_soon_until(today)},
    )


def flag_q(flag, today, clock=HANDLING):
    """The filings whose `clock` carries `flag` (a `DueFlag`) on `today`."""
    condition = overdue_q if flag == DueFlag.OVERDUE else due_soon_q
    return condition(today, clock)


def status_of(filing, today=None, clock=HANDLING):
    """(status, days_left) of `clock` when it runs or is paused; else None.

    While a special procedure pauses the handling clock, days_left is what will
    remain when it restarts."""
    today = today or datetime.date.today()
    field, states = CLOCKS[clock]
    if clock == HANDLING and filing.state == FilingState.SUSPENDED:
        if not filing.accepted_on:
            return None
        remaining = add_workdays(
            filing.accepted_on, filing.item.promised_days, filing.pause_periods()
        ).remaining
        return PAUSED, remaining
    due = getattr(filing, field)
    if filing.state not in states or not due:
        return None
    pauses = filing.pause_periods() if clock == HANDLING else ()
    left = count_workdays(today, due, pauses)
    if due < today:
        return OVERDUE, left
    if left <= DUE_SOON_WORKDAYS:
        return DUE_SOON, left
    return ON_TRACK, left


def running_clock(filing):
    """Which clock a filing in its current state runs, or None."""
    for clock, (_field, states) in CLOCKS.items():
        if filing.state in states:
            return clock
    if filing.state == FilingState.SUSPENDED:
        return HANDLING
    return None


def current_status(filing, today=None):
    """(clock, status, days_left) of the clock the filing runs now, or None."""
    clock = running_clock(filing)
    status = status_of(filing, today, clock) if clock else None
    return (clock, *status) if status else None
