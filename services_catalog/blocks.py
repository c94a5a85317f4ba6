"""StreamField blocks of the service item guide (办事指南).

Used by `ServiceItemPage.basis` (设定依据), `.conditions` (受理条件),
`.special_procedures` (特别程序) and `.faqs` (常见问题). The list blocks all carry the
block name ``item`` and the FAQ block ``faq``: the catalog/1 import and export and the
open-data API rely on these names. Each block renders through its own template in
`templates/services_catalog/blocks/`.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from portal.blocks import NamedInputMixin


class BasisBlock(NamedInputMixin, blocks.CharBlock):
    """One legal basis (设定依据): a law, regulation or rule with its article."""

    class Meta:
        icon = "doc-full"
        label = _("依据")
        template = "services_catalog/blocks/list_item_block.html"
        preview_value = "《中华人民共和国食品安全法》第三十五条"
        description = _("一条设定依据：法律、法规或规章的名称和条款。")


class ConditionBlock(NamedInputMixin, blocks.TextBlock):
    """One condition (受理条件) the applicant must meet for the item to be accepted."""

    class Meta:
        icon = "tick"
        label = _("条件")
        template = "services_catalog/blocks/list_item_block.html"
        preview_value = "申请人应当具有与生产的食品品种、数量相适应的生产场所。"
        description = _("一条受理条件。")


class SpecialProcedureBlock(NamedInputMixin, blocks.CharBlock):
    """A special procedure (特别程序) whose duration does not count toward the limit."""

    class Meta:
        icon = "time"
        label = _("特别程序")
        template = "services_catalog/blocks/list_item_block.html"
        preview_value = "现场核查（不超过 10 个工作日，不计入办结时限）"
        description = _("听证、检验、检测、鉴定、专家评审等不计入办结时限的程序。")


class FaqBlock(blocks.StructBlock):
    """A frequently asked question (常见问题) with its answer."""

    question = blocks.CharBlock(label=_("问题"), max_length=255)
    answer = blocks.TextBlock(label=_("解答"))

    class Meta:
        icon = "help"
        label = _("常见问题")
        template = "services_catalog/blocks/faq_block.html"
        preview_value = {
            "question": "可以委托他人代为办理吗？",
            "answer": "可以。代理人须提交授权委托书和本人身份证件。",
        }
        description = _("一个问题及其解答。")


def basis_blocks():
    return [("item", BasisBlock())]


def condition_blocks():
    return [("item", ConditionBlock())]


def special_procedure_blocks():
    return [("item", SpecialProcedureBlock())]


def faq_blocks():
    return [("faq", FaqBlock())]
