"""Admin of the office's outgoing-document register (发文登记, DESIGN §5).

Two viewsets in one 发文登记 menu, both limited to the user's department through
`register_policies` and `portal.scope.ScopedViewSetMixin`:

- the register (`OutgoingNumber`): listed with filters by department, year,
  document type and voided, exported to a spreadsheet (the export is logged, as
  the subjects name applicants), inspected line by line. Nobody adds or deletes a
  line here — numbers come from the register when the window issues a result — and
  "changing" a line means voiding it with the reason, through
  `workflow.void_outgoing_number` (a filing that went out under it gets the next
  number in the same transaction);
- the document types (`OutgoingDocumentType`, 文种 with its 机关代字): the window
  adds and edits its department's types.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.generic import EditView, IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from disclosure.models import DepartmentPage
from disclosure.models.staff import membership_of
from disclosure.scope import DepartmentPermissionPolicy
from portal.personal_data import PersonalDataExportMixin
from portal.scope import ScopedViewSetMixin
from services_catalog.inbox import workflow
from services_catalog.inbox.models import OutgoingDocumentType, OutgoingNumber


def register_policies():
    """Run from `InboxConfig.ready()`, before Wagtail looks a policy up."""
    # A line of the register is written only by issuing a result and never
    # deleted: nobody adds or deletes one here; "change" is voiding it.
    register_permission_policy(
        OutgoingNumber,
        DepartmentPermissionPolicy(OutgoingNumber, refused_actions=("add", "delete")),
    )
    register_permission_policy(
        OutgoingDocumentType, DepartmentPermissionPolicy(OutgoingDocumentType)
    )


def _departments_of(user):
    """The departments whose register `user` works with."""
    if user.is_superuser:
        return DepartmentPage.objects.order_by("path")
    membership = membership_of(user)
    if membership is None:
        return DepartmentPage.objects.none()
    return DepartmentPage.objects.filter(pk=membership.department_id)


# The register ------------------------------------------------------------------


class RegisterFilterSet(WagtailFilterSet):
    department = django_filters.ModelChoiceFilter(
        label=_("部门"), queryset=DepartmentPage.objects.none()
    )
    year = django_filters.ChoiceFilter(label=_("年度"), choices=())
    document_type = django_filters.ModelChoiceFilter(
        label=_("文种"), queryset=OutgoingDocumentType.objects.none()
    )
    voided = django_filters.BooleanFilter(
        label=_("已作废"), field_name="voided_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = OutgoingNumber
        fields = ["department", "year", "document_type", "voided"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        departments = _departments_of(self.request.user)
        self.filters["department"].queryset = departments
        self.filters["document_type"].queryset = OutgoingDocumentType.objects.filter(
            department__in=departments
        )
        years = (
            OutgoingNumber.objects.filter(department__in=departments)
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )
        self.filters["year"].extra["choices"] = [(year, year) for year in years]


class RegisterIndexView(PersonalDataExportMixin, IndexView):
    """The register; its export names applicants in the subjects and is logged."""


class VoidForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["void_reason"].required = True
        self.fields["void_reason"].help_text = _(
            "作废后该字号仍留在登记簿中并注明原因；已用该字号发文的办件自动改用"
            "同一文种的下一个字号。"
        )


class VoidNumberView(EditView):
    """Voiding a line (the register's only change): the reason is required, and the
    service function does the rest in one transaction."""

    page_title = _("作废发文字号")
    submit_button_label = _("作废")
    submit_button_active_label = _("正在作废…")
    success_message = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = self.get_object()

    def get(self, request, *args, **kwargs):
        return self._already_void() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._already_void() or super().post(request, *args, **kwargs)

    def _already_void(self):
        if not self.object.is_void:
            return None
        messages.info(
            self.request,
            _("发文字号 %(number)s 已作废，原因：%(reason)s")
            % {"number": self.object.number, "reason": self.object.void_reason},
        )
        return redirect(self.get_inspect_url())

    def get_inspect_url(self):
        return reverse(self.inspect_url_name, args=[self.object.pk])

    def form_valid(self, form):
        self.form = form
        try:
            replacement = workflow.void_outgoing_number(
                self.object, self.request.user, form.cleaned_data["void_reason"]
            )
        except workflow.TransitionError as error:
            form.add_error("void_reason", str(error))
            return self.form_invalid(form)
        message = _("发文字号 %(number)s 已作废。") % {"number": self.object.number}
        if replacement is not None:
            message += _("办件 %(filing)s 改用 %(new)s。") % {
                "filing": replacement.filing.tracking_number,
                "new": replacement.number,
            }
        messages.success(self.request, message)
        return redirect(self.get_inspect_url())


class RegisterViewSet(ScopedViewSetMixin, ModelViewSet):
    """发文登记簿: every number issued, per department, year and document type."""

    model = OutgoingNumber
    icon = "doc-full"
    menu_label = _("发文登记簿")
    menu_name = "outgoing-register"
    url_prefix = "outgoing-register"
    add_to_admin_menu = False
    index_view_class = RegisterIndexView
    edit_view_class = VoidNumberView
    filterset_class = RegisterFilterSet
    list_display = [
        "number",
        Column("document_type", label=_("文种")),
        Column("filing", label=_("办件"), accessor="filing.tracking_number"),
        "subject",
        DateColumn("issued_at", label=_("发文时间")),
        BooleanColumn("is_void", label=_("已作废")),
        "void_reason",
    ]
    list_export = [
        "department",
        "year",
        "document_type",
        "sequence",
        "number",
        "filing.tracking_number",
        "subject",
        "issued_at",
        "issued_by",
        "voided_at",
        "voided_by",
        "void_reason",
    ]
    export_headings = {
        "department": _("部门"),
        "year": _("年度"),
        "document_type": _("文种"),
        "sequence": _("序号"),
        "number": _("发文字号"),
        "filing.tracking_number": _("受理编号"),
        "subject": _("文件标题"),
        "issued_at": _("发文时间"),
        "issued_by": _("登记人"),
        "voided_at": _("作废时间"),
        "voided_by": _("作废人"),
        "void_reason": _("作废原因"),
    }
    export_filename = "outgoing-register"
    search_fields = ["number", "subject", "filing__tracking_number"]
    ordering = ["-year", "document_type", "-sequence"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "department",
        "document_type",
        "year",
        "sequence",
        "number",
        "filing",
        "subject",
        "issued_at",
        "issued_by",
        "voided_at",
        "voided_by",
        "void_reason",
    ]
    edit_handler = ObjectList([FieldPanel("void_reason")], base_form_class=VoidForm)

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=OutgoingNumber.objects.select_related(
                "document_type", "filing", "department", "issued_by", "voided_by"
            ),
            **kwargs,
        )


# Document types ----------------------------------------------------------------


class DocumentTypeForm(WagtailAdminModelForm):
    """A type belongs to the user's department; only a superuser chooses one."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        departments = _departments_of(for_user)
        field = self.fields["department"]
        field.queryset = departments
        if not for_user.is_superuser:
            field.initial = departments.first()
            field.disabled = True
            field.widget = forms.HiddenInput()


class DocumentTypeViewSet(ScopedViewSetMixin, ModelViewSet):
    """发文文种: the kinds of document a department sends out, with their prefixes."""

    model = OutgoingDocumentType
    icon = "tag"
    menu_label = _("发文文种")
    menu_name = "outgoing-document-types"
    url_prefix = "outgoing-document-types"
    add_to_admin_menu = False
    list_display = ["name", "prefix", Column("department", label=_("部门"))]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [FieldPanel("department"), FieldPanel("name"), FieldPanel("prefix")],
        base_form_class=DocumentTypeForm,
    )

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=OutgoingDocumentType.objects.select_related("department"),
            **kwargs,
        )


class RegisterViewSetGroup(ViewSetGroup):
    """The 发文登记 admin menu."""

    menu_label = _("发文登记")
    menu_name = "outgoing"
    menu_icon = "doc-full"
    menu_order = 153
    items = (RegisterViewSet, DocumentTypeViewSet)
