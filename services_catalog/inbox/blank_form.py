"""The online form page as a new visitor gets it: rendered once, handed out with each
visitor's own tokens.

Every visitor who opens an item's online form (`views.apply_online`) without being
signed in gets the same page but for three values: the CSRF token, the form token
(the filing's one-time key) and the captcha key (in its hidden field and in the
image's address). Such a page cannot be stored whole (`portal.page_cache` never stores
a page that carries a CSRF token), and rendering its fields took most of a filing's
time. So `blank_form_page` renders it once per worker process, item, address, language,
care mode, day and page cache generation (`portal.shared`: publishing the item or
changing anything the page frame shows starts a new generation), notes where the
three values stand, and gives every visitor a copy with a CSRF token, a form token and
a captcha challenge of their own. A signed-in user, a visitor with a message waiting
to be shown and an address with a query string get the page rendered for them.
"""

import re
import uuid
from dataclasses import dataclass

from captcha.models import CaptchaStore
from django.contrib import messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from portal import care_mode
from portal.shared import shared

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CAPTCHA_FIELD = re.compile(r'name="captcha_0" value="([^"]+)"')


@dataclass(frozen=True)
class BlankForm:
    """The rendered page and the values of its renderer, to be replaced."""

    html: str
    csrf_token: str
    form_token: str
    captcha_key: str


def is_blank_for(request):
    """True when `request` gets the page any new visitor gets."""
    return (
        request.method == "GET"
        and not request.GET
        and not request.user.is_authenticated
        and not len(messages.get_messages(request))
    )


def blank_form_page(request, item, render_form):
    """The form page of `item` for `request`; `render_form(request, form_token)`
    renders it (a response) when this process has not yet got it."""
    key = (
        "inbox-blank-form",
        item.pk,
        request.scheme,
        request.get_host(),
        request.path,
        translation.get_language(),
        care_mode.is_on(request),
        timezone.localdate(),
    )
    blank = shared(request, key, lambda: _render(request, render_form))
    html = (
        blank.html.replace(blank.csrf_token, get_token(request))
        .replace(blank.form_token, str(uuid.uuid4()))
        .replace(blank.captcha_key, CaptchaStore.generate_key())
    )
    return HttpResponse(html)


def _render(request, render_form):
    form_token = str(uuid.uuid4())
    html = render_form(request, form_token).content.decode()
    captcha_key = CAPTCHA_FIELD.search(html).group(1)
    # Every visitor gets a challenge of their own: this one is never shown.
    CaptchaStore.objects.filter(hashkey=captcha_key).delete()
    return BlankForm(html, CSRF_FIELD.search(html).group(1), form_token, captcha_key)
