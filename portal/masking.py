"""Masking of personal data in staff screens, exports and notices (去标识化展示).

Lists, exports, search results and notices show ID numbers and mobile numbers masked
(DESIGN §10): `110105********002X`, `136****4321`. The full value appears only on the
record's own page, behind a logged "show" action.

- `mask_id_number` and `mask_mobile` mask one value held in its own field;
- `mask_personal_text` masks every ID number and mobile number found in free text
  (a matter or contact typed by a clerk), leaving the rest as it was;
  `id_numbers_in` finds the ID numbers of a text and `mask_id_numbers_in` masks
  them only, for text that is stored without them;
- `keep_masked_mobiles` puts the numbers back into free text that an edit form
  showed masked, so that the form never shows them and saving loses none;
- `MaskedColumn`, `MaskedFieldPanel` and `masked_export` apply them in Wagtail
  viewsets' listings, read-only form panels and spreadsheet exports.

Templates use the filters in `portal.templatetags.masking`.
"""

import re

from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column

MASK = "*"

ID_VISIBLE_HEAD = 6
"""Digits of an ID number kept at the start: the address code (行政区划代码)."""

ID_VISIBLE_TAIL = 4

MOBILE_VISIBLE_HEAD = 3
"""Digits of a mobile number kept at the start: the network prefix (号段)."""

MOBILE_VISIBLE_TAIL = 4

_SEPARATORS = re.compile(r"[\s\-－]")

# `\d` also matches full-width digits; a 15-digit (first generation) or 18-character
# ID number, not part of a longer run of digits or letters.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
# A mainland mobile number, optionally after +86 and with spaces or hyphens typed
# between its digits (139 0431 0001, 139-0431-0001).
_MOBILE = re.compile(
    r"(?<![0-9A-Za-z])(?:(?:\+|＋)?86[\s\-]?)?1[3-9]\d(?:[\s\-－]?\d){8}(?![0-9A-Za-z])"
)


def _mask(value, head, tail):
    """`value` with all but its first `head` and last `tail` characters masked; a
    value too short to keep both is masked completely."""
    if len(value) <= head + tail:
        return MASK * len(value)
    return value[:head] + MASK * (len(value) - head - tail) + value[-tail:]


def mask_id_number(value):
    """An ID number (居民身份证号码 or 统一社会信用代码) with only its first six
    and last four characters visible: `110105********002X`."""
    value = _SEPARATORS.sub("", str(value or ""))
    return _mask(value, ID_VISIBLE_HEAD, ID_VISIBLE_TAIL)


def mask_mobile(value):
    """A mobile number with only its first three and last four digits visible:
    `136****4321`. A +86 prefix is dropped."""
    value = _SEPARATORS.sub("", str(value or ""))
    value = re.sub(r"^(?:\+|＋)?86(?=1\d{10}$)", "", value)
    return _mask(value, MOBILE_VISIBLE_HEAD, MOBILE_VISIBLE_TAIL)


def id_numbers_in(text):
    """The ID numbers (15 or 18 characters) found in `text`, in order."""
    return _ID_NUMBER.findall(str(text or ""))


def mask_id_numbers_in(text):
    """`text` with every ID number in it masked; mobiles and the rest as typed."""
    if not text:
        return text
    return _ID_NUMBER.sub(lambda match: mask_id_number(match.group()), str(text))


def mask_personal_text(text):
    """`text` with every ID number and mobile number in it masked; other numbers
    (dates, landlines, amounts) stay as typed."""
    if not text:
        return ""
    text = _ID_NUMBER.sub(lambda match: mask_id_number(match.group()), str(text))
    return _MOBILE.sub(lambda match: mask_mobile(match.group()), text)


def keep_masked_mobiles(typed, stored):
    """`typed` (free text sent back by an edit form that showed `stored` through
    `mask_personal_text`) with each masked mobile number that stands for one of
    `stored`'s numbers put back as that number, in order; numbers typed in full
    are kept as typed, and a masked number with no original stays masked."""
    if not typed or not stored:
        return typed
    originals = {}
    for match in _MOBILE.finditer(str(stored)):
        originals.setdefault(mask_mobile(match.group()), []).append(match.group())
    if not originals:
        return typed
    masked = re.compile("|".join(re.escape(key) for key in originals))
    return masked.sub(
        lambda match: (
            originals[match.group()].pop(0)
            if originals[match.group()]
            else match.group()
        ),
        str(typed),
    )


class MaskedColumn(Column):
    """A listing column showing its value through `mask` (default: free-text
    masking), for `list_display` of a Wagtail viewset."""

    def __init__(self, name, mask=mask_personal_text, **kwargs):
        super().__init__(name, **kwargs)
        self.mask = mask

    def get_value(self, instance):
        return self.mask(super().get_value(instance))


class MaskedFieldPanel(FieldPanel):
    """A read-only `FieldPanel` showing its value through `mask` (default:
    free-text masking), for an edit form where the value is not edited."""

    def __init__(self, field_name, mask=mask_personal_text, **kwargs):
        kwargs["read_only"] = True
        super().__init__(field_name, **kwargs)
        self.mask = mask

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "mask": self.mask}

    def format_value_for_display(self, value):
        return self.mask(super().format_value_for_display(value))


def masked_export(**masks):
    """`custom_field_preprocess` for a viewset's spreadsheet export: each field
    named in `masks` is written through its mask in CSV and XLSX alike, e.g.
    `masked_export(id_number=mask_id_number, mobile=mask_mobile)`."""
    return {field: {"csv": mask, "xlsx": mask} for field, mask in masks.items()}
