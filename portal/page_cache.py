"""The anonymous page cache: public Wagtail pages served whole from the cache.

`PageCacheMiddleware` sits just inside Django's locale middleware. A GET from a
visitor without a session (no cookie but the CSRF, language and care-mode cookies) is
looked up under its host, full path, language, care mode (`portal.care_mode`, the
cookie ``chuangkou_care``) and today's date; a hit is answered at once,
before the rest of the middleware and any view or query. A miss goes on as usual,
and its response is stored when it is safe for every anonymous visitor:

- it was served by Wagtail's page view (`wagtail_serve`, routes of routable pages
  included): never the admin, previews, the inbox's forms and lookups, the search
  page, the API or documents;
- status 200, not streamed, no cookie set, no CSRF token used while rendering (every
  form carries one, so no form page is stored) and no ``Cache-Control`` that says
  private, no-cache or no-store;
- in the language it was keyed under.

Invalidation is by generation: every entry records the generation current when its
request began, and `invalidate()` starts a new one, so one write drops every stored
page at once on every app server sharing the cache (`portal.cache_invalidation`
calls it on each publish, unpublish, move or deletion of a page and each change of
what public pages show). The date in the key turns "today" (the leader on duty)
over at midnight.

Why not wagtail-cache: its only release requires Wagtail < 8; its invalidation
clears the whole cache backend or keeps a single shared keyring that concurrent
workers overwrite; and it drops ``Vary: Cookie`` by a rule of its own, where this
cache simply never serves a request that carries a session. The stored entries are
plain tuples in a Django cache, `PAGE_CACHE_ALIAS` (see `portal.settings.env`).
"""

import hashlib
import threading
from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from portal import care_mode, frontend_cache, generation
from portal.shared import share_site

HEADER = "X-Page-Cache"
UNCACHEABLE_DIRECTIVES = ("private", "no-cache", "no-store")


_deferral = threading.local()


def invalidate():
    """Start a new generation: every page stored so far is stale, everywhere.

    Inside a transaction the new generation starts when it commits (a page stored
    from a request that read the old rows before then would otherwise outlive the
    change); inside `invalidation_deferred()` once, when the block ends."""
    if getattr(_deferral, "depth", 0):
        _deferral.pending = True
        return
    transaction.on_commit(_new_generation)


def _new_generation():
    generation.start_new()
    frontend_cache.purge_all_later()


@contextmanager
def invalidation_deferred():
    """One invalidation for a whole bulk change (named in `BULK_CHANGE_CONTEXTS`)
    instead of one per saved object."""
    _deferral.depth = getattr(_deferral, "depth", 0) + 1
    try:
        yield
    finally:
        _deferral.depth -= 1
        if not _deferral.depth and getattr(_deferral, "pending", False):
            _deferral.pending = False
            invalidate()


def _content_models():
    """The models named (``app_label`` or ``app_label.Model``) in the setting
    `PAGE_CACHE_INVALIDATED_BY`: what public pages show, besides the pages."""
    for name in settings.PAGE_CACHE_INVALIDATED_BY:
        if "." in name:
            yield apps.get_model(name)
        else:
            yield from apps.get_app_config(name).get_models()


def _on_page_change(sender, instance=None, **kwargs):
    invalidate()


def _on_content_change(sender, instance=None, raw=False, **kwargs):
    # A page's own saves include draft bookkeeping; pages invalidate when they are
    # published, unpublished, moved or deleted.
    if not raw and not isinstance(instance, Page):
        invalidate()


def _on_delete(sender, instance=None, **kwargs):
    if isinstance(instance, Page):
        invalidate()


def connect_invalidation():
    """Connect the receivers (from `PortalConfig.ready`)."""
    page_published.connect(_on_page_change, dispatch_uid="page_cache_published")
    page_unpublished.connect(_on_page_change, dispatch_uid="page_cache_unpublished")
    post_page_move.connect(_on_page_change, dispatch_uid="page_cache_moved")
    post_delete.connect(_on_delete, dispatch_uid="page_cache_page_deleted")
    for model in _content_models():
        uid = f"page_cache_{model._meta.label_lower}"
        post_save.connect(_on_content_change, sender=model, dispatch_uid=uid + "_s")
        post_delete.connect(_on_content_change, sender=model, dispatch_uid=uid + "_d")


def _allowed_cookies():
    return {
        settings.CSRF_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
        care_mode.COOKIE_NAME,
    }


def is_anonymous_get(request):
    """A GET that any other visitor without a session could have sent."""
    return request.method == "GET" and set(request.COOKIES) <= _allowed_cookies()


def entry_key(request):
    """The cache key of `request`'s page: host, full path, language, care mode
    and date."""
    identity = "\n".join(
        (
            request.get_host(),
            request.get_full_path(),
            translation.get_language() or "",
            "care" if care_mode.is_on(request) else "",
            timezone.localdate().isoformat(),
        )
    )
    return "page-cache:" + hashlib.sha256(identity.encode()).hexdigest()


def is_storable(request, response):
    match = getattr(request, "resolver_match", None)
    cache_control = response.get("Cache-Control", "").lower()
    return (
        match is not None
        and match.url_name == "wagtail_serve"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(getattr(request, "session", None), "modified", False)
        and not any(word in cache_control for word in UNCACHEABLE_DIRECTIVES)
    )


class PageCacheMiddleware:
    """Answer anonymous GETs of public pages from the cache; store what is safe."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_ENABLED or not is_anonymous_get(request):
            if settings.SHARED_FRAGMENTS_ENABLED:
                share_site(request)
            return self.get_response(request)
        cache = generation.cache()
        key = entry_key(request)
        found = cache.get_many([generation.KEY, key])
        current = found.get(generation.KEY) or generation.start(cache)
        entry = found.get(key)
        if entry is not None and entry[0] == current:
            return _rebuild(entry)
        request._page_cache_generation = current
        if settings.SHARED_FRAGMENTS_ENABLED:
            share_site(request)
        response = self.get_response(request)
        if is_storable(request, response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(
                key,
                (
                    current,
                    response.status_code,
                    list(response.items()),
                    response.content,
                ),
                timeout=settings.PAGE_CACHE_SECONDS,
            )
            response[HEADER] = "miss"
            if frontend_cache.configured():
                patch_cache_control(
                    response, public=True, s_maxage=frontend_cache.frontend_max_age()
                )
        return response


def _rebuild(entry):
    _generation, status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response[HEADER] = "hit"
    return response
