"""The receipt and the one-time notice as the official documents they replace (issue
13 point 8): the issuing department above the title, the window's address and
hotline, the lookup address, the seal area with the date; in the visitor's
language, the PDF included."""

import subprocess
import uuid

import pytest
from django.urls import reverse

from services_catalog.inbox import workflow
from services_catalog.inbox.models import Filing, MaterialStatus
from services_catalog.inbox.views import SESSION_KEY
from tests.inbox.builders import applicant, checklist, make_clerk

pytestmark = pytest.mark.django_db


@pytest.fixture
def filing(item):
    department = item.department
    department.address = "长春市人民大街 1 号一楼大厅"
    department.hotline = "0431-88881234"
    department.save()
    filing, _code = workflow.create_filing(item, applicant(), form_token=uuid.uuid4())
    return Filing.objects.get(pk=filing.pk)


@pytest.fixture
def applicant_client(client, filing):
    session = client.session
    session[SESSION_KEY] = {filing.tracking_number: ""}
    session.save()
    return client


def pdf_text(content):
    return subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def test_the_receipt_is_issued_by_the_department_with_its_window(
    applicant_client, filing
):
    department = filing.department
    page = applicant_client.get(reverse("inbox:receipt", args=[filing.tracking_number]))
    html = page.content.decode()
    assert f'<p class="official-doc__issuer">{department.title}</p>' in html
    for text in (department.address, department.hotline, "（盖章）"):
        assert text in html
    assert f"/banjian/chaxun/?number={filing.tracking_number}" in html

    pdf = applicant_client.get(
        reverse("inbox:receipt_pdf", args=[filing.tracking_number])
    )
    text = pdf_text(pdf.content)
    for expected in (department.title, "收件回执", department.hotline, "盖章"):
        assert expected in text, expected


def test_an_english_visitor_gets_the_receipt_in_english(applicant_client, filing):
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    pdf = applicant_client.get(
        reverse("inbox:receipt_pdf", args=[filing.tracking_number]), **english
    )
    text = pdf_text(pdf.content)
    for expected in ("Receipt", "has received your application", "(seal)"):
        assert expected in text, expected
    assert "收件回执" not in text and "盖章" not in text
    # The number is one unbreakable word on the page.
    page = applicant_client.get(
        reverse("inbox:receipt", args=[filing.tracking_number]), **english
    ).content.decode()
    assert '<html lang="en"' in page
    assert f'class="receipt__code" data-tracking-number>{filing.tracking_number}' in (
        page
    )


def test_the_one_time_notice_carries_the_department_and_its_seal(
    applicant_client, filing
):
    clerk = make_clerk(filing.department)
    workflow.request_supplement(
        filing, clerk, checklist(filing, MaterialStatus.MISSING, "缺少盖章页")
    )
    status = applicant_client.get(
        reverse("inbox:status", args=[filing.tracking_number])
    ).content.decode()
    assert "official-doc__issuer" in status and "（盖章）" in status
    assert filing.department.hotline in status


def test_an_english_visitor_reads_each_missing_materials_status_in_english(
    applicant_client, filing
):
    """The notice keeps each entry's status as issued, in the site's language; an
    English visitor reads it translated."""
    workflow.request_supplement(
        filing,
        make_clerk(filing.department),
        checklist(filing, MaterialStatus.NOT_ACCEPTABLE),
    )
    url = reverse("inbox:status", args=[filing.tracking_number])
    chinese = applicant_client.get(url).content.decode()
    assert "（不符合要求）" in chinese
    english = applicant_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Not as required" in english and "不符合要求" not in english
