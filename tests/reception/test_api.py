"""GET /api/v1/roster/: the published roster as JSON."""

import datetime

import pytest

from portal.api import CALENDAR_DATE_PATTERN
from reception.models.roster import Slot
from tests.reception.conftest import make_leader, make_period

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def rosters(department, other_department, leaders):
    stranger = make_leader(other_department, "乙局领导", title="局长")
    make_period(
        department,
        D(2026, 11, 2),
        D(2026, 11, 6),
        entries=[
            (D(2026, 11, 3), Slot.AFTERNOON, leaders[1]),
            (D(2026, 11, 3), Slot.MORNING, leaders[0]),
            (D(2026, 11, 5), Slot.FULL_DAY, leaders[2]),
        ],
    )
    make_period(
        other_department,
        D(2026, 11, 2),
        D(2026, 11, 6),
        entries=[(D(2026, 11, 4), Slot.MORNING, stranger)],
    )
    make_period(
        department,
        D(2026, 11, 9),
        D(2026, 11, 13),
        entries=[(D(2026, 11, 10), Slot.MORNING, leaders[3])],
        live=False,
    )


def test_lists_published_entries_in_order(client, rosters):
    response = client.get("/api/v1/roster/?start=2026-11-01&end=2026-11-30")

    assert response.status_code == 200
    body = response.json()
    assert body["start"] == "2026-11-01" and body["end"] == "2026-11-30"
    assert [(e["date"], e["slot"], e["leader"]["name"]) for e in body["entries"]] == [
        ("2026-11-03", "morning", "赵一"),
        ("2026-11-03", "afternoon", "钱二"),
        ("2026-11-04", "morning", "乙局领导"),
        ("2026-11-05", "full_day", "孙三"),
    ]
    first = body["entries"][0]
    # RFC 3339 full-time, the declared `time` format: Beijing time with its offset.
    assert first["start_time"] == "08:30:00+08:00"
    assert first["end_time"] == "11:30:00+08:00"
    assert first["slot_label"] == "上午"
    assert first["department"] == {"code": "AA", "name": "甲局"}
    assert first["location"] == "一楼接访室"


def test_filters_by_department_code(client, rosters):
    body = client.get(
        "/api/v1/roster/?start=2026-11-01&end=2026-11-30&department=bb"
    ).json()

    assert [e["leader"]["name"] for e in body["entries"]] == ["乙局领导"]


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("start=2026-11-30&end=2026-11-01", 422, "结束日期不能早于开始日期"),
        ("start=2026-01-01&end=2027-06-30", 422, "最多 366 天"),
        ("end=2000-01-01", 422, "结束日期不能早于开始日期"),
        ("start=2026-11-01&department=ZZ", 404, "没有代码为 ZZ 的部门"),
        ("start=2026-13-01", 422, "start"),
        ("start=0", 422, "YYYY-MM-DD"),  # not a Unix time (1970-01-01)
        ("start=2026-11-01&end=1790000000", 422, "YYYY-MM-DD"),
        ("start=20261101", 422, "YYYY-MM-DD"),
        # Past the last day a date can take, the default end would overflow.
        ("start=9999-12-31", 422, "1990-01-01 至 2100-12-31"),
    ],
)
def test_bad_requests_get_a_chinese_message(client, rosters, query, status, message):
    response = client.get(f"/api/v1/roster/?{query}")

    assert response.status_code == status
    assert message in response.json()["detail"]


def test_defaults_to_two_weeks_from_today(client):
    body = client.get("/api/v1/roster/").json()

    start = datetime.date.fromisoformat(body["start"])
    end = datetime.date.fromisoformat(body["end"])
    assert (end - start).days == 13
    assert body["entries"] == []


def test_the_roster_is_in_the_openapi_document(client):
    schema = client.get("/api/v1/openapi.json").json()

    operation = schema["paths"]["/api/v1/roster/"]["get"]
    assert set(operation["responses"]) == {"200", "400", "404", "422"}
    start = next(p for p in operation["parameters"] if p["name"] == "start")
    assert {
        "type": "string",
        "format": "date",
        "pattern": CALENDAR_DATE_PATTERN,
    } in start["schema"]["anyOf"]
