"""What the divisions and the window record while a filing is handled (DESIGN §5).

- `FilingNote` — a progress note of a handling division, or a co-division's opinion
  to the lead division.
- `Appointment` — a meeting with the applicant or a site inspection: the lead
  division asks, the window fixes time and place; the applicant sees it in the lookup.
- `DivisionNotice` — the in-admin notification list of a division (instructions,
  deadline warnings, urging notices).
- `SpecialProcedureNotice` — the written notice telling the applicant which special
  procedure (听证、检验、鉴定、专家评审…) pauses the clock and how long it is expected
  to take (行政许可法第四十五条); printed like the one-time notice.
- `DeadlineNotice` — which deadline warning `sweep_deadlines` has sent for a filing,
  so that a second run sends nothing new.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NoteKind(models.TextChoices):
    PROGRESS = "progress", _("办理进展")
    OPINION = "opinion", _("协办意见")


class FilingNote(models.Model):
    """A progress note (办理进展) or a co-division's opinion (协办意见)."""

    filing = models.ForeignKey(
        "inbox.Filing", on_delete=models.CASCADE, related_name="notes"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=NoteKind.choices)
    division = models.ForeignKey(
        "disclosure.DivisionPage",
        verbose_name=_("处室"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("内容"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.filing_id} {self.get_kind_display()}"


class AppointmentKind(models.TextChoices):
    MEETING = "meeting", _("当面说明情况")
    INSPECTION = "inspection", _("现场勘查")


class AppointmentStatus(models.TextChoices):
    REQUESTED = "requested", _("待窗口安排")
    SCHEDULED = "scheduled", _("已安排")
    CANCELLED = "cancelled", _("已取消")


class Appointment(models.Model):
    """A meeting or site inspection the lead division asks the window to arrange."""

    filing = models.ForeignKey(
        "inbox.Filing", on_delete=models.CASCADE, related_name="appointments"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=AppointmentKind.choices)
    purpose = models.TextField(_("事由"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.REQUESTED,
    )
    starts_at = models.DateTimeField(_("时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("安排人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("约见与勘查")
        verbose_name_plural = _("约见与勘查")
        ordering = ["requested_at", "pk"]

    def __str__(self):
        return f"{self.filing_id} {self.get_kind_display()}"


class SpecialProcedureKind(models.TextChoices):
    """The procedures of 行政许可法第四十五条 whose time does not count."""

    HEARING = "hearing", _("听证")
    TENDER = "tender", _("招标")
    AUCTION = "auction", _("拍卖")
    EXAMINATION = "examination", _("检验")
    TESTING = "testing", _("检测")
    QUARANTINE = "quarantine", _("检疫")
    APPRAISAL = "appraisal", _("鉴定")
    EXPERT_REVIEW = "expert_review", _("专家评审")


class SpecialProcedureNotice(models.Model):
    """特别程序告知书: which procedure pauses the clock and how long it should take."""

    filing = models.ForeignKey(
        "inbox.Filing", on_delete=models.CASCADE, related_name="procedure_notices"
    )
    kind = models.CharField(
        _("特别程序"), max_length=20, choices=SpecialProcedureKind.choices
    )
    reason = models.TextField(_("事由"))
    expected_days = models.PositiveSmallIntegerField(
        _("预计所需时间（工作日）"),
        help_text=_("所需时间不计入办理期限。"),
    )
    expected_end = models.DateField(_("预计结束日期"))
    created_at = models.DateTimeField(_("告知时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("特别程序告知书")
        verbose_name_plural = _("特别程序告知书")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.filing_id} {self.get_kind_display()}"


class DivisionNotice(models.Model):
    """A message to the members of a division, shown in their admin inbox."""

    division = models.ForeignKey(
        "disclosure.DivisionPage",
        verbose_name=_("处室"),
        on_delete=models.CASCADE,
        related_name="inbox_notices",
    )
    filing = models.ForeignKey(
        "inbox.Filing",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="division_notices",
    )
    text = models.CharField(_("内容"), max_length=500)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("处室通知")
        verbose_name_plural = _("处室通知")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.text


class DeadlineLevel(models.TextChoices):
    DUE_SOON = "due_soon", _("即将到期")
    OVERDUE = "overdue", _("已超期")


class DeadlineNotice(models.Model):
    """One deadline warning sent for a filing (one per level and due date)."""

    filing = models.ForeignKey(
        "inbox.Filing", on_delete=models.CASCADE, related_name="deadline_notices"
    )
    level = models.CharField(_("级别"), max_length=16, choices=DeadlineLevel.choices)
    due_date = models.DateField(_("到期日"))
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("到期提醒")
        verbose_name_plural = _("到期提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["filing", "level", "due_date"], name="unique_deadline_notice"
            )
        ]

    def __str__(self):
        return f"{self.filing_id} {self.level} {self.due_date}"
