"""Blocks the portal's own settings use, and `NamedInputMixin`, which every app's
field blocks that stand directly in a StreamField or a ListBlock use."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property, lazy
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError


class NamedInputMixin:
    """A field block whose input carries the block's label as its accessible name.

    Directly in a StreamField or a ListBlock, Wagtail shows a field block's label
    only in the block's header, never as a <label> of the input, so a screen reader
    meets an unnamed textarea (axe `label`) or rich-text editor (axe
    `aria-input-field-name`). Put it before the Wagtail block class:
    `class DutyBlock(NamedInputMixin, blocks.TextBlock)`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # CharBlock builds its form field here; TextBlock and RichTextBlock on
        # first use (the rich-text widget cannot be imported while models load).
        if "field" in self.__dict__:
            self._name_input(self.__dict__["field"])

    @cached_property
    def field(self):
        return self._name_input(super().field)

    def _name_input(self, field):
        # Lazy: the label comes from the block's name when Meta gives none, and is
        # translated into the language of each request.
        name = lazy(lambda: str(self.label), str)()
        if isinstance(self, blocks.RichTextBlock):
            field.widget.options["ariaLabel"] = name
        else:
            field.widget.attrs["aria-label"] = name
        return field


class QuickLinkIcon(models.TextChoices):
    """The symbols of portal/static/portal/img/icons.svg a quick link may show."""

    GUIDE = "guide", _("办事指南")
    DEPARTMENT = "department", _("部门")
    RECEPTION = "reception", _("接访")
    LOOKUP = "lookup", _("查询")
    COMPLAINT = "complaint", _("投诉")
    SEARCH = "search", _("搜索")
    PHONE = "phone", _("电话")
    HOME = "home", _("首页")


class QuickLinkValue(blocks.StructValue):
    def url(self):
        page = self.get("page")
        return page.url if page is not None else self.get("url")


class QuickLinkBlock(blocks.StructBlock):
    """One tile of the home page: a label, an icon and a page of the site or an
    address."""

    label = blocks.CharBlock(label=_("名称"), max_length=20)
    icon = blocks.ChoiceBlock(
        choices=QuickLinkIcon.choices,
        default=QuickLinkIcon.GUIDE.value,
        label=_("图标"),
    )
    page = blocks.PageChooserBlock(required=False, label=_("本站页面"))
    url = blocks.CharBlock(
        required=False,
        max_length=255,
        label=_("或网址"),
        help_text=_("本站路径（以 / 开头）或 https:// 开头的网址。"),
    )

    class Meta:
        icon = "link"
        label = _("链接")
        value_class = QuickLinkValue

    def clean(self, value):
        value = super().clean(value)
        url = (value.get("url") or "").strip()
        errors = {}
        if value.get("page") is None and not url:
            errors["page"] = ValidationError(_("请选择本站页面，或填写网址。"))
        elif value.get("page") is not None and url:
            errors["url"] = ValidationError(_("已选择页面时不要再填写网址。"))
        elif url and not (url.startswith("/") or url.startswith("https://")):
            errors["url"] = ValidationError(_("网址应以 / 或 https:// 开头。"))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        value["url"] = url
        return value
