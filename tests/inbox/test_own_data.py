"""The applicant downloads a copy of what the department holds about their filing
after proving the tracking number and access code; the copy and every download of
materials are logged."""

import json
import subprocess
import uuid

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.timezone import localtime

from portal.models import PersonalDataAccess
from services_catalog.inbox import workflow
from services_catalog.inbox.models import FilingUpload
from tests.inbox.builders import PDF, VALID_ID, applicant

pytestmark = pytest.mark.django_db


def filed(item):
    filing, code = workflow.create_filing(item, applicant(), form_token=uuid.uuid4())
    return filing, code


def look_up(client, filing, code):
    response = client.post(
        reverse("inbox:lookup"),
        {"tracking_number": filing.tracking_number, "access_code": code},
    )
    assert response.status_code == 302


def test_the_applicant_downloads_their_own_data_as_json(client, item):
    filing, code = filed(item)
    url = reverse("inbox:own_data", args=[filing.tracking_number])
    assert client.get(url).status_code == 302  # not proven yet: to the lookup

    look_up(client, filing, code)
    status = client.get(reverse("inbox:status", args=[filing.tracking_number]))
    assert url in status.content.decode()
    response = client.get(url)

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["tracking_number"] == filing.tracking_number
    assert data["applicant"]["name"] == "张三"
    assert data["applicant"]["id_number"] == VALID_ID
    assert data["item"]["title"] == item.title
    assert [m["name"] for m in data["materials"]] == ["申请书", "身份证明复印件"]
    assert data["timeline"]
    entry = PersonalDataAccess.objects.get()
    assert entry.action == "own_copy" and entry.user is None
    assert entry.object_id == str(filing.pk)


def test_the_applicant_downloads_the_same_copy_as_a_pdf(client, item):
    filing, code = filed(item)
    url = reverse("inbox:own_data_pdf", args=[filing.tracking_number])
    assert client.get(url).status_code == 302  # not proven yet: to the lookup
    assert not PersonalDataAccess.objects.exists()

    look_up(client, filing, code)
    status = client.get(reverse("inbox:status", args=[filing.tracking_number]))
    assert url in status.content.decode()
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{filing.tracking_number}-personal-data.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "本人信息副本" in text  # the CJK font is embedded
    assert filing.tracking_number in text and item.title in text
    assert "张三" in text and VALID_ID in text
    assert "申请书" in text and "身份证明复印件" in text
    assert f"{localtime(filing.submitted_at):%Y-%m-%d %H:%M}" in text
    entry = PersonalDataAccess.objects.get()
    assert (entry.action, entry.detail, entry.user) == ("own_copy", "PDF", None)
    assert entry.object_id == str(filing.pk)


def test_another_browser_gets_no_copy(client, item):
    filing, _code = filed(item)
    other, _other_code = filed(item)
    look_up(client, other, _other_code)

    for name in ("inbox:own_data", "inbox:own_data_pdf"):
        response = client.get(reverse(name, args=[filing.tracking_number]))
        assert response.status_code == 302 and "/chaxun/" in response.url
    assert not PersonalDataAccess.objects.filter(object_id=str(filing.pk)).exists()


def test_downloads_of_materials_are_logged(client, item):
    filing, code = filed(item)
    upload = FilingUpload(
        filing=filing,
        original_name="申请书.pdf",
        content_type="application/pdf",
        size=len(PDF),
        source="online",
    )
    upload.file.save("a.pdf", ContentFile(PDF), save=True)
    look_up(client, filing, code)

    client.get(reverse("inbox:download", args=[upload.pk]))

    entry = PersonalDataAccess.objects.get()
    assert (entry.action, entry.detail) == ("download", "申请书.pdf")
    assert filing.tracking_number in entry.object_repr
