"""Rosters in the admin: the one-leader-one-slot rule (database and form), review
before publication, the generator view and department scope."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from reception.models import RosterEntry, RosterPeriod
from reception.models.roster import Slot
from tests.reception.conftest import PASSWORD, make_leader, make_moderator, make_period

pytestmark = pytest.mark.django_db

D = datetime.date
ADD_URL = "wagtailsnippets_reception_rosterperiod:add"
EDIT_URL = "wagtailsnippets_reception_rosterperiod:edit"
LIST_URL = "wagtailsnippets_reception_rosterperiod:list"
GENERATE_URL = "wagtailsnippets_reception_rosterperiod:generate"


def roster_form(start, end, entries, existing=(), publish=False, **extra):
    """POST data of the roster form; `entries` are (date, slot, leader) tuples,
    `existing` the stored entries they replace, in the same order."""
    data = {
        "title": "",
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "note": "",
        "entries-TOTAL_FORMS": str(len(entries)),
        "entries-INITIAL_FORMS": str(len(existing)),
        "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "1000",
        **extra,
    }
    for index, (day, slot, leader) in enumerate(entries):
        prefix = f"entries-{index}-"
        data.update(
            {
                prefix + "date": day.isoformat(),
                prefix + "slot": slot,
                prefix + "leader": str(leader.pk),
                prefix + "location": "一楼接访室",
                prefix + "scope": "",
                prefix + "id": str(existing[index].pk) if index < len(existing) else "",
                prefix + "DELETE": "",
            }
        )
    if publish:
        data["action-publish"] = "action-publish"
    return data


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


# The database constraint -------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (Slot.MORNING, Slot.MORNING),
        (Slot.AFTERNOON, Slot.AFTERNOON),
        (Slot.FULL_DAY, Slot.MORNING),
        (Slot.AFTERNOON, Slot.FULL_DAY),
    ],
)
def test_the_database_refuses_one_leader_twice_in_a_slot(
    department, leaders, first, second
):
    make_period(
        department,
        D(2026, 11, 2),
        D(2026, 11, 6),
        [(D(2026, 11, 3), first, leaders[0])],
    )
    period = make_period(department, D(2026, 11, 9), D(2026, 11, 13), live=False)

    with pytest.raises(IntegrityError), transaction.atomic():
        RosterEntry.objects.create(
            period=period, date=D(2026, 11, 3), slot=second, leader=leaders[0]
        )


def test_morning_and_afternoon_of_one_leader_are_allowed(department, leaders):
    period = make_period(
        department,
        D(2026, 11, 2),
        D(2026, 11, 6),
        [
            (D(2026, 11, 3), Slot.MORNING, leaders[0]),
            (D(2026, 11, 3), Slot.AFTERNOON, leaders[0]),
        ],
    )

    assert period.entries.count() == 2


# The admin form ---------------------------------------------------------------------


def test_clerk_saves_a_draft_roster_that_is_not_public(
    client, department, leaders, clerk
):
    login(client, clerk)

    response = client.post(
        reverse(ADD_URL),
        roster_form(
            D(2026, 11, 2),
            D(2026, 11, 6),
            [
                (D(2026, 11, 3), Slot.MORNING, leaders[0]),
                (D(2026, 11, 3), Slot.AFTERNOON, leaders[1]),
            ],
        ),
    )

    assert response.status_code == 302
    period = RosterPeriod.objects.get()
    assert period.department == department
    assert not period.live
    assert period.entries.count() == 2
    assert not RosterEntry.objects.published().exists()


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (
            [(D(2026, 11, 3), Slot.MORNING, 0), (D(2026, 11, 3), Slot.MORNING, 0)],
            "同一领导在同一时段只能安排一次值班",
        ),
        (
            [(D(2026, 11, 3), Slot.FULL_DAY, 0), (D(2026, 11, 3), Slot.AFTERNOON, 0)],
            "同一领导在同一时段只能安排一次值班",
        ),
        ([(D(2026, 11, 7), Slot.MORNING, 0)], "这一天不是工作日"),
        ([(D(2026, 11, 16), Slot.MORNING, 0)], "日期不在值班表的起止日期之内"),
    ],
)
def test_the_form_refuses_conflicts_and_days_off(
    client, department, leaders, clerk, entries, message
):
    login(client, clerk)
    rows = [(day, slot, leaders[index]) for day, slot, index in entries]

    response = client.post(
        reverse(ADD_URL), roster_form(D(2026, 11, 2), D(2026, 11, 13), rows)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RosterPeriod.objects.exists()


def test_the_form_refuses_a_leader_busy_in_another_roster(
    client, home_page, department, leaders, clerk
):
    from tests.reception.conftest import make_department

    elsewhere = make_department(home_page, "CC")
    make_period(
        elsewhere,
        D(2026, 11, 2),
        D(2026, 11, 6),
        [(D(2026, 11, 3), Slot.FULL_DAY, leaders[0])],
    )
    login(client, clerk)

    response = client.post(
        reverse(ADD_URL),
        roster_form(
            D(2026, 11, 2), D(2026, 11, 6), [(D(2026, 11, 3), Slot.MORNING, leaders[0])]
        ),
    )

    assert response.status_code == 200
    assert "已安排了这一时段的值班" in response.content.decode()


def test_a_clerk_cannot_put_another_departments_leader_on_duty(
    client, department, other_department, leaders, clerk
):
    stranger = make_leader(other_department, "外部门领导")
    login(client, clerk)

    response = client.post(
        reverse(ADD_URL),
        roster_form(
            D(2026, 11, 2), D(2026, 11, 6), [(D(2026, 11, 3), Slot.MORNING, stranger)]
        ),
    )

    assert response.status_code == 200
    assert not RosterPeriod.objects.exists()


def test_overlapping_rosters_of_one_department_are_refused(
    client, department, leaders, clerk
):
    make_period(department, D(2026, 11, 1), D(2026, 11, 30))
    login(client, clerk)

    response = client.post(
        reverse(ADD_URL), roster_form(D(2026, 11, 20), D(2026, 12, 10), [])
    )

    assert response.status_code == 200
    assert "重叠" in response.content.decode()
    assert RosterPeriod.objects.count() == 1


# Review and publication -------------------------------------------------------------


def test_a_clerk_cannot_publish_but_a_moderator_can(client, department, leaders, clerk):
    period = make_period(
        department,
        D(2026, 11, 2),
        D(2026, 11, 6),
        [(D(2026, 11, 3), Slot.MORNING, leaders[0])],
        live=False,
    )
    period.save_revision()
    data = roster_form(
        D(2026, 11, 2),
        D(2026, 11, 6),
        [(D(2026, 11, 3), Slot.MORNING, leaders[0])],
        existing=list(period.entries.all()),
        publish=True,
    )
    login(client, clerk)

    client.post(reverse(EDIT_URL, args=[period.pk]), data)

    period.refresh_from_db()
    assert not period.live

    login(client, make_moderator(department))
    response = client.post(reverse(EDIT_URL, args=[period.pk]), data)

    assert response.status_code == 302
    period.refresh_from_db()
    assert period.live
    assert RosterEntry.objects.published().count() == 1


def test_changes_after_publication_wait_for_review_and_update_last_updated(
    client, department, leaders, clerk, reception_page
):
    period = make_period(
        department,
        D(2026, 11, 2),
        D(2026, 11, 6),
        [(D(2026, 11, 3), Slot.MORNING, leaders[0])],
    )
    first_published = period.last_published_at
    entry = period.entries.get()
    login(client, clerk)

    client.post(
        reverse(EDIT_URL, args=[period.pk]),
        roster_form(
            D(2026, 11, 2),
            D(2026, 11, 6),
            [(D(2026, 11, 3), Slot.MORNING, leaders[1])],
            existing=[entry],
        ),
    )

    entry.refresh_from_db()
    assert entry.leader == leaders[0], "the draft must not change the public roster"
    page = client.get(reception_page.url + "month/?month=2026-11").content.decode()
    assert leaders[0].name in page and leaders[1].name not in page

    period.refresh_from_db()
    period.get_latest_revision().publish()

    entry.refresh_from_db()
    assert entry.leader == leaders[1]
    period.refresh_from_db()
    assert period.last_published_at > first_published
    page = client.get(reception_page.url + "month/?month=2026-11").content.decode()
    assert leaders[1].name in page
    assert f"{timezone.localtime(period.last_published_at):%Y-%m-%d %H:%M}" in page


def test_two_entries_can_trade_leaders_in_a_published_roster(department, leaders):
    period = make_period(
        department,
        D(2026, 11, 2),
        D(2026, 11, 6),
        [
            (D(2026, 11, 3), Slot.MORNING, leaders[0]),
            (D(2026, 11, 3), Slot.MORNING, leaders[1]),
        ],
    )
    first, second = period.entries.order_by("pk")
    draft = period.get_latest_revision_as_object()
    a, b = sorted(draft.entries.all(), key=lambda e: e.pk)
    a.leader, b.leader = leaders[1], leaders[0]
    draft.entries = [a, b]

    draft.save_revision().publish()

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.leader, second.leader) == (leaders[1], leaders[0])
    assert {first.slot, second.slot} == {Slot.MORNING}


# The generator view and scope -------------------------------------------------------


def test_the_generator_creates_a_draft_for_the_clerks_department(
    client, department, leaders, clerk
):
    login(client, clerk)

    response = client.post(
        reverse(GENERATE_URL),
        {
            "start_date": "2026-10-01",
            "end_date": "2026-10-31",
            "pattern": "half_days",
            "location": "一楼接访室",
            "scope": "来访咨询",
        },
    )

    period = RosterPeriod.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(EDIT_URL, args=[period.pk])
    assert period.department == department
    assert not period.live
    assert str(period) == "2026年10月领导接访值班表"
    dates = set(period.entries.values_list("date", flat=True))
    assert D(2026, 10, 10) in dates and D(2026, 10, 2) not in dates
    assert period.revisions.count() == 1
    # The draft opens in the editor for adjustments.
    assert client.get(response["Location"]).status_code == 200


def test_clerks_see_only_their_departments_rosters(
    client, department, other_department, leaders, clerk
):
    own = make_period(department, D(2026, 11, 1), D(2026, 11, 30), title="本部门值班表")
    foreign = make_period(
        other_department, D(2026, 11, 1), D(2026, 11, 30), title="乙局值班表"
    )
    login(client, clerk)

    listing = client.get(reverse(LIST_URL)).content.decode()

    assert "本部门值班表" in listing and "乙局值班表" not in listing
    assert client.get(reverse(EDIT_URL, args=[own.pk])).status_code == 200
    assert client.get(reverse(EDIT_URL, args=[foreign.pk])).status_code == 404
    history = reverse(
        "wagtailsnippets_reception_rosterperiod:history", args=[foreign.pk]
    )
    assert client.get(history).status_code == 404
    delete = reverse("wagtailsnippets_reception_rosterperiod:delete", args=[foreign.pk])
    assert client.post(delete).status_code == 404
    assert RosterPeriod.objects.filter(pk=foreign.pk).exists()


def test_the_form_refuses_a_leader_marked_unavailable(
    client, department, leaders, clerk
):
    from reception.models import LeaderUnavailability

    LeaderUnavailability.objects.create(
        person=leaders[0],
        start_date=D(2026, 11, 2),
        end_date=D(2026, 11, 4),
        reason="外出学习",
    )
    login(client, clerk)

    response = client.post(
        reverse(ADD_URL),
        roster_form(
            D(2026, 11, 2), D(2026, 11, 6), [(D(2026, 11, 3), Slot.MORNING, leaders[0])]
        ),
    )

    assert response.status_code == 200
    assert "登记为不能值班（外出学习）" in response.content.decode()
    assert not RosterPeriod.objects.exists()


def test_publishing_a_draft_whose_slot_was_taken_meanwhile_shows_a_form_error(
    client, department, leaders, monkeypatch
):
    period = make_period(
        department,
        D(2026, 11, 2),
        D(2026, 11, 6),
        [(D(2026, 11, 3), Slot.MORNING, leaders[0])],
    )
    entry = period.entries.get()
    # The form checked the roster against the stored entries; between that check and
    # the publication another entry took the slot. Let the check pass to get there.
    monkeypatch.setattr("reception.forms.find_conflicts", lambda *a, **k: [])
    login(client, make_moderator(department))

    response = client.post(
        reverse(EDIT_URL, args=[period.pk]),
        roster_form(
            D(2026, 11, 2),
            D(2026, 11, 6),
            [
                (D(2026, 11, 3), Slot.MORNING, leaders[0]),
                (D(2026, 11, 3), Slot.FULL_DAY, leaders[0]),
            ],
            existing=[entry],
            publish=True,
        ),
    )

    assert response.status_code == 200
    assert "已被其他值班安排占用" in response.content.decode()
    assert list(period.entries.values_list("slot", flat=True)) == [Slot.MORNING]
