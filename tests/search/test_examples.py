"""The search page suggests only example queries the catalog answers (issue 13)."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache

from search.examples import CACHE_KEY
from search.models import Synonym

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cached_examples():
    cache.delete(CACHE_KEY)
    yield
    cache.delete(CACHE_KEY)


def examples_on_the_page(client):
    page = BeautifulSoup(client.get("/search/").content, "html.parser")
    return [link.get_text() for link in page.select("#search-page-hint a")]


def test_examples_are_everyday_words_that_find_something(client, catalog_items):
    Synonym.objects.all().delete()
    Synonym.objects.create(term="驾照", canonical="机动车驾驶证")
    Synonym.objects.create(term="社保", canonical="社会保险")
    Synonym.objects.create(term="排污证", canonical="排污许可证")

    examples = examples_on_the_page(client)

    # 驾照 would find nothing in this catalog, so it is not offered.
    assert sorted(examples) == sorted(["排污证", "社保", "食品生产许可"])
    for example in examples:
        link = f"/search/?q={example}"
        assert "search-empty" not in client.get(link).content.decode(), example


def test_an_empty_catalog_offers_no_examples(client):
    assert Synonym.objects.exists()

    assert examples_on_the_page(client) == []
