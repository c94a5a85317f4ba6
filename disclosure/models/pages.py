"""The department page family: what a department publishes at its window (政务公开).

`HomePage` → `DepartmentPage` → `DivisionPage` (with inline `Post`s),
`DisclosureGuidePage` and `ContentPage`s. Other apps hang their own pages under a
department (the service catalog, the reception page); `DepartmentPage.subpage_types`
names them all, by model string, so the allowed children are read in one place.
"""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page
from wagtail.search import index

from disclosure.blocks import commitment_blocks, content_body_blocks, duty_blocks
from disclosure.models.staff import check_group_names

# The rendition every person's portrait is shown in; prefetched with the people.
PORTRAIT_FILTER = "fill-160x200-c100"

department_code_validator = RegexValidator(
    r"^[A-Z0-9]{2,10}$", _("部门代码为 2 至 10 位大写字母或数字。")
)
division_code_validator = RegexValidator(
    r"^[A-Z0-9]+(-[A-Z0-9]+)*$",
    _("处室代码只能包含大写字母、数字和连字符，例如 SJ-SP。"),
)

# Notices and measures listed per page of a department page.
NOTICES_PER_PAGE = 10

# What the department page lists itself; its other child types (its catalog, its
# reception page) are its service entrances, linked at the top.
OWN_CHILD_PAGE_TYPES = (
    "disclosure.DivisionPage",
    "disclosure.DisclosureGuidePage",
    "disclosure.ContentPage",
)


def live_people():
    """Published people with their portrait renditions, in display order."""
    from disclosure.models.people import Person

    images = get_image_model().objects.prefetch_renditions(PORTRAIT_FILTER)
    return Person.objects.live().prefetch_related(Prefetch("photo", queryset=images))


class DepartmentPage(Page):
    """A department (部门): its contacts, introduction and service commitments.

    The `code` is the prefix of every tracking number the department issues
    (DESIGN §5), so it is fixed once filings exist.
    """

    code = models.CharField(
        _("部门代码"),
        max_length=10,
        unique=True,
        validators=[department_code_validator],
        help_text=_("受理编号的前缀，如 SJ;2 至 10 位大写字母或数字，启用后请勿更改。"),
    )
    address = models.CharField(
        _("办公地址"),
        max_length=255,
        blank=True,
        help_text=_("收发文窗口所在地址，群众递交和领取文件的地方。"),
    )
    public_hours = models.CharField(
        _("办公时间"),
        max_length=255,
        blank=True,
        help_text=_("例如：工作日 上午 8:30—11:30，下午 13:30—17:00"),
    )
    hotline = models.CharField(_("咨询电话"), max_length=64, blank=True)
    complaint_channel = models.CharField(
        _("投诉渠道"),
        max_length=255,
        blank=True,
        help_text=_("监察室投诉电话、信箱或网址。"),
    )
    introduction = RichTextField(
        _("部门简介"),
        blank=True,
        features=["bold", "italic", "ol", "ul", "link"],
        help_text=_("部门的主要职能和窗口办公的基本情况。"),
    )
    commitments = StreamField(
        commitment_blocks(),
        verbose_name=_("服务承诺"),
        blank=True,
        help_text=_("部门统一的服务承诺，如首问负责制、一次性告知制、限时办结制。"),
    )

    content_panels = [
        FieldPanel("title", heading=_("部门名称")),
        FieldPanel("code"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("public_hours"),
                FieldRowPanel([FieldPanel("hotline"), FieldPanel("complaint_channel")]),
            ],
            heading=_("联系方式"),
        ),
        FieldPanel("introduction"),
        FieldPanel("commitments"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("code"),
        index.SearchField("introduction"),
        index.SearchField("commitments"),
        index.FilterField("code"),
    ]

    parent_page_types = ["portal.HomePage"]
    subpage_types = [
        "disclosure.DivisionPage",
        "disclosure.DisclosureGuidePage",
        "disclosure.ContentPage",
        "services_catalog.ServiceCatalogPage",
        "reception.ReceptionPage",
    ]

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def clean(self):
        super().clean()
        check_group_names(self)

    def divisions(self, *prefetch):
        """Published divisions in tree order (a list), with head and deputy (if
        published), the people of all of them read in one query; `prefetch` as for
        `prefetch_related`."""
        from disclosure.models.people import Person

        divisions = list(
            DivisionPage.objects.child_of(self).live().prefetch_related(*prefetch)
        )
        wanted = {pk for d in divisions for pk in (d.head_id, d.deputy_id) if pk}
        people = Person.objects.live().in_bulk(wanted) if wanted else {}
        for division in divisions:
            for field in ("head", "deputy"):
                person = people.get(getattr(division, f"{field}_id"))
                DivisionPage._meta.get_field(field).set_cached_value(division, person)
        return divisions

    def leaders(self):
        """The department's own leadership (部门负责人): people not in a division."""
        return live_people().filter(department=self, division__isnull=True)

    def content_pages(self):
        """Published notices and implementation measures, newest first."""
        return (
            ContentPage.objects.child_of(self)
            .live()
            .order_by("-first_published_at", "-pk")
        )

    def guide_page(self):
        return self.guide_and_service_pages()[0]

    def service_pages(self):
        """The department's live service entrances that other apps hang under it
        (its service catalog, its reception page), in tree order."""
        return self.guide_and_service_pages()[1]

    def guide_and_service_pages(self):
        """The live disclosure guide (or None) and the service entrances, read in
        one query of the children."""
        service_types = [
            apps.get_model(label)
            for label in self.subpage_types
            if label not in OWN_CHILD_PAGE_TYPES
        ]
        types = ContentType.objects.get_for_models(DisclosureGuidePage, *service_types)
        guide_type = types.pop(DisclosureGuidePage)
        guide, services = None, []
        for child in (
            self.get_children()
            .live()
            .filter(content_type__in=[guide_type, *types.values()])
        ):
            if child.content_type_id != guide_type.pk:
                services.append(child)
            elif guide is None:
                guide = child
        return guide, services

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            divisions=self.divisions(),
            leaders=self.leaders(),
            content_pages=Paginator(self.content_pages(), NOTICES_PER_PAGE).get_page(
                request.GET.get("page")
            ),
        )
        context["guide_page"], context["service_pages"] = self.guide_and_service_pages()
        return context


@dataclass(frozen=True)
class ServiceItemLink:
    """A service item shown on a division page, with the division's part in it."""

    page: Page
    role: str  # LEAD or CO_HANDLING

    LEAD = "lead"
    CO_HANDLING = "co"

    @property
    def role_label(self):
        return _("牵头主办") if self.role == self.LEAD else _("协办")


class DivisionPage(Page):
    """A division (处室) of a department: duties, head and deputy, contacts and posts.

    The service catalog links items to divisions through two reverse relations that
    this page reads in `service_items`: ``led_service_items`` (the item's lead
    division) and ``co_handled_service_items`` (its co-handling divisions).
    """

    code = models.CharField(
        _("处室代码"),
        max_length=20,
        unique=True,
        validators=[division_code_validator],
        help_text=_("部门代码-处室简称，如 SJ-SP；事项目录导入导出用它指明承办处室。"),
    )
    duties = StreamField(
        duty_blocks(),
        verbose_name=_("职责"),
        blank=True,
        help_text=_("按顺序逐条填写处室职责，每条一项。"),
    )
    head = models.ForeignKey(
        "disclosure.Person",
        verbose_name=_("处室负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deputy = models.ForeignKey(
        "disclosure.Person",
        verbose_name=_("副职负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    phone = models.CharField(_("联系电话"), max_length=64, blank=True)
    room = models.CharField(
        _("办公室房间"), max_length=64, blank=True, help_text=_("例如：主楼 305 室")
    )
    public_hours = models.CharField(
        _("办公时间"),
        max_length=255,
        blank=True,
        help_text=_("不填则与部门办公时间相同。"),
    )
    commitments = StreamField(
        commitment_blocks(),
        verbose_name=_("处室承诺"),
        blank=True,
        help_text=_("本处室在部门承诺之外的服务承诺。"),
    )

    content_panels = [
        FieldPanel("title", heading=_("处室名称")),
        FieldPanel("code"),
        FieldPanel("duties"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("head"), FieldPanel("deputy")]),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("room")]),
                FieldPanel("public_hours"),
            ],
            heading=_("负责人与联系方式"),
        ),
        FieldPanel("commitments"),
        InlinePanel("posts", heading=_("岗位职责"), label=_("岗位")),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("code"),
        index.SearchField("duties"),
        index.FilterField("code"),
        index.RelatedFields(
            "posts",
            [index.SearchField("title"), index.SearchField("responsibilities")],
        ),
    ]

    parent_page_types = ["disclosure.DepartmentPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("处室")
        verbose_name_plural = _("处室")

    def duty_texts(self):
        """The duties as plain strings (for the catalog's import and export)."""
        return [block.value for block in self.duties if block.block_type == "duty"]

    def department(self):
        return DepartmentPage.objects.parent_of(self).first()

    def public_people(self):
        """Published people of this division plus the head and deputy, in order."""
        scope = Q(division=self)
        leader_ids = [pk for pk in (self.head_id, self.deputy_id) if pk]
        if leader_ids:
            scope |= Q(pk__in=leader_ids)
        return live_people().filter(scope)

    def service_items(self):
        """Live service items this division leads (牵头) or co-handles (协办).

        Empty until the service catalog declares the reverse relations named in the
        class docstring; then two queries whatever the number of items.
        """
        links = []
        for relation, role in (
            ("led_service_items", ServiceItemLink.LEAD),
            ("co_handled_service_items", ServiceItemLink.CO_HANDLING),
        ):
            related = getattr(self, relation, None)
            if related is not None:
                pages = related.live().order_by("path")
                links += [ServiceItemLink(page, role) for page in pages]
        return links

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        people = list(self.public_people())
        by_pk = {person.pk: person for person in people}
        context.update(
            department=self.department(),
            posts=self.posts.all(),
            head=by_pk.get(self.head_id),
            deputy=by_pk.get(self.deputy_id),
            people=people,
            service_items=self.service_items(),
        )
        return context


class Post(Orderable):
    """A post (岗位) in a division, with the accountability elements of notice point 9:
    authority, basis, work standard, completion time limit and accountability."""

    division = ParentalKey(
        "disclosure.DivisionPage",
        on_delete=models.CASCADE,
        related_name="posts",
        verbose_name=_("处室"),
    )
    title = models.CharField(_("岗位名称"), max_length=120)
    responsibilities = models.TextField(_("岗位职责"))
    authority = models.TextField(
        _("职权"), blank=True, help_text=_("本岗位可以作出的决定和行使的权力。")
    )
    basis = models.TextField(
        _("依据"), blank=True, help_text=_("法律、法规、规章或规范性文件的名称和条款。")
    )
    work_standard = models.TextField(
        _("工作标准"), blank=True, help_text=_("办理本岗位事项应达到的质量要求。")
    )
    time_limit = models.CharField(
        _("完成时限"),
        max_length=120,
        blank=True,
        help_text=_("例如：收到材料后 2 个工作日内"),
    )
    accountability = models.TextField(
        _("责任追究"),
        blank=True,
        help_text=_("未履行职责、超时或被投诉时如何追究责任。"),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("responsibilities"),
        FieldPanel("authority"),
        FieldPanel("basis"),
        FieldPanel("work_standard"),
        FieldPanel("time_limit"),
        FieldPanel("accountability"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")

    def __str__(self):
        return self.title


class ContentPage(Page):
    """A notice (通知公告), implementation measures (实施办法) or other published text,
    with downloadable attachments."""

    class Kind(models.TextChoices):
        NOTICE = "notice", _("通知公告")
        MEASURES = "measures", _("实施办法")
        COMMITMENT = "commitment", _("服务承诺")
        OTHER = "other", _("其他")

    kind = models.CharField(
        _("类别"), max_length=20, choices=Kind.choices, default=Kind.NOTICE
    )
    document_number = models.CharField(
        _("文号"),
        max_length=80,
        blank=True,
        help_text=_("例如：吉市监办发〔2026〕3号"),
    )
    summary = models.TextField(
        _("摘要"), blank=True, help_text=_("列表和搜索结果中显示的一两句话。")
    )
    body = StreamField(content_body_blocks(), verbose_name=_("正文"), blank=True)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("document_number")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", heading=_("附件"), label=_("附件")),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("document_number"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("kind"),
    ]

    parent_page_types = ["disclosure.DepartmentPage", "portal.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("公开内容")
        verbose_name_plural = _("公开内容")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["attachments"] = self.attachments.select_related("document")
        return context


class ContentPageAttachment(Orderable):
    """A Wagtail document attached to a content page (e.g. the measures as PDF)."""

    page = ParentalKey(
        "disclosure.ContentPage",
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("页面"),
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("文档"),
    )
    title = models.CharField(
        _("显示名称"), max_length=255, blank=True, help_text=_("不填则使用文档标题。")
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    @property
    def label(self):
        return self.title or self.document.title


class DisclosureGuidePage(Page):
    """The department's disclosure guide (政务公开指南): everything it publishes at the
    window on one printable page — divisions, duties, posts, commitments, notices."""

    intro = RichTextField(
        _("导语"),
        blank=True,
        features=["bold", "italic", "ol", "ul", "link"],
        help_text=_("指南开头的说明，例如公开方式、查阅地点和时间。"),
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["disclosure.DepartmentPage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("政务公开指南")
        verbose_name_plural = _("政务公开指南")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        department = DepartmentPage.objects.parent_of(self).first()
        divisions = []
        if department is not None:
            divisions = department.divisions(
                "posts", Prefetch("people", queryset=live_people())
            )
        context.update(
            department=department,
            divisions=divisions,
            leaders=department.leaders() if department else [],
            content_pages=department.content_pages() if department else [],
        )
        return context
