"""Urging notices (督办单) in the admin: `UrgingNoticeViewSet`. The inspection
office issues them (the add view, `records.issue_urging`); the addressed
division's handlers answer them once (the edit view, `records.answer_urging`)."""

import django_filters
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.ui.tables import Column, DateColumn

from services_catalog.inbox import records
from services_catalog.inbox.models import UrgingNotice
from services_catalog.inbox.supervision_forms import UrgingAnswerForm, UrgingIssueForm
from services_catalog.inbox.supervision_views.shared import (
    DivisionFilterSet,
    RecordCreateView,
    RecordEditView,
    RecordViewSet,
)


class UrgingFilterSet(DivisionFilterSet):
    answered = django_filters.BooleanFilter(
        label=gettext_lazy("已答复"),
        field_name="answered_at",
        lookup_expr="isnull",
        exclude=True,
    )
    reply_by = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("答复期限"), widget=DateRangePickerWidget
    )

    class Meta:
        model = UrgingNotice
        fields = ["division", "answered", "reply_by"]


class UrgingIssueView(RecordCreateView):
    page_title = gettext_lazy("发出督办单")
    success_message = gettext_lazy("督办单已发出。")
    submit_button_label = gettext_lazy("发出督办单")

    def get_success_message(self, instance):
        return self.success_message

    def write(self, form):
        data = form.cleaned_data
        return records.issue_urging(
            self.request.user,
            form.department,
            division=data["division"],
            filing=form.filing,
            text=data["text"],
            reply_by=data["reply_by"],
        )


class UrgingAnswerView(RecordEditView):
    page_title = gettext_lazy("答复督办单")
    success_message = gettext_lazy("督办单已答复。")
    submit_button_label = gettext_lazy("提交答复")

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.answered_at is not None:
            messages.info(request, _("这份督办单已经答复。"))
            return redirect(self.get_inspect_url())
        return super().get(request, *args, **kwargs)

    def write(self, form):
        return records.answer_urging(
            self.object,
            self.request.user,
            form.cleaned_data["version"],
            answer=form.cleaned_data["answer"],
        )


class UrgingNoticeViewSet(RecordViewSet):
    """Urging notices (督办单): issued by the inspection office to a division."""

    model = UrgingNotice
    name = "urging_notices"
    url_prefix = "jiancha/duban"
    icon = "warning"
    menu_label = gettext_lazy("督办单")
    select_related = ["division", "filing__item", "issued_by"]
    list_display = [
        "__str__",
        DateColumn("issued_at", label=gettext_lazy("督办时间"), sort_key="issued_at"),
        Column("division", label=gettext_lazy("督办处室")),
        Column("filing", label=gettext_lazy("办件")),
        "text",
        DateColumn("reply_by", label=gettext_lazy("答复期限"), sort_key="reply_by"),
        DateColumn(
            "answered_at", label=gettext_lazy("答复时间"), sort_key="answered_at"
        ),
    ]
    filterset_class = UrgingFilterSet
    search_fields = ["text", "answer"]
    ordering = ["-issued_at", "-pk"]
    add_view_class = UrgingIssueView
    edit_view_class = UrgingAnswerView
    inspect_view_fields = [
        "division",
        "filing",
        "text",
        "reply_by",
        "issued_by",
        "issued_at",
        "answer",
        "answered_by",
        "answered_at",
    ]
    export_columns = [
        ("pk", gettext_lazy("编号")),
        ("issued_at", gettext_lazy("督办时间")),
        ("division", gettext_lazy("督办处室")),
        ("filing", gettext_lazy("办件")),
        ("text", gettext_lazy("督办事项")),
        ("reply_by", gettext_lazy("答复期限")),
        ("answer", gettext_lazy("处室答复")),
        ("answered_at", gettext_lazy("答复时间")),
    ]
    export_filename = "duban"

    @cached_property
    def _edit_handler(self):
        return self.panel(["answer"], UrgingAnswerForm)

    def get_add_view_kwargs(self, **kwargs):
        panel = self.panel(
            ["division", "tracking_number", "text", "reply_by"], UrgingIssueForm
        )
        return super().get_add_view_kwargs(
            panel=panel, form_class=panel.get_form_class(), **kwargs
        )
