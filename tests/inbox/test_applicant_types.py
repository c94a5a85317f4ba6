"""The filing form offers the applicant types the item accepts (issue 13, point 7):
an item only for 法人 opens with 法人或其他组织 chosen and no 自然人 to pick."""

import pytest
from bs4 import BeautifulSoup

from tests.inbox.builders import VALID_ID, make_item
from tests.inbox.test_views import apply_url, form_data

pytestmark = pytest.mark.django_db


def applicant_type_radios(client, item):
    page = BeautifulSoup(client.get(apply_url(item)).content, "html.parser")
    return {
        radio["value"]: radio.has_attr("checked")
        for radio in page.select('input[name="applicant_type"]')
    }


def test_an_item_for_organisations_only_offers_organisation(client, home_page):
    item = make_item(home_page, audience=["organisation"])

    assert applicant_type_radios(client, item) == {"organisation": True}


def test_an_item_for_both_defaults_to_its_first_audience(client, home_page):
    both = make_item(home_page, audience=["person", "organisation"])
    assert applicant_type_radios(client, both) == {
        "person": True,
        "organisation": False,
    }


def test_a_type_the_item_does_not_accept_is_refused_in_chinese(client, home_page):
    item = make_item(home_page, audience=["organisation"])

    response = client.post(
        apply_url(item), form_data(item, applicant_type="person", id_number=VALID_ID)
    )

    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()
