"""The window's case list and case page (办件) on a Wagtail viewset (DESIGN §5).

`FilingViewSet` lists the filings in the user's scope (the one filing policy,
`disclosure.scope.filing_policy`, applied to every view by
`portal.scope.ScopedViewSetMixin`) with Wagtail's listing: the filters of
`FilingFilterSet` (state, clock status, clock, lead division, month of
completion), free text on the tracking number, the applicant and the item,
sorting, pagination and the XLSX/CSV export of the same selection. Each running
clock shows its due date and a flag when it is due soon or overdue; personal data
is masked in the list and the export, and every export is logged.

The case page is the viewset's inspect view (`FilingInspectView`: facts, clocks,
materials, notes, appointments, special procedures, urging notices, outgoing
number and the timeline) and links to one small form view per action the user may
take now (`case_actions.ACTIONS`, `CaseActionView`). Filings are created and
changed only by `services_catalog.inbox.workflow`: the viewset has no add, edit,
copy or delete view. A form acts on the version of the filing it was rendered
with; when somebody else moved the filing meanwhile, the user gets the case page
back with `wording.STALE`. The result document is served by `ResultDownloadView`
and written to the personal-data access log.
"""

import calendar
import datetime
import re
from collections import OrderedDict

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.coreutils import multigetattr
from wagtail.permissions import policy_registry

from disclosure.models import DepartmentPage, DivisionPage
from disclosure.models.staff import department_of
from portal.masking import MaskedColumn, mask_personal_text
from portal.models import PersonalDataAccess
from portal.personal_data import PersonalDataExportMixin
from portal.scope import ScopedViewSetMixin
from services_catalog.inbox import clock, workflow
from services_catalog.inbox.case_actions import ACTIONS, allowed_actions
from services_catalog.inbox.models import OPEN_STATES, Filing, FilingState
from services_catalog.inbox.wording import STALE

NOT_ALLOWED = _("您无权执行此操作，或本件当前状态不允许。")

PAGE_SIZE = 50


class MonthField(forms.CharField):
    """A month typed as `YYYY-MM` (the browser's month input); cleans to the first
    and last day of that month."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"})
    default_error_messages = {
        "invalid": _("请按“年-月”填写办结月份，例如 2026-03。"),
    }
    pattern = re.compile(r"^(\d{4})-(\d{1,2})$")

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        match = self.pattern.match(value)
        year, month = (int(part) for part in match.groups()) if match else (0, 0)
        if not (datetime.MINYEAR <= year <= datetime.MAXYEAR and 1 <= month <= 12):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        last = calendar.monthrange(year, month)[1]
        return datetime.date(year, month, 1), datetime.date(year, month, last)


class MonthFilter(django_filters.Filter):
    field_class = MonthField

    def filter(self, queryset, value):
        if not value:
            return queryset
        first, last = value
        return queryset.filter(
            **{f"{self.field_name}__gte": first, f"{self.field_name}__lte": last}
        )


def divisions_for(user):
    """The divisions a user may filter by: their department's (all for a superuser
    without a department)."""
    department = department_of(user)
    if department is None:
        if user.is_superuser:
            return DivisionPage.objects.order_by("path")
        return DivisionPage.objects.none()
    return DivisionPage.objects.child_of(department).order_by("path")


StateFilterChoice = models.TextChoices(
    "StateFilterChoice",
    [
        ("OPEN", ("open", _("未办结"))),
        *((state.name, (state.value, state.label)) for state in FilingState),
    ],
)
"""The case list's state filter: every open filing, or the filings in one state."""


class FilingFilterSet(WagtailFilterSet):
    """Filters of the case list; the supervision dashboard links to them too
    (`?state=open`, `?due=overdue&clock=handling`, `?division=…&month=2026-03`,
    and for a superuser, whose list spans departments, `?department=…`)."""

    department = django_filters.ModelChoiceFilter(
        label=_("部门"), queryset=DepartmentPage.objects.none()
    )

    state = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=StateFilterChoice.choices,
        empty_label=_("全部"),
        method="filter_state",
    )
    due = django_filters.ChoiceFilter(
        label=_("时限"),
        choices=clock.DueFlag.choices,
        empty_label=_("全部"),
        method="filter_due",
    )
    clock = django_filters.ChoiceFilter(
        label=_("计时"),
        choices=clock.Clock.choices,
        empty_label=_("全部"),
        method="filter_clock",
    )
    division = django_filters.ModelChoiceFilter(
        label=_("牵头处室"),
        field_name="lead_division",
        queryset=DivisionPage.objects.none(),
    )
    month = MonthFilter(label=_("办结月份"), field_name="completed_on")

    class Meta:
        model = Filing
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            user = self.request.user
            self.filters["division"].queryset = divisions_for(user)
            if department_of(user) is None and user.is_superuser:
                departments = DepartmentPage.objects.order_by("path")
                self.filters["department"].queryset = departments
            else:
                del self.filters["department"]

    def _clocks(self):
        chosen = self.form.cleaned_data.get("clock")
        return [chosen] if chosen else list(clock.CLOCKS)

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(state__in=OPEN_STATES)
        return queryset.filter(state=value)

    def filter_due(self, queryset, name, value):
        today = timezone.localdate()
        condition = Q(pk__in=[])
        for name_ in self._clocks():
            condition |= clock.flag_q(value, today, name_)
        return queryset.filter(condition)

    def filter_clock(self, queryset, name, value):
        if self.form.cleaned_data.get("due"):
            return queryset  # `filter_due` already limits to this clock
        states = list(clock.CLOCKS[value][1])
        if value == clock.HANDLING:
            states.append(FilingState.SUSPENDED)
        return queryset.filter(state__in=states)


class DueDateColumn(Column):
    """A clock's due date with its flag (即将到期 / 已超期) while that clock runs."""

    cell_template_name = "inbox/admin/due_date_cell.html"

    def __init__(self, name, clock_name=None, **kwargs):
        super().__init__(name, sort_key=name, **kwargs)
        self.clock_name = clock_name

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        status = None
        if self.clock_name:
            today = parent_context["table"].today
            found = clock.status_of(instance, today, self.clock_name)
            if found and found[0] in (clock.DUE_SOON, clock.OVERDUE):
                status = found[0]
        context.update(
            status=status,
            status_label=clock.LABELS.get(status, ""),
            clock_name=self.clock_name or "",
        )
        return context


class FilingIndexView(PersonalDataExportMixin, IndexView):
    """The case list. A filter the user typed wrong (a month like `0-1`) is shown
    as an error and selects nothing, in the list and in the export alike."""

    results_template_name = "inbox/admin/case_index_results.html"
    export_masks = {"applicant_name": mask_personal_text}

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "request": self.request}

    @cached_property
    def filter_errors(self):
        if self.filters is None or self.filters.is_valid():
            return []
        return [
            _("%(label)s：%(text)s")
            % {"label": self.filters.form[name].label, "text": message}
            for name, messages in self.filters.form.errors.items()
            for message in messages
        ]

    def filter_queryset(self, queryset):
        if self.filter_errors:
            return queryset.none()
        return super().filter_queryset(queryset)

    def render_to_response(self, context, **response_kwargs):
        if self.is_export and self.filter_errors:
            self.is_export = False
        return super().render_to_response(context, **response_kwargs)

    def get_context_data(self, *args, **kwargs):
        return super().get_context_data(
            *args, filter_errors=self.filter_errors, **kwargs
        )

    def get_table(self, object_list):
        # The columns' flags are computed against one date for the whole page.
        table = super().get_table(object_list)
        table.today = self.today
        return table

    @cached_property
    def today(self):
        return timezone.localdate()

    def to_row_dict(self, item):
        status = clock.current_status(item, self.today)
        computed = {
            "lead_division": item.lead_division.title if item.lead_division else "",
            "clock_status": str(clock.LABELS[status[1]]) if status else "",
            "days_left": status[2] if status else None,
        }
        return OrderedDict(
            (field, computed[field] if field in computed else multigetattr(item, field))
            for field in self.list_export
        )


def _case_queryset():
    return Filing.objects.select_related("item", "department", "lead_division")


class FilingInspectView(InspectView):
    """The case page: what the filing is and where it stands, and the actions the
    user may take on it now."""

    template_name = "inbox/admin/case_inspect.html"
    page_title = _("办件")

    def get_object(self, queryset=None):
        return get_object_or_404(_case_queryset(), pk=self.pk)

    def get_context_data(self, **kwargs):
        filing = self.object
        today = timezone.localdate()
        clocks = []
        for name, (field_name, _states) in clock.CLOCKS.items():
            due = getattr(filing, field_name)
            status = clock.status_of(filing, today, name)
            if due or status:
                clocks.append(
                    {
                        "name": name,
                        "label": clock.CLOCK_NAMES[name],
                        "due": due,
                        "status": status[0] if status else "",
                        "status_label": clock.LABELS[status[0]] if status else "",
                        "days_left": status[1] if status else None,
                    }
                )
        url_name = FilingViewSet.name
        return super().get_context_data(
            filing=filing,
            clocks=clocks,
            actions=[
                (action, reverse(f"{url_name}:{action.name}", args=[filing.pk]))
                for action in allowed_actions(self.request.user, filing)
            ],
            result_url=reverse(f"{url_name}:result", args=[filing.pk])
            if filing.result_document
            else "",
            history_url=reverse(f"{url_name}:history", args=[filing.pk]),
            materials=filing.materials.all(),
            uploads=filing.uploads.select_related("material"),
            notes=filing.notes.select_related("division"),
            appointments=filing.appointments.all(),
            procedures=filing.procedure_notices.all(),
            urgings=filing.urging_notices.select_related("division"),
            co_divisions=filing.co_divisions.all(),
            events=filing.events.all(),
            **kwargs,
        )


class CaseActionView(
    PermissionCheckedMixin, BaseObjectMixin, WagtailAdminTemplateMixin, FormView
):
    """One action of the case page (`case_actions.CaseAction`): its form, and on a
    valid post the workflow function, with the version the form was rendered
    with. A filing somebody else moved since gives the case page back with
    `wording.STALE`; an action the user may not take now, the case page with
    `NOT_ALLOWED`."""

    model = Filing
    any_permission_required = ["view"]
    action = None
    inspect_url_name = None
    index_url_name = None
    header_icon = "doc-full"
    template_name = "inbox/admin/case_action.html"

    def get_base_object_queryset(self):
        return _case_queryset()

    @property
    def case_url(self):
        return reverse(self.inspect_url_name, args=[self.object.pk])

    def get_page_title(self):
        return self.action.label

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": Filing._meta.verbose_name},
            {"url": self.case_url, "label": str(self.object)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_form_class(self):
        return self.action.form_class

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **self.action.form_kwargs(self.object)}

    def get_initial(self):
        return {"version": self.object.version}

    def back_to_case(self, message):
        messages.error(self.request, message)
        return redirect(self.case_url)

    def moved_since(self, version):
        return not Filing.objects.filter(pk=self.object.pk, version=version).exists()

    def get(self, request, *args, **kwargs):
        if not self.action.allowed(request.user, self.object):
            return self.back_to_case(NOT_ALLOWED)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            seen = int(request.POST.get("version", ""))
        except ValueError:
            seen = None
        if seen != self.object.version:
            return self.back_to_case(STALE)
        if not self.action.allowed(request.user, self.object):
            return self.back_to_case(NOT_ALLOWED)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        version = form.cleaned_data["version"]
        try:
            workflow.check_version(self.object, version)
            self.action.perform(self.object, self.request.user, form.cleaned_data)
        except workflow.TransitionError as error:
            if str(error) == str(STALE) or self.moved_since(version):
                return self.back_to_case(STALE)
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, self.action.done)
        return redirect(self.case_url)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filing=self.object,
            action=self.action,
            action_url=self.request.path,
            submit_button_label=self.action.label,
            submit_button_active_label=self.action.label,
            **kwargs,
        )


class ResultDownloadView(PermissionCheckedMixin, BaseObjectMixin, View):
    """The result document of a filing in the user's scope, from private storage;
    every download is written to the personal-data access log."""

    model = Filing
    any_permission_required = ["view"]

    def get(self, request, *args, **kwargs):
        filing = self.object
        if not filing.result_document:
            raise Http404
        PersonalDataAccess.record(
            request,
            PersonalDataAccess.Action.DOWNLOAD,
            filing,
            detail=filing.result_document_name,
        )
        response = FileResponse(
            filing.result_document.open("rb"),
            as_attachment=True,
            filename=filing.result_document_name or "result",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class FilingURLFinder(ModelAdminURLFinder):
    """Links from the audit log and reports lead to the case list's filing page
    (filings have no edit view)."""

    def get_edit_url(self, instance):
        policy = policy_registry.get(instance)
        if self.user and not policy.user_has_permission_for_instance(
            self.user, "view", instance
        ):
            return None
        return reverse(FilingViewSet.name + ":inspect", args=[instance.pk])


class FilingViewSet(ScopedViewSetMixin, ModelViewSet):
    """办件: the filings in the user's scope, for every role of the inbox."""

    model = Filing
    name = "inbox_cases"
    url_prefix = "chuangkou/cases"
    icon = "list-ul"
    menu_label = _("办件")
    menu_name = "inbox-cases"
    menu_order = 151
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = FilingIndexView
    inspect_view_class = FilingInspectView
    filterset_class = FilingFilterSet
    search_fields = ["tracking_number", "applicant_name", "item__title"]
    ordering = ["-submitted_at", "-pk"]
    list_per_page = PAGE_SIZE
    list_display = [
        "tracking_number",
        Column("item", label=_("事项"), accessor="item.title"),
        MaskedColumn("applicant_name", label=_("申请人")),
        Column(
            "state", label=_("状态"), accessor="get_state_display", sort_key="state"
        ),
        Column("lead_division", label=_("牵头处室"), accessor="lead_division"),
        DueDateColumn("pre_review_due_date", clock.PRE_REVIEW, label=_("预审期限")),
        DueDateColumn("promised_due_date", clock.HANDLING, label=_("承诺办结日期")),
        DueDateColumn("statutory_due_date", label=_("法定办结日期")),
        DueDateColumn("issue_due_date", clock.ISSUE, label=_("送达期限")),
    ]
    list_export = [
        "tracking_number",
        "item.title",
        "applicant_name",
        "get_state_display",
        "lead_division",
        "received_on",
        "pre_review_due_date",
        "accepted_on",
        "deemed_accepted",
        "promised_due_date",
        "statutory_due_date",
        "extended_days",
        "clock_status",
        "days_left",
        "completed_on",
        "handling_workdays",
        "completed_on_time",
        "get_decision_display",
        "issue_due_date",
        "outgoing_number",
    ]
    export_headings = {
        "tracking_number": _("受理编号"),
        "item.title": _("事项"),
        "applicant_name": _("申请人"),
        "get_state_display": _("状态"),
        "lead_division": _("牵头处室"),
        "received_on": _("收到材料日期"),
        "pre_review_due_date": _("预审期限"),
        "accepted_on": _("受理日期"),
        "deemed_accepted": _("视为受理"),
        "promised_due_date": _("承诺办结日期"),
        "statutory_due_date": _("法定办结日期"),
        "extended_days": _("延长办理期限（工作日）"),
        "clock_status": _("时限状态"),
        "days_left": _("剩余工作日"),
        "completed_on": _("办结日期"),
        "handling_workdays": _("办理用时（工作日）"),
        "completed_on_time": _("按期办结"),
        "get_decision_display": _("办理决定"),
        "issue_due_date": _("送达期限"),
        "outgoing_number": _("发文字号"),
    }
    export_filename = "banjian"

    url_finder_class = FilingURLFinder

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=Filing.objects.select_related("item", "lead_division"),
            **kwargs,
        )

    def get_common_view_kwargs(self, **kwargs):
        # No add, edit or delete view: the workflow is the only writer.
        return {
            **super().get_common_view_kwargs(**kwargs),
            "add_url_name": None,
            "edit_url_name": None,
            "delete_url_name": None,
            "usage_url_name": None,
        }

    def action_view(self, action):
        return self.construct_view(
            CaseActionView,
            action=action,
            inspect_url_name=self.get_url_name("inspect"),
            index_url_name=self.get_url_name("index"),
        )

    @property
    def result_view(self):
        return self.construct_view(ResultDownloadView)

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path(
                "history-results/<int:pk>/",
                self.history_results_view,
                name="history_results",
            ),
            path("result/<int:pk>/", self.result_view, name="result"),
            *(
                path(
                    f"{action.name}/<int:pk>/",
                    self.action_view(action),
                    name=action.name,
                )
                for action in ACTIONS
            ),
        ]
