"""Appointment requests (接访预约, DESIGN §6): a citizen asks to see the leader on
duty in one published slot; the window clerk confirms or declines.

The rules (capacity, numbering, access codes, decisions and notices) live in
`reception.appointments`; this module holds the data only. The slot's date, half day
and leader are copied onto the request, so it stays readable if the roster changes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from portal.masking import MaskedFieldPanel, mask_id_numbers_in, mask_mobile
from reception.models.roster import Slot


class AppointmentRequest(models.Model):
    """One citizen's request for a reception slot."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        DECLINED = "declined", _("未能安排")

    ACTIVE_STATUSES = (Status.PENDING, Status.CONFIRMED)
    """Requests that take up a place in their slot."""

    department = models.ForeignKey(
        "disclosure.DepartmentPage",
        verbose_name=_("部门"),
        on_delete=models.CASCADE,
        related_name="appointment_requests",
    )
    entry = models.ForeignKey(
        "reception.RosterEntry",
        verbose_name=_("值班安排"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointment_requests",
    )
    date = models.DateField(_("预约日期"))
    slot = models.CharField(_("时段"), max_length=10, choices=Slot.choices)
    leader = models.ForeignKey(
        "disclosure.Person",
        verbose_name=_("接访领导"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    location = models.CharField(_("接访地点"), max_length=120, blank=True)
    number = models.CharField(_("预约编号"), max_length=40, unique=True)
    code_digest = models.CharField(max_length=64, editable=False)
    name = models.CharField(_("姓名"), max_length=40)
    phone = models.CharField(_("手机号码"), max_length=11)
    email = models.EmailField(_("电子邮箱"), blank=True)
    matter = models.TextField(_("反映事项"))
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    reply = models.TextField(
        _("答复"),
        blank=True,
        help_text=_(
            "确认时可写明到访时间、地点和需要携带的材料；不能安排时必须写明原因。"
            "申请人在查询页面看到这段文字。"
        ),
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("number", read_only=True),
                        FieldPanel("created_at", read_only=True),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("date", read_only=True),
                        FieldPanel("slot", read_only=True),
                        FieldPanel("leader", read_only=True),
                    ]
                ),
                FieldRowPanel(
                    [
                        MaskedFieldPanel("name"),
                        MaskedFieldPanel("phone", mask=mask_mobile),
                        FieldPanel("email", read_only=True),
                    ]
                ),
                MaskedFieldPanel("matter"),
            ],
            heading=_("预约申请"),
        ),
        FieldPanel("status"),
        FieldPanel("reply"),
    ]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("接访预约")
        verbose_name_plural = _("接访预约")
        indexes = [models.Index(fields=["department", "status", "date"])]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        """An ID number typed into the name or matter is kept masked: the request
        does not need it (the visitor shows their card at the reception)."""
        self.name = mask_id_numbers_in(self.name)
        self.matter = mask_id_numbers_in(self.matter)
        super().save(*args, **kwargs)
