"""Every absolute address the portal hands out comes from the Wagtail `Site`, which
`load_demo` keeps in step with `BASE_URL` (issue 13, point 3)."""

import pytest
from captcha.conf import settings as captcha_settings
from django.core.exceptions import ImproperlyConfigured
from icalendar import Calendar

from portal.sites import sync_default_site
from reception.models.roster import Slot
from services_catalog.inbox.models import Filing
from tests.conftest import lift_rate_limits
from tests.inbox.builders import make_item
from tests.inbox.test_views import form_data
from tests.reception.conftest import (
    make_leader,
    make_period,
    make_reception_page,
    next_workday,
)

pytestmark = pytest.mark.django_db

ROOT = "https://zwfw.example.gov.cn"


@pytest.fixture
def item(home_page):
    sync_default_site(ROOT + "/")
    item = make_item(home_page)
    item.save_revision().publish()
    return item


def test_sitemap_and_robots_use_the_site_address(client, item):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"<loc>{ROOT}{item.url}</loc>" in sitemap

    robots = client.get("/robots.txt")
    assert robots["Content-Type"] == "text/plain"
    lines = robots.content.decode().splitlines()
    assert f"Sitemap: {ROOT}/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /banjian/" in lines


def test_feed_print_view_and_ical_use_the_site_address(client, item):
    feed = client.get("/feeds/items/rss/").content.decode()
    assert f"<link>{ROOT}{item.url}</link>" in feed

    printed = client.get(f"{item.url}print/").content.decode()
    assert f"{ROOT}{item.url}" in printed

    department = item.department
    reception = make_reception_page(department)
    day = next_workday()
    make_period(
        department,
        day,
        day,
        entries=[(day, Slot.MORNING, make_leader(department, "王明"))],
    )
    calendar = Calendar.from_ical(client.get(reception.url + "ical/").content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["URL"]).startswith(f"{ROOT}{reception.url}")


def test_notice_mail_and_receipt_point_to_the_site_lookup(
    client, item, settings, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    lift_rate_limits(settings)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(item.url + "apply/", form_data(item))
    filing = Filing.objects.get()
    assert f"{ROOT}/banjian/chaxun/" in mailoutbox[0].body

    receipt = client.get(response.url).content.decode()
    assert f"{ROOT}/banjian/chaxun/?number={filing.tracking_number}" in receipt


def test_a_base_url_that_is_not_a_web_address_is_refused(home_page):
    with pytest.raises(ImproperlyConfigured, match="BASE_URL"):
        sync_default_site("zwfw.example.gov.cn")
