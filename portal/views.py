"""Public views shared by the whole site: error pages and the rate-limit answer."""

from django.shortcuts import render
from django.utils.translation import gettext as _


def rate_limited(request, exception=None):
    """Answer a request that hit a rate limit, in plain language."""
    return render(
        request,
        "portal/rate_limited.html",
        {"message": _("操作过于频繁,请稍后再试。")},
        status=429,
    )
