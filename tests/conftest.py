"""Shared fixtures for the whole suite."""

import pytest
from wagtail.models import Site


@pytest.fixture
def home_page(db):
    """The portal's home page, created by the migrations."""
    return Site.objects.get(is_default_site=True).root_page.specific
