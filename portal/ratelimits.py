"""Per-address rate limits of the public forms, the search and the API.

One style for the whole site: a view is decorated with `ratelimit("name")`, and the
figure is `settings.RATELIMITS["name"]` (django-ratelimit syntax such as ``"10/m"``;
``None`` lifts that limit), read at request time so that a deployment or a test
changes it in one place. Over the limit the decorator raises django-ratelimit's
`Ratelimited`; `RatelimitMiddleware` answers it with `RATELIMIT_VIEW`, the Chinese
429 page (`portal.views.rate_limited`), and the JSON API with its own 429 body
(`portal.api`). Counters live in the shared cache (`RATELIMIT_USE_CACHE`), so every
app server counts together. Failed staff sign-ins are django-axes' job, not this.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django_ratelimit.decorators import ratelimit as _ratelimit

SUBMISSIONS = ("POST",)
ALL_METHODS = None  # django-ratelimit: every method counts


def rate_of(name):
    """The rate named `name` in `RATELIMITS` (None: not limited)."""
    try:
        return settings.RATELIMITS[name] or None
    except KeyError:
        raise ImproperlyConfigured(f"RATELIMITS has no rate named {name!r}") from None


def ratelimit(name, method=SUBMISSIONS):
    """View decorator: at most `RATELIMITS[name]` requests of `method` (submissions
    by default; `ALL_METHODS` for pages read with GET) per client address."""
    rate_of(name)  # a misspelt name fails when the view is defined, not when used
    return _ratelimit(
        group=f"ratelimit:{name}",
        key="ip",
        rate=lambda group, request: rate_of(name),
        method=method if method is not None else _ratelimit.ALL,
        block=True,
    )


def client_address(request):
    """The client's address: REMOTE_ADDR, or behind `PROXY_COUNT` reverse proxies the
    address the outermost of them saw (that many from the right of X-Forwarded-For;
    what a client wrote further left is not trusted). Rate limits, sign-in lock-outs
    and the security and personal-data logs all use it."""
    proxies = settings.PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if proxies and len(hops) >= proxies:
        return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")
