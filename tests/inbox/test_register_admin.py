"""The outgoing-document register in the admin (发文登记, issue 16 point 6): listed
and filtered per department, year, type and voided, exported (and the export
logged), a number voided with its reason through the workflow; no line is added,
edited or deleted by hand."""

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from portal import roles
from portal.models import PersonalDataAccess
from services_catalog.inbox import workflow
from services_catalog.inbox.models import OutgoingDocumentType, OutgoingNumber
from tests.inbox.builders import Office, make_staff

pytestmark = pytest.mark.django_db

INDEX = reverse("outgoingnumber:index")


def issued(office, document_type=None):
    filing = office.assigned()
    workflow.complete_filing(filing, office.lead_handler, "approved")
    workflow.issue_result(filing, office.clerk, "pickup", document_type=document_type)
    filing.refresh_from_db()
    return filing


@pytest.fixture
def office(home_page):
    return Office(home_page)


@pytest.fixture
def register(office):
    """Two numbers of the office's licence register and one of another type."""
    licences = [issued(office), issued(office)]
    notices = OutgoingDocumentType.objects.create(
        department=office.department, name="不予许可决定书", prefix="吉市监不许"
    )
    refusal = issued(office, notices)
    return {"licences": licences, "refusal": refusal, "notices": notices}


def numbers(response):
    body = response.content.decode()
    return {
        line.number
        for line in OutgoingNumber.objects.all()
        if f"{reverse('outgoingnumber:edit', args=[line.pk])}" in body
        or f"{reverse('outgoingnumber:inspect', args=[line.pk])}" in body
    }


def test_the_clerk_lists_and_filters_the_departments_register(client, office, register):
    year = timezone.localdate().year
    outsider_type = OutgoingDocumentType.objects.create(
        department=office.outsider_department, name="行政许可决定书", prefix="吉环许"
    )
    foreign = OutgoingNumber.objects.create(
        document_type=outsider_type,
        department=office.outsider_department,
        year=year,
        sequence=1,
        number=f"吉环许〔{year}〕1号",
        subject="关于某公司申请的决定",
    )
    client.force_login(office.clerk)

    everything = numbers(client.get(INDEX))
    assert everything == {
        f"吉市监许〔{year}〕1号",
        f"吉市监许〔{year}〕2号",
        f"吉市监不许〔{year}〕1号",
    }
    assert foreign.number not in everything
    by_type = client.get(INDEX, {"document_type": register["notices"].pk})
    assert numbers(by_type) == {f"吉市监不许〔{year}〕1号"}
    last_year = OutgoingNumber.objects.create(
        document_type=office.document_type,
        department=office.department,
        year=year - 1,
        sequence=7,
        number=f"吉市监许〔{year - 1}〕7号",
        subject="关于某公司申请的决定",
    )
    assert numbers(client.get(INDEX, {"year": year - 1})) == {last_year.number}
    assert numbers(client.get(INDEX, {"year": year})) == everything
    last_year.delete()

    line = OutgoingNumber.objects.get(number=f"吉市监许〔{year}〕1号")
    workflow.void_outgoing_number(line, office.clerk, "文书印错")
    voided = numbers(client.get(INDEX, {"voided": "true"}))
    assert voided == {line.number}
    assert line.number not in numbers(client.get(INDEX, {"voided": "false"}))


def test_the_export_lists_every_line_and_is_logged(client, office, register):
    client.force_login(office.clerk)
    response = client.get(INDEX, {"export": "csv"})

    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = text.strip().splitlines()
    assert "发文字号" in header and "作废原因" in header and "受理编号" in header
    assert len(rows) == 3
    tracking = register["refusal"].tracking_number
    assert any(tracking in row and "吉市监不许" in row for row in rows)
    assert PersonalDataAccess.objects.filter(
        action=PersonalDataAccess.Action.EXPORT
    ).exists()


def test_voiding_a_number_needs_a_reason_and_renumbers_its_filing(
    client, office, register
):
    filing = register["licences"][0]
    line = OutgoingNumber.objects.get(number=filing.outgoing_number)
    url = reverse("outgoingnumber:edit", args=[line.pk])
    client.force_login(office.clerk)

    refused = client.post(url, {"void_reason": "  "})
    assert refused.status_code == 200
    assert "作废发文字号" in refused.content.decode()
    line.refresh_from_db()
    assert not line.is_void

    done = client.post(url, {"void_reason": "文书印错"}, follow=True)
    line.refresh_from_db()
    filing.refresh_from_db()
    assert line.is_void and line.void_reason == "文书印错"
    assert line.voided_by == office.clerk
    year = timezone.localdate().year
    assert filing.outgoing_number == f"吉市监许〔{year}〕3号"
    assert f"办件 {filing.tracking_number} 改用 吉市监许〔{year}〕3号" in (
        done.content.decode()
    )
    assert ModelLogEntry.objects.filter(
        action="inbox.void_number", object_id=str(line.pk)
    ).exists()

    again = client.post(url, {"void_reason": "再作废"})
    assert again.status_code == 302
    assert again.url == reverse("outgoingnumber:inspect", args=[line.pk])
    line.refresh_from_db()
    assert line.void_reason == "文书印错"


def test_lines_are_not_added_edited_or_deleted_by_hand(client, office, register):
    line = OutgoingNumber.objects.get(number=register["refusal"].outgoing_number)
    client.force_login(office.clerk)

    assert client.get(reverse("outgoingnumber:add")).status_code in (302, 403)
    client.post(reverse("outgoingnumber:delete", args=[line.pk]))
    assert OutgoingNumber.objects.filter(pk=line.pk).exists()
    client.post(
        reverse("outgoingnumber:edit", args=[line.pk]),
        {"void_reason": "改号", "number": "伪造〔2026〕1号", "sequence": 99},
    )
    line.refresh_from_db()
    assert line.number == register["refusal"].outgoing_number
    assert line.sequence == 1


def test_the_director_reads_the_register_but_cannot_void(client, office, register):
    line = OutgoingNumber.objects.get(number=register["refusal"].outgoing_number)
    client.force_login(office.director)

    assert client.get(INDEX).status_code == 200
    inspect = client.get(reverse("outgoingnumber:inspect", args=[line.pk]))
    assert inspect.status_code == 200 and line.number in inspect.content.decode()
    client.post(
        reverse("outgoingnumber:edit", args=[line.pk]), {"void_reason": "不应作废"}
    )
    line.refresh_from_db()
    assert not line.is_void


def test_the_clerk_adds_a_document_type_to_their_own_department(client, office):
    client.force_login(office.clerk)
    response = client.post(
        reverse("outgoingdocumenttype:add"),
        {
            "name": "行政许可变更决定书",
            "prefix": "吉市监变",
            "department": office.outsider_department.pk,
        },
    )

    assert response.status_code == 302
    created = OutgoingDocumentType.objects.get(prefix="吉市监变")
    assert created.department == office.department


def test_a_handler_has_no_register(client, office, register):
    handler = make_staff(office.department, roles.Role.HANDLER, office.lead)
    client.force_login(handler)
    assert client.get(INDEX).status_code in (302, 403)
