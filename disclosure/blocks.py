"""StreamField blocks of the disclosure pages: commitments, duties and content bodies.

Used by `DepartmentPage.commitments`, `DivisionPage.duties` / `.commitments` and
`ContentPage.body`. Each block renders through its own template in
`templates/disclosure/blocks/`.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

from portal.blocks import NamedInputMixin


class CommitmentBlock(blocks.StructBlock):
    """One service commitment (服务承诺), e.g. 首问负责制 with what it promises."""

    title = blocks.CharBlock(
        label=_("承诺名称"),
        max_length=60,
        help_text=_("例如：首问负责制、一次性告知制、限时办结制。"),
    )
    text = blocks.TextBlock(
        label=_("承诺内容"),
        help_text=_("用群众看得懂的话写明承诺做到什么、做不到怎么办。"),
    )

    class Meta:
        icon = "success"
        label = _("服务承诺")
        template = "disclosure/blocks/commitment_block.html"
        preview_value = {
            "title": "一次性告知制",
            "text": "申请材料不齐全的，"
            "收发文窗口当场一次性书面告知需要补正的全部内容。",
        }
        description = _("一条服务承诺：名称和内容。")


class DutyBlock(NamedInputMixin, blocks.TextBlock):
    """One item of a division's duties (职责), shown as a numbered list entry."""

    class Meta:
        icon = "list-ol"
        label = _("职责")
        template = "disclosure/blocks/duty_block.html"
        preview_value = "负责食品生产许可的受理、审查和发证工作。"
        description = _("处室的一项职责。")


class HeadingBlock(NamedInputMixin, blocks.CharBlock):
    """A section heading inside a content page body."""

    class Meta:
        icon = "title"
        label = _("小标题")
        template = "disclosure/blocks/heading_block.html"
        preview_value = "一、适用范围"
        description = _("正文中的小标题。")


class ParagraphBlock(NamedInputMixin, blocks.RichTextBlock):
    """Rich text paragraphs inside a content page body."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "features", ["bold", "italic", "ol", "ul", "link", "document-link"]
        )
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("段落")
        template = "disclosure/blocks/paragraph_block.html"
        preview_value = (
            "<p>凡本部门受理的业务文件，均从收发文窗口进出，"
            "按规定时限领取办理结果。</p>"
        )
        description = _("正文段落，可含加粗、列表和链接。")


class DocumentLinkBlock(blocks.StructBlock):
    """A link to a Wagtail document inside the body, with an optional label."""

    document = DocumentChooserBlock(label=_("文档"))
    label = blocks.CharBlock(
        label=_("链接文字"), required=False, help_text=_("不填则使用文档标题。")
    )

    class Meta:
        icon = "doc-full"
        label = _("文档链接")
        template = "disclosure/blocks/document_link_block.html"
        preview_value = {"document": None, "label": "申请表（空白）"}
        description = _("在正文中插入一个可下载文档。")


def commitment_blocks():
    """The block list of a commitments StreamField."""
    return [("commitment", CommitmentBlock())]


def duty_blocks():
    """The block list of a duties StreamField."""
    return [("duty", DutyBlock())]


def content_body_blocks():
    """The block list of a content page body."""
    return [
        ("heading", HeadingBlock()),
        ("paragraph", ParagraphBlock()),
        ("commitment", CommitmentBlock()),
        ("document", DocumentLinkBlock()),
    ]
