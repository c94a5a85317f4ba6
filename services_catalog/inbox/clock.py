"""The clock of an open filing in working days (DESIGN §5 and §8).

Days left are the working days after today up to and including the due date, so a
filing due today has 0 days left and one due yesterday is overdue. "Due soon" is two
working days or fewer. The same rules are expressed as date bounds (`due_soon_until`)
so that lists and the dashboard filter in the database.
"""

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.workdays import add_workdays, count_workdays
from services_catalog.inbox.models import CLOCK_STATES, FilingState

DUE_SOON_WORKDAYS = 2

ON_TRACK, DUE_SOON, OVERDUE, PAUSED = "on_track", "due_soon", "overdue", "paused"
LABELS = {
    ON_TRACK: _("正常"),
    DUE_SOON: _("即将到期"),
    OVERDUE: _("已超期"),
    PAUSED: _("暂停计时"),
}


def due_soon_until(today):
    """The last due date that counts as due soon on `today`."""
    return add_workdays(today, DUE_SOON_WORKDAYS).due


def overdue_q(today):
    return Q(state__in=CLOCK_STATES, promised_due_date__lt=today)


def due_soon_q(today):
    return Q(
        state__in=CLOCK_STATES,
        promised_due_date__gte=today,
        promised_due_date__lte=due_soon_until(today),
    )


def status_of(filing, today=None):
    """(status, days_left) of a filing whose clock runs or is paused; else None.

    While a special procedure pauses the clock, days_left is what will remain when
    it restarts."""
    today = today or datetime.date.today()
    if filing.state == FilingState.SUSPENDED and filing.accepted_on:
        remaining = add_workdays(
            filing.accepted_on, filing.item.promised_days, filing.pause_periods()
        ).remaining
        return PAUSED, remaining
    if filing.state not in CLOCK_STATES or not filing.promised_due_date:
        return None
    left = count_workdays(today, filing.promised_due_date, filing.pause_periods())
    if filing.promised_due_date < today:
        return OVERDUE, left
    if left <= DUE_SOON_WORKDAYS:
        return DUE_SOON, left
    return ON_TRACK, left
