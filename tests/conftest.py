"""Shared fixtures for the whole suite."""

import pytest
from django.core.cache import cache
from wagtail.models import Site


@pytest.fixture
def home_page(db):
    """The portal's home page, created by the migrations."""
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: search statistics, examples and rate
    counters cached by an earlier test would otherwise decide what this one sees."""
    cache.clear()


def lift_rate_limits(settings):
    """Every named rate limit off (`RATELIMITS`); a test that checks one sets it."""
    settings.RATELIMITS = dict.fromkeys(settings.RATELIMITS)
