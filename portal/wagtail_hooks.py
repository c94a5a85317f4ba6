"""Wagtail admin registrations of the shared `portal` app: the working-day calendar,
the security logs, bulk actions and page moves kept to the user's scope, and the
account area's two-factor and session pages, yes/no values in words and the
accessible names Wagtail's own widgets lack."""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.fields import register_display_class
from wagtail.admin.views.pages.bulk_actions.delete import (
    DeleteBulkAction as PageDeleteBulkAction,
)
from wagtail.admin.views.pages.bulk_actions.move import MoveBulkAction
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction
from wagtail.admin.views.pages.bulk_actions.unpublish import UnpublishBulkAction
from wagtail.admin.widgets import Button
from wagtail.snippets.bulk_actions.delete import (
    DeleteBulkAction as SnippetDeleteBulkAction,
)
from wagtail.snippets.models import register_snippet

from portal import staff_sessions, two_factor
from portal.columns import YesNoDisplay
from portal.scope import scoped_bulk_action
from portal.views import (
    BackgroundJobViewSet,
    OutgoingMessageViewSet,
    SecurityViewSetGroup,
    WorkdayCalendarViewSetGroup,
)

register_snippet(WorkdayCalendarViewSetGroup)
register_display_class(models.BooleanField, display_class=YesNoDisplay)


@hooks.register("insert_global_admin_js")
def admin_names_js():
    """Names for the controls Wagtail renders without one (tag and upload inputs,
    the minimap's list); see the script."""
    return format_html('<script src="{}"></script>', static("portal/js/admin_names.js"))


@hooks.register("insert_global_admin_css")
def admin_css():
    href = static("portal/css/admin.css")
    return format_html('<link rel="stylesheet" href="{}">', href)


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
        "help_text": _("用手机验证器应用保护您的账号，查看或重新生成恢复码。"),
    }


@hooks.register("register_account_menu_item")
def sessions_menu_item(request):
    return {
        "url": reverse("portal_staff_sessions"),
        "label": _("登录会话"),
        "help_text": _("查看账号在哪些浏览器登录，结束其他会话。"),
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


@hooks.register("register_admin_viewset")
def register_background_job_viewset():
    return BackgroundJobViewSet("background_jobs")


# After Wagtail's own registrations (order 0), so these replace them: their
# confirmation page must not name objects out of the user's scope.
for _action in (
    PageDeleteBulkAction,
    MoveBulkAction,
    PublishBulkAction,
    UnpublishBulkAction,
    SnippetDeleteBulkAction,
):
    hooks.register("register_bulk_action", scoped_bulk_action(_action), order=1)


@hooks.register("before_move_page")
def refuse_moves_out_of_scope(request, page, destination):
    """Wagtail's move confirmation shows the page before checking permissions."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied
