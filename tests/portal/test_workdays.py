"""The working-day calendar: make-up days, holidays, overrides, pauses and bounds."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.models import WorkdayOverride, WorkdayYear
from portal.workdays import (
    MAX_WORKDAYS,
    Deadline,
    WorkdayError,
    add_workdays,
    count_workdays,
    is_workday,
    unconfirmed_years,
    years_confirmed,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def days_of(year):
    day = D(year, 1, 1)
    while day.year == year:
        yield day
        day += datetime.timedelta(days=1)


# 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号).
MAKE_UP_DAYS_2026 = {
    D(2026, 1, 4),
    D(2026, 2, 14),
    D(2026, 2, 28),
    D(2026, 5, 9),
    D(2026, 9, 20),
    D(2026, 10, 10),
}
WEEKDAYS_OFF_2026 = {
    D(2026, 1, 1),
    D(2026, 1, 2),
    *(D(2026, 2, day) for day in (16, 17, 18, 19, 20, 23)),
    D(2026, 4, 6),
    D(2026, 5, 1),
    D(2026, 5, 4),
    D(2026, 5, 5),
    D(2026, 6, 19),
    D(2026, 9, 25),
    *(D(2026, 10, day) for day in (1, 2, 5, 6, 7)),
}


def test_2026_follows_the_state_council_notice():
    days = list(days_of(2026))
    weekends_worked = {d for d in days if d.weekday() >= 5 and is_workday(d)}
    weekdays_off = {d for d in days if d.weekday() < 5 and not is_workday(d)}
    assert weekends_worked == MAKE_UP_DAYS_2026
    assert weekdays_off == WEEKDAYS_OFF_2026


@pytest.mark.parametrize("day", sorted(MAKE_UP_DAYS_2026))
def test_make_up_days_are_worked(day):
    assert day.weekday() >= 5
    assert is_workday(day)


def test_national_day_week_is_off_and_ordinary_weekends_too():
    assert not any(is_workday(D(2026, 10, day)) for day in range(1, 8))
    assert not is_workday(D(2026, 9, 26))  # an ordinary Saturday
    assert not is_workday(D(2026, 9, 27))  # an ordinary Sunday
    assert is_workday(D(2026, 9, 29))  # an ordinary Tuesday


def test_the_issue_examples():
    assert add_workdays(D(2026, 9, 28), 5) == Deadline(D(2026, 10, 10), True, 0)
    deadline = add_workdays(D(2026, 12, 30), 2)
    assert deadline.due == D(2027, 1, 4)
    assert deadline.confirmed is False


def test_start_day_does_not_count_and_zero_days_is_the_start():
    friday = D(2026, 3, 6)
    assert add_workdays(friday, 1).due == D(2026, 3, 9)
    assert add_workdays(friday, 0).due == friday
    assert add_workdays(D(2026, 10, 3), 0).due == D(2026, 10, 3)


def test_year_boundary_with_a_make_up_sunday():
    # 1-3 January 2026 are off; Sunday 4 January is worked.
    assert add_workdays(D(2025, 12, 31), 1) == Deadline(D(2026, 1, 4), True, 0)
    assert add_workdays(D(2025, 12, 30), 2).due == D(2026, 1, 4)


def test_spring_festival_is_skipped():
    # Fri 13 Feb, Sat 14 Feb (worked), then 15-23 Feb off.
    assert add_workdays(D(2026, 2, 12), 2).due == D(2026, 2, 14)
    assert add_workdays(D(2026, 2, 12), 3).due == D(2026, 2, 24)


def test_confirmed_years_come_from_workday_year_rows():
    assert years_confirmed(D(2020, 1, 1), D(2026, 12, 31))
    assert not years_confirmed(D(2019, 12, 31), D(2020, 1, 1))
    assert not years_confirmed(D(2027, 1, 1), D(2026, 6, 1))  # either order
    assert unconfirmed_years(D(2026, 1, 1), D(2028, 1, 1)) == [2027, 2028]
    WorkdayYear.objects.create(year=2027, confirmed=True, note="已公布")
    assert add_workdays(D(2026, 12, 30), 2).confirmed is True
    WorkdayYear.objects.filter(year=2026).update(confirmed=False)
    assert add_workdays(D(2026, 9, 28), 5).confirmed is False


def test_confirmed_years_have_their_make_up_days_in_the_library():
    # The data migration confirms these years because the library carries each
    # year's notice, make-up working days included.
    years = WorkdayYear.objects.filter(confirmed=True).values_list("year", flat=True)
    assert set(years) >= set(range(2020, 2027))
    for year in years:
        assert any(d.weekday() >= 5 and is_workday(d) for d in days_of(year)), year


def test_overrides_win_over_everything():
    WorkdayOverride.objects.create(date=D(2026, 10, 10), is_workday=False)
    WorkdayOverride.objects.create(date=D(2026, 10, 7), is_workday=True)
    WorkdayOverride.objects.create(date=D(2026, 9, 29), is_workday=False)
    WorkdayOverride.objects.create(date=D(2026, 9, 26), is_workday=True)
    assert not is_workday(D(2026, 10, 10))  # a make-up day cancelled
    assert is_workday(D(2026, 10, 7))  # a holiday worked
    assert not is_workday(D(2026, 9, 29))  # a weekday off
    assert is_workday(D(2026, 9, 26))  # a Saturday worked
    # Sat 26 Sep, Mon 28 Sep, Wed 30 Sep, Wed 7 Oct, Thu 8 Oct.
    assert add_workdays(D(2026, 9, 25), 5).due == D(2026, 10, 8)


def test_deleting_an_override_restores_the_library_day():
    override = WorkdayOverride.objects.create(date=D(2026, 9, 20), is_workday=False)
    assert not is_workday(D(2026, 9, 20))
    override.delete()
    assert is_workday(D(2026, 9, 20))


def test_adding_does_not_query_per_day(django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        deadline = add_workdays(D(2026, 1, 1), MAX_WORKDAYS)
    assert deadline.due.year == 2040


# serialized_rollback like every transactional test here: a flush without it
# re-creates the content types under new ids, and the next test that restores the
# serialized database then collides with them.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_cache_is_kept_and_dropped_when_the_calendar_changes(
    django_assert_num_queries,
):
    WorkdayYear.objects.update_or_create(year=2026, defaults={"confirmed": True})
    # Outside a transaction the calendar keeps what it read...
    assert add_workdays(D(2026, 9, 28), 5) == Deadline(D(2026, 10, 10), True, 0)
    with django_assert_num_queries(0):
        assert is_workday(D(2026, 9, 20))
    # ...until an override or a year changes.
    override = WorkdayOverride.objects.create(date=D(2026, 9, 20), is_workday=False)
    assert not is_workday(D(2026, 9, 20))
    override.is_workday = True
    override.save()
    assert is_workday(D(2026, 9, 20))
    override.delete()
    WorkdayYear.objects.filter(year=2026).delete()
    assert add_workdays(D(2026, 9, 28), 5) == Deadline(D(2026, 10, 10), False, 0)
    # A change seen inside a transaction that then rolls back is not kept.
    with pytest.raises(RuntimeError), transaction.atomic():
        WorkdayOverride.objects.create(date=D(2026, 9, 20), is_workday=False)
        assert not is_workday(D(2026, 9, 20))
        raise RuntimeError("rollback")
    assert is_workday(D(2026, 9, 20))


# Paused clocks (补正、特别程序): the paused days, both ends included, do not count.

MONDAY = D(2026, 3, 2)  # an ordinary week: Mon 2 - Fri 6 March, Mon 9 - Fri 13


def test_without_pause():
    assert add_workdays(MONDAY, 5).due == D(2026, 3, 9)


def test_pause_that_starts_and_ends_mid_way():
    # Tue 3 counts; Wed 4 - Thu 5 paused; Fri 6, Mon 9, Tue 10, Wed 11 count.
    paused = [(D(2026, 3, 4), D(2026, 3, 5))]
    assert add_workdays(MONDAY, 5, paused) == Deadline(D(2026, 3, 11), True, 0)
    assert count_workdays(MONDAY, D(2026, 3, 11), paused) == 5


def test_pause_ending_on_a_friday_resumes_on_the_next_working_day():
    paused = [(D(2026, 3, 5), D(2026, 3, 6))]
    # Tue 3, Wed 4 count; the clock resumes on Monday 9.
    assert add_workdays(MONDAY, 3, paused).due == D(2026, 3, 9)


def test_pauses_outside_the_running_time_change_nothing():
    paused = [(D(2026, 2, 1), D(2026, 3, 2)), (D(2026, 3, 10), D(2026, 3, 20))]
    assert add_workdays(MONDAY, 5, paused).due == D(2026, 3, 9)


def test_several_pauses_add_up():
    paused = [(D(2026, 3, 3), D(2026, 3, 3)), (D(2026, 3, 9), D(2026, 3, 10))]
    # Wed 4, Thu 5, Fri 6, Wed 11, Thu 12.
    assert add_workdays(MONDAY, 5, paused).due == D(2026, 3, 12)


def test_pause_still_open_leaves_no_due_date():
    paused = [(D(2026, 3, 5), None)]
    # Tue 3 and Wed 4 have run; three days remain when the clock restarts.
    assert add_workdays(MONDAY, 5, paused) == Deadline(None, True, 3)
    assert count_workdays(MONDAY, D(2026, 12, 31), paused) == 2


def test_pause_still_open_from_before_the_start():
    assert add_workdays(MONDAY, 5, [(D(2026, 1, 1), None)]) == Deadline(None, True, 5)


def test_pause_opened_after_the_due_date_changes_nothing():
    assert add_workdays(MONDAY, 5, [(D(2026, 3, 10), None)]).due == D(2026, 3, 9)
    assert add_workdays(MONDAY, 5, [(D(2026, 3, 9), None)]).remaining == 1


def test_pause_still_open_into_an_unconfirmed_year():
    deadline = add_workdays(D(2026, 12, 28), 10, [(D(2027, 1, 4), None)])
    assert deadline.due is None
    assert deadline.confirmed is False


def test_pause_ending_before_it_starts_is_refused():
    with pytest.raises(WorkdayError, match="早于开始日"):
        add_workdays(MONDAY, 5, [(D(2026, 3, 5), D(2026, 3, 4))])


def test_count_workdays():
    assert count_workdays(D(2026, 9, 28), D(2026, 10, 10)) == 5
    assert count_workdays(D(2026, 9, 30), D(2026, 10, 8)) == 1
    assert count_workdays(D(2026, 10, 10), D(2026, 10, 10)) == 0
    # Backwards it is negative: a case due on 28 Sep is 5 working days late on 10 Oct.
    assert count_workdays(D(2026, 10, 10), D(2026, 9, 28)) == -5


@pytest.mark.parametrize("days", [-1, MAX_WORKDAYS + 1, 10**12, True, 1.5, "3"])
def test_number_of_days_is_bounded(days):
    with pytest.raises(WorkdayError, match="工作日天数应为 0 至 3650"):
        add_workdays(MONDAY, days)


def test_dates_outside_the_calendar_are_refused():
    with pytest.raises(WorkdayError, match="超出工作日历的范围"):
        is_workday(D(1989, 12, 29))
    with pytest.raises(WorkdayError, match="2101-01-01"):
        add_workdays(D(2100, 12, 1), 100)
    assert issubclass(WorkdayError, ValueError)


def test_moments_are_refused_because_their_day_depends_on_the_time_zone():
    with pytest.raises(TypeError, match="localdate"):
        add_workdays(datetime.datetime(2026, 9, 28, 20, 0), 5)


pauses = st.lists(
    st.tuples(
        st.dates(D(2020, 1, 1), D(2031, 6, 30)),
        st.one_of(st.integers(0, 40), st.none()),
    ).map(lambda p: (p[0], None if p[1] is None else p[0] + datetime.timedelta(p[1]))),
    max_size=3,
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    start=st.dates(D(2020, 1, 1), D(2030, 12, 31)),
    n=st.integers(0, 400),
    paused=pauses,
)
def test_add_then_count_round_trips(start, n, paused):
    deadline = add_workdays(start, n, paused)
    if deadline.due is None:
        assert 0 < deadline.remaining <= n
        return
    assert count_workdays(start, deadline.due, paused) == n
    assert count_workdays(deadline.due, start, paused) == -n
    if n:
        # The due date is itself a counted day: one day earlier is one day short.
        assert is_workday(deadline.due)
        before = deadline.due - datetime.timedelta(days=1)
        assert count_workdays(start, before, paused) == n - 1
