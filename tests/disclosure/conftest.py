"""Fixtures of the disclosure tests: two departments with a division each, and an
editor and a moderator of the first."""

import pytest

from disclosure.permissions import assign_staff
from portal import roles
from tests.factories import (
    DepartmentPageFactory,
    DivisionPageFactory,
    PersonFactory,
    PostFactory,
    UserFactory,
)


@pytest.fixture
def department(home_page):
    return DepartmentPageFactory(parent=home_page, title="省市场监督管理局", code="SJ")


@pytest.fixture
def other_department(home_page):
    return DepartmentPageFactory(parent=home_page, title="省生态环境厅", code="ST")


@pytest.fixture
def division(department):
    division = DivisionPageFactory(
        parent=department, title="食品生产安全监督管理处", code="SJ-SPSC"
    )
    PostFactory(division=division, title="食品生产许可审查岗", time_limit="5 个工作日")
    head = PersonFactory(name="张海涛", title="处长", division=division, is_leader=True)
    division.head = head
    division.save_revision().publish()
    return division


@pytest.fixture
def other_division(other_department):
    return DivisionPageFactory(
        parent=other_department, title="大气环境处", code="ST-DQ"
    )


@pytest.fixture
def editor(department):
    user = UserFactory(username="editor_a")
    assign_staff(user, department, staff_roles=[roles.Role.EDITOR])
    return user


@pytest.fixture
def moderator(department):
    user = UserFactory(username="moderator_a")
    assign_staff(user, department, staff_roles=[roles.Role.MODERATOR])
    return user
