"""The public rating statistics (好差评公示): per department and per item, per month
— count, share of each grade, average, bad ratings and how many were followed up —
on a page with a chart and a table, as CSV and XLSX, and in the API; no case-level
data anywhere."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from services_catalog.inbox import records, workflow
from services_catalog.inbox.models import Rating
from tests.inbox.builders import Office, make_item

pytestmark = pytest.mark.django_db

CLOSING = {
    "status": "closed",
    "contact_note": "已电话联系。",
    "findings": "属实。",
    "rectification": "已整改。",
    "reply": "已整改，谢谢监督。",
}


def rate(office, score, item=None, month_ago=False):
    filing = office.assigned() if item is None else _assigned(office, item)
    workflow.complete_filing(filing, office.lead_handler, "approved")
    rating = workflow.rate_filing(filing, score, "私人评论内容")
    if month_ago:
        first = timezone.localdate().replace(day=1)
        earlier = first - datetime.timedelta(days=5)
        Rating.objects.filter(pk=rating.pk).update(
            created_at=timezone.make_aware(
                datetime.datetime.combine(earlier, datetime.time(12))
            )
        )
    return filing


def _assigned(office, item):
    original = office.item
    office.item = item
    try:
        return office.assigned()
    finally:
        office.item = original


@pytest.fixture
def office(home_page):
    office = Office(home_page)
    office.this_month = timezone.localdate().strftime("%Y-%m")
    first = timezone.localdate().replace(day=1)
    office.last_month = (first - datetime.timedelta(days=5)).strftime("%Y-%m")
    rate(office, 5)
    rate(office, 4)
    bad = rate(office, 1)
    follow_up = bad.rating.follow_up
    records.handle_follow_up(follow_up, office.supervisor, follow_up.version, **CLOSING)
    rate(office, 2)  # bad, not yet followed up
    rate(office, 3, month_ago=True)
    office.bad = bad
    return office


def test_department_page_shows_each_month_with_chart_and_table(office, client):
    url = reverse("inbox:ratings", args=[office.department.code])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    # This month: 5, 4, 1, 2 → 4 ratings, average 3.00, 2 bad, 1 followed up.
    row = page.split(f'<tr data-month="{office.this_month}">')[1].split("</tr>")[0]
    assert '<td data-label="评价数" data-field="count">4</td>' in row
    assert 'data-field="average">3.00</td>' in row
    assert 'data-field="bad">2</td>' in row
    assert 'data-field="followed_up">1</td>' in row
    assert "1（25%）" in row
    last = page.split(f'<tr data-month="{office.last_month}">')[1].split("</tr>")[0]
    assert 'data-field="count">1</td>' in last
    # Twelve months in the chart, months without ratings included.
    assert 'data-months="12"' in page
    assert page.count('<g transform="translate(0 ') == 12
    assert "无评价" in page
    assert '<dd data-total="count">5</dd>' in page
    # No case-level data: no tracking number, no comment.
    assert office.bad.tracking_number not in page
    assert "私人评论内容" not in page


def test_item_page_counts_only_that_item(office, client, home_page):
    other = make_item(home_page, department=office.department, title="另一事项")
    rate(office, 5, item=other)
    url = reverse("inbox:item_ratings", args=[office.department.code, other.code])
    page = client.get(url).content.decode()
    assert '<dd data-total="count">1</dd>' in page
    assert "另一事项" in page
    department_page = client.get(
        reverse("inbox:ratings", args=[office.department.code])
    ).content.decode()
    assert '<dd data-total="count">6</dd>' in department_page
    assert (
        reverse("inbox:item_ratings", args=[office.department.code, other.code])
        in department_page
    )


def test_unknown_department_or_item_is_404(office, client):
    assert client.get(reverse("inbox:ratings", args=["NOPE"])).status_code == 404
    url = reverse("inbox:item_ratings", args=[office.department.code, "NOPE"])
    assert client.get(url).status_code == 404
    url = reverse("inbox:ratings_download", args=[office.department.code, "pdf"])
    assert client.get(url).status_code == 404


def test_csv_and_xlsx_downloads_hold_the_same_figures(office, client):
    code = office.department.code
    response = client.get(reverse("inbox:ratings_download", args=[code, "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["月份", "评价数", "平均分"]
    assert rows[0][-2:] == ["差评数", "差评已整改数"]
    this = next(row for row in rows if row[0] == office.this_month)
    assert this[1:3] == ["4", "3.0"]
    assert this[-2:] == ["2", "1"]
    assert len(rows) == 13

    response = client.get(reverse("inbox:ratings_download", args=[code, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    this = next(row for row in values if row[0] == office.this_month)
    assert this[1] == 4 and this[-2:] == (2, 1)


def test_api_gives_the_months_with_count_average_bad_followed_up(office, client):
    response = client.get("/api/v1/ratings/", {"department": office.department.code})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["department"]["code"] == office.department.code
    assert len(data["months"]) == 12
    this = data["months"][-1]
    assert this == {
        "month": office.this_month,
        "count": 4,
        "average": 3.0,
        "bad": 2,
        "followed_up": 1,
        "grades": {"5": 1, "4": 1, "3": 0, "2": 1, "1": 1},
    }
    assert data["months"][-2]["count"] == 1
    assert client.get("/api/v1/ratings/", {"department": "NOPE"}).status_code == 404
    assert client.get("/api/v1/ratings/").status_code == 422
    item = client.get(
        "/api/v1/ratings/",
        {"department": office.department.code, "item": office.item.code},
    ).json()
    assert item["item"]["code"] == office.item.code

    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/ratings/" in schema["paths"]
