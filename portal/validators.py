"""Checks of identity numbers and mobile phones typed into public forms (DESIGN §5,
intake): the inbox's filing forms and the reception's appointment form.

- 居民身份证号码 (GB 11643-1999) and 统一社会信用代码 (GB 32100-2015) are checked by
  python-stdnum (`stdnum.cn.ric`, `stdnum.cn.uscc`): format, birth date, check
  character. A birth date in the future is refused here as well.
- Mainland mobile numbers: 11 digits starting with 13–19.

`normalise_*` return the canonical form (upper case, no spaces) that is stored, or
raise `ValidationError` with a message an applicant understands.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

_MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


def _compact(value):
    return re.sub(r"[\s-]", "", str(value or "")).upper()


def normalise_id_number(value):
    """The 居民身份证号码 in canonical form, or `ValidationError`."""
    number = _compact(value)
    try:
        # The birth date first: a wrong date also fails the checksum, and the
        # applicant should hear about the date.
        if len(number) == 18 and number[:17].isdigit():
            ric.get_birth_date(number)
        ric.validate(number)
        if ric.get_birth_date(number) > datetime.date.today():
            raise stdnum_errors.InvalidComponent()
    except stdnum_errors.InvalidComponent:
        raise ValidationError(
            _("身份证号码中的出生日期（第 7 至 14 位）不是有效日期，请核对。"),
            code="id_birth_date",
        ) from None
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(
            _("身份证号码校验位不正确，请核对号码（特别是最后一位）。"),
            code="id_check_digit",
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("身份证号码应为 18 位：前 17 位为数字，最后一位为数字或字母 X。"),
            code="id_format",
        ) from None
    return number


def normalise_uscc(value):
    """The 统一社会信用代码 in canonical form, or `ValidationError`."""
    code = _compact(value)
    try:
        uscc.validate(code)
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(
            _("统一社会信用代码校验码不正确，请核对代码（特别是最后一位）。"),
            code="uscc_check_character",
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _(
                "统一社会信用代码应为 18 位数字或大写字母"
                "（不含 I、O、Z、S、V），请核对营业执照上的代码。"
            ),
            code="uscc_format",
        ) from None
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
            _("请输入 11 位中国大陆手机号码（以 13 至 19 开头），例如 13800138000。"),
            code="mobile",
        )
    return number
