"""The case list (办件) on its Wagtail viewset: filters, free text, the clocks'
due dates with their flags, masking and the logged export; a mistyped month is a
Chinese filter error, never a 500 and never an unfiltered export."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal.models import PersonalDataAccess
from services_catalog.inbox import workflow
from services_catalog.inbox.models import Filing
from tests.inbox.builders import Office

pytestmark = pytest.mark.django_db

MONTH_ERROR = "请按“年-月”填写办结月份，例如 2026-03。"


@pytest.fixture
def office(home_page):
    return Office(home_page)


def listed(response):
    """Tracking numbers on a listing page."""
    body = response.content.decode()
    return {
        number
        for number in Filing.objects.values_list("tracking_number", flat=True)
        if number in body
    }


def spreadsheet(response):
    """The rows of an XLSX export, its headings first."""
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    return list(sheet.iter_rows(values_only=True))


@pytest.mark.parametrize("month", ["0-1", "99999-12", "2026-13", "0000-01", "三月"])
@pytest.mark.parametrize("export", [None, "xlsx", "csv"])
def test_a_bad_month_is_a_chinese_filter_error(client, office, month, export):
    office.assigned()
    client.force_login(office.clerk)
    query = {"month": month, **({"export": export} if export else {})}
    response = client.get(reverse("inbox_cases:index"), query)
    assert response.status_code == 200
    assert not response.streaming and "attachment" not in response.get(
        "Content-Disposition", ""
    )
    body = response.content.decode()
    assert "办结月份" in body and MONTH_ERROR in body
    assert listed(response) == set()  # a filter typed wrong selects nothing
    results = client.get(reverse("inbox_cases:index_results"), {"month": month})
    assert results.status_code == 200 and MONTH_ERROR in results.content.decode()


def test_month_division_and_state_filters(client, office):
    done = office.assigned()
    workflow.complete_filing(done, office.lead_handler, "approved")
    elsewhere = office.accepted()
    workflow.instruct_filing(elsewhere, office.director, office.other, [], "办理")
    waiting = office.accepted()
    client.force_login(office.director)
    url = reverse("inbox_cases:index")
    month = f"{timezone.localdate():%Y-%m}"
    assert listed(client.get(url, {"month": month})) == {done.tracking_number}
    assert listed(client.get(url, {"month": "2001-01"})) == set()
    assert listed(client.get(url, {"division": office.other.pk})) == {
        elsewhere.tracking_number
    }
    assert listed(client.get(url, {"state": "accepted"})) == {waiting.tracking_number}
    assert listed(client.get(url, {"state": "open"})) == {
        elsewhere.tracking_number,
        waiting.tracking_number,
    }
    # Another department's division is no choice: a filter error, not a leak.
    response = client.get(url, {"division": office.outsider_department.pk})
    assert response.status_code == 200 and listed(response) == set()


def test_free_text_finds_number_applicant_and_item(client, office):
    filing = office.assigned()
    Filing.objects.filter(pk=filing.pk).update(applicant_name="李四有限公司")
    other = office.assigned()
    client.force_login(office.clerk)
    url = reverse("inbox_cases:index")
    assert listed(client.get(url, {"q": filing.tracking_number})) == {
        filing.tracking_number
    }
    assert listed(client.get(url, {"q": "李四"})) == {filing.tracking_number}
    assert listed(client.get(url, {"q": office.item.title})) == {
        filing.tracking_number,
        other.tracking_number,
    }


def test_each_clock_is_flagged_and_filtered(client, office):
    today = timezone.localdate()
    late_review = office.submit()
    Filing.objects.filter(pk=late_review.pk).update(
        pre_review_due_date=today - datetime.timedelta(days=1)
    )
    late_handling = office.assigned()
    Filing.objects.filter(pk=late_handling.pk).update(
        promised_due_date=today - datetime.timedelta(days=1)
    )
    issue_soon = office.assigned()
    workflow.complete_filing(issue_soon, office.lead_handler, "approved")
    Filing.objects.filter(pk=issue_soon.pk).update(issue_due_date=today)
    fine = office.assigned()
    client.force_login(office.clerk)
    url = reverse("inbox_cases:index")

    page = client.get(url).content.decode()
    assert page.count('data-clock="overdue" data-clock-name="pre_review"') == 1
    assert page.count('data-clock="overdue" data-clock-name="handling"') == 1
    assert page.count('data-clock="due_soon" data-clock-name="issue"') == 1
    for heading in ("预审期限", "承诺办结日期", "法定办结日期", "送达期限"):
        assert heading in page

    assert listed(client.get(url, {"due": "overdue"})) == {
        late_review.tracking_number,
        late_handling.tracking_number,
    }
    assert listed(client.get(url, {"due": "overdue", "clock": "handling"})) == {
        late_handling.tracking_number
    }
    assert listed(client.get(url, {"due": "due_soon"})) == {issue_soon.tracking_number}
    assert fine.tracking_number in listed(client.get(url, {"clock": "handling"}))


def test_list_and_export_mask_personal_data_and_the_export_is_logged(client, office):
    filing = office.assigned()
    Filing.objects.filter(pk=filing.pk).update(applicant_name="王五 13912345678")
    client.force_login(office.clerk)
    url = reverse("inbox_cases:index")
    page = client.get(url).content.decode()
    assert "139****5678" in page and "13912345678" not in page
    response = client.get(url, {"export": "xlsx", "state": "assigned"})
    heading, *rows = spreadsheet(response)
    assert heading[:4] == ("受理编号", "事项", "申请人", "状态")
    assert [row[:3] for row in rows] == [
        (filing.tracking_number, office.item.title, "王五 139****5678")
    ]
    csv = b"".join(client.get(url, {"export": "csv"}).streaming_content)
    assert b"139****5678" in csv and b"13912345678" not in csv
    logged = PersonalDataAccess.objects.filter(action=PersonalDataAccess.Action.EXPORT)
    assert logged.count() == 2
    assert "state=assigned" in logged.order_by("pk").first().detail


def test_export_holds_the_clock_columns(client, office):
    filing = office.assigned()
    client.force_login(office.clerk)
    response = client.get(reverse("inbox_cases:index"), {"export": "xlsx"})
    heading, first = spreadsheet(response)
    row = dict(zip(heading, first, strict=True))
    filing.refresh_from_db()
    assert row["牵头处室"] == office.lead.title
    assert row["承诺办结日期"] == filing.promised_due_date
    assert row["时限状态"] == "正常" and row["剩余工作日"] == 10


def test_a_filter_error_reads_in_each_language(client, office):
    client.force_login(office.clerk)
    url = reverse("inbox_cases:index_results")

    english = client.get(url, {"month": "三月"}, HTTP_ACCEPT_LANGUAGE="en")
    assert (
        "Month completed: Please enter the month of completion as year-month"
        in english.content.decode()
    )
    chinese = client.get(url, {"month": "三月"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert f"办结月份：{MONTH_ERROR}" in chinese.content.decode()
