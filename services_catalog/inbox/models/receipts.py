"""The receipt of an online filing as a PDF (回执 PDF), made off the request path.

A `ReceiptPdf` is written with the filing (`receipts.queue_receipt_pdf`) and rendered
by the worker; the file holds the access code, so it is kept encrypted in the private
storage (`portal.encryption`), and until it is rendered the code waits on the row as a
Fernet token, cleared once the file exists. Only the browser that submitted the
filing, which holds the code, downloads it (`views.receipt_download`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.uploads import PrivatePath, private_storage
from services_catalog.inbox.models.intake import Filing


class ReceiptPdf(models.Model):
    """One filing's receipt PDF, pending until the worker has rendered it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("生成中")
        READY = "ready", _("已生成")

    filing = models.OneToOneField(
        Filing, on_delete=models.CASCADE, related_name="receipt_pdf"
    )
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    language = models.CharField(_("语言"), max_length=16)
    access_code = models.TextField(
        _("查询码（加密）"), blank=True, help_text=_("生成后清空。")
    )
    file = models.FileField(
        _("文件（加密）"),
        upload_to=PrivatePath("receipts"),
        storage=private_storage,
        max_length=255,
        blank=True,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("生成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("回执 PDF")
        verbose_name_plural = _("回执 PDF")

    def __str__(self):
        return f"{self.filing.tracking_number} {self.get_status_display()}"
