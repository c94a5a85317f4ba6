"""No list page, export or notice of the demo shows a full ID number or mobile.

The demo's personal numbers are collected from the database itself: every ID number
and mobile number held in any text field of any model (read through the models, so
encrypted fields count with their plain value). Then every admin URL the project
registers without a parameter (viewset and snippet listings and their result
fragments, choosers, reports, the window's pages, the security and access logs),
each listing searched for a demo name, and every export format those pages offer
(CSV and XLSX) are requested as the administrator, the window clerk and the
supervisor; the public reception pages and their iCal feeds are requested too. Any
of the demo's numbers in full, with or without spaces or hyphens between its digits,
fails the test, and so does any other unmasked 18-character ID or 11-digit mobile.
Queued notices are searched the same way.
"""

import io
import re

import openpyxl
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver

from portal.masking import id_numbers_in
from portal.models import OutgoingMessage
from reception.models import AppointmentRequest, ReceptionPage, ReceptionRecord

pytestmark = pytest.mark.slow

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")
# A mobile number as a clerk may type it: 139 0431 0001, 139-0431-0001, +86…
TYPED_MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d(?:[\s\-]?\d){8}(?![0-9A-Za-z])")

USERS = ["admin", "clerk_sj", "supervisor_sj"]
SEARCHES = ["王建华", "孙立新", "张三"]
EXPORTED = ["receptionrecord:index", "inbox_cases:index", "securityevent:index"]

# Parameterless admin URLs that are not pages to read: they sign out, fail on
# purpose, or are endpoints other views call with their own parameters.
NOT_PAGES = {
    "wagtailadmin_logout",
    "wagtailadmin_error_test",
    "wagtailadmin_dismissibles",
    "wagtailadmin_block_preview",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_tag_autocomplete",
}


def admin_urls():
    """(name, URL) of every admin URL pattern registered without a parameter."""

    def walk(patterns, prefix="", namespace=""):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = (
                    f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                )
                yield from walk(entry.url_patterns, route, inner)
            elif isinstance(entry, URLPattern) and not re.search(r"[<$*(\\]", route):
                yield f"{namespace}{entry.name or ''}", "/" + route.replace("^", "")

    return sorted(
        (name, url)
        for name, url in walk(get_resolver().url_patterns)
        if url.startswith("/admin/") and name not in NOT_PAGES
    )


def demo_numbers():
    """Every ID number and mobile number held in a text field of the demo data."""
    numbers = set()
    for model in apps.get_models():
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list(*fields).iterator():
            for value in row:
                if value:
                    numbers.update(id_numbers_in(value))
                    numbers.update(
                        re.sub(r"[\s\-]", "", match)
                        for match in TYPED_MOBILE.findall(value)
                    )
    return {number.upper() for number in numbers}


def number_pattern(numbers):
    """A pattern matching any of `numbers` in full, also with spaces or hyphens
    typed between its characters."""
    alternatives = [
        r"[\s\-]?".join(re.escape(character) for character in number)
        for number in sorted(numbers)
    ]
    return re.compile(
        rf"(?<![0-9A-Za-z])(?:{'|'.join(alternatives)})(?![0-9A-Za-z])", re.I
    )


def text_of(response):
    """The response as text: a spreadsheet's cells, a CSV, or the page."""
    content_type = response.get("Content-Type", "")
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    if "spreadsheetml" in content_type:
        workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            " ".join(str(cell) for cell in row if cell is not None)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    return body.decode("utf-8-sig", errors="replace")


class Leaks:
    def __init__(self, numbers):
        self.known = number_pattern(numbers)
        self.found = []

    def check(self, where, text):
        hits = self.known.findall(text) + ID_NUMBER.findall(text)
        hits += MOBILE.findall(text)
        if hits:
            self.found.append((where, sorted(set(hits))))


class DemoMaskingTests(TestCase):
    """The demo is loaded once for the class (inside its transaction, rolled back
    after it): loading it takes longer than either check."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=io.StringIO())

    def test_no_demo_listing_search_or_export_shows_a_full_number(self):
        client = self.client
        numbers = demo_numbers()
        record_ids = {r.visitor_id_number for r in ReceptionRecord.objects.all()} - {""}
        phones = {a.phone for a in AppointmentRequest.objects.all()}
        assert "13904310001" in numbers  # typed as 139 0431 0001 in a matter, too
        assert record_ids and record_ids <= numbers
        assert phones and phones <= numbers
        leaks = Leaks(numbers)
        urls = admin_urls()
        seen, exports = set(), set()
        for username in USERS:
            client.force_login(get_user_model().objects.get(username=username))
            for name, url in urls:
                response = client.get(url)
                if response.status_code != 200:
                    continue
                seen.add(name)
                text = text_of(response)
                leaks.check(f"{username} {url}", text)
                for query in SEARCHES if 'name="q"' in text else ():
                    found = client.get(url, {"q": query})
                    if found.status_code == 200:
                        leaks.check(f"{username} {url}?q={query}", text_of(found))
                for file_format in sorted(set(re.findall(r"export=(\w+)", text))):
                    export = client.get(url, {"export": file_format})
                    assert export.status_code == 200, f"{url}?export={file_format}"
                    exports.add((name, file_format))
                    leaks.check(
                        f"{username} {url}?export={file_format}", text_of(export)
                    )

        assert not leaks.found, leaks.found
        for name in (
            "receptionrecord:index",
            "appointmentrequest:index",
            "wagtailsnippets_disclosure_person:list",
            "securityevent:index",
            "personaldataaccess:index",
            "inbox_cases:index",
        ):
            assert name in seen, name
        for listing in EXPORTED:
            assert {(listing, "csv"), (listing, "xlsx")} <= exports, listing

    def test_no_public_reception_page_feed_or_notice_shows_a_full_number(self):
        leaks = Leaks(demo_numbers())
        pages = ReceptionPage.objects.live()
        assert pages.exists()
        for page in pages:
            for route in ("", "month/", "print/", "ical/"):
                response = self.client.get(page.url + route)
                assert response.status_code == 200, page.url + route
                leaks.check(page.url + route, text_of(response))
        messages = OutgoingMessage.objects.all()
        assert messages.exists()
        for message in messages:
            leaks.check(message.subject, f"{message.subject}\n{message.body}")

        assert not leaks.found, leaks.found
