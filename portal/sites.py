"""The public root URL: the Wagtail `Site` is its one source of truth.

Every absolute address the portal hands out (sitemap, feeds, iCal, the print view's
"网上查看" line, notice e-mails and SMS, the receipt's QR code, robots.txt) is built
from the site's `root_url`. `load_demo` (and so `make setup`) keeps the default site in
step with the `BASE_URL` setting, so a fresh checkout answers with the address it is
served on instead of `http://localhost/`.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from wagtail.models import Site

DEFAULT_PORTS = {"http": 80, "https": 443}


def public_site(request=None):
    """The site serving `request`, or the default site outside a request."""
    site = Site.find_for_request(request) if request is not None else None
    return site or Site.objects.get(is_default_site=True)


def absolute_url(path, request=None):
    """`path` (starting with "/") as an absolute URL on the public site."""
    return public_site(request).root_url + path


def sync_default_site(base_url):
    """Point the default site's hostname and port at `base_url`; returns the site."""
    parts = urlsplit(base_url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ImproperlyConfigured(
            f"BASE_URL {base_url!r} 不是 http:// 或 https:// 开头的网址。"
        )
    site = Site.objects.get(is_default_site=True)
    site.hostname = parts.hostname
    site.port = parts.port or DEFAULT_PORTS[parts.scheme]
    site.save(update_fields=["hostname", "port"])
    return site
