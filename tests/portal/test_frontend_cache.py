"""A CDN or Varnish in front (portal.frontend_cache): after any change public pages
show, every live public page is purged through Wagtail's frontend cache backend, and
the pages the page cache stores tell a shared cache to keep them until midnight at
most. The purge requests go to a real HTTP server standing in for Varnish."""

import datetime
import http.server
import threading
import zoneinfo

import pytest
from django.utils import timezone

from portal import frontend_cache
from portal.models import BackgroundJob
from tests.factories import PersonFactory
from tests.inbox.builders import make_item

pytestmark = pytest.mark.django_db

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")


class _Varnish(http.server.BaseHTTPRequestHandler):
    def do_PURGE(self):
        self.server.purged.append((self.headers["Host"], self.path))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def varnish(settings):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Varnish)
    server.purged = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
    }
    yield server
    server.shutdown()
    server.server_close()


def test_a_change_public_pages_show_purges_every_public_page_with_its_routes(
    varnish, home_page, django_capture_on_commit_callbacks
):
    item = make_item(home_page)
    with django_capture_on_commit_callbacks(execute=True):
        PersonFactory(name="王建华")

    paths = {path for _host, path in varnish.purged}
    assert "/" in paths
    assert item.url in paths
    assert item.url + "print/" in paths, "a route without a parameter is purged too"
    assert item.get_parent().url in paths
    assert {host for host, _path in varnish.purged} == {"localhost"}
    job = BackgroundJob.objects.get(reference="frontend cache")
    assert job.status == BackgroundJob.Status.DONE


def test_publishing_a_page_purges_it(
    varnish, home_page, django_capture_on_commit_callbacks
):
    item = make_item(home_page)
    varnish.purged.clear()
    item.title = "排污许可证变更"
    with django_capture_on_commit_callbacks(execute=True):
        item.save_revision().publish()

    assert item.url in {path for _host, path in varnish.purged}


def test_without_a_frontend_cache_no_purge_job_is_written(
    home_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        PersonFactory()

    assert not BackgroundJob.objects.filter(reference="frontend cache").exists()


def test_stored_pages_tell_a_shared_cache_to_keep_them_until_midnight_at_most(
    varnish, settings, client, home_page
):
    settings.PAGE_CACHE_ENABLED = True
    settings.FRONTEND_CACHE_SECONDS = 3600
    response = client.get("/")

    assert response["X-Page-Cache"] == "miss"
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert "public" in directives
    s_maxage = next(
        int(d.split("=")[1]) for d in directives if d.startswith("s-maxage=")
    )
    assert 0 <= s_maxage <= 3600


def test_the_shared_cache_lifetime_never_passes_midnight(settings):
    settings.FRONTEND_CACHE_SECONDS = 3600
    late = datetime.datetime(2026, 12, 1, 23, 59, 30, tzinfo=BEIJING)
    early = datetime.datetime(2026, 12, 2, 8, 0, tzinfo=BEIJING)

    assert frontend_cache.frontend_max_age(late) == 30
    assert frontend_cache.frontend_max_age(early) == 3600
    assert frontend_cache.frontend_max_age(timezone.now()) <= 3600
