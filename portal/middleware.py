"""Middleware shared by the whole site: the admin's looser Content-Security-Policy,
Wagtail's redirects for public addresses, and the refusal of control characters in
requests."""

import re

from django.conf import settings
from django.core.exceptions import BadRequest
from wagtail.contrib.redirects.middleware import RedirectMiddleware

ADMIN_PREFIXES = ("/admin/", "/django-admin/")

# Wagtail's admin relies on inline scripts and styles;
# public pages keep the strict policy.
ADMIN_CSP_REPLACE = {
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}


class AdminCSPMiddleware:
    """Loosen the Content-Security-Policy for the Wagtail admin only."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = ADMIN_PREFIXES

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.prefixes) or getattr(
            settings, "CSP_EXEMPT_ALL", False
        ):
            response._csp_replace = ADMIN_CSP_REPLACE
        return response


class PublicRedirectMiddleware(RedirectMiddleware):
    """Wagtail's redirects (editors map an old public address to a page), looked up
    for public addresses only. An admin 404 (another department's object, a removed
    case) has no redirect to find, and the lookup, a site and a redirect query or
    two, was a third of the time such an answer took."""

    def process_response(self, request, response):
        if request.path.startswith(ADMIN_PREFIXES):
            return response
        return super().process_response(request, response)


# C0 controls and DEL; tab, CR and LF are ordinary in form fields and query values.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PATH_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class RejectControlCharactersMiddleware:
    """Refuse, for the whole site, a request whose path, query string or form fields
    (names and values; Django already strips them from uploaded file names) hold a NUL
    or another control character: no view sees them and none reaches the database
    (PostgreSQL refuses NUL in text). The answer is the site's 400 page
    (`portal.views.bad_request`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if PATH_CONTROL_CHARACTERS.search(request.path) or _has_control(
            request.GET.lists()
        ):
            raise BadRequest("control character in the URL")
        if request.method == "POST" and (
            _has_control(request.POST.lists())
            or any(map(CONTROL_CHARACTERS.search, request.FILES))
        ):
            raise BadRequest("control character in the form")
        return self.get_response(request)


def _has_control(lists):
    return any(
        CONTROL_CHARACTERS.search(key) or any(map(CONTROL_CHARACTERS.search, values))
        for key, values in lists
    )
