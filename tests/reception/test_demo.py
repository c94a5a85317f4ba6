"""The reception demo: rosters of this and next month, twenty records, a few
appointment requests and a reception page per department; idempotent."""

import io

import pytest
from django.utils import timezone

from disclosure.demo import load_disclosure_demo
from reception.demo import load_reception_demo
from reception.models import (
    AppointmentRequest,
    ReceptionPage,
    ReceptionRecord,
    RosterEntry,
    RosterPeriod,
)
from reception.roster import month_bounds, shift_month, working_days

pytestmark = pytest.mark.django_db


def test_the_demo_builds_everything_once(home_page):
    load_disclosure_demo(home_page, io.StringIO())

    load_reception_demo(home_page, io.StringIO())
    counts = (
        RosterPeriod.objects.count(),
        RosterEntry.objects.count(),
        ReceptionRecord.objects.count(),
        AppointmentRequest.objects.count(),
        ReceptionPage.objects.count(),
    )
    load_reception_demo(home_page, io.StringIO())

    assert counts == (
        RosterPeriod.objects.count(),
        RosterEntry.objects.count(),
        ReceptionRecord.objects.count(),
        AppointmentRequest.objects.count(),
        ReceptionPage.objects.count(),
    )
    assert ReceptionPage.objects.live().count() == 2
    assert ReceptionRecord.objects.count() == 20
    assert 0 < ReceptionRecord.objects.filter(is_public=True).count() < 20
    assert AppointmentRequest.objects.count() == 6
    assert set(AppointmentRequest.objects.values_list("status", flat=True)) == {
        "pending",
        "confirmed",
        "declined",
    }
    today = timezone.localdate()
    for year, month in [
        (today.year, today.month),
        shift_month(today.year, today.month, 1),
    ]:
        first, last = month_bounds(year, month)
        for period in RosterPeriod.objects.filter(start_date=first, end_date=last):
            assert period.live
            dates = set(period.entries.values_list("date", flat=True))
            assert dates == set(working_days(first, last))
        assert RosterPeriod.objects.filter(start_date=first, live=True).count() == 2
