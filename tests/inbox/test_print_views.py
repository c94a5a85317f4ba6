"""Printed documents for the applicant (issue 16 points 4 and 6): the
special-procedure notice (第四十五条), and the result notice and receipt of
collection under the register's outgoing number; each only within the user's
scope."""

import pytest
from django.urls import reverse
from django.utils import timezone

from services_catalog.inbox import workflow
from tests.inbox.builders import Office

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(home_page):
    return Office(home_page)


def suspended(office):
    filing = office.assigned()
    workflow.start_handling(filing, office.lead_handler)
    notice = workflow.suspend_filing(
        filing, office.lead_handler, "expert_review", "组织专家评审工艺方案", 15
    )
    return filing, notice


def test_the_special_procedure_notice_says_how_long_it_takes(client, office):
    filing, notice = suspended(office)
    url = reverse("inbox_desk:procedure_notice", args=[notice.pk])

    for user in (office.clerk, office.lead_handler, office.director):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert "特别程序告知书" in page and "专家评审" in page
        assert filing.tracking_number in page and "组织专家评审工艺方案" in page
        assert f"预计需要 15 个工作日（至 {notice.expected_end:%Y-%m-%d}）" in page
        assert "第四十五条" in page and "不计入办理期限" in page


@pytest.mark.parametrize("who", ["outsider", "other_handler", "outsider_supervisor"])
def test_nobody_outside_the_filings_scope_prints_its_notice(client, office, who):
    _filing, notice = suspended(office)
    client.force_login(getattr(office, who))
    url = reverse("inbox_desk:procedure_notice", args=[notice.pk])
    assert client.get(url).status_code == 404


def test_the_result_and_its_receipt_carry_the_outgoing_number(client, office):
    filing = office.assigned()
    workflow.complete_filing(filing, office.lead_handler, "approved")
    url = reverse("inbox_desk:result_print", args=[filing.pk])
    client.force_login(office.clerk)
    assert client.get(url).status_code == 404, "no number before it is issued"

    workflow.issue_result(filing, office.clerk, "mail", "EMS", "1234567890")
    page = client.get(url).content.decode()

    number = f"吉市监许〔{timezone.localdate():%Y}〕1号"
    assert page.count(number) >= 2, "on the result notice and on the receipt"
    assert "办理结果通知书" in page and "送达回证" in page
    assert "EMS 1234567890" in page and "准予" in page
    client.force_login(office.outsider)
    assert client.get(url).status_code == 404


def test_the_case_page_links_to_both_printouts(client, office):
    filing, notice = suspended(office)
    client.force_login(office.clerk)
    case = reverse("inbox_cases:inspect", args=[filing.pk])
    page = client.get(case).content.decode()
    assert reverse("inbox_desk:procedure_notice", args=[notice.pk]) in page
    assert reverse("inbox_desk:result_print", args=[filing.pk]) not in page

    issued = office.assigned()
    workflow.complete_filing(issued, office.lead_handler, "approved")
    workflow.issue_result(issued, office.clerk, "pickup")
    page = client.get(reverse("inbox_cases:inspect", args=[issued.pk])).content
    assert reverse("inbox_desk:result_print", args=[issued.pk]) in page.decode()
