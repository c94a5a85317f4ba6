"""Public views shared by the whole site (error pages, the rate-limit answer, the
privacy notice, robots.txt), the admin viewsets of the working-day calendar (工作日历,
DESIGN §8) and the read-only listings of the security audit and personal-data access
logs (DESIGN §10) and of the outbox of notices."""

import django_filters
from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, gettext_lazy
from django.utils.translation import gettext as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Site
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from portal.columns import YesNoColumn
from portal.models import (
    BackgroundJob,
    OutgoingMessage,
    PersonalDataAccess,
    PrivacyNoticeSettings,
    SecurityEvent,
    WorkdayOverride,
    WorkdayYear,
)
from portal.sites import absolute_url

# Staff screens, applicants' cases and the JSON API are not for search engines.
ROBOTS_DISALLOWED = (
    "/admin/",
    "/django-admin/",
    "/banjian/",
    "/api/",
    "/search/",
    "/i18n/",
)
API_PREFIX = "/api/"


def privacy_notice(request):
    """The privacy notice (个人信息保护声明) every public form links to."""
    site = Site.find_for_request(request)
    return render(
        request,
        "portal/privacy_notice.html",
        {
            "notice": PrivacyNoticeSettings.for_site(site),
            "years": settings.RETENTION_DEFAULT_YEARS,
        },
    )


def switch_language(request):
    """The header's language switcher: a plain GET (``?language=en&next=/path/``)
    that sets the language cookie and goes back. No CSRF token is needed, so every
    page can be served from the page cache with the switcher on it; a forged link
    can do no more than change the language."""
    language = request.GET.get("language", "")
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if check_for_language(language) and language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


def error_page(request, status, title, message):
    """The site's branded error page (``handler400``/``handler403``, CSRF failures,
    rate limits), in the visitor's language, with a way back. 404 and 500 have their
    own templates (`404.html`, and a `500.html` that needs no database). Requests to
    the JSON API get the API's error body instead, ``{"detail": message}``."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": str(message)}, status=status)
    referer = request.META.get("HTTP_REFERER", "")
    back_url = (
        referer
        if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()})
        else ""
    )
    return render(
        request,
        "portal/error_page.html",
        {"status": status, "title": title, "message": message, "back_url": back_url},
        status=status,
    )


def bad_request(request, exception=None):
    """400, and 413 for a request over Django's size limits (a huge text field)."""
    if isinstance(exception, RequestDataTooBig):
        return error_page(
            request,
            413,
            _("提交的内容过大"),
            _("您提交的内容超过了允许的大小。请精简文字或压缩附件后重新提交。"),
        )
    if isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)):
        return error_page(
            request,
            413,
            _("提交的内容过多"),
            _("一次提交的栏目或文件过多。请分次提交，或到窗口现场办理。"),
        )
    return error_page(
        request,
        400,
        _("请求有误"),
        _("请求中含有不允许的字符或格式不正确。请检查网址或填写的内容后重试。"),
    )


def permission_denied(request, exception=None):
    return error_page(
        request,
        403,
        _("无权访问"),
        _("您没有访问此页面的权限。工作人员请先登录；申请人请凭受理编号和查询码查询。"),
    )


def csrf_failure(request, reason=""):
    """`CSRF_FAILURE_VIEW`: the form was stale or the browser refused cookies."""
    return error_page(
        request,
        403,
        _("页面已过期"),
        _("表单已过期，或浏览器未允许本站的 Cookie。请返回上一页，刷新后重新提交。"),
    )


def signin_locked(request, response=None, credentials=None):
    """django-axes' answer once an account or an address failed too often (429)."""
    return error_page(
        request,
        429,
        _("登录已暂时锁定"),
        _(
            "密码错误次数过多，该账号或地址已暂时锁定。请稍后再试，或联系系统管理员解除锁定。"
        ),
    )


def rate_limited(request, exception=None):
    """`RATELIMIT_VIEW`: a request over one of `RATELIMITS` (429), in plain language;
    as JSON to a script that asked for JSON (the search box, the captcha refresh)."""
    message = _("操作过于频繁，请稍后再试。")
    if not request.accepts("text/html") and request.accepts("application/json"):
        return JsonResponse({"detail": message}, status=429)
    return error_page(request, 429, _("请稍后再试"), message)


def robots_txt(request):
    """robots.txt: what crawlers may index, and where the sitemap is."""
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOWED]
    lines.append(f"Sitemap: {absolute_url(reverse('sitemap'), request)}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


class WorkdayOverrideFilterSet(WagtailFilterSet):
    date = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("日期"), widget=DateRangePickerWidget
    )

    class Meta:
        model = WorkdayOverride
        fields = ["date", "is_workday"]


class WorkdayOverrideViewSet(SnippetViewSet):
    """Dates whose status differs from the library's calendar (调休, added holidays)."""

    model = WorkdayOverride
    icon = "date"
    menu_label = gettext_lazy("工作日调整")
    menu_name = "workday-overrides"
    list_display = [
        "date",
        YesNoColumn(
            "is_workday", label=gettext_lazy("是否上班"), sort_key="is_workday"
        ),
        "note",
    ]
    filterset_class = WorkdayOverrideFilterSet
    ordering = "-date"
    copy_view_enabled = False


class WorkdayYearViewSet(SnippetViewSet):
    """Which years' holiday schedules are announced and checked (others: estimates)."""

    model = WorkdayYear
    icon = "calendar-check"
    menu_label = gettext_lazy("年度节假日安排")
    menu_name = "workday-years"
    list_display = [
        "year",
        YesNoColumn(
            "confirmed", label=gettext_lazy("安排已确认"), sort_key="confirmed"
        ),
        "note",
    ]
    list_filter = ["confirmed"]
    ordering = "-year"
    copy_view_enabled = False


class WorkdayCalendarViewSetGroup(SnippetViewSetGroup):
    """The 工作日历 menu: overrides and confirmed years, side by side."""

    menu_label = gettext_lazy("工作日历")
    menu_name = "workday-calendar"
    menu_icon = "date"
    menu_order = 800
    items = (WorkdayOverrideViewSet, WorkdayYearViewSet)


class LogPermissionPolicy(ModelPermissionPolicy):
    """Logs are written by the system only: whoever holds the model's view
    permission lists and inspects them; nobody adds, edits or deletes an entry."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, "view")

    def user_has_any_permission(self, user, actions):
        return "view" in actions and super().user_has_permission(user, "view")


class LogViewSet(ModelViewSet):
    """A filtered and exportable listing of a log model, read-only through the
    `LogPermissionPolicy` registered for it in `PortalConfig.ready`."""

    copy_view_enabled = False
    inspect_view_enabled = True
    exclude_form_fields = []  # no entry is ever edited; the policy refuses it
    ordering = ["-at", "-pk"]
    list_per_page = 50


class SecurityEventFilterSet(WagtailFilterSet):
    at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("时间"), widget=DateRangePickerWidget
    )

    class Meta:
        model = SecurityEvent
        fields = ["kind", "at", "user"]


class SecurityEventViewSet(LogViewSet):
    """安全审计日志: sign-ins, two-factor, sessions, passwords, groups, permissions.
    Administrators only (the view permission is granted to no role)."""

    model = SecurityEvent
    icon = "warning"
    menu_label = gettext_lazy("安全审计日志")
    menu_name = "security-events"
    list_display = [
        DateColumn("at", label=gettext_lazy("时间"), sort_key="at"),
        Column("get_kind_display", label=gettext_lazy("事件")),
        "username",
        Column("actor", label=gettext_lazy("操作人")),
        "address",
        "detail",
    ]
    filterset_class = SecurityEventFilterSet
    search_fields = ["username", "detail", "address"]
    list_export = ["at", "get_kind_display", "username", "actor", "address", "detail"]
    export_headings = {
        "at": gettext_lazy("时间"),
        "get_kind_display": gettext_lazy("事件"),
        "username": gettext_lazy("用户名"),
        "actor": gettext_lazy("操作人"),
        "address": gettext_lazy("IP 地址"),
        "detail": gettext_lazy("说明"),
    }
    export_filename = "security-events"


class PersonalDataAccessFilterSet(WagtailFilterSet):
    at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("时间"), widget=DateRangePickerWidget
    )

    class Meta:
        model = PersonalDataAccess
        fields = ["action", "at", "user", "content_type", "object_id"]


class PersonalDataAccessViewSet(LogViewSet):
    """个人信息访问记录, per record (search its number, or filter by record type and
    id) and per staff member; for supervisors and administrators."""

    model = PersonalDataAccess
    icon = "view"
    menu_label = gettext_lazy("个人信息访问记录")
    menu_name = "personal-data-access"
    list_display = [
        DateColumn("at", label=gettext_lazy("时间"), sort_key="at"),
        Column("user", label=gettext_lazy("工作人员")),
        Column("get_action_display", label=gettext_lazy("操作")),
        "object_repr",
        "detail",
        "address",
    ]
    filterset_class = PersonalDataAccessFilterSet
    search_fields = ["object_repr", "detail"]
    list_export = [
        "at",
        "user",
        "get_action_display",
        "object_repr",
        "detail",
        "address",
    ]
    export_headings = {
        "at": gettext_lazy("时间"),
        "user": gettext_lazy("工作人员"),
        "get_action_display": gettext_lazy("操作"),
        "object_repr": gettext_lazy("记录"),
        "detail": gettext_lazy("内容"),
        "address": gettext_lazy("IP 地址"),
    }
    export_filename = "personal-data-access"


class SecurityViewSetGroup(ViewSetGroup):
    """The 安全审计 menu."""

    menu_label = gettext_lazy("安全审计")
    menu_name = "security"
    menu_icon = "lock"
    menu_order = 900
    items = (SecurityEventViewSet, PersonalDataAccessViewSet)


class OutgoingMessageViewSet(ModelViewSet):
    """The outbox for staff (设置 → 待发通知): what is waiting, what failed and why.
    Read-only (`LogPermissionPolicy`): the worker delivers and retries;
    `send_notices --retry-failed` restarts the failed ones."""

    model = OutgoingMessage
    icon = "mail"
    menu_label = gettext_lazy("待发通知")
    add_to_settings_menu = True
    list_display = [
        "created_at",
        "channel",
        Column("masked_recipient", label=gettext_lazy("收件人")),
        "subject",
        "reference",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
    ]
    list_filter = ["status", "channel"]
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields = []  # never edited; the policy refuses it
    inspect_view_fields = [
        "channel",
        "subject",
        "body",
        "reference",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
    ]


class BackgroundJobViewSet(ModelViewSet):
    """Background jobs for staff (设置 → 后台任务): what waits, what failed and why.
    Read-only (`LogPermissionPolicy`): the worker runs and retries them;
    `run_jobs --retry-failed` restarts the failed ones."""

    model = BackgroundJob
    icon = "cogs"
    menu_label = gettext_lazy("后台任务")
    add_to_settings_menu = True
    list_display = [
        "created_at",
        "task",
        "reference",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
    ]
    list_filter = ["status", "task"]
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields = []  # never edited; the policy refuses it
    inspect_view_fields = [
        "task",
        "args",
        "reference",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "finished_at",
    ]
