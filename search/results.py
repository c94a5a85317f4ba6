"""The generation the embedded backend keeps search results under
(`search.backends.embedded.EmbeddedBackend.search`): one token in the shared cache,
renewed by every write to the index and every change to the synonyms."""

from django.db import transaction

from portal import generation

KEY = "site-search:generation"


def token():
    return generation.token(KEY)


def renew(using="default"):
    """Forget the kept results: at once, and again when the change commits (a search
    between the two would keep what the database held before it)."""
    generation.start_new(KEY)
    transaction.on_commit(lambda: generation.start_new(KEY), using=using)
