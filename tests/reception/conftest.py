"""Fixtures of the reception tests: departments with leaders, clerks, rosters."""

import datetime
import itertools

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from disclosure.models import DepartmentPage, Person
from disclosure.permissions import assign_staff
from portal import roles
from portal.workdays import add_workdays
from reception.models import ReceptionPage, RosterEntry, RosterPeriod
from reception.models.roster import Slot

PASSWORD = "Test-password-2026"
_codes = itertools.count()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


def make_department(home_page, code, title=None):
    department = DepartmentPage(
        title=title or f"测试部门{code}",
        slug=code.lower(),
        code=code,
        address="人民大街 1 号",
    )
    home_page.add_child(instance=department)
    department.save_revision().publish()
    return department


def make_leader(department, name, title="处长", order=0, live=True):
    person = Person(
        name=name,
        title=title,
        department=department,
        is_leader=True,
        sort_order=order,
        live=live,
    )
    person.save()
    if live:
        person.save_revision().publish()
    return person


def make_reception_page(department, **fields):
    page = ReceptionPage(title="领导接访", slug="reception", **fields)
    department.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_period(department, start, end, entries=(), live=True, **fields):
    """A roster period with `entries` given as (date, slot, leader) tuples."""
    period = RosterPeriod(
        department=department, start_date=start, end_date=end, live=live, **fields
    )
    period.entries = [
        RosterEntry(date=day, slot=slot, leader=leader, location="一楼接访室")
        for day, slot, leader in entries
    ]
    period.save()
    if live:
        period.save_revision().publish()
        period.refresh_from_db()
    return period


def make_clerk(department, username=None):
    user = get_user_model().objects.create_user(
        username=username or f"clerk_{department.code.lower()}",
        password=PASSWORD,
        is_staff=True,
    )
    assign_staff(user, department, staff_roles=[roles.Role.CLERK])
    return user


def make_moderator(department, username=None):
    user = get_user_model().objects.create_user(
        username=username or f"moderator_{department.code.lower()}",
        password=PASSWORD,
        is_staff=True,
    )
    assign_staff(user, department, staff_roles=[roles.Role.MODERATOR])
    return user


def next_workday(after=None, n=1):
    """The `n`-th working day after `after` (default: today)."""
    return add_workdays(after or timezone.localdate(), n).due


@pytest.fixture
def department(home_page):
    return make_department(home_page, "AA", "甲局")


@pytest.fixture
def other_department(home_page):
    return make_department(home_page, "BB", "乙局")


@pytest.fixture
def leaders(department):
    return [
        make_leader(department, name, order=order)
        for order, name in enumerate(["赵一", "钱二", "孙三", "李四"])
    ]


@pytest.fixture
def reception_page(department):
    return make_reception_page(department)


@pytest.fixture
def duty_day():
    return next_workday()


@pytest.fixture
def duty(department, leaders, duty_day):
    """A published morning duty on the next working day."""
    period = make_period(
        department,
        duty_day - datetime.timedelta(days=duty_day.day - 1),
        duty_day + datetime.timedelta(days=10),
        entries=[(duty_day, Slot.MORNING, leaders[0])],
    )
    return period.entries.get()


@pytest.fixture
def clerk(department):
    return make_clerk(department)


@pytest.fixture
def other_clerk(other_department):
    return make_clerk(other_department)
