"""Supervision by the inspection office (监察室, DESIGN §5 and notice points 8–9).

Complaints, urging notices and accountability records are written only by
`services_catalog.inbox.records`, which checks the user's scope and the `version`
the user saw, and logs each change in Wagtail's audit log.

- `UrgingNotice` — an urging notice (督办单) to a division, which must answer it.
- `Complaint` — a complaint (投诉) from the public form or logged by staff, linked to
  a filing, a division or a person, and its handling.
- `AccountabilityRecord` — an accountability record (责任追究) on a post or person.
- `Rating` — the applicant's rating (好差评, 1–5 with a comment), once per filing.
- `RatingFollowUp` — the follow-up of a bad rating (差评整改, scores 1–2): the
  inspection office contacts the applicant by a due date, records what it found
  and what was rectified, and tells the applicant.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def version_field():
    """The version a form saw: raised by every change, so a stale page is refused."""
    return models.PositiveIntegerField(
        _("版本"),
        default=1,
        editable=False,
        help_text=_("每次处理加一，防止两人同时处理。"),
    )


class UrgingNotice(models.Model):
    """督办单: what the division must do by when; answered by the division."""

    department = models.ForeignKey(
        "disclosure.DepartmentPage",
        verbose_name=_("部门"),
        on_delete=models.CASCADE,
        related_name="urging_notices",
    )
    division = models.ForeignKey(
        "disclosure.DivisionPage",
        verbose_name=_("督办处室"),
        on_delete=models.PROTECT,
        related_name="urging_notices",
    )
    filing = models.ForeignKey(
        "inbox.Filing",
        verbose_name=_("办件"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="urging_notices",
    )
    text = models.TextField(_("督办事项"))
    reply_by = models.DateField(_("答复期限"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督办人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("督办时间"), default=timezone.now)
    answer = models.TextField(_("处室答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    version = version_field()

    class Meta:
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        ordering = ["-issued_at", "-pk"]

    def __str__(self):
        return f"督办单 {self.pk} → {self.division}"


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("已收到")
    HANDLING = "handling", _("处理中")
    CLOSED = "closed", _("已办结")


class Complaint(models.Model):
    """投诉: about a filing, a division or a person of a department."""

    department = models.ForeignKey(
        "disclosure.DepartmentPage",
        verbose_name=_("被投诉部门"),
        on_delete=models.CASCADE,
        related_name="complaints",
    )
    filing = models.ForeignKey(
        "inbox.Filing",
        verbose_name=_("相关办件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    division = models.ForeignKey(
        "disclosure.DivisionPage",
        verbose_name=_("被投诉处室"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    person = models.ForeignKey(
        "disclosure.Person",
        verbose_name=_("被投诉人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    name = models.CharField(_("投诉人"), max_length=100)
    contact = models.CharField(_("联系方式"), max_length=100)
    text = models.TextField(_("投诉内容"))
    created_at = models.DateTimeField(_("投诉时间"), default=timezone.now)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.RECEIVED,
    )
    handling = models.TextField(_("处理情况"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    version = version_field()

    class Meta:
        verbose_name = _("投诉")
        verbose_name_plural = _("投诉")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return gettext("投诉 %(number)s") % {"number": self.pk}


class AccountabilityRecord(models.Model):
    """责任追究: what went wrong, on which post or person, and the measure taken."""

    department = models.ForeignKey(
        "disclosure.DepartmentPage",
        verbose_name=_("部门"),
        on_delete=models.CASCADE,
        related_name="accountability_records",
    )
    post = models.ForeignKey(
        "disclosure.Post",
        verbose_name=_("岗位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accountability_records",
    )
    person = models.ForeignKey(
        "disclosure.Person",
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accountability_records",
    )
    filing = models.ForeignKey(
        "inbox.Filing",
        verbose_name=_("相关办件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accountability_records",
    )
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("相关投诉"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accountability_records",
    )
    finding = models.TextField(_("问题事实"))
    measure = models.TextField(_("追究措施"))
    decided_on = models.DateField(_("决定日期"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = version_field()

    class Meta:
        verbose_name = _("责任追究记录")
        verbose_name_plural = _("责任追究记录")
        ordering = ["-decided_on", "-pk"]

    def __str__(self):
        return f"责任追究 {self.pk}"


class Rating(models.Model):
    """好差评: the applicant's score (1–5) and comment, once per completed filing."""

    class Score(models.IntegerChoices):
        VERY_SATISFIED = 5, _("5 非常满意")
        SATISFIED = 4, _("4 满意")
        FAIRLY_SATISFIED = 3, _("3 基本满意")
        DISSATISFIED = 2, _("2 不满意")
        VERY_DISSATISFIED = 1, _("1 非常不满意")

    filing = models.OneToOneField(
        "inbox.Filing", on_delete=models.CASCADE, related_name="rating"
    )
    score = models.PositiveSmallIntegerField(
        _("评分"),
        choices=Score.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(_("评价"), blank=True)
    created_at = models.DateTimeField(_("评价时间"), default=timezone.now)

    class Meta:
        verbose_name = _("好差评")
        verbose_name_plural = _("好差评")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_5"
            )
        ]

    def __str__(self):
        return f"{self.filing_id}: {self.score}"


BAD_SCORE = 2
"""Ratings up to this score are bad (差评) and get a follow-up."""


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("待回访")
    CONTACTED = "contacted", _("已联系，整改中")
    CLOSED = "closed", _("已整改并答复")


class RatingFollowUp(models.Model):
    """差评整改: opened with a bad rating (by `records.open_follow_up`), handled by
    the inspection office of the filing's department; overdue while the applicant
    has not been contacted after `contact_due`. Counted as followed up in the
    public statistics once closed."""

    rating = models.OneToOneField(
        Rating,
        verbose_name=_("差评"),
        on_delete=models.CASCADE,
        related_name="follow_up",
    )
    department = models.ForeignKey(
        "disclosure.DepartmentPage",
        verbose_name=_("部门"),
        on_delete=models.CASCADE,
        related_name="rating_follow_ups",
    )
    division = models.ForeignKey(
        "disclosure.DivisionPage",
        verbose_name=_("承办处室"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rating_follow_ups",
    )
    opened_at = models.DateTimeField(_("收到差评时间"), default=timezone.now)
    contact_due = models.DateField(
        _("回访期限"), help_text=_("须在此日（含）之前联系申请人。")
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.OPEN,
        db_index=True,
    )
    contacted_at = models.DateTimeField(_("联系申请人时间"), null=True, blank=True)
    contact_note = models.TextField(
        _("联系情况"), blank=True, help_text=_("何时以何种方式联系了申请人。")
    )
    findings = models.TextField(_("核查情况"), blank=True)
    rectification = models.TextField(_("整改措施"), blank=True)
    reply = models.TextField(
        _("答复申请人"),
        blank=True,
        help_text=_("申请人在办件查询页面看到、并以短信和邮件收到的答复。"),
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("整改完成时间"), null=True, blank=True)
    version = version_field()

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["-opened_at", "-pk"]

    def __str__(self):
        return _("差评整改 %(number)s") % {"number": self.rating.filing.tracking_number}

    @staticmethod
    def overdue_q(today):
        """Not yet contacted, and the contact limit has passed."""
        return models.Q(status=FollowUpStatus.OPEN, contact_due__lt=today)

    def is_overdue(self, today=None):
        return self.status == FollowUpStatus.OPEN and self.contact_due < (
            today or timezone.localdate()
        )

    @property
    def overdue_label(self):
        return _("回访已超期") if self.is_overdue() else ""
