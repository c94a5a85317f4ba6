"""Complaints (投诉) in the inspection office's admin: `ComplaintViewSet`, the
listing with filters, sorting, pagination and a masked, logged export; the inspect
view with the complainant's contact masked and a logged "show"; the handling form
as the edit view, saved through `records.handle_complaint`."""

import django_filters
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.permissions import policy_registry

from portal.masking import MaskedColumn, mask_personal_text
from portal.personal_data import PersonalDataExportMixin, RevealView
from services_catalog.inbox import records
from services_catalog.inbox.models import AccountabilityRecord, Complaint
from services_catalog.inbox.supervision_forms import ComplaintHandlingForm
from services_catalog.inbox.supervision_views.shared import (
    DivisionFilterSet,
    RecordEditView,
    RecordViewSet,
)


class ComplaintFilterSet(DivisionFilterSet):
    created_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("投诉时间"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Complaint
        fields = ["status", "division", "created_at"]


class ComplaintIndexView(PersonalDataExportMixin, IndexView):
    export_masks = {"contact": mask_personal_text}


class ComplaintInspectView(InspectView):
    """A complaint with the complainant's contact masked; the full contact is a
    logged "show" (`ComplaintRevealView`), and accountability can be recorded
    from here."""

    template_name = "inbox/admin/complaint_inspect.html"
    viewset = None

    def get_contact_display_value(self):
        return mask_personal_text(self.object.contact)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reveal_url"] = reverse(
            self.viewset.get_url_name("reveal"), args=[self.object.pk]
        )
        records_policy = policy_registry.get_by_type(AccountabilityRecord)
        if records_policy.user_has_permission(self.request.user, "add"):
            context["accountability_url"] = (
                reverse("accountability_records:add") + f"?complaint={self.object.pk}"
            )
        return context


class ComplaintRevealView(RevealView):
    """The complainant's full contact, for those who may reach the complaint."""

    model = Complaint
    fields = (("contact", gettext_lazy("联系方式")),)
    viewset = None

    def get_object(self, request, pk):
        complaints = self.viewset.scope_policy.instances_user_has_any_permission_for(
            request.user, ["change", "view"]
        )
        return get_object_or_404(complaints, pk=pk)

    def back_url(self, record):
        return reverse(self.viewset.get_url_name("inspect"), args=[record.pk])


class ComplaintEditView(RecordEditView):
    page_title = gettext_lazy("处理投诉")
    success_message = gettext_lazy("投诉处理情况已保存。")
    submit_button_label = gettext_lazy("保存处理情况")

    def write(self, form):
        return records.handle_complaint(
            self.object,
            self.request.user,
            form.cleaned_data["version"],
            status=form.cleaned_data["status"],
            handling=form.cleaned_data["handling"],
        )


class ComplaintViewSet(RecordViewSet):
    """Complaints (投诉) from the public form, handled by the inspection office."""

    model = Complaint
    name = "complaints"
    url_prefix = "jiancha/tousu"
    icon = "mail"
    menu_label = gettext_lazy("投诉")
    select_related = ["division", "person", "filing__item"]
    list_display = [
        "__str__",
        DateColumn("created_at", label=gettext_lazy("投诉时间"), sort_key="created_at"),
        Column("filing", label=gettext_lazy("相关办件")),
        Column("division", label=gettext_lazy("被投诉处室")),
        "name",
        MaskedColumn("contact", label=gettext_lazy("联系方式")),
        Column("status", label=gettext_lazy("状态"), accessor="get_status_display"),
    ]
    filterset_class = ComplaintFilterSet
    search_fields = ["text", "name", "handling"]
    ordering = ["-created_at", "-pk"]
    index_view_class = ComplaintIndexView
    edit_view_class = ComplaintEditView
    inspect_view_class = ComplaintInspectView
    inspect_view_fields = [
        "created_at",
        "name",
        "contact",
        "text",
        "filing",
        "division",
        "person",
        "status",
        "handling",
        "handled_by",
        "handled_at",
    ]
    export_columns = [
        ("pk", gettext_lazy("编号")),
        ("created_at", gettext_lazy("投诉时间")),
        ("name", gettext_lazy("投诉人")),
        ("contact", gettext_lazy("联系方式")),
        ("text", gettext_lazy("投诉内容")),
        ("filing", gettext_lazy("相关办件")),
        ("division", gettext_lazy("被投诉处室")),
        ("person", gettext_lazy("被投诉人员")),
        ("get_status_display", gettext_lazy("状态")),
        ("handling", gettext_lazy("处理情况")),
        ("handled_at", gettext_lazy("处理时间")),
    ]
    export_filename = "tousu"

    @cached_property
    def _edit_handler(self):
        return self.panel(["status", "handling"], ComplaintHandlingForm)

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(viewset=self, **kwargs)

    def get_urlpatterns(self):
        reveal = ComplaintRevealView.as_view(viewset=self)
        return super().get_urlpatterns() + [
            path("reveal/<int:pk>/", reveal, name="reveal")
        ]
