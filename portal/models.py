"""Shared models: staff users, the home page, site-wide contact and privacy settings,
the working-day calendar's editable data, and the security records of DESIGN §10
(security audit log, personal-data access log, staff sessions, password history), the
outbox of notices and the background jobs that must not be lost."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.blocks import QuickLinkBlock
from portal.ratelimits import client_address
from portal.routing import PrefetchedRouteMixin
from portal.shared import SharedSiteSetting


class User(AbstractUser):
    """A staff member. Department and division membership are added by `disclosure`."""

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")


class HomePage(PrefetchedRouteMixin, Page):
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
    # By model string: the portal imports no domain app.
    subpage_types = [
        "disclosure.DepartmentPage",
        "disclosure.ContentPage",
        "services_catalog.ServiceCatalogPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("首页")
        verbose_name_plural = _("首页")


@register_setting(icon="site")
class ContactSettings(SharedSiteSetting):
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
        help_text=_("例如：工作日 上午 8:30—11:30，下午 13:30—17:00"),
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
        help_text=_("勾选表示该日上班（如周末调休上班）；不勾选表示该日放假。"),
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
        help_text=_("国务院办公厅已公布该年节假日安排，且已核对调整表。"),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    panels = [FieldPanel("year"), FieldPanel("confirmed"), FieldPanel("note")]

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度节假日安排")
        verbose_name_plural = _("年度节假日安排")

    def __str__(self):
        state = _("已确认") if self.confirmed else _("未确认（估算）")
        return f"{self.year} {state}"

    def clean(self):
        if not 1990 <= self.year <= 2100:
            raise ValidationError({"year": _("年份应在 1990 至 2100 之间。")})


@register_setting(icon="lock")
class PrivacyNoticeSettings(SharedSiteSetting):
    """The privacy notice (个人信息保护声明) every public form links to and its consent
    box names: what is collected, for what purpose, how long it is kept and whom to
    ask (PIPL art. 17). Edited by editors under Settings; shown at /privacy/."""

    title = models.CharField(_("标题"), max_length=60, default="个人信息保护声明")
    body = RichTextField(
        _("正文"),
        blank=True,
        help_text=_("说明收集哪些个人信息、用于什么目的、保存多久、如何查询和更正。"),
    )
    contact = models.CharField(
        _("个人信息保护联系人"),
        max_length=255,
        blank=True,
        help_text=_("受理查询、更正和删除请求的部门及电话。"),
    )
    updated_on = models.DateField(_("更新日期"), null=True, blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("body"),
        FieldPanel("contact"),
        FieldPanel("updated_on"),
    ]

    class Meta:
        verbose_name = _("个人信息保护声明")


@register_setting(icon="link")
class QuickLinksSettings(SharedSiteSetting):
    """The home page's quick links (便民服务), edited by editors under Settings.
    Left empty, the home page shows the links the apps declare
    (`portal.quick_links`)."""

    links = StreamField(
        [("link", QuickLinkBlock())],
        blank=True,
        verbose_name=_("便民服务链接"),
        help_text=_("留空则显示默认链接：办事指南、部门信息、领导接访等。"),
    )

    panels = [FieldPanel("links")]

    class Meta:
        verbose_name = _("首页便民服务")


def _request_address(request):
    return (client_address(request) or None) if request is not None else None


class SecurityEvent(models.Model):
    """One entry of the security audit log (安全审计日志, 等保 2.0): sign-ins,
    two-factor changes, sessions, passwords, group and permission changes. Written
    by `portal.security`; listed for administrators in the admin."""

    # Audit entries are not "uses" of the user they name, and indexing them would
    # write to the reference index inside every sign-in (and inside the test
    # database's restore, where the group permissions it loads are logged).
    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        LOGIN = "login", _("登录成功")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOGOUT = "logout", _("退出登录")
        SESSION_EXPIRED = "session_expired", _("会话超时结束")
        SESSION_ENDED = "session_ended", _("结束其他会话")
        OTP_VERIFIED = "otp_verified", _("两步验证通过")
        OTP_FAILED = "otp_failed", _("两步验证失败")
        OTP_ADDED = "otp_added", _("启用两步验证")
        OTP_RESET = "otp_reset", _("重置两步验证")
        RECOVERY_CODES = "recovery_codes", _("生成恢复码")
        PASSWORD_CHANGED = "password_changed", _("修改密码")
        GROUPS_CHANGED = "groups_changed", _("用户组变更")
        PERMISSIONS_CHANGED = "permissions_changed", _("权限变更")

    kind = models.CharField(_("事件"), max_length=32, choices=Kind.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(
        _("用户名"),
        max_length=150,
        blank=True,
        help_text=_("登录失败时为输入的用户名。"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    detail = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("安全审计日志")
        verbose_name_plural = _("安全审计日志")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}"

    @classmethod
    def record(cls, kind, request=None, user=None, username="", detail=""):
        """Write one event; the actor is whoever is signed in on `request`."""
        actor = getattr(request, "user", None)
        if actor is not None and not actor.is_authenticated:
            actor = None
        user = user or actor
        return cls.objects.create(
            kind=kind,
            user=user,
            username=username or (user.get_username() if user else ""),
            actor=actor,
            address=_request_address(request),
            detail=detail[:500],
        )


class PersonalDataAccess(models.Model):
    """One entry of the personal-data access log (个人信息访问记录, PIPL): a view of a
    full ID number, a download of uploaded materials or results, an export that
    contains personal data, an applicant's copy of their own data. Listed per record
    and per staff member for supervisors and administrators."""

    class Action(models.TextChoices):
        REVEAL = "reveal", _("查看完整证件号码")
        DOWNLOAD = "download", _("下载材料或结果")
        EXPORT = "export", _("导出含个人信息的列表")
        OWN_COPY = "own_copy", _("申请人下载本人信息副本")

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("工作人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("记录类型"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    object_id = models.CharField(_("记录编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("记录"), max_length=200, blank=True)
    detail = models.CharField(
        _("内容"),
        max_length=500,
        blank=True,
        help_text=_("查看的字段、文件名或导出条件。"),
    )
    address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("个人信息访问记录")
        verbose_name_plural = _("个人信息访问记录")

    def __str__(self):
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"
        )

    @classmethod
    def record(cls, request, action, obj=None, detail=""):
        """Log `action` on `obj` (a model instance, or None for an export) by the
        user of `request` (anonymous for an applicant's own copy)."""
        user = request.user if request.user.is_authenticated else None
        return cls.objects.create(
            user=user,
            action=action,
            content_type=ContentType.objects.get_for_model(obj) if obj else None,
            object_id=str(obj.pk) if obj else "",
            object_repr=str(obj)[:200] if obj else "",
            detail=detail[:500],
            address=_request_address(request),
        )


class StaffSession(models.Model):
    """A signed-in staff session (登录会话), so that its owner can see where else
    they are signed in and end those sessions. Kept by `portal.sessions`."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_sessions",
    )
    started_at = models.DateTimeField(_("登录时间"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("最近活动"), default=timezone.now)
    address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=255, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")

    def __str__(self):
        return f"{self.user} {self.started_at:%Y-%m-%d %H:%M} {self.address or ''}"


class PasswordHistory(models.Model):
    """A password a user had (its hash), so that the last few are not reused and the
    age of the current one is known (`portal.passwords`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="password_history",
    )
    password = models.CharField(max_length=128)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")

    def __str__(self):
        return f"{self.user} {self.changed_at:%Y-%m-%d}"


class OutgoingMessage(models.Model):
    """A notice on its way out (the outbox): an e-mail or a text message to one
    recipient, written in the transaction of the event that causes it and delivered
    by `portal.outbox.deliver` with retries: a mail server that is down loses none."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("电子邮件")
        SMS = "sms", _("短信")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("收件人"), max_length=254)
    subject = models.CharField(_("主题"), max_length=255, blank=True)
    body = models.TextField(_("内容"))
    reference = models.CharField(
        _("关联编号"), max_length=64, blank=True, help_text=_("如受理编号。")
    )
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), default=timezone.now)
    last_error = models.TextField(_("最近一次错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待发通知")
        verbose_name_plural = _("待发通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.get_channel_display()} {self.masked_recipient}: {self.subject}"

    @property
    def masked_recipient(self):
        """The address or mobile with its middle hidden, for lists."""
        if self.channel == self.Channel.SMS:
            value = self.recipient
            return f"{value[:3]}****{value[-4:]}" if len(value) >= 7 else value
        name, _at, domain = self.recipient.partition("@")
        return f"{name[:1]}***@{domain}" if domain else self.recipient


class BackgroundJob(models.Model):
    """Background work that must not be lost (后台任务): a django-tasks task and its
    arguments, written in the transaction of the change that needs it
    (`portal.tasks.enqueue_with_transaction`) and run by the worker through
    `portal.tasks.run_job`, which retries a failure after a growing delay and keeps
    the job as failed, with its error, once the attempts are used up (设置 → 后台任务;
    `manage.py run_jobs --retry-failed` tries those again)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待执行")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    task = models.CharField(
        _("任务"), max_length=200, help_text=_("django-tasks 任务的模块路径。")
    )
    args = models.JSONField(_("参数"), default=list, blank=True)
    reference = models.CharField(
        _("关联"), max_length=100, blank=True, help_text=_("如受理编号。")
    )
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), default=timezone.now)
    last_error = models.TextField(_("最近一次错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.task} {self.reference}".strip()
