"""Rate limits of every public form, the search and the API (`portal.ratelimits`):
per client address, with the figure taken from `settings.RATELIMITS`. The tests' rates
are per day: django-ratelimit counts in fixed windows, and a per-minute window that
closed between two requests of a test would let one more through."""

import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse

from portal.ratelimits import client_address, ratelimit
from reception.models.roster import Slot
from services_catalog.inbox import workflow
from tests.inbox.builders import applicant, make_item
from tests.reception.conftest import (
    make_department,
    make_leader,
    make_period,
    make_reception_page,
    next_workday,
)

pytestmark = pytest.mark.django_db

ADDRESS = "192.0.2.10"
OTHER_ADDRESS = "192.0.2.20"


@pytest.fixture
def targets(home_page):
    """{rate name: (method, url)} of everything that is limited."""
    item = make_item(home_page)
    filing, _code = workflow.create_filing(item, applicant(), form_token=uuid.uuid4())
    number = filing.tracking_number
    department = make_department(home_page, "RL")
    day = next_workday()
    entry = make_period(
        department,
        day,
        day,
        entries=[(day, Slot.MORNING, make_leader(department, "甲"))],
    ).entries.get()
    reception = make_reception_page(department)
    return {
        "filing": ("post", item.url + "apply/"),
        "supplement": ("post", reverse("inbox:supplement", args=[number])),
        "rating": ("post", reverse("inbox:rate", args=[number])),
        "withdraw": ("post", reverse("inbox:withdraw", args=[number])),
        "complaint": ("post", reverse("inbox:complaint")),
        "lookup": ("post", reverse("inbox:lookup")),
        "appointment": ("post", f"{reception.url}appointment/{entry.pk}/"),
        "appointment_lookup": ("post", reception.url + "lookup/"),
        "search": ("get", "/search/?q=许可"),
        "search_suggest": ("get", "/search/suggest/?q=许可"),
        "search_click": ("post", "/search/click/?q=许可"),
        "search_api": ("get", "/api/v1/search/?q=许可"),
        "lookup_api": ("get", f"/api/v1/filings/{number}/?code=WRONG"),
        "captcha": ("get", "/captcha/new/?kind=question"),
    }


RATE_NAMES = {"lookup_api": "lookup"}  # the lookup page and API count together


def send(client, target, address):
    method, url = target
    return getattr(client, method)(url, REMOTE_ADDR=address)


def text_of(response):
    if response["Content-Type"].startswith("application/json"):
        return response.json()["detail"]
    return response.content.decode()


@pytest.mark.parametrize(
    "target",
    [
        "filing",
        "supplement",
        "rating",
        "withdraw",
        "complaint",
        "lookup",
        "appointment",
        "appointment_lookup",
        "search",
        "search_suggest",
        "search_click",
        "search_api",
        "lookup_api",
        "captcha",
    ],
)
def test_each_public_form_and_search_is_limited_per_address(
    client, settings, targets, target
):
    name = RATE_NAMES.get(target, target)
    settings.RATELIMITS = {
        **dict.fromkeys(settings.RATELIMITS),
        name: "2/d",
    }

    first = [send(client, targets[target], ADDRESS).status_code for _ in range(2)]
    limited = send(client, targets[target], ADDRESS)
    elsewhere = send(client, targets[target], OTHER_ADDRESS)

    assert 429 not in first
    assert limited.status_code == 429
    assert "过于频繁" in text_of(limited)
    assert elsewhere.status_code != 429


def test_the_figure_comes_from_settings(client, settings, targets):
    settings.RATELIMITS = {**dict.fromkeys(settings.RATELIMITS), "complaint": "5/d"}

    statuses = [
        send(client, targets["complaint"], ADDRESS).status_code for _ in range(6)
    ]

    assert statuses[:5].count(429) == 0 and statuses[5] == 429


def test_no_figure_means_no_limit(client, settings, targets):
    settings.RATELIMITS = dict.fromkeys(settings.RATELIMITS)

    statuses = {send(client, targets["search"], ADDRESS).status_code for _ in range(30)}

    assert 429 not in statuses


def test_a_form_over_its_limit_can_still_be_read(client, settings, targets):
    settings.RATELIMITS = {**dict.fromkeys(settings.RATELIMITS), "filing": "1/d"}
    url = targets["filing"][1]
    client.post(url, REMOTE_ADDR=ADDRESS)

    assert client.post(url, REMOTE_ADDR=ADDRESS).status_code == 429
    page = client.get(url, REMOTE_ADDR=ADDRESS)
    assert page.status_code == 200 and "在线申请" in page.content.decode()


def test_the_limited_page_is_the_chinese_error_page(client, settings, targets):
    settings.RATELIMITS = {**dict.fromkeys(settings.RATELIMITS), "lookup": "1/d"}
    send(client, targets["lookup"], ADDRESS)

    html = send(client, targets["lookup"], ADDRESS).content.decode()

    assert "<h1>请稍后再试</h1>" in html and "操作过于频繁，请稍后再试。" in html
    assert 'class="site-footer"' in html


def test_a_misspelt_rate_name_fails_where_the_view_is_defined():
    with pytest.raises(ImproperlyConfigured, match="filling"):
        ratelimit("filling")


def test_behind_proxies_the_client_is_the_address_the_outer_proxy_saw(settings):
    request = RequestFactory().get(
        "/",
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7, 192.0.2.1",
    )

    settings.PROXY_COUNT = 0
    assert client_address(request) == "127.0.0.1"
    settings.PROXY_COUNT = 2
    # The first hop is whatever the client wrote itself; it is not trusted.
    assert client_address(request) == "198.51.100.7"
