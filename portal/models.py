"""Shared models: staff users, the home page, site-wide contact settings and the
working-day calendar's editable data."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class User(AbstractUser):
    """A staff member. Department and division membership are added by `disclosure`."""

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")


class HomePage(Page):
    """The portal's front page: the way in to every department, item and the roster."""

    intro = models.CharField(
        _("导语"),
        max_length=255,
        blank=True,
        help_text=_("首页横幅下方的一句话介绍。"),
    )
    body = RichTextField(_("正文"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("首页")
        verbose_name_plural = _("首页")


@register_setting(icon="site")
class ContactSettings(BaseSiteSetting):
    """Contact details shown in every page's footer."""

    organisation = models.CharField(
        _("主办单位"), max_length=120, default="窗口办公政务公开平台"
    )
    address = models.CharField(_("地址"), max_length=255, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    public_hours = models.CharField(
        _("办公时间"),
        max_length=255,
        blank=True,
        help_text=_("例如:工作日 上午 8:30—11:30,下午 13:30—17:00"),
    )
    hotline = models.CharField(_("咨询电话"), max_length=64, blank=True)
    complaint_channel = models.CharField(
        _("投诉渠道"),
        max_length=255,
        blank=True,
        help_text=_("投诉电话、信箱或受理机构。"),
    )
    icp_number = models.CharField(_("ICP 备案号"), max_length=64, blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("organisation"), FieldPanel("address"), FieldPanel("postcode")],
            heading=_("单位"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("public_hours"),
                FieldPanel("hotline"),
                FieldPanel("complaint_channel"),
                FieldPanel("icp_number"),
            ],
            heading=_("联系与投诉"),
        ),
    ]

    class Meta:
        verbose_name = _("联系信息")


class WorkdayOverride(models.Model):
    """One date whose working status differs from the base calendar (调休 or an added
    holiday), as announced by the State Council; edited in the admin."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(
        _("是否上班"),
        help_text=_("勾选表示该日上班(如周末调休上班);不勾选表示该日放假。"),
    )
    note = models.CharField(_("说明"), max_length=120, blank=True)

    panels = [FieldPanel("date"), FieldPanel("is_workday"), FieldPanel("note")]

    class Meta:
        ordering = ["date"]
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")

    def __str__(self):
        kind = _("上班") if self.is_workday else _("放假")
        return f"{self.date:%Y-%m-%d} {kind} {self.note}".strip()


class WorkdayYear(models.Model):
    """Whether a year's holiday schedule has been officially announced and checked."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    confirmed = models.BooleanField(
        _("安排已确认"),
        default=False,
        help_text=_("国务院办公厅已公布该年节假日安排,且已核对调整表。"),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    panels = [FieldPanel("year"), FieldPanel("confirmed"), FieldPanel("note")]

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度节假日安排")
        verbose_name_plural = _("年度节假日安排")

    def __str__(self):
        state = _("已确认") if self.confirmed else _("未确认(估算)")
        return f"{self.year} {state}"

    def clean(self):
        if not 1990 <= self.year <= 2100:
            raise ValidationError({"year": _("年份应在 1990 至 2100 之间。")})
