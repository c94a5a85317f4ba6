"""Every admin screen each demo staff role meets, in a real browser (issue 13, staff).

The demo site (`load_demo`) is loaded once; each demo login signs in and walks what
its own menu offers: the dashboard with its start panel, every menu entry (listings,
reports, settings, dashboards), the create form and the first object's edit or
inspect screen of each listing, the page editor of each page type it may edit.
The URLs come from the sidebar the role is shown and from the pages it may edit, so
a new screen is walked without touching this test.

On every screen, in Chinese on a desktop: the server answers below 400 (page and
every request it makes), the console stays free of errors, axe-core finds nothing
serious or critical (on each tab of a form), and none of the English Wagtail leaves
untranslated shows. A representative part (dashboard, first listing, first form,
first page editor) is walked again in English on a desktop and in Chinese on a
320 px phone, where axe runs (see `walk_role`). Each role's Chinese dashboard
shows its start panel.

Where axe is off (BROWSER_AXE=0: CI's PostgreSQL run), the same Chinese desktop
walk goes through Django's test client instead (`ClientWalk`): what depends on the
database, the answers and the English, is checked on both databases; what only the
browser sees is checked once, where axe runs.

Every problem of the walk is collected and reported together, screen by screen.
To keep the walk short, one browser context serves each role, language and size,
axe runs once per screen and language and size (see `Walk`), and the browser asks
for reduced motion.
"""

import io
import json
import re
import threading
import time
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from wagtail.models import Page

from portal.demo import DEMO_PASSWORD
from tests.browser.axe import ENABLED as AXE_ENABLED
from tests.browser.axe import axe_violations, format_violations
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_supervision import watch_console

# The demo logins (portal.demo and disclosure.demo) and the start panel each one
# finds first on its dashboard (the panel's id, as the template renders it).
ROLES = {
    "admin": None,
    "provincial": None,
    "editor_sj": None,
    "moderator_sj": None,
    "clerk_sj": "inbox-clerk-queue",
    "director_sj": "inbox-director",
    "handler_sj": "inbox-handler",
    "supervisor_sj": "inbox-supervision",
}

# English that Wagtail or our code once showed in the Chinese admin (issue 13
# point 12); none of it may come back on any screen.
UNTRANSLATED = re.compile(
    r"Search all pages|new items? in this menu|\d+ Pages?\b|Compare:|"
    r"\bTrue\b|\bFalse\b|\bNone\b|editor guide|\bModerators\b|\bEditors\b"
)

MENU_ITEMS = ("wagtail.sidebar.LinkMenuItem", "wagtail.sidebar.PageExplorerMenuItem")


def menu_urls(walk):
    """The admin addresses of the sidebar the signed-in user is shown, in menu order
    (read from the sidebar's own data, so submenus count without opening them)."""
    props = json.loads(walk.sidebar_props())
    urls = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("_type") in MENU_ITEMS:
                urls.append(node["_args"][0]["url"])
            else:
                for value in node.values():
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(props)
    return [url for url in urls if url.startswith("/admin/")]


OBJECT_PATH = re.compile(r"/(?:edit/|inspect/)?\d+/$")
CREATE_PATH = re.compile(r"/(?:add|new)/$")


def forms_of(walk, listing):
    """The create form and the first object's screen (edit or inspect) a listing
    links to below its own address."""
    found = {}
    for href in walk.main_links():
        path = urlsplit(href).path
        if not path.startswith(listing) or path == listing:
            continue
        for kind, pattern in (("create", CREATE_PATH), ("object", OBJECT_PATH)):
            if kind not in found and pattern.search(path):
                found[kind] = path
    return list(found.values())


def page_editor_urls(username):
    """The editor of one page of each page type `username` may edit (the first in
    the tree)."""
    user = get_user_model().objects.get(username=username)
    first_of_type = {}
    for page in Page.objects.filter(depth__gt=1).order_by("path"):
        if page.content_type_id in first_of_type:
            continue
        if page.permissions_for_user(user).can_edit():
            first_of_type[page.content_type_id] = f"/admin/pages/{page.pk}/edit/"
    return list(first_of_type.values())


class Walk:
    """One signed-in browser context of one role, and what went wrong in it.

    `axed` holds the screens axe has checked already, shared by every walk: a screen
    another role showed in the same language and size is loaded and checked for
    errors and English again, but not given to axe a second time (the dashboard,
    which differs by role, always is)."""

    def __init__(self, browser, base_url, username, axed, locale="zh-CN", phone=False):
        options = (
            {
                "viewport": PHONE,
                "is_mobile": True,
                "has_touch": True,
                "device_scale_factor": 2,
            }
            if phone
            else {"viewport": DESKTOP}
        )
        self.name = f"{username} {locale}{' 320px' if phone else ''}"
        self.username, self.kind, self.axed = username, (locale, phone), axed
        self.chinese = locale == "zh-CN"
        # Reduced motion, as many staff set it: Wagtail's new-item badges pulse for
        # 25 s otherwise, and axe waits for animations to end before it reads colours.
        self.context = browser.new_context(
            base_url=base_url, locale=locale, reduced_motion="reduce", **options
        )
        self.context.set_default_timeout(30_000)
        self.tab = self.context.new_page()
        self.errors = watch_console(self.tab)
        self.problems = []
        self.walked = []
        self.tab.goto("/admin/login/")
        self.tab.fill("#id_username", username)
        self.tab.fill("#id_password", DEMO_PASSWORD)
        self.tab.locator("form").get_by_role("button").first.click()
        self.tab.wait_for_url("**/admin/")

    def visit(self, url):
        """Open `url` and check it; returns whether it opened."""
        del self.errors[:]
        response = self.tab.goto(url)
        self.walked.append(url)
        found = []
        if response is None or response.status >= 400:
            found.append(f"answered {response and response.status}")
        else:
            key = (self.kind, url, self.username if url == "/admin/" else None)
            if key not in self.axed:
                self.axed.add(key)
                found.extend(self.axe_each_tab())
            if self.chinese:
                text = self.tab.locator("body").inner_text()
                if english := sorted(set(UNTRANSLATED.findall(text))):
                    found.append(f"English in the Chinese admin: {english}")
        found.extend(self.errors)
        if found:
            self.problems.append(f"[{self.name}] {url}\n    " + "\n    ".join(found))
        return response is not None and response.status < 400

    def sidebar_props(self):
        return self.tab.locator("#wagtail-sidebar-props").text_content()

    def main_links(self):
        return self.tab.eval_on_selector_all(
            "main a[href]", "links => links.map((link) => link.getAttribute('href'))"
        )

    def shows(self, selector):
        return bool(self.tab.locator(selector).count())

    def axe_each_tab(self):
        """axe on the screen, then on each further tab of its form (axe skips what
        is hidden, and an editor's other tabs are)."""
        violations = axe_violations(self.tab)
        tabs = self.tab.locator("[role=tablist] [role=tab]")
        for index in range(1, tabs.count()):
            tabs.nth(index).click()
            panel = tabs.nth(index).get_attribute("aria-controls")
            violations += axe_violations(self.tab, context=f"#{panel}")
        return [format_violations(violations)] if violations else []

    def close(self):
        self.context.close()


class ClientWalk:
    """The Chinese desktop walk without a browser, through Django's test client,
    where axe is off (CI's PostgreSQL run, see tests/browser/axe.py). What depends
    on the database is checked on each database: every screen of every role answers
    below 400 and shows none of the untranslated English. What the browser adds
    (the console, the requests a screen makes, axe, the English and phone
    renderings) does not depend on it and is checked where axe runs."""

    def __init__(self, username):
        self.name = f"{username} zh-CN (test client)"
        self.client = Client(raise_request_exception=False)
        self.client.force_login(get_user_model().objects.get(username=username))
        self.problems, self.walked, self.page = [], [], BeautifulSoup("", "html.parser")

    def visit(self, url):
        response = self.client.get(url, follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.walked.append(url)
        if response.status_code >= 400:
            self.problems.append(
                f"[{self.name}] {url}\n    answered {response.status_code}"
            )
            return False
        self.page = BeautifulSoup(response.content.decode(), "html.parser")
        props = self.page.find(id="wagtail-sidebar-props")
        self.props = props.get_text() if props else "{}"
        # What the browser would not show: scripts, templates, `hidden` elements.
        for hidden in self.page(["script", "style", "template", "noscript"]):
            hidden.decompose()
        for hidden in self.page.select("[hidden]"):
            hidden.decompose()
        text = self.page.get_text(" ")
        if english := sorted(set(UNTRANSLATED.findall(text))):
            self.problems.append(
                f"[{self.name}] {url}\n    English in the Chinese admin: {english}"
            )
        return True

    def sidebar_props(self):
        return self.props

    def main_links(self):
        main = self.page.find("main")
        return [a["href"] for a in main.find_all("a", href=True)] if main else []

    def shows(self, selector):
        return self.page.select_one(selector) is not None

    def close(self):
        pass


def walk_role(browser, base_url, username, page_editors, axed):
    """Walk everything `username` reaches, then the representative screens in
    English and on a phone; returns (problems, screens walked in Chinese)."""
    walk = (
        Walk(browser, base_url, username, axed) if AXE_ENABLED else ClientWalk(username)
    )
    walk.visit("/admin/")
    panel = ROLES.get(username)
    if panel and not walk.shows(f"#{panel}-section"):
        walk.problems.append(f"[{walk.name}] the dashboard lacks the {panel} panel")
    listings = [url for url in dict.fromkeys(menu_urls(walk)) if url != "/admin/"]
    forms = []
    for listing in listings:
        if walk.visit(listing):
            forms.extend(url for url in forms_of(walk, listing) if url not in forms)
    for url in forms + page_editors:
        walk.visit(url)
    walk.close()
    form = [url for url in forms if CREATE_PATH.search(url) or "/edit/" in url][:1]
    subset = ["/admin/", *listings[:1], *form, *page_editors[:1]]
    problems, walked = walk.problems, walk.walked
    # The English and phone walks check how the same screens render, which does not
    # depend on the database: where axe is off (CI's PostgreSQL run, see
    # tests/browser/axe.py), the test client's Chinese walk alone answers for it.
    for options in ({"locale": "en-US"}, {"phone": True}) if AXE_ENABLED else ():
        again = Walk(browser, base_url, username, axed, **options)
        for url in subset:
            again.visit(url)
        again.close()
        problems += again.problems
    return problems, walked


@pytest.fixture
def demo_site(home_page):
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def server_lock(live_server):
    """On SQLite in memory the live server's threads and the test share one
    connection, and the requests an admin screen makes at once (its scripts, the
    icon sprite, the editor's session pings) would interleave their transactions on
    it: the server then answers one request at a time, and the test reads the
    database under the same lock. PostgreSQL gives each thread its own."""
    lock = threading.Lock()
    if connection.vendor != "sqlite":
        yield lock
        return
    server = live_server.thread.httpd
    app = server.get_app()

    def one_at_a_time(environ, start_response):
        with lock:
            return app(environ, start_response)

    server.set_app(one_at_a_time)
    yield lock
    server.set_app(app)


def test_every_admin_screen_of_every_role(browser, live_server, demo_site, server_lock):
    problems, axed = [], set()
    for username in ROLES:
        with server_lock:
            page_editors = page_editor_urls(username)
        started = time.perf_counter()
        found, walked = walk_role(
            browser, live_server.url, username, page_editors, axed
        )
        took = time.perf_counter() - started
        print(f"{username}: {len(walked)} screens, {took:.0f} s", *walked, sep="\n    ")
        problems += found
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)
