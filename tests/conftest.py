"""Shared fixtures for the whole suite."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import translation
from pytest_django.plugin import blocking_manager_key
from wagtail.models import Site

from tests import databases


def pytest_configure(config):
    if not hasattr(config, "workerinput"):
        databases.name_the_run()


def pytest_unconfigure(config):
    if not hasattr(config, "workerinput"):
        with config.stash[blocking_manager_key].unblock():
            databases.remove_template()


@pytest.fixture(scope="session")
def django_db_setup(
    django_test_environment, django_db_blocker, django_db_modify_db_settings
):
    """The worker's database, copied from one migrated per run (`tests.databases`)
    instead of migrated by each worker."""
    from django.test.utils import teardown_databases

    with django_db_blocker.unblock():
        old_config = databases.setup_database()
    yield
    with django_db_blocker.unblock():
        teardown_databases(old_config, verbosity=0)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """The longest tests first (real-browser walks, then those marked `slow`), in
    their collected order otherwise: under pytest-xdist a long test collected last
    would run alone at the end while the other workers wait.

    This runs before pytest-django's own ordering, whose stable sort then keeps it
    within each of its groups: tests in a rolled-back transaction, then the
    transactional ones (browser walks among them: each ends by emptying the
    database, so no test that expects the migrated content may follow one), then
    those without a database."""

    def weight(item):
        if item.get_closest_marker("browser") or "/browser/" in item.nodeid:
            return 0
        return 1 if item.get_closest_marker("slow") else 2

    items.sort(key=weight)


@pytest.fixture
def home_page(db):
    """The portal's home page, created by the migrations."""
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with empty caches: search statistics and results,
    examples, rate counters and pages cached by an earlier test would otherwise
    decide what this one sees (its database changes were rolled back, the caches'
    were not)."""
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in the site's language (zh-hans). A request in English
    leaves English active in its thread (LocaleMiddleware does not switch back),
    and code a later test runs outside a request would then speak English."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def lift_rate_limits(settings):
    """Every named rate limit off (`RATELIMITS`); a test that checks one sets it."""
    settings.RATELIMITS = dict.fromkeys(settings.RATELIMITS)


def pytest_report_header(config):
    from tests.browser.axe import ENABLED

    state = "on" if ENABLED else "off (BROWSER_AXE=0)"
    return f"axe-core checks in the browser tests: {state}"
