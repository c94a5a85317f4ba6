"""The example queries the search page suggests: only ones the catalog answers.

Candidates are what editors already maintain in everyday words (the synonyms'
colloquial terms, the items' situation phrases and aliases), then the names of live
service items. Each candidate is tried against the search backend and kept only if it
finds something, so the page never suggests a query with no result. The answer is
cached for a few minutes: the page does not run extra searches on every visit.
"""

from django.apps import apps
from django.core.cache import cache

from search.backends import get_backend
from search.backends.base import SearchRequest, SearchUnavailable
from search.models import Synonym

EXAMPLES = 3
CANDIDATES = 12
CACHE_KEY = "search:examples"
CACHE_SECONDS = 300


def candidates():
    """Editor-maintained everyday phrases first, then the names of live items."""
    yield from Synonym.objects.values_list("term", flat=True)[:CANDIDATES]
    try:
        item_model = apps.get_model("services_catalog", "ServiceItemPage")
    except LookupError:
        return
    for relation in ("situations", "item_aliases"):
        phrase_model = item_model._meta.get_field(relation).related_model
        yield from (
            phrase_model.objects.filter(page__live=True)
            .order_by("page__path", "sort_order")
            .values_list("text", flat=True)[:CANDIDATES]
        )
    live_items = item_model.objects.live().public().order_by("path")
    yield from live_items.values_list("title", flat=True)[:CANDIDATES]


def answers(text):
    """Whether searching `text` finds anything."""
    try:
        results = get_backend().search(SearchRequest(text, limit=1, with_facets=False))
    except SearchUnavailable:
        return False
    return results.total > 0


def find_examples():
    """Up to EXAMPLES queries the catalog answers, trying at most CANDIDATES."""
    examples = []
    for tried, phrase in enumerate(dict.fromkeys(candidates())):
        if len(examples) == EXAMPLES or tried == CANDIDATES:
            break
        if answers(phrase):
            examples.append(phrase)
    return examples


def search_examples():
    """The cached examples for the search page (a list of strings, maybe empty)."""
    examples = cache.get(CACHE_KEY)
    if examples is None:
        examples = find_examples()
        cache.set(CACHE_KEY, examples, CACHE_SECONDS)
    return examples
