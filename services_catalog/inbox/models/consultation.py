"""Consultations (咨询, DESIGN §5; the founding notice's 第六点: the window "对当事人
有关咨询进行答复").

- `Consultation` — a question about a service item or a department, asked online
  (no account) or logged by the clerk from the phone or the counter; it gets a
  tracking number and an access code like a filing, the window answers it or
  forwards it to a division, within the published limit in working days
  (`ConsultationSettings`) on the working-day calendar. An answer marked public is
  published, redacted of personal data (`portal.redaction`), as a question and
  answer on the item's page and in the public list, and indexed by the search.
- `ConsultationSettings` — the published limit (a site setting, default 3 working
  days).

Its state and answer are written only by `services_catalog.inbox.consultations`,
which checks the user's scope and the `version` the user saw and logs each change.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from portal.redaction import redact
from services_catalog.inbox.models.supervision import version_field

DEFAULT_ANSWER_WORKDAYS = 3


@register_setting(icon="help")
class ConsultationSettings(BaseSiteSetting):
    """The time limit the window publishes for answering consultations."""

    answer_workdays = models.PositiveSmallIntegerField(
        _("咨询答复时限（工作日）"),
        default=DEFAULT_ANSWER_WORKDAYS,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_(
            "窗口自收到咨询次日起，在此数量的工作日内答复；在咨询页面公布，"
            "按工作日历计算答复期限。"
        ),
    )

    class Meta:
        verbose_name = _("咨询答复时限")


class ConsultationChannel(models.TextChoices):
    ONLINE = "online", _("网上咨询")
    PHONE = "phone", _("电话咨询")
    WALK_IN = "walk_in", _("现场咨询")


class ConsultationState(models.TextChoices):
    SUBMITTED = "submitted", _("待答复")
    FORWARDED = "forwarded", _("已转处室办理")
    ANSWERED = "answered", _("已答复")


OPEN_CONSULTATION_STATES = (ConsultationState.SUBMITTED, ConsultationState.FORWARDED)


class ConsultationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_CONSULTATION_STATES)

    def overdue(self, today):
        return self.open().filter(due_date__lt=today)

    def published(self):
        """Answered consultations whose answer is public, newest first."""
        return self.filter(state=ConsultationState.ANSWERED, public=True).order_by(
            "-answered_at", "-pk"
        )


class Consultation(models.Model):
    """咨询: one question, its handling and its answer."""

    department = models.ForeignKey(
        "disclosure.DepartmentPage",
        verbose_name=_("咨询部门"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    item = models.ForeignKey(
        "services_catalog.ServiceItemPage",
        verbose_name=_("咨询事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
        help_text=_("所咨询的办理事项；咨询部门的一般问题可不选。"),
    )
    division = models.ForeignKey(
        "disclosure.DivisionPage",
        verbose_name=_("转办处室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    tracking_number = models.CharField(_("咨询编号"), max_length=40, unique=True)
    access_code_hash = models.CharField(_("查询码摘要"), max_length=128)
    channel = models.CharField(
        _("咨询方式"),
        max_length=16,
        choices=ConsultationChannel.choices,
        default=ConsultationChannel.ONLINE,
    )
    state = models.CharField(
        _("状态"),
        max_length=16,
        choices=ConsultationState.choices,
        default=ConsultationState.SUBMITTED,
        db_index=True,
    )
    version = version_field()

    name = models.CharField(_("咨询人"), max_length=100)
    mobile = models.CharField(_("手机号码"), max_length=11, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    question = models.TextField(_("咨询内容"))

    asked_at = models.DateTimeField(_("咨询时间"), default=timezone.now)
    asked_on = models.DateField(
        _("收到日期"), help_text=_("答复期限从此日次日起按工作日计算。")
    )
    due_date = models.DateField(_("答复期限"))
    due_date_confirmed = models.BooleanField(
        _("答复期限已按公布的节假日安排核定"), default=True
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    forward_note = models.TextField(_("转办说明"), blank=True)
    forwarded_at = models.DateTimeField(_("转办时间"), null=True, blank=True)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("转办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    answer = models.TextField(_("答复内容"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_on_time = models.BooleanField(_("按期答复"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    public = models.BooleanField(
        _("公开答复"),
        default=False,
        help_text=_(
            "公开后，问题和答复去除个人信息后在事项页面和咨询列表中公布，并可被搜索。"
        ),
    )

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("咨询")
        verbose_name_plural = _("咨询")
        ordering = ["-asked_at", "-pk"]
        indexes = [
            models.Index(fields=["department", "state", "due_date"]),
            models.Index(fields=["state", "public", "answered_at"]),
        ]

    def __str__(self):
        # Titles and log entries show the number only: the question may hold a
        # phone number the asker typed into it.
        return self.tracking_number

    @property
    def is_open(self):
        return self.state in OPEN_CONSULTATION_STATES

    def _redact(self, text):
        return redact(text, names=[self.name], contacts=[self.mobile, self.email])

    @property
    def public_question(self):
        """The question as published: without the asker's name or contact."""
        return self._redact(self.question)

    @property
    def public_answer(self):
        """The answer as published: without the asker's name or contact."""
        return self._redact(self.answer)
