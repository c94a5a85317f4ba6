"""Cache generations: tokens in the cache alias `PAGE_CACHE_ALIAS`, shared by every
app server, each replaced when what is kept under it goes stale.

The page cache's (`KEY`) is replaced whenever something public changes: the page
cache (`portal.page_cache`) stores pages under it, and the shared page frame
(`portal.shared`) keeps its values for as long as it stays the same. The site
search keeps its results under a generation of its own (`search.results`)."""

import uuid

from django.conf import settings
from django.core.cache import caches

KEY = "page-cache:generation"


def cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def current(request):
    """The generation at the start of `request` (read once per request)."""
    found = getattr(request, "_page_cache_generation", None)
    if found is None:
        found = token()
        request._page_cache_generation = found
    return found


def token(key=KEY):
    """The current generation of `key` (the page cache's unless another is named:
    the site search keeps its results under one of its own)."""
    store = cache()
    return store.get(key) or start(store, key)


def start(store, key=KEY):
    """The first generation, unless another process has just started one."""
    token = uuid.uuid4().hex
    if not store.add(key, token, timeout=None):
        token = store.get(key)
    return token


def start_new(key=KEY):
    """Replace the generation: everything kept under the old one is stale."""
    cache().set(key, uuid.uuid4().hex, timeout=None)
