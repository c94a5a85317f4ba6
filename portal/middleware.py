"""Middleware shared by the whole site."""

from django.conf import settings

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
        self.prefixes = ("/admin/", "/django-admin/")

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.prefixes) or getattr(
            settings, "CSP_EXEMPT_ALL", False
        ):
            response._csp_replace = ADMIN_CSP_REPLACE
        return response
