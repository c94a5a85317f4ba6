"""Accountability records (责任追究) in the admin: `AccountabilityRecordViewSet`,
recorded (`records.record_accountability`, also opened from a complaint) and
corrected (`records.correct_accountability`) by the inspection office."""

import django_filters
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn

from services_catalog.inbox import records
from services_catalog.inbox.models import AccountabilityRecord
from services_catalog.inbox.supervision_forms import AccountabilityForm
from services_catalog.inbox.supervision_views.shared import (
    RecordCreateView,
    RecordEditView,
    RecordViewSet,
)


class AccountabilityFilterSet(WagtailFilterSet):
    decided_on = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("决定日期"), widget=DateRangePickerWidget
    )

    class Meta:
        model = AccountabilityRecord
        fields = ["decided_on"]


def _accountability_fields(form):
    data = form.cleaned_data
    return {
        "post": data["post"],
        "person": data["person"],
        "filing": form.filing,
        "complaint": data["complaint"],
        "finding": data["finding"],
        "measure": data["measure"],
        "decided_on": data["decided_on"],
    }


class AccountabilityCreateView(RecordCreateView):
    page_title = gettext_lazy("登记责任追究")
    success_message = gettext_lazy("责任追究记录已保存。")
    submit_button_label = gettext_lazy("保存")

    def get_success_message(self, instance):
        return self.success_message

    def get_initial(self):
        """Opened from a complaint (`?complaint=<pk>`): that complaint preselected
        (the form offers only the department's)."""
        initial = super().get_initial()
        complaint = self.request.GET.get("complaint", "")
        if complaint.isdigit():
            initial["complaint"] = int(complaint)
        return initial

    def write(self, form):
        return records.record_accountability(
            self.request.user, form.department, **_accountability_fields(form)
        )


class AccountabilityEditView(RecordEditView):
    page_title = gettext_lazy("更正责任追究记录")
    success_message = gettext_lazy("责任追究记录已更正。")

    def write(self, form):
        return records.correct_accountability(
            self.object,
            self.request.user,
            form.cleaned_data["version"],
            **_accountability_fields(form),
        )


class AccountabilityRecordViewSet(RecordViewSet):
    """Accountability records (责任追究) on a post or a person."""

    model = AccountabilityRecord
    name = "accountability_records"
    url_prefix = "jiancha/zeren"
    icon = "warning"
    menu_label = gettext_lazy("责任追究")
    select_related = ["post", "person", "filing__item", "complaint"]
    list_display = [
        "__str__",
        DateColumn("decided_on", label=gettext_lazy("决定日期"), sort_key="decided_on"),
        Column("post", label=gettext_lazy("岗位")),
        Column("person", label=gettext_lazy("人员")),
        Column("filing", label=gettext_lazy("相关办件")),
        "measure",
    ]
    filterset_class = AccountabilityFilterSet
    search_fields = ["finding", "measure"]
    ordering = ["-decided_on", "-pk"]
    add_view_class = AccountabilityCreateView
    edit_view_class = AccountabilityEditView
    inspect_view_fields = [*records.ACCOUNTABILITY_FIELDS, "recorded_by"]
    export_columns = [
        ("pk", gettext_lazy("编号")),
        ("decided_on", gettext_lazy("决定日期")),
        ("post", gettext_lazy("岗位")),
        ("person", gettext_lazy("人员")),
        ("filing", gettext_lazy("相关办件")),
        ("complaint", gettext_lazy("相关投诉")),
        ("finding", gettext_lazy("问题事实")),
        ("measure", gettext_lazy("追究措施")),
    ]
    export_filename = "zeren"

    @cached_property
    def _edit_handler(self):
        # The form names the filing by its tracking number.
        fields = [
            "tracking_number" if name == "filing" else name
            for name in records.ACCOUNTABILITY_FIELDS
        ]
        return self.panel(fields, AccountabilityForm)
