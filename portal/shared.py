"""What every request of a worker process can share until something public changes.

The page frame — the request's Wagtail site, the site settings in the header and
footer, the main navigation, a page's breadcrumbs, the home page's quick links and
duty leaders — is the same for every visitor, yet cost half the queries of an
uncached page. `shared(request, key, build)` builds such a value once per process
and page cache generation (`portal.page_cache`): the generation is read once per
request, and every change that starts a new one (a publish, a settings change)
empties this store in every process at its next request. Values are read-only;
`SharedSiteSetting.for_request` hands each request its own copy of a setting.

Off when `SHARED_FRAGMENTS_ENABLED` is false (the test settings, so that tests which
change content without publishing it see the change at once).
"""

import copy

from django.conf import settings
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import Site

from portal import generation

MAX_VALUES = 5_000
_store = {"generation": None, "values": {}}


def shared(request, key, build):
    """`build()`, or the value this process built for `key` in this generation."""
    if not settings.SHARED_FRAGMENTS_ENABLED or request is None:
        return build()
    current = generation.current(request)
    if _store["generation"] != current or len(_store["values"]) > MAX_VALUES:
        _store["generation"], _store["values"] = current, {}
    values = _store["values"]
    if key not in values:
        values[key] = build()
    return values[key]


def share_site(request):
    """Settle `Site.find_for_request(request)` from the shared store."""
    if not hasattr(request, "_wagtail_site"):
        request._wagtail_site = shared(
            request,
            ("site", request.get_host()),
            lambda: Site.find_for_request(request),
        )


class SharedSiteSetting(BaseSiteSetting):
    """A site setting read once per process and generation instead of per request."""

    class Meta:
        abstract = True

    @classmethod
    def for_request(cls, request):
        attr_name = cls.get_cache_attr_name()
        if not hasattr(request, attr_name):
            site = Site.find_for_request(request)
            found = shared(
                request,
                ("setting", cls._meta.label, site.pk if site else None),
                lambda: cls.for_site(site),
            )
            found = copy.copy(found)
            found._request = request
            setattr(request, attr_name, found)
        return getattr(request, attr_name)
