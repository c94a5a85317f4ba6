"""The office's outgoing-document register (发文登记, DESIGN §5): results leave through
the office, which gives each one its number (发文字号) such as 吉市监许〔2026〕18号.

- `OutgoingDocumentType` — a kind of document a department sends out (文种) with the
  prefix of its numbers (机关代字), e.g. 行政许可决定书 → 吉市监许.
- `OutgoingCounter` — the last sequence number issued for a type in a year; numbers
  restart at 1 every year.
- `OutgoingNumber` — one line of the register: the number, the filing it went out
  with, who issued it and when; a voided number keeps its line and the reason.

Numbers are issued and voided only by `services_catalog.inbox.outgoing`, inside the
transaction that issues the result, so a number is never lost or given twice.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingDocumentType(models.Model):
    """A department's kind of outgoing document and the prefix of its numbers."""

    department = models.ForeignKey(
        "disclosure.DepartmentPage",
        verbose_name=_("部门"),
        on_delete=models.CASCADE,
        related_name="outgoing_document_types",
    )
    name = models.CharField(
        _("文种"), max_length=60, help_text=_("例如：行政许可决定书。")
    )
    prefix = models.CharField(
        _("发文机关代字"),
        max_length=20,
        help_text=_("发文字号的前缀，例如“吉市监许”，编号为 吉市监许〔2026〕18号。"),
    )

    class Meta:
        verbose_name = _("发文文种")
        verbose_name_plural = _("发文文种")
        ordering = ["department", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "name"], name="unique_outgoing_type_name"
            ),
            models.UniqueConstraint(
                fields=["department", "prefix"], name="unique_outgoing_type_prefix"
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.prefix}）"

    def format_number(self, year, sequence):
        return f"{self.prefix}〔{year}〕{sequence}号"


class OutgoingCounter(models.Model):
    """The last sequence number issued for a document type in a year."""

    document_type = models.ForeignKey(
        OutgoingDocumentType, on_delete=models.CASCADE, related_name="counters"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    last_number = models.PositiveIntegerField(_("最后编号"), default=0)

    class Meta:
        verbose_name = _("发文编号计数器")
        verbose_name_plural = _("发文编号计数器")
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "year"], name="unique_outgoing_counter"
            )
        ]

    def __str__(self):
        return f"{self.document_type.prefix}〔{self.year}〕{self.last_number}"


class OutgoingNumber(models.Model):
    """One line of the register (发文登记簿)."""

    document_type = models.ForeignKey(
        OutgoingDocumentType,
        verbose_name=_("文种"),
        on_delete=models.PROTECT,
        related_name="numbers",
    )
    department = models.ForeignKey(
        "disclosure.DepartmentPage",
        verbose_name=_("部门"),
        on_delete=models.PROTECT,
        related_name="outgoing_numbers",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("发文字号"), max_length=60, unique=True)
    filing = models.ForeignKey(
        "inbox.Filing",
        verbose_name=_("办件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outgoing_numbers",
    )
    subject = models.CharField(_("文件标题"), max_length=255)
    issued_at = models.DateTimeField(_("发文时间"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作废人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    void_reason = models.TextField(_("作废原因"), blank=True)

    class Meta:
        verbose_name = _("发文登记")
        verbose_name_plural = _("发文登记")
        ordering = ["-year", "document_type", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "year", "sequence"],
                name="unique_outgoing_sequence",
            )
        ]

    def __str__(self):
        return self.number

    @property
    def is_void(self):
        return self.voided_at is not None
