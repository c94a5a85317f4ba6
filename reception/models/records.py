"""Reception records (接访记录, DESIGN §6): what a leader on duty heard and did.

The window clerk enters every reception in the admin; the visitor's name and contact
stay private, and their ID number is stored encrypted with a keyed hash for look-up
(`reception.personal_data`). A record marked public shows a redacted summary (matter
and result, with names, ID numbers, phone numbers and e-mail addresses removed by
`portal.redaction`) on the department's reception page. Attachments are checked,
named and kept like the inbox's uploads (`portal.uploads`: the private storage, a
random name) and served only to staff of the record's department.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)

from portal.encryption import EncryptedCharField
from portal.masking import mask_personal_text
from portal.redaction import redact
from portal.uploads import (
    PrivatePath,
    detect_type,
    private_storage,
    sanitise_name,
    validate_upload,
)
from reception.personal_data import RECORD_TEXT_FIELDS, separate_id_numbers
from reception.widgets import PrivateFileInput


class ReceptionRecordQuerySet(models.QuerySet):
    def of_department(self, department):
        return self.filter(department=department)

    def published(self):
        """Records whose redacted summary is public, newest first."""
        return (
            self.filter(is_public=True)
            .select_related("leader")
            .order_by("-date", "-pk")
        )


class ReceptionRecord(ClusterableModel):
    """One reception by a leader on duty, as the clerk recorded it."""

    class VisitorType(models.TextChoices):
        CITIZEN = "citizen", _("群众")
        ENTERPRISE = "enterprise", _("企业")
        ORGANISATION = "organisation", _("机关事业单位、社会组织")
        OTHER = "other", _("其他")

    class FollowUp(models.TextChoices):
        NONE = "none", _("无需跟进")
        PENDING = "pending", _("待跟进")
        IN_PROGRESS = "in_progress", _("跟进中")
        DONE = "done", _("已办结")

    department = models.ForeignKey(
        "disclosure.DepartmentPage",
        verbose_name=_("部门"),
        on_delete=models.CASCADE,
        related_name="reception_records",
    )
    date = models.DateField(_("接访日期"))
    leader = models.ForeignKey(
        "disclosure.Person",
        verbose_name=_("接访领导"),
        on_delete=models.PROTECT,
        related_name="reception_records",
        limit_choices_to={"is_leader": True},
    )
    visitor_name = models.CharField(
        _("来访人姓名"),
        max_length=60,
        help_text=_("不公开；公开摘要会自动隐去这个姓名。"),
    )
    visitor_contact = models.CharField(
        _("来访人联系方式"),
        max_length=120,
        blank=True,
        help_text=_("电话、地址等，不公开。"),
    )
    visitor_id_number = EncryptedCharField(
        _("来访人身份证号码"),
        max_length=18,
        blank=True,
        hash_field="visitor_id_number_hash",
        help_text=_(
            "不公开；加密保存，列表和导出中只显示前六位和后四位。"
            "填在其他栏目中的身份证号码保存时只保留前六位和后四位。"
        ),
    )
    visitor_id_number_hash = models.CharField(
        _("身份证号码摘要"),
        max_length=64,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("按身份证号码精确查找用的密钥摘要。"),
    )
    visitor_type = models.CharField(
        _("来访人类别"),
        max_length=20,
        choices=VisitorType.choices,
        default=VisitorType.CITIZEN,
    )
    matter = models.TextField(
        _("来访事项"),
        help_text=_("来访人反映的问题或咨询的内容。"),
    )
    result = models.TextField(
        _("处理结果"), blank=True, help_text=_("当场答复的内容或交办、转办情况。")
    )
    follow_up_deadline = models.DateField(
        _("跟进期限"), null=True, blank=True, help_text=_("需要后续办理时填写。")
    )
    follow_up_status = models.CharField(
        _("跟进状态"),
        max_length=20,
        choices=FollowUp.choices,
        default=FollowUp.NONE,
    )
    is_public = models.BooleanField(
        _("公开摘要"),
        default=False,
        help_text=_(
            "勾选后在接访页面公开事项和结果的摘要；姓名、身份证号、电话和邮箱"
            "会自动隐去。"
        ),
    )
    is_archived = models.BooleanField(_("已归档"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    panels = [
        FieldPanel("department"),
        FieldRowPanel([FieldPanel("date"), FieldPanel("leader", widget=forms.Select)]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("visitor_name"), FieldPanel("visitor_type")]),
                FieldRowPanel(
                    [FieldPanel("visitor_id_number"), FieldPanel("visitor_contact")]
                ),
            ],
            heading=_("来访人（不公开）"),
        ),
        FieldPanel("matter"),
        FieldPanel("result"),
        FieldRowPanel(
            [FieldPanel("follow_up_deadline"), FieldPanel("follow_up_status")]
        ),
        FieldRowPanel([FieldPanel("is_public"), FieldPanel("is_archived")]),
        InlinePanel("attachments", heading=_("附件"), label=_("附件")),
    ]

    objects = ReceptionRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("接访记录")
        verbose_name_plural = _("接访记录")
        indexes = [models.Index(fields=["department", "is_public", "-date"])]

    def __str__(self):
        matter = mask_personal_text(self.matter)[:20]
        return f"{self.date:%Y-%m-%d} {self.leader.name} · {matter}"

    def clean(self):
        super().clean()
        if (
            self.follow_up_deadline
            and self.date
            and self.follow_up_deadline < self.date
        ):
            raise ValidationError(
                {"follow_up_deadline": _("跟进期限不能早于接访日期。")}
            )

    def save(self, *args, **kwargs):
        """ID numbers typed into the free text are kept there masked; the first one
        becomes the visitor's (encrypted) ID number when none was given."""
        texts = {name: getattr(self, name) for name in RECORD_TEXT_FIELDS}
        self.visitor_id_number, masked = separate_id_numbers(
            self.visitor_id_number, texts
        )
        for name, text in masked.items():
            setattr(self, name, text)
        super().save(*args, **kwargs)

    def _redact(self, text):
        return redact(text, names=[self.visitor_name], contacts=[self.visitor_contact])

    @property
    def public_matter(self):
        """The matter as the public sees it (personal data removed)."""
        return self._redact(self.matter)

    @property
    def public_result(self):
        """The handling result as the public sees it (personal data removed)."""
        return self._redact(self.result)


class ReceptionRecordAttachment(models.Model):
    """A file kept with a reception record (a letter, a photo of materials)."""

    record = ParentalKey(
        ReceptionRecord,
        verbose_name=_("接访记录"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    title = models.CharField(_("名称"), max_length=120, blank=True)
    file = models.FileField(
        _("文件"),
        storage=private_storage,
        upload_to=PrivatePath("reception"),
        max_length=255,
        validators=[validate_upload],
        help_text=_(
            "PDF、JPG、PNG、OFD、Word 或 Excel 文件，按文件内容判断格式；"
            "只有本部门工作人员可以下载。"
        ),
    )
    original_name = models.CharField(
        _("原文件名"), max_length=120, blank=True, editable=False
    )

    panels = [
        FieldRowPanel(
            [FieldPanel("title"), FieldPanel("file", widget=PrivateFileInput)]
        )
    ]

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            # A new file: keep the sender's name (made safe, ending in its real
            # type) for the download; the storage gets a random one.
            detected = detect_type(self.file.file, self.file.name)
            extension = detected.extension if detected else "bin"
            self.original_name = sanitise_name(self.file.name, extension)
        super().save(*args, **kwargs)

    @property
    def label(self):
        return self.title or self.download_name

    @property
    def download_name(self):
        return self.original_name or self.file.name.rsplit("/", 1)[-1]
