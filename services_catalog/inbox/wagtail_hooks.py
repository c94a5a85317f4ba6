"""Admin registrations of the filing inbox: the window desk's viewset (窗口办公), the
case list and case page viewset (办件), consultations (咨询), the printed results
and notices, the 监察室 menu group (dashboard, complaints, urging, 差评整改,
accountability), the 发文登记 menu (`register_admin`), the provincial office's
overview, the audit-log actions the workflow, `records` and `consultations` write,
and each role's panels on the admin dashboard."""

from django.urls import include, path
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from services_catalog.inbox import consultations
from services_catalog.inbox.case_admin import FilingViewSet
from services_catalog.inbox.consultation_admin import ConsultationViewSet
from services_catalog.inbox.desk_views import DeskViewSet
from services_catalog.inbox.followup_views import RatingFollowUpViewSet
from services_catalog.inbox.overview_views import OverviewViewSet
from services_catalog.inbox.panels import panels_for
from services_catalog.inbox.records import LOG_ACTIONS
from services_catalog.inbox.register_admin import RegisterViewSetGroup
from services_catalog.inbox.supervision_views import (
    AccountabilityRecordViewSet,
    ComplaintViewSet,
    SupervisionViewSet,
    UrgingNoticeViewSet,
)
from services_catalog.inbox.urls import desk_urlpatterns
from services_catalog.inbox.wording import ACTION_LABELS


class SupervisionViewSetGroup(ViewSetGroup):
    """The 监察室 admin menu."""

    menu_label = gettext_lazy("监察室")
    menu_name = "inbox-supervision"
    menu_icon = "view"
    menu_order = 152
    items = (
        SupervisionViewSet,
        ComplaintViewSet,
        UrgingNoticeViewSet,
        RatingFollowUpViewSet,
        AccountabilityRecordViewSet,
    )


@hooks.register("register_admin_urls")
def register_desk_urls():
    return [path("chuangkou/", include((desk_urlpatterns, "inbox_desk")))]


@hooks.register("register_admin_viewset")
def register_desk_viewset():
    return DeskViewSet()


@hooks.register("register_admin_viewset")
def register_case_viewset():
    return FilingViewSet()


@hooks.register("register_admin_viewset")
def register_supervision_viewsets():
    return SupervisionViewSetGroup()


@hooks.register("register_admin_viewset")
def register_provincial_overview():
    return OverviewViewSet()


@hooks.register("register_admin_viewset")
def register_consultation_viewset():
    return ConsultationViewSet()


@hooks.register("register_admin_viewset")
def register_outgoing_register():
    return RegisterViewSetGroup()


@hooks.register("register_log_actions")
def register_inbox_log_actions(actions):
    for action, label in ACTION_LABELS.items():
        actions.register_action(f"inbox.{action}", label, label)
    for action, label in (LOG_ACTIONS | consultations.LOG_ACTIONS).items():
        actions.register_action(action, label, label)


@hooks.register("construct_homepage_panels")
def add_inbox_panels(request, panels):
    """Each inbox role's start page: its work, first on the dashboard."""
    panels.extend(panels_for(request.user))
