"""The rotation generator: working days only, evenly spread, unavailability
respected, rotation carried on from the previous roster."""

import datetime
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.models import WorkdayOverride
from reception.models import LeaderUnavailability
from reception.models.roster import Slot, slots_overlap
from reception.roster import Pattern, generate_roster, working_days
from tests.reception.conftest import make_department, make_leader, make_period

pytestmark = pytest.mark.django_db

D = datetime.date
NATIONAL_DAY = [D(2026, 10, day) for day in range(1, 8)]
MAKE_UP_SATURDAY = D(2026, 10, 10)


def test_no_duty_on_holidays_or_weekends_but_on_the_make_up_saturday(
    department, leaders
):
    start, end = D(2026, 9, 26), D(2026, 10, 18)

    roster = generate_roster(department, start, end, pattern=Pattern.HALF_DAYS)

    dates = {entry.date for entry in roster.entries}
    assert not dates & set(NATIONAL_DAY)
    assert MAKE_UP_SATURDAY in dates
    ordinary_weekend = {
        D(2026, 9, 26),
        D(2026, 9, 27),
        D(2026, 10, 11),
        D(2026, 10, 17),
        D(2026, 10, 18),
    }
    assert not dates & ordinary_weekend
    assert dates == set(working_days(start, end))
    per_day = Counter(entry.date for entry in roster.entries)
    assert set(per_day.values()) == {2}
    slots = {(entry.date, entry.slot) for entry in roster.entries}
    assert (MAKE_UP_SATURDAY, Slot.MORNING) in slots
    assert (MAKE_UP_SATURDAY, Slot.AFTERNOON) in slots


def test_the_calendar_override_table_is_followed(department, leaders):
    WorkdayOverride.objects.create(date=D(2026, 10, 12), is_workday=False)
    WorkdayOverride.objects.create(date=D(2026, 10, 17), is_workday=True)

    roster = generate_roster(department, D(2026, 10, 12), D(2026, 10, 18))

    dates = {entry.date for entry in roster.entries}
    assert D(2026, 10, 12) not in dates
    assert D(2026, 10, 17) in dates


@pytest.mark.parametrize("leader_count", [1, 2, 3, 4, 5, 7])
@pytest.mark.parametrize("pattern", [Pattern.HALF_DAYS, Pattern.FULL_DAYS])
def test_duties_are_spread_evenly_over_a_month(department, leader_count, pattern):
    people = [make_leader(department, f"领导{i}", order=i) for i in range(leader_count)]

    roster = generate_roster(department, D(2026, 11, 1), D(2026, 11, 30), pattern)

    counts = Counter(entry.leader_id for entry in roster.entries)
    totals = [counts[person.pk] for person in people]
    assert sum(totals) == len(working_days(D(2026, 11, 1), D(2026, 11, 30))) * (
        2 if pattern == Pattern.HALF_DAYS else 1
    )
    assert max(totals) - min(totals) <= 1


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    year=st.integers(2024, 2027),
    month=st.integers(1, 12),
    leader_count=st.integers(1, 8),
    pattern=st.sampled_from([Pattern.HALF_DAYS, Pattern.FULL_DAYS]),
)
def test_any_month_is_spread_evenly_and_worked_on_working_days_only(
    eight_leaders, year, month, leader_count, pattern
):
    department, people = eight_leaders
    people = people[:leader_count]
    start = D(year, month, 1)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(1)

    roster = generate_roster(department, start, end, pattern, leaders=people)

    counts = Counter(entry.leader_id for entry in roster.entries)
    totals = [counts[person.pk] for person in people]
    assert max(totals) - min(totals) <= 1
    assert {entry.date for entry in roster.entries} == set(working_days(start, end))
    assert not roster.unfilled


@pytest.fixture
def eight_leaders(department):
    return department, [make_leader(department, f"领导{i}", order=i) for i in range(8)]


def test_no_leader_is_given_two_duties_in_one_slot(department, leaders):
    roster = generate_roster(
        department, D(2026, 11, 1), D(2026, 11, 30), Pattern.HALF_DAYS
    )

    seen = set()
    for entry in roster.entries:
        key = (entry.leader_id, entry.date, entry.slot)
        assert key not in seen
        seen.add(key)
    # With four leaders nobody needs to take both halves of a day.
    per_leader_day = Counter((e.leader_id, e.date) for e in roster.entries)
    assert max(per_leader_day.values()) == 1


def test_unavailable_leaders_are_skipped(department, leaders):
    away = leaders[1]
    LeaderUnavailability.objects.create(
        person=away,
        start_date=D(2026, 11, 9),
        end_date=D(2026, 11, 20),
        reason="出差",
    )

    roster = generate_roster(
        department, D(2026, 11, 1), D(2026, 11, 30), Pattern.HALF_DAYS
    )

    away_dates = [e.date for e in roster.entries if e.leader_id == away.pk]
    assert away_dates, "the leader still serves outside the absence"
    assert all(not D(2026, 11, 9) <= day <= D(2026, 11, 20) for day in away_dates)
    assert not roster.unfilled
    # The others cover the absence between them, still evenly.
    counts = Counter(e.leader_id for e in roster.entries if e.leader_id != away.pk)
    assert max(counts.values()) - min(counts.values()) <= 1


def test_slots_nobody_can_take_are_reported(department, leaders):
    for leader in leaders:
        LeaderUnavailability.objects.create(
            person=leader, start_date=D(2026, 11, 10), end_date=D(2026, 11, 10)
        )

    roster = generate_roster(
        department, D(2026, 11, 9), D(2026, 11, 11), Pattern.HALF_DAYS
    )

    assert roster.unfilled == [
        (D(2026, 11, 10), Slot.MORNING),
        (D(2026, 11, 10), Slot.AFTERNOON),
    ]
    assert D(2026, 11, 10) not in {entry.date for entry in roster.entries}


def test_only_published_leaders_of_the_department_are_used(
    department, other_department, leaders
):
    make_leader(department, "草稿领导", live=False)
    make_leader(other_department, "别部门领导")

    roster = generate_roster(
        department, D(2026, 11, 1), D(2026, 11, 30), Pattern.HALF_DAYS
    )

    assert {entry.leader_id for entry in roster.entries} == {p.pk for p in leaders}


def test_rotation_carries_on_from_the_previous_roster(department, leaders):
    # In the last published roster leaders 0, 1 and 2 served, 2 most recently.
    make_period(
        department,
        D(2026, 10, 26),
        D(2026, 10, 30),
        entries=[
            (D(2026, 10, 28), Slot.FULL_DAY, leaders[0]),
            (D(2026, 10, 29), Slot.FULL_DAY, leaders[1]),
            (D(2026, 10, 30), Slot.FULL_DAY, leaders[2]),
        ],
    )

    roster = generate_roster(
        department, D(2026, 11, 2), D(2026, 11, 6), Pattern.FULL_DAYS
    )

    assert [entry.leader for entry in roster.entries] == [
        leaders[3],
        leaders[0],
        leaders[1],
        leaders[2],
        leaders[3],
    ]


def test_a_leader_on_duty_in_another_roster_is_not_double_booked(
    home_page, department, leaders
):
    # A leader moved from another department keeps that department's duties.
    former = make_department(home_page, "CC")
    moved = leaders[0]
    make_period(
        former,
        D(2026, 11, 2),
        D(2026, 11, 6),
        entries=[(D(2026, 11, 3), Slot.FULL_DAY, moved)],
    )

    roster = generate_roster(
        department, D(2026, 11, 2), D(2026, 11, 6), Pattern.HALF_DAYS, leaders=[moved]
    )

    assert D(2026, 11, 3) not in {entry.date for entry in roster.entries}
    assert (D(2026, 11, 3), Slot.MORNING) in roster.unfilled


@pytest.mark.parametrize(
    ("first", "second", "overlap"),
    [
        (Slot.MORNING, Slot.MORNING, True),
        (Slot.MORNING, Slot.AFTERNOON, False),
        (Slot.FULL_DAY, Slot.MORNING, True),
        (Slot.AFTERNOON, Slot.FULL_DAY, True),
        (Slot.FULL_DAY, Slot.FULL_DAY, True),
    ],
)
def test_slot_overlap(first, second, overlap):
    assert slots_overlap(first, second) is overlap
