"""The embedded backend keeps each search's results in the shared cache under the
index's generation (`search.results`): the same search again reads no index row,
and any write to the index or to the synonyms is seen by the next search."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from search import results
from search.backends import get_backend
from search.backends.base import SearchRequest
from search.models import Synonym
from tests.search.helpers import search, titles

pytestmark = pytest.mark.django_db


def index_reads(queries):
    return [q for q in queries if "site_search_searchterm" in q["sql"]]


def test_the_same_search_again_reads_no_index_row(catalog_items):
    first = search("排污许可")
    with CaptureQueriesContext(connection) as queries:
        again = search("排污许可")
    assert not index_reads(queries.captured_queries)
    assert titles(again) == titles(first) and again.total == first.total
    # Another page, filter or query is a search of its own.
    with CaptureQueriesContext(connection) as queries:
        search("排污许可", department="ST")
        get_backend().search(SearchRequest("排污许可", offset=1, limit=1))
    assert len(index_reads(queries.captured_queries)) == 2


def test_without_a_lifetime_every_search_reads_the_index(catalog_items, settings):
    settings.SEARCH_RESULTS_SECONDS = 0
    search("排污许可")
    with CaptureQueriesContext(connection) as queries:
        search("排污许可")
    assert index_reads(queries.captured_queries)


def test_a_publication_a_withdrawal_and_a_synonym_are_seen_by_the_next_search(
    catalog_items, market_item
):
    assert "食品经营许可" not in titles(search("食品"))
    item = market_item("0009", "食品经营许可")
    assert "食品经营许可" in titles(search("食品"))

    item.unpublish()
    assert "食品经营许可" not in titles(search("食品"))

    unknown = search("排放证").mode
    assert unknown != "all"
    Synonym.objects.create(term="排放证", canonical="排污许可证")
    found = search("排放证")
    assert (found.mode, titles(found)[0]) == ("all", "排污许可证核发")
    Synonym.objects.filter(term="排放证").delete()
    assert search("排放证").mode == unknown


def test_each_language_keeps_its_own_facet_labels(catalog_items):
    def kinds():
        return [value.label for value in search("许可").facets["kind"]]

    chinese = kinds()
    with translation.override("en"):
        english = kinds()
    assert "办事指南" in chinese and "办事指南" not in english


def test_the_generation_is_renewed_again_when_the_change_commits(
    catalog_items, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            get_backend().delete_documents(["none"])
            during = results.token()
    assert callbacks
    for callback in callbacks:
        callback()
    assert results.token() != during
