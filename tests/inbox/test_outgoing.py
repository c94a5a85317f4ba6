"""The outgoing-document register (发文登记): numbers issued when the window issues a
result, in order, unique and without gaps, voided numbers kept with their reason;
and the lookup API's clock fields."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from services_catalog.inbox import workflow
from services_catalog.inbox.models import (
    Filing,
    FilingState,
    OutgoingDocumentType,
    OutgoingNumber,
)
from tests.inbox.builders import Office

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(home_page):
    return Office(home_page)


def completed(office):
    filing = office.assigned()
    workflow.complete_filing(filing, office.lead_handler, "approved")
    return filing


def number(n):
    return f"吉市监许〔{timezone.localdate():%Y}〕{n}号"


def test_issuing_takes_the_next_number_and_a_failed_issue_leaves_no_gap(office):
    first, second = completed(office), completed(office)
    with pytest.raises(workflow.TransitionError, match="单号"):
        workflow.issue_result(first, office.clerk, "mail", "EMS", "")
    workflow.issue_result(first, office.clerk, "pickup")
    workflow.issue_result(second, office.clerk, "mail", "EMS", "1234567890")
    assert Filing.objects.get(pk=first.pk).outgoing_number == number(1)
    assert Filing.objects.get(pk=second.pk).outgoing_number == number(2)
    line = OutgoingNumber.objects.get(number=number(1))
    assert line.filing == first and line.issued_by == office.clerk
    assert first.events.get(action="issue").comment.startswith(f"发文字号 {number(1)}")


def test_issue_needs_a_document_type_of_the_department(office, home_page):
    filing = completed(office)
    OutgoingDocumentType.objects.create(
        department=office.department, name="不予许可决定书", prefix="吉市监不许"
    )
    with pytest.raises(workflow.TransitionError, match="请选择发文文种"):
        workflow.issue_result(filing, office.clerk, "pickup")
    stranger = OutgoingDocumentType.objects.create(
        department=office.outsider_department, name="决定书", prefix="吉外"
    )
    with pytest.raises(workflow.TransitionError, match="本部门"):
        workflow.issue_result(filing, office.clerk, "pickup", document_type=stranger)
    assert Filing.objects.get(pk=filing.pk).state == FilingState.COMPLETED
    assert not OutgoingNumber.objects.exists()


def test_a_voided_number_stays_and_the_filing_gets_the_next_one(office):
    filing = completed(office)
    workflow.issue_result(filing, office.clerk, "pickup")
    line = OutgoingNumber.objects.get()
    with pytest.raises(workflow.TransitionError, match="原因"):
        workflow.void_outgoing_number(line, office.clerk, " ")
    replacement = workflow.void_outgoing_number(line, office.clerk, "文书印错")
    line.refresh_from_db()
    assert line.is_void and line.void_reason == "文书印错"
    assert replacement.number == number(2)
    filing.refresh_from_db()
    assert filing.outgoing_number == number(2)
    assert "文书印错" in filing.events.get(action="renumber").comment
    with pytest.raises(workflow.TransitionError, match="已经作废"):
        workflow.void_outgoing_number(line, office.clerk, "再作废")
    assert OutgoingNumber.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_issues_get_consecutive_numbers(home_page):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    office = Office(home_page)
    filings = [completed(office) for _ in range(8)]
    errors, barrier = [], threading.Barrier(len(filings))

    def issue(pk):
        try:
            mine = Filing.objects.get(pk=pk)
            barrier.wait()
            workflow.issue_result(mine, office.clerk, "pickup")
        except Exception as error:  # collected for the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(f.pk,)) for f in filings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sequences = sorted(OutgoingNumber.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, len(filings) + 1))
    issued = set(Filing.objects.values_list("outgoing_number", flat=True))
    assert issued == {number(n) for n in sequences}


def test_api_lookup_declares_and_returns_the_clock(office, client):
    filing = office.submit()
    url = f"/api/v1/filings/{filing.tracking_number}/"
    data = client.get(url, {"code": filing.access_code}).json()
    assert data["received_on"] == f"{timezone.localdate():%Y-%m-%d}"
    assert data["pre_review_due"] == f"{filing.pre_review_due_date:%Y-%m-%d}"
    assert data["deemed_accepted"] is False and data["extended_days"] == 0
    assert data["clock"]["clock"] == "pre_review"
    assert data["issue_due"] is None and data["outgoing_number"] == ""
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    declared = set(schema["FilingOut"]["properties"])
    assert {
        "received_on",
        "pre_review_due",
        "deemed_accepted",
        "extended_days",
        "issue_due",
        "outgoing_number",
        "statutory_due",
        "special_procedure",
    } <= declared
