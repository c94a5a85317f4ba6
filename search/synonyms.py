"""Query expansion with the editor-maintained synonyms (同义词, DESIGN §7).

The shipped dictionary `search/data/synonyms.txt` seeds the `Synonym` snippet (data
migration 0003, `load_shipped_synonyms`); from then on editors maintain it in the
admin. Searches read the table through a cache that every change clears.
"""

from pathlib import Path

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from search import results
from search.models import CANONICAL_SEPARATORS, Synonym

SHIPPED_SYNONYMS = Path(__file__).resolve().parent / "data" / "synonyms.txt"
CACHE_KEY = "site_search:synonyms"
CACHE_SECONDS = 300


def parse_synonyms(text):
    """``{term: [canonical, …]}`` from the shipped file format: ``term = a | b`` per
    line, ``#`` comments."""
    entries = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        term, separator, canonical = line.partition("=")
        term = term.strip()
        terms = [
            part
            for part in CANONICAL_SEPARATORS.split(canonical.strip())
            if part and part != term
        ]
        if not separator or not term or not terms:
            raise ValueError(f"synonyms line {number}: expected 'term = canonical'")
        entries[term] = terms
    return entries


def load_shipped_synonyms(model=Synonym):
    """Add the shipped synonyms that are not in the table yet; returns how many.
    Editors' own entries and changes are kept. `model` may be a migration's
    historical model."""
    entries = parse_synonyms(SHIPPED_SYNONYMS.read_text(encoding="utf-8"))
    existing = set(model.objects.values_list("term", flat=True))
    new = [
        model(term=term, canonical=" | ".join(canonical))
        for term, canonical in entries.items()
        if term not in existing
    ]
    model.objects.bulk_create(new)
    return len(new)


def synonym_map():
    """``{term: [canonical, …]}`` of every synonym, cached."""
    entries = cache.get(CACHE_KEY)
    if entries is None:
        entries = {
            synonym.term.lower(): synonym.canonical_terms()
            for synonym in Synonym.objects.all()
        }
        cache.set(CACHE_KEY, entries, CACHE_SECONDS)
    return entries


@receiver(post_save, sender=Synonym)
@receiver(post_delete, sender=Synonym)
def forget_cached_synonyms(**kwargs):
    """The cached synonyms, and the search results found with them."""
    cache.delete(CACHE_KEY)
    results.renew()
