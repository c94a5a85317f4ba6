"""No list page, export or notice of the demo shows a full ID number or mobile: every
admin listing and its CSV export, walked as the window clerk and the supervisor, and
every queued notice, are searched for unmasked numbers."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from portal.models import OutgoingMessage

pytestmark = pytest.mark.django_db

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")


def listing_urls():
    """Every admin URL without parameters that is a listing: viewset index views and
    the window's and the inspection office's pages."""

    def walk(patterns, prefix="", namespace=""):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = (
                    f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                )
                yield from walk(entry.url_patterns, route, inner)
            elif isinstance(entry, URLPattern) and "<" not in route:
                yield f"{namespace}{entry.name or ''}", "/" + route.replace("^", "")

    for name, url in walk(get_resolver().url_patterns):
        if url.startswith("/admin/") and (
            name.endswith(":index") or name == "supervision:dashboard"
        ):
            if "$" not in url and ".xlsx" not in url:
                yield url


def unmasked(text):
    return ID_NUMBER.findall(text) + MOBILE.findall(text)


@pytest.mark.parametrize("username", ["clerk_sj", "supervisor_sj"])
def test_no_demo_listing_or_export_shows_a_full_number(client, username):
    call_command("load_demo", stdout=io.StringIO())
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))
    seen = 0
    for url in sorted(set(listing_urls())):
        response = client.get(url)
        if response.status_code != 200:
            continue
        seen += 1
        assert not unmasked(response.content.decode()), url
        if "export" in response.content.decode():
            export = client.get(url, {"export": "csv"})
            if export.status_code == 200 and export.streaming:
                text = b"".join(export.streaming_content).decode("utf-8-sig")
                assert not unmasked(text), f"{url}?export=csv"
    assert seen >= 5


def test_no_demo_notice_carries_an_id_number():
    call_command("load_demo", stdout=io.StringIO())
    for message in OutgoingMessage.objects.all():
        assert not ID_NUMBER.findall(f"{message.subject} {message.body}")
