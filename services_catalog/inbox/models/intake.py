"""Intake and handling of a filing (收发文窗口, DESIGN §5): what an applicant files,
what the window and the divisions do with it.

- `Filing` — one application for one service item, with the applicant's details,
  its state (written only by `services_catalog.inbox.workflow`) and its clock.
- `FilingMaterial` — the pre-review checklist: one row per material of the item.
- `FilingUpload` — a file the applicant or the window handed in, kept in private
  storage. Before the online form is accepted, uploads wait keyed by the form token
  so that a form with an error keeps the files already accepted.
- `SupplementRequest` — the one-time notice (一次性告知书) listing every missing item.
- `FilingEvent` — the case timeline; public events appear in the applicant's lookup.
- `TrackingCounter` — the last tracking number issued per department and day (and
  per department and day for consultations, under `{DEPT}-ZX`).
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.encryption import EncryptedCharField
from portal.uploads import private_storage
from services_catalog.inbox.uploads import inbox_path
from services_catalog.inbox.wording import ACTION_LABELS, say


class FilingState(models.TextChoices):
    """Filing states (DESIGN §5); `workflow.TRANSITIONS` says which lead where."""

    SUBMITTED = "submitted", _("已提交，待预审")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("待补正材料")
    REFUSED = "refused", _("不予受理")
    ACCEPTED = "accepted", _("已受理")
    ASSIGNED = "assigned", _("已批办")
    IN_PROGRESS = "in_progress", _("办理中")
    SUSPENDED = "suspended", _("特别程序中（暂停计时）")
    COMPLETED = "completed", _("已办结")
    ISSUED = "issued", _("已发文")
    COLLECTED = "collected", _("已领取")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_STATES = (
    FilingState.SUBMITTED,
    FilingState.SUPPLEMENT_REQUESTED,
    FilingState.ACCEPTED,
    FilingState.ASSIGNED,
    FilingState.IN_PROGRESS,
    FilingState.SUSPENDED,
)
"""States of a filing that is not finished yet."""

CLOCK_STATES = (
    FilingState.ACCEPTED,
    FilingState.ASSIGNED,
    FilingState.IN_PROGRESS,
)
"""States in which the time limit is running (accepted, not completed, not paused)."""

EXTENDABLE_STATES = (*CLOCK_STATES, FilingState.SUSPENDED)
"""States in which the statutory limit may be extended (行政许可法第四十二条)."""

DONE_STATES = (FilingState.COMPLETED, FilingState.ISSUED, FilingState.COLLECTED)


class Decision(models.TextChoices):
    APPROVED = "approved", _("准予")
    DENIED = "denied", _("不予批准")


class Delivery(models.TextChoices):
    PICKUP = "pickup", _("窗口领取")
    MAIL = "mail", _("邮寄送达")


class ApplicantType(models.TextChoices):
    PERSON = "person", _("自然人")
    ORGANISATION = "organisation", _("法人或其他组织")


class Channel(models.TextChoices):
    ONLINE = "online", _("网上申请")
    WINDOW = "window", _("窗口收件")


class MaterialStatus(models.TextChoices):
    PENDING = "pending", _("待预审")
    RECEIVED = "received", _("已收取")
    MISSING = "missing", _("缺少")
    NOT_ACCEPTABLE = "not_acceptable", _("不符合要求")


class Filing(models.Model):
    """One application (办件) for a service item, from intake to its result."""

    # A case is not content: the item page's usage listing must not show the
    # applicants' cases, and no save of a filing needs a reference-index task.
    wagtail_reference_index_ignore = True

    item = models.ForeignKey(
        "services_catalog.ServiceItemPage",
        verbose_name=_("办理事项"),
        on_delete=models.PROTECT,
        related_name="filings",
    )
    department = models.ForeignKey(
        "disclosure.DepartmentPage",
        verbose_name=_("受理部门"),
        on_delete=models.PROTECT,
        related_name="filings",
        help_text=_("事项所属部门；决定哪个窗口处理本件。"),
    )
    tracking_number = models.CharField(_("受理编号"), max_length=32, unique=True)
    access_code_hash = models.CharField(_("查询码摘要"), max_length=128)
    form_token = models.UUIDField(
        _("表单令牌"),
        unique=True,
        null=True,
        blank=True,
        help_text=_("网上申请表单的一次性令牌；重复提交同一表单只产生一件。"),
    )
    channel = models.CharField(
        _("收件方式"), max_length=16, choices=Channel.choices, default=Channel.ONLINE
    )
    state = models.CharField(
        _("状态"),
        max_length=32,
        choices=FilingState.choices,
        default=FilingState.SUBMITTED,
        db_index=True,
    )
    version = models.PositiveIntegerField(
        _("版本"), default=0, help_text=_("每次状态变化加一，防止两人同时处理。")
    )

    applicant_type = models.CharField(
        _("申请人类型"), max_length=16, choices=ApplicantType.choices
    )
    applicant_name = models.CharField(_("申请人名称"), max_length=100)
    id_number = EncryptedCharField(
        _("证件号码"),
        max_length=18,
        hash_field="id_number_hash",
        help_text=_("居民身份证号码或统一社会信用代码；加密存储。"),
    )
    id_number_hash = models.CharField(
        _("证件号码摘要"),
        max_length=64,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("按证件号码精确查找用的密钥摘要。"),
    )
    mobile = models.CharField(_("手机号码"), max_length=11)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通讯地址"), max_length=255)
    statement = models.TextField(_("申请事项说明"), blank=True)

    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    supplemented_at = models.DateTimeField(_("最近补正时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("受理决定时间"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    promised_due_date = models.DateField(_("承诺办结日期"), null=True, blank=True)
    statutory_due_date = models.DateField(_("法定办结日期"), null=True, blank=True)
    due_dates_confirmed = models.BooleanField(
        _("到期日已按公布的节假日安排核定"), default=True
    )
    clock_pauses = models.JSONField(
        _("停止计时期间"),
        default=list,
        blank=True,
        help_text=_("[[首日，末日或 null], …]（ISO 日期）；补正、特别程序期间不计时。"),
    )
    refusal_reason = models.TextField(_("不予受理理由"), blank=True)
    refusal_basis = models.TextField(_("不予受理依据"), blank=True)
    received_on = models.DateField(
        _("收到材料日期"),
        null=True,
        blank=True,
        help_text=_("窗口收到申请材料（或补正材料）之日；预审期限从此日起算。"),
    )
    pre_review_due_date = models.DateField(
        _("预审期限"),
        null=True,
        blank=True,
        help_text=_(
            "收到材料后 5 个工作日内受理、不予受理或一次性告知补正；"
            "逾期未告知的视为受理（行政许可法第三十二条）。"
        ),
    )
    deemed_accepted = models.BooleanField(
        _("视为受理"),
        default=False,
        help_text=_("预审逾期未告知，自收到申请材料之日起即为受理。"),
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Instruction (批办) and handling
    lead_division = models.ForeignKey(
        "disclosure.DivisionPage",
        verbose_name=_("牵头主办处室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_filings",
    )
    co_divisions = models.ManyToManyField(
        "disclosure.DivisionPage",
        verbose_name=_("协办处室"),
        blank=True,
        related_name="co_filings",
    )
    instruction = models.TextField(_("批办意见"), blank=True)
    instructed_at = models.DateTimeField(_("批办时间"), null=True, blank=True)
    suspension_reason = models.TextField(_("特别程序事由"), blank=True)
    extended_days = models.PositiveSmallIntegerField(
        _("延长办理期限（工作日）"),
        default=0,
        help_text=_(
            "经本部门负责人批准延长的工作日数（行政许可法第四十二条），只能延长一次。"
        ),
    )
    extension_reason = models.TextField(_("延长期限理由"), blank=True)
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("延长期限批准人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    extension_approved_at = models.DateTimeField(
        _("延长期限批准时间"), null=True, blank=True
    )

    # Completion (办结) and issuing (发文)
    decision = models.CharField(
        _("办理决定"), max_length=16, choices=Decision.choices, blank=True
    )
    decision_reason = models.TextField(_("决定理由"), blank=True)
    outgoing_number = models.CharField(_("发文字号"), max_length=60, blank=True)
    result_document = models.FileField(
        _("办理结果文书"),
        upload_to=inbox_path,
        storage=private_storage,
        max_length=255,
        blank=True,
    )
    result_document_name = models.CharField(
        _("结果文书文件名"), max_length=120, blank=True
    )
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    completed_on = models.DateField(_("办结日期"), null=True, blank=True)
    handling_workdays = models.PositiveIntegerField(
        _("办理用时（工作日）"),
        null=True,
        blank=True,
        help_text=_("受理次日至办结日的工作日数，不含暂停计时的日子。"),
    )
    completed_on_time = models.BooleanField(_("按期办结"), null=True, blank=True)
    issue_due_date = models.DateField(
        _("颁发送达期限"),
        null=True,
        blank=True,
        help_text=_(
            "作出准予决定之日起 10 个工作日内颁发、送达（行政许可法第四十四条）。"
        ),
    )
    delivery = models.CharField(
        _("送达方式"), max_length=16, choices=Delivery.choices, blank=True
    )
    mail_carrier = models.CharField(_("寄递单位"), max_length=60, blank=True)
    mail_tracking_number = models.CharField(_("邮件单号"), max_length=60, blank=True)
    issued_at = models.DateTimeField(_("发文时间"), null=True, blank=True)
    collected_at = models.DateTimeField(_("领取/签收时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["department", "state", "submitted_at"]),
            models.Index(fields=["department", "state", "promised_due_date"]),
            models.Index(fields=["department", "state", "pre_review_due_date"]),
            # The supervision dashboard (`inbox.supervision`) reads each of its
            # figures from one of these without touching the filings' rows: the
            # clocks of the open filings, six months of completions, the
            # division of each rated filing, and its lists in due-date order.
            models.Index(
                fields=[
                    "department",
                    "state",
                    "lead_division",
                    "pre_review_due_date",
                    "promised_due_date",
                    "issue_due_date",
                    "extended_days",
                ],
                name="inbox_filing_board_clocks",
            ),
            models.Index(
                fields=[
                    "department",
                    "completed_on",
                    "lead_division",
                    "completed_on_time",
                    "handling_workdays",
                    # For the board's ratings of the same months, joined on it
                    # (SQLite's indexes hold it anyway, PostgreSQL's do not).
                    "id",
                ],
                name="inbox_filing_board_months",
            ),
            models.Index(
                fields=["id", "department", "lead_division"],
                name="inbox_filing_board_ratings",
            ),
            models.Index(
                fields=["department", "promised_due_date"],
                condition=models.Q(state__in=CLOCK_STATES),
                name="inbox_filing_handling_due",
            ),
            models.Index(fields=["department", "state", "issue_due_date"]),
            models.Index(
                fields=["department", "statutory_due_date"],
                condition=models.Q(extended_days__gt=0),
                name="inbox_filing_extended_due",
            ),
        ]
        permissions = [
            ("instruct_filing", _("批办办件")),
            ("extend_filing", _("批准延长办理期限")),
            ("handle_filing", _("承办办件")),
            ("supervise_filing", _("督办办件")),
            ("view_overview", _("查看各部门总览（省政府办公厅）")),
        ]

    def __str__(self):
        return f"{self.tracking_number} {self.item.title}"

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    def pause_periods(self):
        """`clock_pauses` as (first, last) date pairs for `portal.workdays`."""
        return [
            (
                datetime.date.fromisoformat(first),
                datetime.date.fromisoformat(last) if last else None,
            )
            for first, last in self.clock_pauses
        ]

    @property
    def is_extended(self):
        return self.extended_days > 0

    def current_supplement_request(self):
        if self.state != FilingState.SUPPLEMENT_REQUESTED:
            return None
        return self.supplement_requests.order_by("-created_at").first()


class FilingMaterial(models.Model):
    """One line of the pre-review checklist: a material of the item and its status."""

    filing = models.ForeignKey(
        Filing, on_delete=models.CASCADE, related_name="materials"
    )
    item_material = models.ForeignKey(
        "services_catalog.ServiceItemMaterial",
        verbose_name=_("事项材料"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("材料名称"), max_length=255)
    required = models.BooleanField(_("必需"), default=True)
    status = models.CharField(
        _("预审结果"),
        max_length=16,
        choices=MaterialStatus.choices,
        default=MaterialStatus.PENDING,
    )
    note = models.CharField(_("说明"), max_length=500, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("办件材料")
        verbose_name_plural = _("办件材料")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name


class UploadSource(models.TextChoices):
    ONLINE = "online", _("网上提交")
    WINDOW = "window", _("窗口扫描")
    SUPPLEMENT = "supplement", _("补正提交")


class FilingUpload(models.Model):
    """A file of a filing, in private storage; served only by the download view."""

    filing = models.ForeignKey(
        Filing,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="uploads",
    )
    form_token = models.UUIDField(
        _("表单令牌"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("提交前暂存的文件属于哪个表单。"),
    )
    material = models.ForeignKey(
        FilingMaterial,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uploads",
    )
    item_material = models.ForeignKey(
        "services_catalog.ServiceItemMaterial",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("上传栏对应的事项材料；空表示其他附件。"),
    )
    file = models.FileField(
        _("文件"), upload_to=inbox_path, storage=private_storage, max_length=255
    )
    original_name = models.CharField(_("文件名"), max_length=120)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    source = models.CharField(_("来源"), max_length=16, choices=UploadSource.choices)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("办件附件")
        verbose_name_plural = _("办件附件")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class SupplementRequest(models.Model):
    """The one-time notice (一次性告知书): everything missing, listed at once."""

    filing = models.ForeignKey(
        Filing, on_delete=models.CASCADE, related_name="supplement_requests"
    )
    items = models.JSONField(
        _("需补正的材料"), default=list, help_text=_("[{name, status, note}, …]")
    )
    note = models.TextField(_("补充说明"), blank=True)
    created_at = models.DateTimeField(_("告知时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("补正时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("一次性告知书")
        verbose_name_plural = _("一次性告知书")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filing.tracking_number} 一次性告知书"


class FilingEvent(models.Model):
    """One step of the case timeline (written by the workflow module)."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人名称"), max_length=100)
    action = models.CharField(_("操作"), max_length=40)
    from_state = models.CharField(_("原状态"), max_length=32, blank=True)
    to_state = models.CharField(_("新状态"), max_length=32)
    comment = models.TextField(_("说明"), blank=True)
    wording = models.JSONField(
        _("说明的措辞"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("系统生成的说明的原文和取值，用于按读者的语言显示说明。"),
    )
    public = models.BooleanField(_("申请人可见"), default=True)

    class Meta:
        verbose_name = _("办件记录")
        verbose_name_plural = _("办件记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.filing.tracking_number} {self.action}"

    @property
    def action_label(self):
        """The action's name in the user's language; unknown codes as they are."""
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def public_comment(self):
        """The comment in the reader's language when the workflow wrote it
        (`wording`), as it was written otherwise (what staff typed)."""
        return say(self.wording) if self.wording else self.comment

    @staticmethod
    def _state_label(code):
        return FilingState(code).label if code in FilingState.values else code

    @property
    def from_state_label(self):
        return self._state_label(self.from_state)

    @property
    def to_state_label(self):
        return self._state_label(self.to_state)


class TrackingCounter(models.Model):
    """The last sequence number issued for a department on a day."""

    department_code = models.CharField(
        _("部门代码"),
        max_length=16,
        help_text=_("办件为部门代码，咨询为“部门代码-ZX”。"),
    )
    day = models.DateField(_("日期"))
    last_number = models.PositiveIntegerField(_("最后编号"), default=0)

    class Meta:
        verbose_name = _("受理编号计数器")
        verbose_name_plural = _("受理编号计数器")
        constraints = [
            models.UniqueConstraint(
                fields=["department_code", "day"], name="unique_tracking_counter"
            )
        ]

    def __str__(self):
        return f"{self.department_code}-{self.day:%Y%m%d}: {self.last_number}"
