"""Fixtures of the filing inbox tests."""

import pytest
from captcha.conf import settings as captcha_settings

from tests.conftest import lift_rate_limits
from tests.inbox.builders import make_clerk, make_item


@pytest.fixture(autouse=True)
def _captcha_and_limits(settings, monkeypatch):
    """Accept the captcha answer "PASSED" (django-simple-captcha reads its test
    mode once, at import) and lift the rate limits; tests that check either set
    them back."""
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    lift_rate_limits(settings)


@pytest.fixture
def item(home_page):
    return make_item(home_page)


@pytest.fixture
def clerk(item):
    return make_clerk(item.department)
