"""Admin registrations of the filing inbox: the window desk's viewset (窗口办公), the
case list viewset (办件), the case and supervision pages, the 发文登记 menu
(`register_admin`), and the audit-log actions the workflow writes."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from services_catalog.inbox import access
from services_catalog.inbox.case_admin import FilingViewSet
from services_catalog.inbox.desk_views import DeskViewSet
from services_catalog.inbox.panels import panels_for
from services_catalog.inbox.register_admin import RegisterViewSetGroup
from services_catalog.inbox.urls import desk_urlpatterns
from services_catalog.inbox.wording import ACTION_LABELS


@hooks.register("register_admin_urls")
def register_desk_urls():
    return [path("chuangkou/", include((desk_urlpatterns, "inbox_desk")))]


@hooks.register("register_admin_viewset")
def register_desk_viewset():
    return DeskViewSet()


class SupervisionMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(access.SUPERVISOR_PERM)


@hooks.register("register_admin_viewset")
def register_case_viewset():
    return FilingViewSet()


@hooks.register("register_admin_menu_item")
def register_supervision_menu_item():
    return SupervisionMenuItem(
        _("监察室"),
        reverse("inbox_desk:dashboard"),
        name="inbox-supervision",
        icon_name="view",
        order=152,
    )


@hooks.register("register_admin_viewset")
def register_outgoing_register():
    return RegisterViewSetGroup()


@hooks.register("register_log_actions")
def register_inbox_log_actions(actions):
    for action, label in ACTION_LABELS.items():
        actions.register_action(f"inbox.{action}", label, label)


@hooks.register("construct_homepage_panels")
def add_inbox_panels(request, panels):
    """Each inbox role's start page: its work, first on the dashboard."""
    panels.extend(panels_for(request.user))
