"""Wagtail admin registrations of the shared `portal` app: the working-day calendar,
the security logs, and the account area's two-factor and session pages."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet

from portal import staff_sessions, two_factor
from portal.views import (
    OutgoingMessageViewSet,
    SecurityViewSetGroup,
    WorkdayCalendarViewSetGroup,
)

register_snippet(WorkdayCalendarViewSetGroup)


@hooks.register("register_admin_viewset")
def register_security_logs():
    return SecurityViewSetGroup()


@hooks.register("register_admin_urls")
def register_account_security_urls():
    return two_factor.urlpatterns + staff_sessions.urlpatterns


@hooks.register("register_account_menu_item")
def two_factor_menu_item(request):
    return {
        "url": reverse("portal_two_factor_setup"),
        "label": _("两步验证"),
        "help_text": _("用手机验证器应用保护您的账号,查看或重新生成恢复码。"),
    }


@hooks.register("register_account_menu_item")
def sessions_menu_item(request):
    return {
        "url": reverse("portal_staff_sessions"),
        "label": _("登录会话"),
        "help_text": _("查看账号在哪些浏览器登录,结束其他会话。"),
    }


@hooks.register("register_user_listing_buttons")
def reset_two_factor_button(user, request_user):
    if request_user.is_superuser:
        yield Button(
            _("重置两步验证"),
            reverse("portal_two_factor_reset", args=[user.pk]),
            icon_name="key",
            priority=60,
        )


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return OutgoingMessageViewSet("outgoing_messages")
