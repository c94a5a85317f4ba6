"""The iCal feed: valid for calendar clients, one event per published entry."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from reception.models.roster import Slot
from tests.reception.conftest import make_period, next_workday

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")


def feed(client, page):
    response = client.get(page.url + "ical/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


@pytest.fixture
def roster(department, leaders):
    first = next_workday()
    second = next_workday(first)
    return make_period(
        department,
        first,
        second + datetime.timedelta(days=7),
        entries=[
            (first, Slot.MORNING, leaders[0]),
            (first, Slot.AFTERNOON, leaders[1]),
            (second, Slot.FULL_DAY, leaders[2]),
        ],
    )


def test_the_feed_has_one_event_per_published_entry(client, reception_page, roster):
    calendar = feed(client, reception_page)

    events = calendar.walk("VEVENT")
    assert len(events) == roster.entries.count() == 3
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    uids = [str(event["UID"]) for event in events]
    assert len(set(uids)) == 3
    for event in events:
        assert event["DTSTAMP"].dt.tzinfo is not None
        assert str(event["SUMMARY"]).startswith("领导接访")


def test_events_are_at_reception_hours_in_beijing_time(client, reception_page, roster):
    events = feed(client, reception_page).walk("VEVENT")

    entries = list(roster.entries.order_by("date", "slot"))
    hours = {
        (
            event["DTSTART"].dt.date(),
            event["DTSTART"].dt.time(),
            event["DTEND"].dt.time(),
        )
        for event in events
    }
    first, second = entries[0].date, entries[-1].date
    assert hours == {
        (first, datetime.time(8, 30), datetime.time(11, 30)),
        (first, datetime.time(13, 30), datetime.time(17, 0)),
        (second, datetime.time(8, 30), datetime.time(17, 0)),
    }
    for event in events:
        assert event["DTSTART"].dt.utcoffset() == datetime.timedelta(hours=8)
        assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"


def test_uids_stay_the_same_when_the_roster_is_republished(
    client, reception_page, roster, leaders
):
    before = {
        str(e["UID"]): str(e["SUMMARY"])
        for e in feed(client, reception_page).walk("VEVENT")
    }
    draft = roster.get_latest_revision_as_object()
    entries = list(draft.entries.all())
    entries[0].leader = leaders[3]
    draft.entries = entries
    draft.save_revision().publish()

    after = {
        str(e["UID"]): str(e["SUMMARY"])
        for e in feed(client, reception_page).walk("VEVENT")
    }

    assert set(after) == set(before)
    assert any(leaders[3].name in summary for summary in after.values())


def test_draft_rosters_and_other_departments_stay_out_of_the_feed(
    client, department, other_department, leaders, reception_page
):
    from tests.reception.conftest import make_leader

    day = next_workday()
    make_period(
        department, day, day, entries=[(day, Slot.MORNING, leaders[0])], live=False
    )
    stranger = make_leader(other_department, "乙局领导")
    make_period(other_department, day, day, entries=[(day, Slot.MORNING, stranger)])

    assert feed(client, reception_page).walk("VEVENT") == []
