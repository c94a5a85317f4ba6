"""The elderly-friendly mode (关怀模式 / 适老化): larger text, higher contrast and a
simpler layout, chosen with the header's switch and remembered in the cookie
`COOKIE_NAME`, applied on the server (a class on <html> and the `care.css`
stylesheet) so that it works without JavaScript.

The switch is a plain GET (`switch_care_mode`, like the language switcher), so a
page with the switch on it stays cacheable; the page cache (`portal.page_cache`)
keys every page by this cookie as well as the language.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

COOKIE_NAME = "chuangkou_care"
"""The care-mode cookie: "1" when on, absent otherwise. The page cache varies on it."""
COOKIE_AGE = 365 * 24 * 60 * 60


def is_on(request):
    return request is not None and request.COOKIES.get(COOKIE_NAME) == "1"


def context(request):
    """Template context processor: `care_mode` (bool)."""
    return {"care_mode": is_on(request)}


def switch_care_mode(request):
    """``?on=1&next=/path/`` turns the mode on, ``?on=0`` off, and goes back."""
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if request.GET.get("on") == "1":
        response.set_cookie(
            COOKIE_NAME,
            "1",
            max_age=COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie(COOKIE_NAME, samesite="Lax")
    return response
