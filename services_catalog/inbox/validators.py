"""Checks of the applicant's identity numbers and phone (DESIGN §5, intake).

- 居民身份证号码 (GB 11643-1999): 17 digits and a check character computed with
  ISO 7064 MOD 11-2, the digits 7–14 being a real birth date.
- 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-letter alphabet, the last
  being a MOD 31 check character.
- Mainland mobile numbers: 11 digits starting with 13–19.

Each validator raises `ValidationError` with a message an applicant understands, and
`normalise_*` return the canonical form (upper case, no spaces) that is stored.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_PATTERN = re.compile(r"^[1-9]\d{16}[\dX]$")

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_PATTERN = re.compile(rf"^[{USCC_ALPHABET}]{{18}}$")

_MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


def _compact(value):
    return re.sub(r"[\s-]", "", str(value or "")).upper()


def id_check_character(first17):
    """The ISO 7064 MOD 11-2 check character of the first 17 digits."""
    pairs = zip(first17, _ID_WEIGHTS, strict=True)
    total = sum(int(digit) * weight for digit, weight in pairs)
    return _ID_CHECK[total % 11]


def uscc_check_character(first17):
    """The GB 32100-2015 check character of the first 17 characters."""
    total = sum(
        USCC_ALPHABET.index(char) * weight
        for char, weight in zip(first17, _USCC_WEIGHTS, strict=True)
    )
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalise_id_number(value):
    """The 居民身份证号码 in canonical form, or `ValidationError`."""
    number = _compact(value)
    if not _ID_PATTERN.match(number):
        raise ValidationError(
            _("身份证号码应为 18 位:前 17 位为数字,最后一位为数字或字母 X。"),
            code="id_format",
        )
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        birth = None
    if birth is None or birth.year < 1900 or birth > datetime.date.today():
        raise ValidationError(
            _("身份证号码中的出生日期(第 7 至 14 位)不是有效日期,请核对。"),
            code="id_birth_date",
        )
    if id_check_character(number[:17]) != number[17]:
        raise ValidationError(
            _("身份证号码校验位不正确,请核对号码(特别是最后一位)。"),
            code="id_check_digit",
        )
    return number


def normalise_uscc(value):
    """The 统一社会信用代码 in canonical form, or `ValidationError`."""
    code = _compact(value)
    if not _USCC_PATTERN.match(code):
        raise ValidationError(
            _(
                "统一社会信用代码应为 18 位数字或大写字母"
                "(不含 I、O、Z、S、V),请核对营业执照上的代码。"
            ),
            code="uscc_format",
        )
    if uscc_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("统一社会信用代码校验码不正确,请核对代码(特别是最后一位)。"),
            code="uscc_check_character",
        )
    return code


def normalise_mobile(value):
    """A mainland mobile number as 11 digits, or `ValidationError`."""
    number = _compact(value)
    if number.startswith("+86"):
        number = number[3:]
    elif number.startswith("86") and len(number) == 13:
        number = number[2:]
    if not _MOBILE_PATTERN.match(number):
        raise ValidationError(
            _("手机号码应为 11 位数字,以 13 至 19 开头。"), code="mobile"
        )
    return number


def validate_id_number(value):
    normalise_id_number(value)


def validate_uscc(value):
    normalise_uscc(value)


def validate_mobile(value):
    normalise_mobile(value)
