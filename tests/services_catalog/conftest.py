"""Fixtures of the service catalog tests: a department with two divisions and its
catalog, a second department with its own, the site-wide catalog, and `make_item`."""

import pytest

from tests.factories import (
    DepartmentPageFactory,
    DivisionPageFactory,
    ServiceCatalogPageFactory,
    ServiceItemPageFactory,
)


@pytest.fixture
def department(home_page):
    return DepartmentPageFactory(
        parent=home_page,
        title="省市场监督管理局",
        slug="sj",
        code="SJ",
        address="长春市人民大街 3 号一楼收发文窗口",
        public_hours="工作日 8:30—11:30,13:30—17:00",
        hotline="0431-88880000",
        complaint_channel="监察室 0431-88889999",
    )


@pytest.fixture
def division(department):
    return DivisionPageFactory(
        parent=department,
        title="食品生产安全监督管理处",
        code="SJ-SP",
        phone="0431-88881111",
    )


@pytest.fixture
def co_division(department):
    return DivisionPageFactory(parent=department, title="综合规划处", code="SJ-ZH")


@pytest.fixture
def other_department(home_page):
    return DepartmentPageFactory(
        parent=home_page, title="省生态环境厅", slug="st", code="ST"
    )


@pytest.fixture
def other_division(other_department):
    return DivisionPageFactory(
        parent=other_department, title="大气环境处", code="ST-DQ"
    )


@pytest.fixture
def catalog(department):
    return ServiceCatalogPageFactory(parent=department)


@pytest.fixture
def other_catalog(other_department):
    return ServiceCatalogPageFactory(parent=other_department)


@pytest.fixture
def site_catalog(home_page):
    return ServiceCatalogPageFactory(parent=home_page, title="事项目录", slug="items")


@pytest.fixture
def make_item(catalog, division):
    """Create a published item; by default in `catalog`, led by `division`."""

    def make(**fields):
        fields.setdefault("parent", catalog)
        fields.setdefault("lead_division", division)
        return ServiceItemPageFactory(**fields)

    return make
