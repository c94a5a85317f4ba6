"""Redaction of personal data in text that is published (公开摘要去标识化).

Reception records publish their matter and handling result (DESIGN §6), and public
consultations their question and answer (DESIGN §5), only through `redact`, which
removes what a visitor or a clerk may have typed into them:

- the strings known to be private, i.e. the person's name and contact as recorded,
  also when spaces or dots were typed between their characters;
- e-mail addresses (ASCII or with the full-width ＠);
- every number of seven digits or more, counting digits across spaces, hyphens,
  dots, slashes and brackets between them: mobile numbers with or without +86,
  landlines with area codes and extensions, 15- and 18-character ID numbers (with the
  X check character), in ASCII or full-width digits. A plain date such as 2026-10-12
  stays. Prices of a million yuan and more are hidden too: a false alarm costs less
  than a published phone number.

Invisible characters (zero-width spaces, soft hyphens, direction marks) are removed
first, so they cannot split a number or a name to slip past the rules.
"""

import re

NAME_MASK = "×××"
NUMBER_MASK = "[号码已隐去]"
EMAIL_MASK = "[邮箱已隐去]"

MIN_DIGITS = 7
"""Numbers with this many digits or more are treated as personal (a local landline
has seven or eight)."""

MIN_CONTACT_LENGTH = 4
"""Shorter contact strings (e.g. 无) are too common to remove wherever they occur."""

_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_SEPARATOR = r"[\-－‐‑‒–—―−_.．·・/／()（）]"
_GAP = rf"\s*(?:{_SEPARATOR}\s*)?"
# `\d` also matches full-width digits (０-９) in Python's Unicode patterns.
_NUMBER = re.compile(rf"[+＋]?\d(?:{_GAP}\d)*(?:{_GAP}[XxＸｘ×](?![A-Za-z]))?")
_DATE = re.compile(r"\d{4}\s*([-./．／])\s*\d{1,2}\s*\1\s*\d{1,2}")
_EMAIL = re.compile(
    r"[A-Za-z0-9._%+\-]+\s*[@＠]\s*[A-Za-z0-9\-]+(?:\s*[.．。]\s*[A-Za-z0-9\-]+)+"
)
_NAME_GAP = r"[\s·•・.．]*"


def _known_pattern(value):
    """`value` as a pattern that also matches it with spaces or dots typed between
    its characters, ignoring case."""
    characters = [character for character in value if not character.isspace()]
    return re.compile(
        _NAME_GAP.join(re.escape(character) for character in characters),
        re.IGNORECASE,
    )


def _mask_number(match):
    number = match.group()
    if _DATE.fullmatch(number):
        return number
    digits = sum(character.isdigit() for character in number)
    return NUMBER_MASK if digits >= MIN_DIGITS else number


def redact(text, names=(), contacts=()):
    """`text` without personal data. `names` (the visitor's name) are removed
    whatever their length; `contacts` (as typed in the record) only from
    `MIN_CONTACT_LENGTH` characters on."""
    if not text:
        return ""
    text = _INVISIBLE.sub("", text)
    private = [(value, 1) for value in names]
    private += [(value, MIN_CONTACT_LENGTH) for value in contacts]
    for value, min_length in private:
        value = _INVISIBLE.sub("", value or "").strip()
        if len(value) >= min_length:
            text = _known_pattern(value).sub(NAME_MASK, text)
    text = _EMAIL.sub(EMAIL_MASK, text)
    return _NUMBER.sub(_mask_number, text)
