"""The inspection office's admin (监察室, DESIGN §5), on Wagtail's viewsets.

- `SupervisionViewSet` — the department's dashboard (open filings, the pre-review,
  handling and issuing clocks due soon and overdue, extended cases, on-time rate,
  handling time and ratings per division) and its monthly statistics workbook.
- `ComplaintViewSet` — complaints (投诉): listing with filters, sorting, pagination
  and export; inspect; the handling form as the edit view.
- `UrgingNoticeViewSet` — urging notices (督办单): the inspection office issues
  them (add view), the addressed division answers (edit view).
- `AccountabilityRecordViewSet` — accountability records (责任追究): recorded and
  corrected by the inspection office.

The follow-ups of bad ratings (差评整改) are in `followup_views`; the menu group of
all of them in `wagtail_hooks`.

Every view of the three record viewsets is limited to the user's scope by
`portal.scope.ScopedViewSetMixin` with the policies of `inbox.permissions` (an
object out of scope is a 404); every write goes through `records`, which checks the
scope again and the version the form carried, and logs the change. Registered as
the 监察室 menu group in `wagtail_hooks`.
"""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import (
    CreateView,
    EditView,
    IndexView,
    InspectView,
    WagtailAdminTemplateMixin,
)
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry

from disclosure.models import DivisionPage
from disclosure.models.staff import department_of
from portal.masking import MaskedColumn, mask_personal_text
from portal.personal_data import PersonalDataExportMixin, RevealView
from portal.scope import ScopedViewSetMixin
from services_catalog.inbox import access, exports, records, supervision
from services_catalog.inbox.models import (
    AccountabilityRecord,
    Complaint,
    UrgingNotice,
)
from services_catalog.inbox.supervision_forms import (
    AccountabilityForm,
    ComplaintHandlingForm,
    UrgingAnswerForm,
    UrgingIssueForm,
)

# ------------------------------------------------------------------ dashboard


def supervised_department(request):
    """The department the user supervises; PermissionDenied for everyone else."""
    department = access.supervised_department(request.user)
    if department is None:
        raise PermissionDenied
    return department


class DashboardView(WagtailAdminTemplateMixin, TemplateView):
    """监察室: the department's numbers, aggregated in the database (a constant
    number of queries, `supervision.dashboard`)."""

    template_name = "inbox/admin/dashboard.html"
    page_title = gettext_lazy("监察室 · 督办")
    header_icon = "view"
    viewset = None

    def dispatch(self, request, *args, **kwargs):
        self.department = supervised_department(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            department=self.department,
            board=supervision.dashboard(self.department, today),
            today=today,
            **kwargs,
        )


class StatisticsExportView(View):
    """The department's monthly statistics workbook (XLSX)."""

    viewset = None

    def get(self, request):
        department = supervised_department(request)
        today = timezone.localdate()
        return exports.xlsx_response(
            exports.statistics_workbook(department, today),
            f"tongji-{department.code}-{today:%Y%m}.xlsx",
        )


class SupervisorMenuItem(MenuItem):
    def is_shown(self, request):
        return access.supervised_department(request.user) is not None


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


# ------------------------------------------------------------------ shared pieces


class DivisionFilterSet(WagtailFilterSet):
    """A filter set whose `division` choices are the user's department's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "division" in self.filters and self.request is not None:
            user = self.request.user
            department = department_of(user)
            divisions = DivisionPage.objects.order_by("path")
            if department is not None:
                divisions = divisions.child_of(department)
            elif not user.is_superuser:
                divisions = divisions.none()
            self.filters["division"].queryset = divisions


class RecordWriteMixin:
    """Create and edit views whose save is a `records` function (`write`); a stale
    or refused change comes back on the form with its message, the input kept."""

    def write(self, form):
        raise NotImplementedError

    def save_instance(self):
        return self.write(self.form)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except records.RecordError as error:
            form.add_error(None, str(error))
            self.produced_error_message = str(error)
            return self.form_invalid(form)


class RecordCreateView(RecordWriteMixin, CreateView):
    pass


class RecordEditView(RecordWriteMixin, EditView):
    pass


class RecordViewSet(ScopedViewSetMixin, ModelViewSet):
    """A supervision record's viewset: scoped, inspectable, never copied; its
    listing joins `select_related` (one query, not one per row)."""

    select_related = []
    inspect_view_enabled = True
    copy_view_enabled = False
    search_backend_name = None

    def get_queryset(self, request):
        return self.model.objects.select_related(*self.select_related)

    def panel(self, fields, form_class):
        return ObjectList(
            [FieldPanel(name) for name in fields], base_form_class=form_class
        ).bind_to_model(self.model)


# ------------------------------------------------------------------ complaints


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
    list_export = [
        "pk",
        "created_at",
        "name",
        "contact",
        "text",
        "filing",
        "division",
        "person",
        "get_status_display",
        "handling",
        "handled_at",
    ]
    export_headings = {
        "pk": gettext_lazy("编号"),
        "created_at": gettext_lazy("投诉时间"),
        "name": gettext_lazy("投诉人"),
        "contact": gettext_lazy("联系方式"),
        "text": gettext_lazy("投诉内容"),
        "filing": gettext_lazy("相关办件"),
        "division": gettext_lazy("被投诉处室"),
        "person": gettext_lazy("被投诉人员"),
        "get_status_display": gettext_lazy("状态"),
        "handling": gettext_lazy("处理情况"),
        "handled_at": gettext_lazy("处理时间"),
    }
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


# ------------------------------------------------------------------ urging


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
    list_export = [
        "pk",
        "issued_at",
        "division",
        "filing",
        "text",
        "reply_by",
        "answer",
        "answered_at",
    ]
    export_headings = {
        "pk": gettext_lazy("编号"),
        "issued_at": gettext_lazy("督办时间"),
        "division": gettext_lazy("督办处室"),
        "filing": gettext_lazy("办件"),
        "text": gettext_lazy("督办事项"),
        "reply_by": gettext_lazy("答复期限"),
        "answer": gettext_lazy("处室答复"),
        "answered_at": gettext_lazy("答复时间"),
    }
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


# ------------------------------------------------------------------ accountability


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
    inspect_view_fields = [
        "decided_on",
        "post",
        "person",
        "filing",
        "complaint",
        "finding",
        "measure",
        "recorded_by",
    ]
    list_export = [
        "pk",
        "decided_on",
        "post",
        "person",
        "filing",
        "complaint",
        "finding",
        "measure",
    ]
    export_headings = {
        "pk": gettext_lazy("编号"),
        "decided_on": gettext_lazy("决定日期"),
        "post": gettext_lazy("岗位"),
        "person": gettext_lazy("人员"),
        "filing": gettext_lazy("相关办件"),
        "complaint": gettext_lazy("相关投诉"),
        "finding": gettext_lazy("问题事实"),
        "measure": gettext_lazy("追究措施"),
    }
    export_filename = "zeren"

    @cached_property
    def _edit_handler(self):
        return self.panel(
            [
                "post",
                "person",
                "tracking_number",
                "complaint",
                "finding",
                "measure",
                "decided_on",
            ],
            AccountabilityForm,
        )
