"""Public views shared by the whole site (error pages, the rate-limit answer) and the
admin viewsets of the working-day calendar (工作日历, DESIGN §8)."""

import django_filters
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from portal.models import WorkdayOverride, WorkdayYear


def rate_limited(request, exception=None):
    """Answer a request that hit a rate limit, in plain language."""
    return render(
        request,
        "portal/rate_limited.html",
        {"message": _("操作过于频繁,请稍后再试。")},
        status=429,
    )


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
        BooleanColumn(
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
        BooleanColumn(
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
