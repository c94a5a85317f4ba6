"""The follow-up of bad ratings in the inspection office's admin (差评整改, 监察室).

`RatingFollowUpViewSet` lists the department's follow-ups (filters: status,
division, overdue; sorting; export), shows one with its rating and filing, and
its edit view is the handling form, written by `records.handle_follow_up` with the
version the form carried. Follow-ups are opened by the rating itself, never by
hand, so there is no add view. Every view is limited to the user's scope by
`portal.scope.ScopedViewSetMixin` (the department policy of `inbox.permissions`).
"""

import django_filters
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView, InspectView

from portal.personal_data import PersonalDataExportMixin
from services_catalog.inbox import records
from services_catalog.inbox.models import RatingFollowUp
from services_catalog.inbox.supervision_forms import FollowUpForm
from services_catalog.inbox.supervision_views import (
    DivisionFilterSet,
    RecordEditView,
    RecordViewSet,
)

HANDLING_FIELDS = ("status", "contact_note", "findings", "rectification", "reply")


class FollowUpFilterSet(DivisionFilterSet):
    overdue = django_filters.BooleanFilter(
        label=gettext_lazy("回访已超期"), method="filter_overdue"
    )

    class Meta:
        model = RatingFollowUp
        fields = ["status", "division", "overdue"]

    def filter_overdue(self, queryset, name, value):
        condition = RatingFollowUp.overdue_q(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)


class FollowUpIndexView(PersonalDataExportMixin, IndexView):
    """The export holds the applicants' comments: logged like every export."""


class FollowUpInspectView(InspectView):
    def get_rating_display_value(self):
        rating = self.object.rating
        parts = (
            rating.filing.tracking_number,
            rating.get_score_display(),
            rating.comment or "—",
        )
        return " · ".join(str(part) for part in parts)


class FollowUpEditView(RecordEditView):
    page_title = gettext_lazy("处理差评整改")
    success_message = gettext_lazy("差评整改情况已保存。")
    submit_button_label = gettext_lazy("保存整改情况")

    def write(self, form):
        data = form.cleaned_data
        return records.handle_follow_up(
            self.object,
            self.request.user,
            data["version"],
            **{name: data[name] for name in HANDLING_FIELDS},
        )


class RatingFollowUpViewSet(RecordViewSet):
    """Follow-ups of bad ratings (差评整改), handled by the inspection office."""

    model = RatingFollowUp
    name = "rating_follow_ups"
    url_prefix = "jiancha/chaping"
    icon = "warning"
    menu_label = gettext_lazy("差评整改")
    select_related = ["rating__filing__item", "division"]
    list_display = [
        "__str__",
        DateColumn("opened_at", label=gettext_lazy("收到差评"), sort_key="opened_at"),
        Column("division", label=gettext_lazy("承办处室")),
        Column("score", label=gettext_lazy("评分"), accessor="rating.score"),
        DateColumn(
            "contact_due", label=gettext_lazy("回访期限"), sort_key="contact_due"
        ),
        Column("status", label=gettext_lazy("状态"), accessor="get_status_display"),
        Column("overdue", label=gettext_lazy("超期"), accessor="overdue_label"),
    ]
    filterset_class = FollowUpFilterSet
    search_fields = ["contact_note", "findings", "rectification", "reply"]
    ordering = ["contact_due", "-pk"]
    index_view_class = FollowUpIndexView
    edit_view_class = FollowUpEditView
    inspect_view_class = FollowUpInspectView
    inspect_view_fields = [
        "rating",
        "opened_at",
        "division",
        "contact_due",
        "status",
        "contacted_at",
        "contact_note",
        "findings",
        "rectification",
        "reply",
        "handled_by",
        "closed_at",
    ]
    list_export = [
        "pk",
        "rating.filing.tracking_number",
        "rating.score",
        "rating.comment",
        "opened_at",
        "division",
        "contact_due",
        "get_status_display",
        "contacted_at",
        "findings",
        "rectification",
        "closed_at",
    ]
    export_headings = {
        "pk": gettext_lazy("编号"),
        "rating.filing.tracking_number": gettext_lazy("受理编号"),
        "rating.score": gettext_lazy("评分"),
        "rating.comment": gettext_lazy("评价"),
        "opened_at": gettext_lazy("收到差评时间"),
        "division": gettext_lazy("承办处室"),
        "contact_due": gettext_lazy("回访期限"),
        "get_status_display": gettext_lazy("状态"),
        "contacted_at": gettext_lazy("联系申请人时间"),
        "findings": gettext_lazy("核查情况"),
        "rectification": gettext_lazy("整改措施"),
        "closed_at": gettext_lazy("整改完成时间"),
    }
    export_filename = "chaping-zhenggai"

    @cached_property
    def _edit_handler(self):
        return self.panel(list(HANDLING_FIELDS), FollowUpForm)
