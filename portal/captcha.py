"""The captcha of the public forms (django-simple-captcha): its two kinds of challenge
and the view that hands a form a new one without reloading the page.

A challenge is an image of four letters, or a short arithmetic question in Chinese
text for people who cannot see the image (WCAG 1.1.1: the alternative is text, so a
screen reader speaks it, a braille display shows it and a deaf-blind user can answer
it, with no sound file or speech engine on the server). Either is stored in
`CaptchaStore` and checked by the same field (`portal.forms.CaptchaAnswerField`).
A question is easier for a program to answer than the image; the honeypot and the
per-address rate limits (`portal.ratelimits`) keep what it lets through small.

A challenge is answered once, right or wrong: `use_challenge` takes it out of the
store and hands back its answer in one statement. Expired challenges are not
answered and are removed by ``manage.py captcha_clean`` (cron), not by every
submission.
"""

import secrets

from captcha.models import CaptchaStore
from django.db import connection
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.ratelimits import ALL_METHODS, ratelimit

# No letters that read like digits or like each other (I/L/1, O/Q/0, S/5, Z/2).
LETTERS = "ABCDEFGHJKMNPRTUVWXY"
NUMERALS = "零一二三四五六七八九十"
IMAGE = "image"
QUESTION = "question"


def letters_challenge():
    """Four letters for the image (`CAPTCHA_CHALLENGE_FUNCT`)."""
    text = "".join(secrets.choice(LETTERS) for _ in range(4))
    return text, text.lower()


def chinese_numeral(number):
    """0 to 99 in Chinese numerals: 七, 十二, 二十, 九十九."""
    tens, units = divmod(number, 10)
    if not tens:
        return NUMERALS[units]
    head = "" if tens == 1 else NUMERALS[tens]
    return f"{head}十{NUMERALS[units] if units else ''}"


def question_challenge():
    """An addition or subtraction of numbers up to ten, asked in Chinese
    (`七加五等于几？`), answered with its result (`12`)."""
    first, second = secrets.randbelow(10) + 1, secrets.randbelow(10) + 1
    if secrets.randbelow(2) and first != second:
        first, second = max(first, second), min(first, second)
        operation, result = "减", first - second
    else:
        operation, result = "加", first + second
    question = f"{chinese_numeral(first)}{operation}{chinese_numeral(second)}等于几？"
    return question, str(result)


GENERATORS = {IMAGE: letters_challenge, QUESTION: question_challenge}


def new_challenge(kind=IMAGE):
    """A stored challenge of `kind` as the form's script needs it."""
    key = CaptchaStore.generate_key(GENERATORS[kind])
    if kind == QUESTION:
        question = CaptchaStore.objects.get(hashkey=key).challenge
        return {"key": key, "kind": kind, "question": question, "image_url": None}
    image_url = reverse("captcha-image", kwargs={"key": key})
    return {"key": key, "kind": kind, "question": None, "image_url": image_url}


def use_challenge(key):
    """Remove the challenge `key` from the store; its answer while it has not
    expired, else None. One statement (PostgreSQL and SQLite ≥ 3.35): the library's
    check read the store twice and deleted once, and removed every expired challenge
    on each submission."""
    quote = connection.ops.quote_name
    table = quote(CaptchaStore._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE {quote('hashkey')} = %s "
            f"AND {quote('expiration')} > %s RETURNING {quote('response')}",
            [key, connection.ops.adapt_datetimefield_value(timezone.now())],
        )
        row = cursor.fetchone()
    return row[0] if row else None


@require_GET
@never_cache
@ratelimit("captcha", method=ALL_METHODS)
def new_captcha(request):
    """``/captcha/new/?kind=image|question``: a new challenge for the captcha's
    “换一张” and “改用文字题” buttons, as JSON; the form keeps what was typed."""
    kind = request.GET.get("kind", IMAGE)
    return JsonResponse(new_challenge(kind if kind in GENERATORS else IMAGE))
