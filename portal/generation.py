"""The page cache generation: one token in the cache alias `PAGE_CACHE_ALIAS`, shared
by every app server, replaced whenever something public changes. The page cache
(`portal.page_cache`) stores pages under it, and the shared page frame
(`portal.shared`) keeps its values for as long as it stays the same."""

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
        store = cache()
        found = store.get(KEY) or start(store)
        request._page_cache_generation = found
    return found


def start(store):
    """The first generation, unless another process has just started one."""
    token = uuid.uuid4().hex
    if not store.add(KEY, token, timeout=None):
        token = store.get(KEY)
    return token


def start_new():
    """Replace the generation: everything kept under the old one is stale."""
    cache().set(KEY, uuid.uuid4().hex, timeout=None)
