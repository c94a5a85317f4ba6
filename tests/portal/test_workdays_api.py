"""GET /api/v1/workdays/add: the answer's shape, the confirmed flag, bad input."""

import re

import pytest

from portal.api import CALENDAR_DATE_PATTERN
from portal.models import WorkdayYear

pytestmark = pytest.mark.django_db

URL = "/api/v1/workdays/add"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_answer_has_exactly_the_documented_fields(client):
    response = client.get(URL, {"start": "2026-09-28", "days": "5"})
    assert response.status_code == 200
    assert response.json() == {
        "start": "2026-09-28",
        "days": 5,
        "due": "2026-10-10",
        "confirmed": True,
    }


def test_due_date_in_an_unconfirmed_year_is_flagged(client):
    answer = client.get(URL, {"start": "2026-12-30", "days": "2"}).json()
    assert answer["due"] == "2027-01-04"
    assert answer["confirmed"] is False
    WorkdayYear.objects.create(year=2027, confirmed=True)
    assert client.get(URL, {"start": "2026-12-30", "days": "2"}).json()["confirmed"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "2026-13-01", "days": "1"}, "start"),
        ({"start": "28/09/2026", "days": "1"}, "start"),
        ({"start": "2026-09-28", "days": "-1"}, "days"),
        ({"start": "2026-09-28", "days": "3651"}, "days"),
        ({"start": "2026-09-28", "days": "9" * 30}, "days"),
        ({"start": "2026-09-28", "days": "五"}, "days"),
        ({"days": "5"}, "start"),
        ({"start": "2026-09-28"}, "days"),
    ],
)
def test_bad_input_is_refused_with_a_chinese_message(client, query, field):
    response = client.get(URL, query)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, str)
    assert detail.startswith("请求参数有误")
    assert field in detail
    assert CHINESE.search(detail.removeprefix("请求参数有误"))


def test_dates_beyond_the_calendar_are_refused_not_crashed(client):
    response = client.get(URL, {"start": "2100-12-01", "days": "100"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": "日期 2101-01-01 超出工作日历的范围（1990 年至 2100 年）。"
    }


@pytest.mark.parametrize("start", ["1989-12-31", "2101-01-01", "0333-05-20", "0"])
def test_a_start_outside_the_calendar_is_refused_as_documented(client, start):
    response = client.get(URL, {"start": start, "days": "1"})
    assert response.status_code == 422
    assert "start" in response.json()["detail"]


def test_openapi_document_describes_the_endpoint(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][URL]["get"]
    assert operation["summary"] == "计算 N 个工作日后的到期日"
    assert "调休" in operation["description"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert set(parameters) == {"start", "days"}
    assert parameters["days"]["schema"]["maximum"] == 3650
    assert parameters["start"]["schema"]["pattern"] == CALENDAR_DATE_PATTERN
    assert "1990-01-01 至 2100-12-31" in parameters["start"]["description"]
    assert set(operation["responses"]) == {"200", "400", "422"}


@pytest.mark.parametrize(
    ("day", "matches"),
    [
        ("1990-01-01", True),
        ("2026-09-28", True),
        ("2100-12-31", True),
        ("1989-12-31", False),
        ("2101-01-01", False),
        ("2026-13-01", False),
    ],
)
def test_the_declared_pattern_is_the_calendar_range(day, matches):
    assert bool(re.fullmatch(CALENDAR_DATE_PATTERN, day)) is matches
