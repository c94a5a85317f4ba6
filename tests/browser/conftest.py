"""Real-browser fixtures: Playwright driving the system Chromium against pytest-django's
live server. Every test in this folder is marked `browser`. Each test gets a database in
its migrated state (live_server implies transactional_db; serialized rollback restores
the home page and default site the migrations created), so the portal serves at `/`;
data a test creates is visible to the server and removed afterwards."""

import os

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in this thread; Django would otherwise
# refuse database access from the test body ("async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 320, "height": 640}


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _migrated_content(django_db_serialized_rollback):
    """Bring back what the migrations created (home page, default site, roles): a
    transactional test flushes every table when it ends, so without serialized
    rollback only the first browser test would find a home page."""


def _serialized_contents():
    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """One headless Chromium for the whole session. Without the system Chromium the
    browser tests are skipped, unless REQUIRE_BROWSER is set (as in CI)."""
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    migrated = _serialized_contents()
    with sync_playwright() as playwright:
        # The sync API keeps an event loop running in this thread, and Django then
        # hands out other connection objects (asgiref's thread-critical Local), which
        # lack the migrated contents serialized at setup. Give them those contents,
        # or serialized rollback would silently restore nothing.
        for alias, contents in migrated.items():
            connections[alias]._test_serialized_contents = contents
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def _new_page(browser, live_server, **options):
    # The site's CSP stays enforced (no bypass_csp), so a test sees what a visitor
    # sees. axe-core still runs: axe-playwright-python injects it with
    # page.evaluate, which goes through the DevTools protocol and is not subject to
    # the page's script-src.
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **options)
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.fixture
def page(browser, live_server):
    """A desktop browser tab (1280×900, Chinese locale) on the live server; use
    relative URLs: `page.goto("/")`."""
    context, tab = _new_page(browser, live_server, viewport=DESKTOP)
    yield tab
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A 320 px wide phone tab (touch, mobile viewport) on the live server."""
    context, tab = _new_page(
        browser,
        live_server,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    yield tab
    context.close()


@pytest.fixture
def csp_violations(page):
    """The Content-Security-Policy violations `page` reports from now on (a list of
    console messages); assert it stays empty after loading a public page."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return violations
