"""Uncached public pages with the page frame shared per process (portal.shared), as
in production: at most 12 queries a page, the same number with few and with many
items, divisions and people, and a change still shows on the next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import ContactSettings
from tests.factories import (
    ContentPageFactory,
    DivisionPageFactory,
    PersonFactory,
    PostFactory,
    ServiceItemPageFactory,
)
from tests.inbox.builders import make_item
from tests.reception.conftest import make_reception_page

# Outside a transaction, as a server runs: the working-day calendar keeps its rows
# between requests only then (portal.workdays).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MAX_QUERIES = 12


@pytest.fixture(autouse=True)
def _shared_frame(settings):
    settings.SHARED_FRAGMENTS_ENABLED = True
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture
def site(home_page):
    item = make_item(home_page, title="食品生产许可")
    department = item.department
    division = item.lead_division.specific
    PersonFactory(name="王局长", department=department, is_leader=True)
    head = PersonFactory(name="张处长", division=division, is_leader=True)
    division.head = head
    PostFactory(division=division)
    division.save_revision().publish()
    reception = make_reception_page(department)
    return {
        "home": home_page,
        "department": department,
        "division": division,
        "catalog": item.get_parent(),
        "item": item,
        "reception": reception,
    }


def grow(site, items):
    """`items` more items in the catalog, each led by a new division with a head,
    a post and a person, and a post more in the first division."""
    department, catalog = site["department"], site["catalog"]
    for number in range(items):
        division = DivisionPageFactory(parent=department, code=f"X{number:03d}")
        head = PersonFactory(division=division, is_leader=True)
        PersonFactory(division=division)
        PostFactory(division=division)
        PostFactory(division=site["division"])
        division.head = head
        division.save_revision().publish()
        ServiceItemPageFactory(parent=catalog, lead_division=division)


def queries_of(client, url):
    # The frame is built once per process and generation; the very first request
    # also creates the site's settings rows, which starts a new generation.
    client.get(url)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_every_public_page_costs_at_most_12_queries_and_as_many_when_grown(
    client, site
):
    pages = ["home", "department", "division", "catalog", "item", "reception"]
    few = {name: queries_of(client, site[name].url) for name in pages}
    grow(site, 12)
    many = {name: queries_of(client, site[name].url) for name in pages}

    assert many == few
    assert max(few.values()) <= MAX_QUERIES, few


def test_the_frame_is_shared_yet_a_settings_change_shows_at_once(client, site):
    url = site["division"].url
    first = queries_of(client, url)
    contact = ContactSettings.for_site(site["home"].get_site())
    contact.hotline = "0431-99990000"
    contact.save()

    with CaptureQueriesContext(connection) as rebuilt:
        html = client.get(url).content.decode()

    assert "0431-99990000" in html
    assert len(rebuilt) > first  # the frame was built again, once
    assert queries_of(client, url) == first


def test_a_published_section_joins_the_shared_navigation(client, site):
    client.get("/")
    section = ContentPageFactory(
        parent=site["home"], title="政策解读", show_in_menus=True
    )
    section.save_revision().publish()

    nav = client.get("/").content.decode().split('aria-label="主导航"')[1]
    assert "政策解读" in nav.split("</nav>")[0]


def test_routing_finds_pages_routes_and_misses_as_before(client, site):
    item = site["item"]
    assert client.get(item.url + "print/").status_code == 200
    assert client.get(site["reception"].url + "month/").status_code == 200
    assert client.get(item.url + "no-such-route/").status_code == 404
    assert client.get(site["catalog"].url + "no-such-item/").status_code == 404
    item.unpublish()
    assert client.get(item.url).status_code == 404


def test_a_shared_person_card_shows_an_edited_person_at_once(client, site):
    url = site["department"].url
    assert "王局长" in client.get(url).content.decode()
    leader = site["department"].people.get(name="王局长")
    leader.name = "李局长"
    leader.save()

    html = client.get(url).content.decode()
    assert "李局长" in html
    assert "王局长" not in html


def test_a_shared_item_card_shows_a_published_change_of_the_item_or_its_division(
    client, site
):
    url = site["catalog"].url
    assert "食品生产许可" in client.get(url).content.decode()
    item = site["item"]
    item.title = "食品经营许可"
    item.save_revision().publish()
    division = site["division"]
    division.title = "行政审批处"
    division.save_revision().publish()

    html = client.get(url).content.decode()
    assert "食品经营许可" in html
    assert "食品生产许可" not in html
    assert "行政审批处" in html


def test_shared_fragments_are_kept_per_language(client, site):
    url = site["division"].url
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    again = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert 'aria-label="页脚链接"' in chinese
    assert 'aria-label="页脚链接"' not in english
    assert again == chinese
