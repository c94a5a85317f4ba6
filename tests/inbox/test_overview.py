"""The provincial government office's overview (第十点): a role above the
departments reads every department side by side — measures and commitments
published, items, on-time rate, average handling days, overdue cases, complaints,
rating average, bad-rating follow-up rate — per month, with a chart and a
workbook, read-only and without any case; the public version at
GET /api/v1/departments/."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal import roles
from services_catalog.inbox import records, workflow
from services_catalog.inbox.models import Filing
from tests.factories import ContentPageFactory, UserFactory
from tests.inbox.builders import Office

pytestmark = pytest.mark.django_db


@pytest.fixture
def provincial():
    user = UserFactory(username="provincial-office")
    user.groups.add(Group.objects.get(name=roles.group_name(roles.Role.PROVINCIAL)))
    return user


@pytest.fixture
def office(home_page):
    office = Office(home_page)
    ContentPageFactory(parent=office.department, kind="measures", title="实施办法")
    on_time = office.assigned()
    workflow.complete_filing(on_time, office.lead_handler, "approved")
    late = office.assigned()
    Filing.objects.filter(pk=late.pk).update(
        promised_due_date=timezone.localdate() - datetime.timedelta(days=2)
    )
    late.refresh_from_db()
    workflow.complete_filing(late, office.lead_handler, "approved")
    workflow.rate_filing(on_time, 5)
    workflow.rate_filing(late, 1, "超时")
    follow_up = late.rating.follow_up
    records.handle_follow_up(
        follow_up,
        office.supervisor,
        follow_up.version,
        status="closed",
        contact_note="已联系。",
        findings="属实。",
        rectification="已整改。",
        reply="已整改。",
    )
    overdue = office.assigned()
    Filing.objects.filter(pk=overdue.pk).update(
        promised_due_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    records.file_complaint(office.department, name="李四", contact="1", text="慢")
    office.overdue = overdue
    return office


def row_of(page, code):
    return page.split(f'<tr data-department="{code}">')[1].split("</tr>")[0]


def test_the_provincial_office_reads_every_department_side_by_side(
    client, office, provincial
):
    client.force_login(provincial)
    response = client.get(reverse("provincial_overview:index"))
    assert response.status_code == 200
    page = response.content.decode()
    row = row_of(page, office.department.code)
    assert 'data-field="measures">已公布' in row
    assert 'data-field="items">1</td>' in row
    assert 'data-field="completed">2</td>' in row
    assert 'data-field="on_time_rate">50.0%</td>' in row
    assert 'data-field="overdue">1</td>' in row
    assert 'data-field="complaints">1</td>' in row
    assert 'data-field="ratings">2</td>' in row
    assert 'data-field="rating_average">3.0</td>' in row
    assert 'data-field="follow_up_rate">100.0%（1/1）</td>' in row
    other = row_of(page, office.outsider_department.code)
    assert 'data-field="measures"><strong>未公布' in other
    assert 'data-field="completed">0</td>' in other
    # No case: neither a tracking number nor a link into the case list.
    assert office.overdue.tracking_number not in page
    assert "/admin/chuangkou/cases/" not in page

    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    earlier = client.get(
        reverse("provincial_overview:index"), {"month": f"{last_month:%Y-%m}"}
    ).content.decode()
    assert 'data-field="completed">0</td>' in row_of(earlier, office.department.code)

    export = client.get(reverse("provincial_overview:export"))
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("月份", "部门代码", "部门")
    this_month = f"{timezone.localdate():%Y-%m}"
    mine = next(
        r for r in rows if r[0] == this_month and r[1] == office.department.code
    )
    assert mine[6] == 2 and mine[7] == 50.0


def test_the_overview_is_read_only_and_for_the_provincial_office_only(
    client, office, provincial
):
    client.force_login(office.supervisor)
    assert client.get(reverse("provincial_overview:index")).status_code in (302, 403)
    client.force_login(provincial)
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("provincial_overview:index") in menu
    for url in (
        reverse("inbox_cases:index"),
        reverse("inbox_cases:inspect", args=[office.overdue.pk]),
        reverse("complaints:index"),
    ):
        assert client.get(url).status_code in (302, 403, 404), url


def test_the_public_version_has_the_figures_and_no_case(client, office):
    response = client.get("/api/v1/departments/")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["month"] == f"{timezone.localdate():%Y-%m}"
    assert len(data["months"]) == 12
    mine = next(d for d in data["departments"] if d["code"] == office.department.code)
    assert mine == {
        "code": office.department.code,
        "name": office.department.title,
        "month": data["month"],
        "measures_published": True,
        "commitments_published": True,
        "items": 1,
        "completed": 2,
        "on_time_rate": 50.0,
        "average_handling_days": mine["average_handling_days"],
        "overdue": 1,
        "complaints": 1,
        "ratings": 2,
        "rating_average": 3.0,
        "bad_ratings": 1,
        "follow_up_rate": 100.0,
    }
    assert office.overdue.tracking_number not in response.content.decode()
    assert client.get("/api/v1/departments/", {"month": "13-2026"}).status_code == 422
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/departments/" in schema["paths"]
