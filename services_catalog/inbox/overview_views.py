"""The provincial government office's overview (省政府办公厅政务公开办, 第十点) in
the admin: every department side by side for a chosen month (`overview`), as a
chart (inline SVG bars of the on-time rate and the rating average) and a table,
and a workbook of the last twelve months. Read-only; shown to holders of
`inbox.view_overview` (the provincial role) and superusers. Figures only: no link
leads to a case, which the provincial office cannot open anyway."""

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from openpyxl import Workbook
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from services_catalog.inbox import overview
from services_catalog.inbox.access import OVERVIEW_PERM
from services_catalog.inbox.exports import new_sheet, xlsx_response

COLUMNS = [
    # (heading, attribute of DepartmentFigures)
    (gettext_lazy("月份"), "month_label"),
    (gettext_lazy("部门代码"), "code"),
    (gettext_lazy("部门"), "name"),
    (gettext_lazy("已公布实施办法"), "measures_published"),
    (gettext_lazy("已公布服务承诺"), "commitments_published"),
    (gettext_lazy("事项数"), "items"),
    (gettext_lazy("办结件数"), "completed"),
    (gettext_lazy("按期办结率（%）"), "on_time_rate"),
    (gettext_lazy("平均办理用时（工作日）"), "average_handling_days"),
    (gettext_lazy("当前超期件数"), "overdue"),
    (gettext_lazy("投诉件数"), "complaints"),
    (gettext_lazy("评价数"), "ratings"),
    (gettext_lazy("评价平均分"), "rating_average"),
    (gettext_lazy("差评数"), "bad_ratings"),
    (gettext_lazy("差评整改率（%）"), "follow_up_rate"),
]


def may_view(user):
    return user.is_active and (user.is_superuser or user.has_perm(OVERVIEW_PERM))


def _check(request):
    if not may_view(request.user):
        raise PermissionDenied


class OverviewView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "inbox/admin/overview.html"
    page_title = gettext_lazy("各部门总览")
    header_icon = "table"
    viewset = None

    def dispatch(self, request, *args, **kwargs):
        _check(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        month = overview.parse_month(self.request.GET.get("month"), today)
        return super().get_context_data(
            month=month,
            months=overview.months_offered(today),
            rows=overview.overview(month, today),
            bar_width=overview.BAR_WIDTH,
            **kwargs,
        )


class OverviewExportView(View):
    """The last twelve months of every department (XLSX)."""

    viewset = None

    def get(self, request):
        _check(request)
        today = timezone.localdate()
        workbook = Workbook()
        workbook.remove(workbook.active)
        sheet = new_sheet(
            workbook, _("各部门月度总览"), [heading for heading, _key in COLUMNS]
        )
        for month in reversed(overview.months_offered(today)):
            for row in overview.overview(month, today):
                figures = row.as_dict()
                figures["month_label"] = figures["month"]
                sheet.append([_cell(figures[key]) for _heading, key in COLUMNS])
        return xlsx_response(workbook, f"bumen-zonglan-{today:%Y%m}.xlsx")


def _cell(value):
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return value


class OverviewMenuItem(MenuItem):
    def is_shown(self, request):
        return may_view(request.user)


class OverviewViewSet(ViewSet):
    name = "provincial_overview"
    url_prefix = "zonglan"
    icon = "table"
    menu_label = gettext_lazy("各部门总览")
    menu_item_class = OverviewMenuItem
    menu_order = 151
    add_to_admin_menu = True

    def get_urlpatterns(self):
        return [
            path("", OverviewView.as_view(viewset=self), name="index"),
            path(
                "zonglan.xlsx", OverviewExportView.as_view(viewset=self), name="export"
            ),
        ]
