"""The inspection office's dashboard (督办看板): `SupervisionViewSet`, the
department's board (open filings, the pre-review, handling and issuing clocks due
soon and overdue, extended cases, on-time rate, handling time and ratings per
division, `supervision.dashboard`; open and overdue consultations,
`consultations.supervision_board`) and its monthly statistics workbook.

A supervisor sees their own department's board. A superuser without a department
chooses the department (`?department=<code>`, the first one by default), so the
board and the workbook work for the site's administrator too.
"""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from services_catalog.inbox import access, consultations, exports, supervision


def chosen_department(request):
    """(the department whose board is asked for, the departments the user may
    choose from); PermissionDenied for users who supervise none."""
    departments = list(access.supervised_departments(request.user))
    if not departments:
        raise PermissionDenied
    code = request.GET.get("department", "")
    chosen = next((d for d in departments if d.code == code), departments[0])
    return chosen, departments


class DashboardView(WagtailAdminTemplateMixin, TemplateView):
    """监察室: the department's numbers, aggregated in the database (a constant
    number of queries, `supervision.dashboard`)."""

    template_name = "inbox/admin/dashboard.html"
    page_title = gettext_lazy("监察室 · 督办")
    header_icon = "view"
    viewset = None

    def dispatch(self, request, *args, **kwargs):
        self.department, self.departments = chosen_department(request)
        return super().dispatch(request, *args, **kwargs)

    def cases_url(self):
        """The case list's address, to which the board's links add their filters:
        limited to the chosen department when the user's list spans several."""
        query = ""
        if len(self.departments) > 1:
            query = urlencode({"department": self.department.pk}) + "&"
        return f"{reverse('inbox_cases:index')}?{query}"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            department=self.department,
            departments=self.departments,
            cases_url=self.cases_url(),
            board=supervision.dashboard(self.department, today),
            consultation_board=consultations.supervision_board(self.department, today),
            today=today,
            **kwargs,
        )


class StatisticsExportView(View):
    """The department's monthly statistics workbook (XLSX)."""

    viewset = None

    def get(self, request):
        department, _departments = chosen_department(request)
        today = timezone.localdate()
        return exports.xlsx_response(
            exports.statistics_workbook(department, today),
            f"tongji-{department.code}-{today:%Y%m}.xlsx",
        )


class SupervisorMenuItem(MenuItem):
    def is_shown(self, request):
        return access.supervised_departments(request.user).exists()


class SupervisionViewSet(ViewSet):
    name = "supervision"
    url_prefix = "jiancha"
    icon = "view"
    menu_label = gettext_lazy("督办看板")
    menu_item_class = SupervisorMenuItem

    def get_urlpatterns(self):
        return [
            path("", DashboardView.as_view(viewset=self), name="dashboard"),
            path(
                "tongji.xlsx",
                StatisticsExportView.as_view(viewset=self),
                name="statistics",
            ),
        ]
