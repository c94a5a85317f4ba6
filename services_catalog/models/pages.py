"""The service catalog page family: 事项目录 and 办事指南 (DESIGN §4).

`DepartmentPage` → `ServiceCatalogPage` → `ServiceItemPage` (with inline
`ServiceItemMaterial`s and `ServiceItemStep`s). A `ServiceCatalogPage` directly under
the home page is the site-wide catalog: it has no items of its own and lists every
department's. Items link to the `DivisionPage`s that lead (``led_service_items``) and
co-handle (``co_handled_service_items``) them; division pages read those relations.

The field names are a contract with the catalog/1 import and export and the open-data
API (`services_catalog.api`); rename nothing without them.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from disclosure.models import DepartmentPage
from portal.routing import ViewRoutesMixin, view_route
from services_catalog.blocks import (
    basis_blocks,
    condition_blocks,
    faq_blocks,
    special_procedure_blocks,
)
from services_catalog.models.choices import Audience, ItemKind, ItemType, StepActor
from services_catalog.models.forms import ServiceItemPageForm

item_code_validator = RegexValidator(
    r"^[0-9A-Za-z-]{4,40}$",
    _("事项编码为 4 至 40 位字母、数字或连字符。"),
)


def department_of(page):
    """The department a page belongs to (itself included), or None (site-wide pages,
    pages not yet in the tree). One query."""
    if not page.path:
        return None
    return DepartmentPage.objects.ancestor_of(page, inclusive=True).first()


class ServiceCatalogPage(ViewRoutesMixin, Page):
    """A department's catalog of service items (事项目录), or — directly under the home
    page — the site-wide catalog of every department's items. Filters, sorting and
    counts are in `services_catalog.filters`, which imports these models: the listing
    is served by `services_catalog.views.catalog_page`, handed over in
    `ServicesCatalogConfig.ready()` (`portal.routing`)."""

    intro = RichTextField(
        _("导语"),
        blank=True,
        features=["bold", "italic", "ol", "ul", "link"],
        help_text=_("目录开头的说明，例如办理方式和咨询渠道。"),
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["disclosure.DepartmentPage", "portal.HomePage"]
    subpage_types = ["services_catalog.ServiceItemPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("事项目录")
        verbose_name_plural = _("事项目录")

    @cached_property
    def department(self):
        """The department whose catalog this is; None for the site-wide catalog."""
        return department_of(self)

    @property
    def is_site_wide(self):
        return self.department is None

    def items(self):
        """Live items this catalog lists: its own, or for the site-wide catalog every
        item in the same site (the tree under its parent)."""
        items = ServiceItemPage.objects.live()
        if self.is_site_wide:
            return items.filter(path__startswith=self.path[: -self.steplen])
        return items.child_of(self)

    index = view_route("", "index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["feed_urls"] = self.feed_urls()
        return context

    def feed_urls(self):
        """The RSS and Atom feeds of new and changed items in this catalog."""
        if self.is_site_wide:
            return {
                "rss": reverse("catalog_feeds:rss"),
                "atom": reverse("catalog_feeds:atom"),
            }
        code = self.department.code
        return {
            "rss": reverse("catalog_feeds:department_rss", args=[code]),
            "atom": reverse("catalog_feeds:department_atom", args=[code]),
        }


class ServiceItemQuerySet(PageQuerySet):
    def with_audience(self, audience):
        """Items whose audience list holds the code `audience`.

        JSON containment is not available on SQLite, so this matches the quoted code in
        the stored JSON text; no code is a quoted substring of another.
        """
        return self.filter(audience__icontains=f'"{audience}"')

    def in_department(self, department):
        return self.filter(path__startswith=department.path)


ServiceItemManager = PageManager.from_queryset(ServiceItemQuerySet)


class ServiceItemPage(ViewRoutesMixin, Page):
    """A service item and its guide (办事指南): what it is, who may apply, with which
    materials, through which steps, within how many working days, where and how.

    The page slug is the item code in lower case. Extra routes: ``print/`` (the A4
    guide) and ``apply/`` (online filing, wired up by the intake).
    """

    code = models.CharField(
        _("事项编码"),
        max_length=40,
        unique=True,
        validators=[item_code_validator],
        help_text=_(
            "全站唯一且长期不变，用于网址、接口和导入导出，如 11220000SJ0001。"
        ),
    )
    item_type = models.CharField(_("事项类型"), max_length=20, choices=ItemType.choices)
    kind = models.CharField(
        _("办件类型"),
        max_length=20,
        choices=ItemKind.choices,
        help_text=_("即办件当场办结；承诺件在承诺时限内办结。"),
    )
    audience = models.JSONField(
        _("服务对象"),
        default=list,
        blank=True,
        help_text=_("自然人、法人，可多选。"),
    )
    lead_division = models.ForeignKey(
        "disclosure.DivisionPage",
        verbose_name=_("牵头处室"),
        on_delete=models.PROTECT,
        related_name="led_service_items",
        null=True,
        help_text=_("承办本事项的处室，须为本部门的处室。"),
    )
    co_divisions = ParentalManyToManyField(
        "disclosure.DivisionPage",
        verbose_name=_("协办处室"),
        related_name="co_handled_service_items",
        blank=True,
        help_text=_("配合办理的本部门其他处室。"),
    )
    basis = StreamField(
        basis_blocks(),
        verbose_name=_("设定依据"),
        blank=True,
        help_text=_("每条一项：法律、法规、规章的名称和条款。"),
    )
    conditions = StreamField(
        condition_blocks(),
        verbose_name=_("受理条件"),
        blank=True,
        help_text=_("每条一项，用申请人看得懂的话写。"),
    )
    special_procedures = StreamField(
        special_procedure_blocks(),
        verbose_name=_("特别程序"),
        blank=True,
        help_text=_("听证、检验、检测、鉴定、专家评审等，所需时间不计入办结时限。"),
    )
    statutory_days = models.PositiveSmallIntegerField(
        _("法定办结时限（工作日）"),
        help_text=_("法律法规规定的办结时限。"),
    )
    promised_days = models.PositiveSmallIntegerField(
        _("承诺办结时限（工作日）"),
        help_text=_("不超过法定时限；即办件填 0。从受理次日起按工作日计算。"),
    )
    extension_days = models.PositiveSmallIntegerField(
        _("可延长办结时限（工作日）"),
        default=10,
        help_text=_(
            "法定时限内不能作出决定的，经本部门负责人批准可延长一次的工作日数；"
            "行政许可法第四十二条为 10 个工作日，法律、法规另有规定的从其规定。"
        ),
    )
    fee = models.CharField(
        _("收费标准及依据"),
        max_length=500,
        default="不收费",
        help_text=_("不收费的填“不收费”；收费的写明标准和依据。"),
    )
    result = models.CharField(
        _("办理结果"),
        max_length=255,
        blank=True,
        help_text=_("颁发的证照或批文名称，如《食品生产许可证》。"),
    )
    result_delivery = models.CharField(
        _("结果送达方式"),
        max_length=255,
        blank=True,
        help_text=_("例如：窗口领取或免费邮寄。"),
    )
    location = models.CharField(
        _("办理地点"),
        max_length=255,
        blank=True,
        help_text=_("不填则显示部门收发文窗口地址。"),
    )
    hours = models.CharField(
        _("办理时间"),
        max_length=255,
        blank=True,
        help_text=_("不填则显示部门办公时间。"),
    )
    phone = models.CharField(
        _("咨询电话"),
        max_length=64,
        blank=True,
        help_text=_("不填则显示部门咨询电话。"),
    )
    complaint_channel = models.CharField(
        _("投诉渠道"),
        max_length=255,
        blank=True,
        help_text=_("不填则显示部门投诉渠道。"),
    )
    visits = models.PositiveSmallIntegerField(
        _("跑动次数"),
        default=1,
        help_text=_("申请人最多需要到现场几次；全程网办填 0。"),
    )
    online = models.BooleanField(
        _("网上申请"),
        default=True,
        help_text=_("勾选后事项页面显示“在线申请”按钮。"),
    )
    faqs = StreamField(faq_blocks(), verbose_name=_("常见问题"), blank=True)
    name_en = models.CharField(
        _("英文名称"),
        max_length=255,
        blank=True,
        help_text=_("英文界面和英文检索使用，如 Food Production Licence。"),
    )
    summary_en = models.TextField(
        _("英文简介"),
        blank=True,
        help_text=_("一两句英文说明本事项办什么，英文界面显示在名称下方。"),
    )

    objects = ServiceItemManager()

    base_form_class = ServiceItemPageForm

    content_panels = [
        # A plain field: TitleFieldPanel syncs the title into the slug field, which
        # this page does not edit (an empty sync target, a console SyntaxError).
        FieldPanel("title", heading=_("事项名称"), classname="title"),
        FieldRowPanel([FieldPanel("code"), FieldPanel("item_type")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("online"), FieldPanel("visits")]),
        FieldPanel("audience"),
        MultiFieldPanel(
            [
                FieldPanel("lead_division"),
                FieldPanel("co_divisions", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("承办处室"),
        ),
    ]
    requirement_panels = [FieldPanel("basis"), FieldPanel("conditions")]
    procedure_panels = [
        InlinePanel("materials", heading=_("申请材料"), label=_("材料")),
        InlinePanel("steps", heading=_("办理流程"), label=_("环节")),
    ]
    time_limit_panels = [
        FieldRowPanel(
            [
                FieldPanel("statutory_days"),
                FieldPanel("promised_days"),
                FieldPanel("extension_days"),
            ]
        ),
        FieldPanel("special_procedures"),
        FieldPanel("fee"),
    ]
    place_panels = [
        FieldRowPanel([FieldPanel("result"), FieldPanel("result_delivery")]),
        FieldRowPanel([FieldPanel("location"), FieldPanel("hours")]),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("complaint_channel")]),
    ]
    faq_panels = [FieldPanel("faqs")]
    finding_panels = [
        InlinePanel("item_aliases", heading=_("别名、俗称"), label=_("别名")),
        InlinePanel("situations", heading=_("办事情形"), label=_("情形")),
        MultiFieldPanel(
            [FieldPanel("name_en"), FieldPanel("summary_en")], heading=_("英文")
        ),
    ]
    # The slug is the item code (see full_clean), so it is not offered for editing.
    promote_panels = [
        MultiFieldPanel(
            [FieldPanel("seo_title"), FieldPanel("search_description")],
            heading=_("搜索引擎"),
        ),
        FieldPanel("show_in_menus"),
    ]

    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("基本信息")),
            ObjectList(requirement_panels, heading=_("办理要求")),
            ObjectList(procedure_panels, heading=_("材料与流程")),
            ObjectList(time_limit_panels, heading=_("时限与收费")),
            ObjectList(place_panels, heading=_("办理地点")),
            ObjectList(faq_panels, heading=_("常见问题")),
            ObjectList(finding_panels, heading=_("检索与英文")),
            ObjectList(promote_panels, heading=_("推广")),
            ObjectList(Page.settings_panels, heading=_("设置")),
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("code"),
        index.AutocompleteField("code"),
        index.SearchField("conditions"),
        index.SearchField("basis"),
        index.SearchField("result"),
        index.RelatedFields("materials", [index.SearchField("name")]),
        index.FilterField("code"),
        index.FilterField("item_type"),
        index.FilterField("kind"),
        index.FilterField("online"),
        index.FilterField("audience"),
    ]

    parent_page_types = ["services_catalog.ServiceCatalogPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("服务事项")
        verbose_name_plural = _("服务事项")

    @classmethod
    def can_create_at(cls, parent):
        """Items live in a department's catalog, never in the site-wide one."""
        return (
            super().can_create_at(parent)
            and DepartmentPage.objects.parent_of(parent).exists()
        )

    department_of = staticmethod(department_of)

    @staticmethod
    def attach_departments(items, departments=None):
        """Set `department` on every item of a listing with at most one query (none if
        the candidate `departments` are given). Returns the items as a list."""
        items = list(items)
        if departments is None:
            paths = {item.catalog_parent_path for item in items}
            departments = DepartmentPage.objects.filter(path__in=paths) if paths else []
        by_path = {department.path: department for department in departments}
        for item in items:
            item.department = by_path.get(item.catalog_parent_path)
        return items

    @property
    def catalog_parent_path(self):
        """The tree path of the page above the item's catalog: its department."""
        return self.path[: -2 * self.steplen]

    @cached_property
    def department(self):
        """The department this item belongs to (via its catalog). One query, cached;
        the admin form sets it for a page not yet in the tree."""
        return department_of(self)

    # Validation

    def full_clean(self, *args, **kwargs):
        if self.code:
            self.slug = self.code.lower()
        super().full_clean(*args, **kwargs)

    def minimal_clean(self):
        if self.code:
            self.slug = self.code.lower()
        super().minimal_clean()

    def clean(self):
        errors = {}
        # Codes differing only in case would share a slug (the URL); say so in terms
        # of the code, as the slug is not edited.
        if self.code and self.code_clashes_in_case():
            errors["code"] = _("已有仅大小写不同的事项编码，请换一个编码。")
        else:
            super().clean()
        errors.update(self.time_limit_errors())
        if not isinstance(self.audience, list) or not set(self.audience) <= set(
            Audience.values
        ):
            errors["audience"] = _("服务对象只能是：%(choices)s。") % {
                "choices": "、".join(str(label) for label in Audience.labels)
            }
        errors.update(self.division_errors())
        if errors:
            raise ValidationError(errors)

    def code_clashes_in_case(self):
        return (
            ServiceItemPage.objects.filter(code__iexact=self.code)
            .exclude(code=self.code)
            .exclude(pk=self.pk)
            .exists()
        )

    def time_limit_errors(self):
        if self.promised_days is None or self.statutory_days is None:
            return {}
        if self.promised_days > self.statutory_days:
            return {"promised_days": _("承诺办结时限不能超过法定办结时限。")}
        if self.kind == ItemKind.PROMISED and self.promised_days == 0:
            return {
                "promised_days": _(
                    "承诺件的承诺办结时限至少为 1 个工作日；"
                    "当场办结的事项请选“即办件”。"
                )
            }
        return {}

    def division_errors(self):
        """Lead and co-divisions must be the item's department's, and distinct."""
        errors = {}
        lead = self.lead_division if self.lead_division_id else None
        co_divisions = list(self.co_divisions.all())
        department = self.department
        if department is not None:
            if lead is not None and not lead.path.startswith(department.path):
                errors["lead_division"] = _(
                    "牵头处室须为本部门（%(name)s）的处室。"
                ) % {"name": department.title}
            foreign = [
                d.title for d in co_divisions if not d.path.startswith(department.path)
            ]
            if foreign:
                errors["co_divisions"] = _(
                    "协办处室须为本部门（%(name)s）的处室，以下不是：%(foreign)s。"
                ) % {"name": department.title, "foreign": "、".join(foreign)}
        if lead is not None and lead.pk in {d.pk for d in co_divisions}:
            errors.setdefault("co_divisions", _("牵头处室不能同时作为协办处室。"))
        return errors

    # Reading the guide

    @property
    def is_immediate(self):
        return self.kind == ItemKind.IMMEDIATE

    def audience_labels(self):
        return [
            Audience(code).label for code in self.audience if code in Audience.values
        ]

    def contact(self, field, department_field):
        """The item's own value of `field`, or the department's `department_field`."""
        value = getattr(self, field)
        if value or self.department is None:
            return value
        return getattr(self.department, department_field)

    @property
    def contact_location(self):
        return self.contact("location", "address")

    @property
    def contact_hours(self):
        return self.contact("hours", "public_hours")

    @property
    def contact_phone(self):
        return self.contact("phone", "hotline")

    @property
    def contact_complaint_channel(self):
        return self.contact("complaint_channel", "complaint_channel")

    @property
    def share_description(self):
        """One line for link previews and search engines: the editor's description,
        else who handles the item and in how many working days."""
        if self.search_description:
            return self.search_description
        if self.is_immediate:
            limit = _("即时办结")
        else:
            limit = _("承诺 %(days)d 个工作日办结") % {"days": self.promised_days}
        department = self.department.title if self.department else ""
        parts = [department, self.get_item_type_display(), limit]
        return " · ".join(str(part) for part in parts if part)

    def structured_data(self, request=None):
        """The item as schema.org `GovernmentService` (JSON-LD on the item page)."""
        url = self.get_full_url(request)
        department = self.department
        provider = {"@type": "GovernmentOrganization"}
        if department is not None:
            provider.update(name=department.title, url=department.get_full_url(request))
        channel = {"@type": "ServiceChannel", "serviceUrl": url}
        if self.online:
            channel["serviceUrl"] = url + self.reverse_subpage("apply")
        if self.contact_phone:
            channel["servicePhone"] = {
                "@type": "ContactPoint",
                "telephone": self.contact_phone,
            }
        if self.contact_location:
            channel["serviceLocation"] = {
                "@type": "Place",
                "address": self.contact_location,
            }
        data = {
            "@context": "https://schema.org",
            "@type": "GovernmentService",
            "name": self.title,
            "identifier": self.code,
            "serviceType": str(self.get_item_type_display()),
            "description": str(self.share_description),
            "url": url,
            "provider": provider,
            "serviceOperator": provider,
            "availableChannel": channel,
            "audience": [
                {"@type": "Audience", "audienceType": str(label)}
                for label in self.audience_labels()
            ],
        }
        if self.name_en:
            data["alternateName"] = self.name_en
        return data

    def guide_materials(self):
        return self.materials.select_related("blank_form", "sample")

    def guide_co_divisions(self):
        return self.co_divisions.live().order_by("path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        lead = self.lead_division
        context.update(
            department=self.department,
            materials=self.guide_materials(),
            steps=self.steps.all(),
            lead_division=lead if lead is not None and lead.live else None,
            co_divisions=self.guide_co_divisions(),
        )
        return context

    # Routes

    @path("print/", name="print")
    def print_guide(self, request):
        """The guide laid out for an A4 sheet."""
        return self.render(
            request, template="services_catalog/service_item_page_print.html"
        )

    # Online filing: the intake form of the filing inbox, whose views import these
    # models; `InboxConfig.ready()` hands it over (`portal.routing`).
    apply = view_route("apply/", "apply")


class ServiceItemMaterial(Orderable):
    """One application material (申请材料) of an item, in checklist order."""

    page = ParentalKey(
        "services_catalog.ServiceItemPage",
        on_delete=models.CASCADE,
        related_name="materials",
        verbose_name=_("事项"),
    )
    name = models.CharField(_("材料名称"), max_length=255)
    required = models.BooleanField(
        _("必需"), default=True, help_text=_("不勾选表示视情况提交（容缺或特定情形）。")
    )
    originals = models.PositiveSmallIntegerField(_("原件份数"), default=0)
    copies = models.PositiveSmallIntegerField(_("复印件份数"), default=0)
    format_notes = models.CharField(
        _("格式要求"),
        max_length=255,
        blank=True,
        help_text=_("例如：A4 纸，加盖公章。"),
    )
    blank_form = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("空白表格"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sample = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("示范文本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(
        _("来源"),
        max_length=255,
        blank=True,
        help_text=_("例如：申请人自备、政府部门核发。"),
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel(
            [FieldPanel("required"), FieldPanel("originals"), FieldPanel("copies")]
        ),
        FieldPanel("format_notes"),
        FieldRowPanel([FieldPanel("blank_form"), FieldPanel("sample")]),
        FieldPanel("source"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")

    def __str__(self):
        return self.name


class ServiceItemStep(Orderable):
    """One step of an item's procedure (办理流程), in order."""

    page = ParentalKey(
        "services_catalog.ServiceItemPage",
        on_delete=models.CASCADE,
        related_name="steps",
        verbose_name=_("事项"),
    )
    name = models.CharField(_("环节名称"), max_length=100, help_text=_("例如：受理"))
    handled_by = models.CharField(
        _("办理人"),
        max_length=20,
        choices=StepActor.choices,
        default=StepActor.WINDOW,
    )
    days = models.PositiveSmallIntegerField(
        _("时限（工作日）"), default=0, help_text=_("当场完成的填 0。")
    )
    description = models.TextField(_("说明"), blank=True)

    panels = [
        FieldRowPanel(
            [FieldPanel("name"), FieldPanel("handled_by"), FieldPanel("days")]
        ),
        FieldPanel("description"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理环节")

    def __str__(self):
        return self.name


class ServiceItemPhrase(Orderable):
    """A short phrase by which citizens look for an item; the search index weighs it
    like the item's name (see `search.indexer`). Concrete kinds below."""

    text = models.CharField(_("文字"), max_length=100)

    panels = [FieldPanel("text")]

    class Meta(Orderable.Meta):
        abstract = True

    def __str__(self):
        return self.text


class ServiceItemAlias(ServiceItemPhrase):
    """An alias or everyday name (别名、俗称) of an item, e.g. SC证 for 食品生产许可.

    The relation is ``item_aliases`` because Wagtail's `Page.aliases` means page copies;
    in catalog/1 the key is ``"aliases"``.
    """

    page = ParentalKey(
        "services_catalog.ServiceItemPage",
        on_delete=models.CASCADE,
        related_name="item_aliases",
        verbose_name=_("事项"),
    )
    text = models.CharField(
        _("别名"),
        max_length=100,
        help_text=_("群众常用的叫法、简称或旧称，如 SC证、营业执照。"),
    )

    class Meta(ServiceItemPhrase.Meta):
        verbose_name = _("别名")
        verbose_name_plural = _("别名")


class ServiceItemSituation(ServiceItemPhrase):
    """A situation phrase (办事情形) in a citizen's words, e.g. 开饭店."""

    page = ParentalKey(
        "services_catalog.ServiceItemPage",
        on_delete=models.CASCADE,
        related_name="situations",
        verbose_name=_("事项"),
    )
    text = models.CharField(
        _("情形"),
        max_length=100,
        help_text=_("群众会怎么说自己要办的事，如 开饭店、开药店。"),
    )

    class Meta(ServiceItemPhrase.Meta):
        verbose_name = _("办事情形")
        verbose_name_plural = _("办事情形")
