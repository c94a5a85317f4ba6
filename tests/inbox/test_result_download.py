"""The applicant downloads the result from the lookup: once the result is issued,
the browser that proved the tracking number and access code gets the result
document (from private storage) and the result notice as a PDF; every download is
logged; nobody else gets either."""

import pytest
from django.core.files.storage import storages
from django.urls import reverse

from portal.models import PersonalDataAccess
from services_catalog.inbox import workflow
from tests.inbox.builders import PDF, Office

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(home_page):
    return Office(home_page)


def looked_up(client, filing):
    response = client.post(
        reverse("inbox:lookup"),
        {"tracking_number": filing.tracking_number, "access_code": filing.access_code},
    )
    assert response.status_code == 302


def test_after_issue_the_applicant_downloads_result_and_notice(office, client):
    filing = office.completed()
    looked_up(client, filing)
    status = reverse("inbox:status", args=[filing.tracking_number])
    result = reverse("inbox:result_download", args=[filing.tracking_number])
    notice = reverse("inbox:result_notice_pdf", args=[filing.tracking_number])

    # Completed but not yet issued: nothing offered, nothing served.
    assert "data-result-download" not in client.get(status).content.decode()
    assert client.get(result).status_code == 302
    assert client.get(notice).status_code == 302

    workflow.issue_result(filing, office.clerk, "pickup")
    page = client.get(status).content.decode()
    assert "data-result-download" in page
    assert result in page and notice in page

    response = client.get(result)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"

    response = client.get(notice)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")

    entries = PersonalDataAccess.objects.filter(
        object_id=str(filing.pk), action=PersonalDataAccess.Action.DOWNLOAD
    )
    filing.refresh_from_db()
    assert entries.count() == 2
    assert entries.filter(detail__contains=filing.outgoing_number).exists()
    assert entries.filter(detail__contains="许可决定书").exists()
    client.get(result)
    assert entries.count() == 3


def test_without_the_number_and_code_nothing_is_served(office, client):
    filing = office.issued()
    for name in ("inbox:result_download", "inbox:result_notice_pdf"):
        response = client.get(reverse(name, args=[filing.tracking_number]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("inbox:lookup"))
    # Another filing's proof does not open this one.
    other = office.completed()
    looked_up(client, other)
    response = client.get(
        reverse("inbox:result_download", args=[filing.tracking_number])
    )
    assert response.status_code == 302
    assert not PersonalDataAccess.objects.filter(object_id=str(filing.pk)).exists()
    # The file lives in private storage, which has no public address.
    filing.refresh_from_db()
    assert filing.result_document.storage is storages["private"]
