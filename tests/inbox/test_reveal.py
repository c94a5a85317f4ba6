"""On the pre-review page the applicant's ID and mobile numbers are masked; the
clerk's "show" action displays them in full and is logged."""

import uuid

import pytest
from django.urls import reverse

from portal.models import PersonalDataAccess
from services_catalog.inbox import workflow
from tests.inbox.builders import VALID_ID, applicant, make_clerk, make_item

pytestmark = pytest.mark.django_db


def test_the_clerk_reveals_the_full_numbers_and_the_view_is_logged(
    client, item, clerk, home_page
):
    filing, _code = workflow.create_filing(item, applicant(), form_token=uuid.uuid4())
    client.force_login(clerk)

    page = client.get(reverse("desk:inspect", args=[filing.pk]))
    page = page.content.decode()
    assert "110105********002X" in page and "138****8000" in page
    assert VALID_ID not in page and "13800138000" not in page
    assert not PersonalDataAccess.objects.exists()

    shown = client.post(reverse("desk:reveal", args=[filing.pk]))
    assert VALID_ID in shown.content.decode()
    assert "13800138000" in shown.content.decode()
    entry = PersonalDataAccess.objects.get()
    assert (entry.user, entry.action) == (clerk, "reveal")
    assert entry.object_id == str(filing.pk) and "证件号码" in entry.detail

    listing = client.get(
        reverse("personaldataaccess:index"), {"q": filing.tracking_number}
    )
    assert listing.status_code == 302  # clerks do not read the access log

    outsider = make_clerk(make_item(home_page).department)
    client.force_login(outsider)
    response = client.post(reverse("desk:reveal", args=[filing.pk]))
    assert response.status_code == 404
    assert PersonalDataAccess.objects.count() == 1
