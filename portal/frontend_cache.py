"""A CDN or Varnish in front of the app servers, kept fresh through Wagtail's
frontend cache invalidation (`wagtail.contrib.frontend_cache`).

Configured by `WAGTAILFRONTENDCACHE` (`FRONTEND_CACHE_URL` fills it with Wagtail's
`HTTPBackend`: PURGE requests to Varnish, Squid or nginx's purge module; Wagtail's
Cloudflare, CloudFront and Azure backends are configured the same way in a settings
module of one's own). Without it nothing here does anything.

Public pages show more than their own page (people, posts, the roster, site
settings, the leader on duty), so a page's own publication is not all that makes it
stale. Whenever the page cache starts a new generation (`portal.page_cache`), that is,
after any change public pages show, a background job purges every live public page
with each of its routes without a parameter (`get_cached_paths`). The pages stored
meanwhile carry ``s-maxage`` up to the next local midnight at most
(`frontend_max_age`), so the shared cache also turns "today" over then.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task
from wagtail.contrib.frontend_cache.utils import PurgeBatch, get_backends
from wagtail.models import Page

from portal.tasks import enqueue_with_transaction


def configured():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge_all_later():
    """Have every public page purged from the frontend cache, in the background."""
    if configured():
        enqueue_with_transaction(purge_public_pages, reference="frontend cache")


@task()
def purge_public_pages():
    """Purge every live public page's URLs; returns how many were purged."""
    if not get_backends():
        return 0
    batch = PurgeBatch()
    batch.add_pages(Page.objects.live().public().specific().iterator(chunk_size=500))
    urls = sorted(batch.urls)
    purge_urls_from_cache_task.call(urls)
    return len(urls)


def frontend_max_age(now=None):
    """Seconds a shared cache may keep a page: `FRONTEND_CACHE_SECONDS`, and never
    past the next local midnight."""
    now = timezone.localtime(now)
    midnight = datetime.datetime.combine(
        now.date() + datetime.timedelta(days=1), datetime.time(), tzinfo=now.tzinfo
    )
    return max(
        0, min(settings.FRONTEND_CACHE_SECONDS, int((midnight - now).total_seconds()))
    )
