"""The coded vocabularies of a service item: type, kind, audience and step actor.

The codes are stable English words (stored, and used by the open-data API); the labels
are the Chinese terms of the national service-guide practice, which the catalog/1 file
format uses. `from_label` maps either back to a member, so importers accept both.
"""

import functools

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# The language the labels are written in (and catalog/1 files use), whatever the
# active language is when a file is imported or exported.
LABEL_LANGUAGE = "zh-hans"


class CatalogChoices(models.TextChoices):
    """Text choices that also read their Chinese label (as catalog/1 writes it)."""

    @classmethod
    def aliases(cls):
        """Extra accepted spellings: {alias: code}."""
        return {}

    @classmethod
    def from_label(cls, value):
        """The member whose code, Chinese label or alias is `value`, else None."""
        value = str(value).strip()
        if value in cls.values:
            return cls(value)
        if value in cls.aliases():
            return cls(cls.aliases()[value])
        return next(
            (m for m, label in cls.chinese_labels().items() if label == value), None
        )

    @classmethod
    @functools.cache
    def chinese_labels(cls):
        """{member: Chinese label}, read once: a catalog import reads thousands."""
        with translation.override(LABEL_LANGUAGE):
            return {member: str(member.label) for member in cls}

    @property
    def chinese_label(self):
        """The label in Chinese whatever the active language (for catalog/1 export)."""
        return type(self).chinese_labels()[self]


class ItemType(CatalogChoices):
    """事项类型."""

    LICENSING = "licensing", _("行政许可")
    CONFIRMATION = "confirmation", _("行政确认")
    FILING = "filing", _("行政备案")
    BENEFIT = "benefit", _("行政给付")
    LEVY = "levy", _("行政征收")
    INSPECTION = "inspection", _("行政检查")
    OTHER = "other", _("其他")


class ItemKind(CatalogChoices):
    """办件类型: settled on the spot (即办件) or within a promised time (承诺件)."""

    IMMEDIATE = "immediate", _("即办件")
    PROMISED = "promised", _("承诺件")


class Audience(CatalogChoices):
    """服务对象."""

    PERSON = "person", _("自然人")
    ORGANISATION = "organisation", _("法人")

    @classmethod
    def aliases(cls):
        return {
            "个人": "person",
            "法人或其他组织": "organisation",
            "企业": "organisation",
        }


class StepActor(CatalogChoices):
    """Who handles a procedure step (DESIGN §1): window, director or a division."""

    WINDOW = "window", _("收发文窗口")
    DIRECTOR = "director", _("办公室主任")
    DIVISION = "division", _("承办处室")

    @classmethod
    def aliases(cls):
        return {"窗口": "window", "主任": "director", "处室": "division"}
