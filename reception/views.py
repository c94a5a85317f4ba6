"""Views of the reception app.

Public views (the routes of `ReceptionPage`): the roster page with today, this week,
next week and the published record summaries; the month view; the print view; the
iCal feed; the appointment form and the lookup.

Admin viewsets (registered in `wagtail_hooks`): the roster snippet with its rotation
generator, leaders' unavailability, reception records with XLSX export, and
appointment requests. Every listing and every object URL is limited to the user's
department (`reception.permissions`, `portal.scope`).
"""

import datetime
import mimetypes

import django_filters
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView
from django_ratelimit.core import is_ratelimited
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import (
    BooleanColumn,
    Column,
    DateColumn,
    LiveStatusTagColumn,
    UpdatedAtColumn,
)
from wagtail.admin.views.generic import IndexView, WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import log
from wagtail.snippets.views.snippets import (
    EditView as SnippetEditView,
)
from wagtail.snippets.views.snippets import (
    IndexView as SnippetIndexView,
)
from wagtail.snippets.views.snippets import (
    SnippetViewSet,
    SnippetViewSetGroup,
)

from disclosure.models.staff import department_of
from portal.masking import MaskedColumn, mask_personal_text
from portal.models import PersonalDataAccess
from portal.personal_data import PersonalDataExportMixin
from portal.scope import ScopedViewSetMixin
from portal.views import rate_limited
from reception import appointments as appointment_rules
from reception.forms import (
    AppointmentDecisionForm,
    AppointmentForm,
    GenerateRosterForm,
    LeaderUnavailabilityForm,
    LookupForm,
    ReceptionRecordForm,
    RosterPeriodForm,
    leader_choices,
)
from reception.ical import roster_calendar
from reception.models import (
    AppointmentRequest,
    LeaderUnavailability,
    ReceptionRecord,
    ReceptionRecordAttachment,
    RosterEntry,
    RosterPeriod,
)
from reception.models.records import private_storage
from reception.roster import (
    duty_days,
    generate_roster,
    month_bounds,
    parse_month,
    roster_status,
    shift_month,
    week_bounds,
)

RECORDS_PER_PAGE = 10
APPOINTMENT_RATE = "10/h"
LOOKUP_RATE = "30/h"
FEED_DAYS_BACK = 31
SUBMITTED_SESSION_KEY = "reception:submitted"


# Public views -----------------------------------------------------------------------


def _with_booking(page, days):
    """Attach `bookable` and `booking_label` to every entry of `days`."""
    entries = [entry for day in days for entry in day.entries]
    status = appointment_rules.booking_status(page, entries)
    for entry in entries:
        entry.bookable, entry.booking_label = status[entry.pk]
    return days


def reception_index(request, page):
    department = page.department
    today = timezone.localdate()
    monday, sunday = week_bounds(today)
    next_sunday = sunday + datetime.timedelta(days=7)
    days = _with_booking(page, duty_days(department, monday, next_sunday))
    records = Paginator(
        ReceptionRecord.objects.of_department(department).published(),
        RECORDS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return page.render(
        request,
        context_overrides={
            "department": department,
            "today": today,
            "today_entries": [
                e for day in days if day.date == today for e in day.entries
            ],
            "this_week": [day for day in days if day.date <= sunday],
            "next_week": [day for day in days if day.date > sunday],
            "records": records,
            "current_month": today.strftime("%Y-%m"),
            **roster_status(department, monday, next_sunday),
        },
    )


def _month_context(request, page):
    today = timezone.localdate()
    year, month = parse_month(request.GET.get("month"), (today.year, today.month))
    first, last = month_bounds(year, month)
    department = page.department
    return {
        "department": department,
        "today": today,
        "month_start": first,
        "days": duty_days(department, first, last),
        "previous_month": "{:04d}-{:02d}".format(*shift_month(year, month, -1)),
        "next_month": "{:04d}-{:02d}".format(*shift_month(year, month, 1)),
        "month_param": f"{year:04d}-{month:02d}",
        **roster_status(department, first, last),
    }


def reception_month(request, page):
    context = _month_context(request, page)
    _with_booking(page, context["days"])
    return page.render(
        request,
        template="reception/reception_page_month.html",
        context_overrides=context,
    )


def reception_print(request, page):
    return page.render(
        request,
        template="reception/reception_page_print.html",
        context_overrides=_month_context(request, page),
    )


def reception_calendar(request, page):
    department = page.department
    since = timezone.localdate() - datetime.timedelta(days=FEED_DAYS_BACK)
    entries = (
        RosterEntry.objects.published()
        .of_department(department)
        .filter(date__gte=since)
        .in_display_order()
    )
    calendar = roster_calendar(
        department,
        entries,
        host=page.get_site().hostname,
        page_url=page.get_full_url(request),
    )
    response = HttpResponse(
        calendar.to_ical(), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'inline; filename="{department.code.lower()}-reception.ics"'
    )
    return response


def appointment_request(request, page, entry_id):
    try:
        entry = appointment_rules.bookable_entry(page, entry_id)
    except RosterEntry.DoesNotExist:
        raise Http404 from None
    except appointment_rules.AppointmentUnavailable as error:
        return _appointment_page(request, page, None, None, str(error))
    bookable, label = appointment_rules.booking_status(page, [entry])[entry.pk]
    if not bookable:
        return _appointment_page(
            request, page, entry, None, _("这个值班时段的预约已满,请选择其他时段。")
        )
    form = AppointmentForm(request.POST or None)
    if request.method == "POST":
        if is_ratelimited(
            request,
            group="reception:appointment",
            key="ip",
            rate=APPOINTMENT_RATE,
            method="POST",
            increment=True,
        ):
            return rate_limited(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                appointment, code = appointment_rules.submit_request(
                    page,
                    entry.pk,
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    matter=data["matter"],
                )
            except appointment_rules.AppointmentUnavailable as error:
                form.add_error(None, str(error))
            else:
                request.session[SUBMITTED_SESSION_KEY] = {
                    "number": appointment.number,
                    "code": code,
                }
                return redirect(page.subpage_url("appointment_submitted", request))
    return _appointment_page(request, page, entry, form, "", places=label)


def _appointment_page(request, page, entry, form, unavailable, places=""):
    return page.render(
        request,
        template="reception/appointment_form.html",
        context_overrides={
            "department": page.department,
            "entry": entry,
            "form": form,
            "unavailable": unavailable,
            "places": places,
        },
    )


def appointment_submitted(request, page):
    submitted = request.session.get(SUBMITTED_SESSION_KEY)
    appointment = None
    if submitted:
        appointment = (
            AppointmentRequest.objects.filter(
                number=submitted["number"], department=page.department
            )
            .select_related("leader")
            .first()
        )
    if appointment is None:
        return redirect(page.subpage_url("lookup", request))
    return page.render(
        request,
        template="reception/appointment_submitted.html",
        context_overrides={
            "department": page.department,
            "appointment": appointment,
            "code": submitted["code"],
        },
    )


def appointment_lookup(request, page):
    form = LookupForm(request.POST or None)
    appointment = None
    not_found = False
    if request.method == "POST":
        if is_ratelimited(
            request,
            group="reception:lookup",
            key="ip",
            rate=LOOKUP_RATE,
            method="POST",
            increment=True,
        ):
            return rate_limited(request)
        if form.is_valid():
            appointment = appointment_rules.find_request(
                form.cleaned_data["number"], form.cleaned_data["code"]
            )
            if (
                appointment is not None
                and appointment.department_id != page.department.pk
            ):
                appointment = None
            not_found = appointment is None
    return page.render(
        request,
        template="reception/appointment_lookup.html",
        context_overrides={
            "department": page.department,
            "form": form,
            "appointment": appointment,
            "not_found": not_found,
        },
    )


# Admin: shared pieces ---------------------------------------------------------------


class ScopedLeaderFilterSet(WagtailFilterSet):
    """A filter set whose `leader` choices are the user's department's leaders."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "leader" in self.filters and self.request is not None:
            user = self.request.user
            department = None if user.is_superuser else department_of(user)
            self.filters["leader"].queryset = leader_choices(department)


class ScopedModelViewSet(ScopedViewSetMixin, ModelViewSet):
    """A model viewset limited to the user's department, whose listing joins the
    relations named in `select_related` (one query, not one per row)."""

    select_related = []

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=self.model.objects.select_related(*self.select_related),
            **kwargs,
        )


# Admin: roster ----------------------------------------------------------------------


class RosterPeriodIndexView(SnippetIndexView):
    generate_url_name = None

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.generate_url_name and self.user_has_permission("add"):
            buttons.append(
                HeaderButton(
                    _("按轮值自动排班"),
                    url=reverse(self.generate_url_name),
                    icon_name="calendar-alt",
                )
            )
        return buttons


class RosterPeriodEditView(SnippetEditView):
    def publish_action(self):
        """Publishing writes the draft's entries; if a leader's slot was taken
        meanwhile the database refuses it. Keep the draft and say so on the form."""
        try:
            with transaction.atomic():
                return super().publish_action()
        except IntegrityError:
            self.form.add_error(
                None,
                _(
                    "发布失败:草稿中有领导的值班时段已被其他值班安排占用,"
                    "请核对调整后重新发布。草稿已保存。"
                ),
            )
            self.produced_error_message = _("值班表未能发布,请按提示修改。")
            return self.form_invalid(self.form)


class GenerateRosterView(WagtailAdminTemplateMixin, FormView):
    """Create a draft roster for a period by rotation, for the clerk to adjust."""

    template_name = "wagtailadmin/generic/form.html"
    form_class = GenerateRosterForm
    page_title = gettext_lazy("按轮值自动排班")
    header_icon = "calendar-alt"
    viewset = None

    def dispatch(self, request, *args, **kwargs):
        policy = self.viewset.permission_policy
        if not policy.user_has_permission(request.user, "add"):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        self.user_department = (
            None if request.user.is_superuser else department_of(request.user)
        )
        if not request.user.is_superuser and self.user_department is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user_department": self.user_department}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse(self.viewset.get_url_name("list")),
                "label": RosterPeriod._meta.verbose_name_plural,
            },
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=self.request.path,
            submit_button_label=_("生成草稿"),
            submit_button_active_label=_("正在生成…"),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        period = RosterPeriod(
            department=data["department"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            live=False,
        )
        proposal = generate_roster(
            period.department,
            period.start_date,
            period.end_date,
            pattern=data["pattern"],
            location=data["location"],
            scope=data["scope"],
        )
        period.title = period.default_title()
        period.entries = proposal.entries
        period.save()
        revision = period.save_revision(user=self.request.user, log_action=False)
        log(period, "wagtail.create", user=self.request.user, revision=revision)
        messages.success(
            self.request,
            _("已生成“%(title)s”草稿,共 %(count)s 条值班安排。请核对调整后提交发布。")
            % {"title": period, "count": len(proposal.entries)},
        )
        if proposal.unfilled:
            days = "、".join(f"{day:%m-%d}" for day, _slot in proposal.unfilled[:10])
            messages.warning(
                self.request,
                _("有 %(count)s 个时段没有可安排的领导(%(days)s),请手动补充。")
                % {"count": len(proposal.unfilled), "days": days},
            )
        return redirect(self.viewset.get_url_name("edit"), period.pk)


class RosterPeriodViewSet(ScopedViewSetMixin, SnippetViewSet):
    """Duty rosters (接访值班表): generated by rotation, adjusted, then published."""

    model = RosterPeriod
    icon = "date"
    menu_label = gettext_lazy("接访值班表")
    menu_name = "roster-periods"
    index_view_class = RosterPeriodIndexView
    edit_view_class = RosterPeriodEditView
    list_display = [
        "__str__",
        Column("department", label=gettext_lazy("部门")),
        DateColumn("start_date", label=gettext_lazy("开始日期")),
        DateColumn("end_date", label=gettext_lazy("结束日期")),
        LiveStatusTagColumn(),
        UpdatedAtColumn(),
    ]
    list_filter = ["live"]
    ordering = "-start_date"
    copy_view_enabled = False
    edit_handler = ObjectList(RosterPeriod.panels, base_form_class=RosterPeriodForm)

    def get_queryset(self, request):
        return RosterPeriod.objects.select_related("department")

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            generate_url_name=self.get_url_name("generate"), **kwargs
        )

    @property
    def generate_view(self):
        return GenerateRosterView.as_view(viewset=self)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("generate/", self.generate_view, name="generate")
        ]


class LeaderUnavailabilityViewSet(ScopedModelViewSet):
    """When leaders cannot be on duty; the generator skips those dates."""

    model = LeaderUnavailability
    icon = "calendar-check"
    menu_label = gettext_lazy("领导不能值班")
    menu_name = "leader-unavailability"
    select_related = ["person"]
    list_display = [
        Column("person", label=gettext_lazy("领导")),
        DateColumn("start_date", label=gettext_lazy("开始日期")),
        DateColumn("end_date", label=gettext_lazy("结束日期")),
        "reason",
    ]
    ordering = "-start_date"
    copy_view_enabled = False
    edit_handler = ObjectList(
        LeaderUnavailability.panels, base_form_class=LeaderUnavailabilityForm
    )


# Admin: reception records -----------------------------------------------------------


class ReceptionRecordFilterSet(ScopedLeaderFilterSet):
    date = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("接访日期"), widget=DateRangePickerWidget
    )

    class Meta:
        model = ReceptionRecord
        fields = [
            "date",
            "leader",
            "visitor_type",
            "follow_up_status",
            "is_public",
            "is_archived",
        ]


class ReceptionRecordIndexView(PersonalDataExportMixin, IndexView):
    """The records listing; its export masks ID and mobile numbers and is logged."""

    export_masks = dict.fromkeys(
        ("visitor_contact", "matter", "result"), mask_personal_text
    )


class ReceptionRecordViewSet(ScopedModelViewSet):
    """Reception records (接访记录): the archive, with filters and XLSX export."""

    model = ReceptionRecord
    icon = "doc-full"
    menu_label = gettext_lazy("接访记录")
    menu_name = "reception-records"
    select_related = ["leader"]
    list_display = [
        DateColumn("date", label=gettext_lazy("接访日期")),
        Column("leader", label=gettext_lazy("接访领导")),
        "visitor_type",
        MaskedColumn("matter", label=gettext_lazy("来访事项")),
        "follow_up_status",
        DateColumn("follow_up_deadline", label=gettext_lazy("跟进期限")),
        BooleanColumn("is_public", label=gettext_lazy("公开")),
        BooleanColumn("is_archived", label=gettext_lazy("归档")),
    ]
    filterset_class = ReceptionRecordFilterSet
    search_fields = ["matter", "result", "visitor_name"]
    ordering = ["-date", "-pk"]
    copy_view_enabled = False
    inspect_view_enabled = True
    list_export = [
        "date",
        "leader.name",
        "visitor_name",
        "visitor_contact",
        "get_visitor_type_display",
        "matter",
        "result",
        "follow_up_deadline",
        "get_follow_up_status_display",
        "is_public",
        "is_archived",
    ]
    export_headings = {
        "date": gettext_lazy("接访日期"),
        "leader.name": gettext_lazy("接访领导"),
        "visitor_name": gettext_lazy("来访人姓名"),
        "visitor_contact": gettext_lazy("来访人联系方式"),
        "get_visitor_type_display": gettext_lazy("来访人类别"),
        "matter": gettext_lazy("来访事项"),
        "result": gettext_lazy("处理结果"),
        "follow_up_deadline": gettext_lazy("跟进期限"),
        "get_follow_up_status_display": gettext_lazy("跟进状态"),
        "is_public": gettext_lazy("公开摘要"),
        "is_archived": gettext_lazy("已归档"),
    }
    export_filename = "reception-records"
    index_view_class = ReceptionRecordIndexView
    edit_handler = ObjectList(
        ReceptionRecord.panels, base_form_class=ReceptionRecordForm
    )

    @property
    def attachment_view(self):
        return AttachmentView.as_view(viewset=self)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("attachment/<int:pk>/", self.attachment_view, name="attachment")
        ]


class AttachmentView(View):
    """Serve a record's attachment from the private storage to staff who may see
    the record (its department's, through the records' scope policy)."""

    model = ReceptionRecordAttachment
    viewset = None

    def get(self, request, pk):
        records = self.viewset.scope_policy.instances_user_has_any_permission_for(
            request.user, ["change", "view"]
        )
        attachment = get_object_or_404(
            ReceptionRecordAttachment, pk=pk, record__in=records
        )
        name = attachment.file.name
        PersonalDataAccess.record(
            request,
            PersonalDataAccess.Action.DOWNLOAD,
            attachment.record,
            detail=attachment.title or name.rsplit("/", 1)[-1],
        )
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return FileResponse(
            private_storage().open(name),
            as_attachment=True,
            filename=name.rsplit("/", 1)[-1],
            content_type=content_type,
        )


# Admin: appointment requests --------------------------------------------------------


class AppointmentRequestFilterSet(ScopedLeaderFilterSet):
    date = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("预约日期"), widget=DateRangePickerWidget
    )

    class Meta:
        model = AppointmentRequest
        fields = ["status", "date", "leader"]


class AppointmentRequestViewSet(ScopedModelViewSet):
    """Citizens' appointment requests: the clerk confirms or declines each one."""

    model = AppointmentRequest
    icon = "mail"
    menu_label = gettext_lazy("接访预约")
    menu_name = "appointment-requests"
    select_related = ["leader"]
    list_display = [
        "number",
        DateColumn("date", label=gettext_lazy("预约日期")),
        "slot",
        Column("leader", label=gettext_lazy("接访领导")),
        "name",
        "status",
        DateColumn("created_at", label=gettext_lazy("提交时间")),
    ]
    filterset_class = AppointmentRequestFilterSet
    search_fields = ["number", "name", "phone", "matter"]
    ordering = ["-created_at"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        AppointmentRequest.panels, base_form_class=AppointmentDecisionForm
    )


class ReceptionViewSetGroup(SnippetViewSetGroup):
    """The 领导接访 admin menu."""

    menu_label = gettext_lazy("领导接访")
    menu_name = "reception"
    menu_icon = "group"
    menu_order = 300
    items = (
        RosterPeriodViewSet,
        LeaderUnavailabilityViewSet,
        ReceptionRecordViewSet,
        AppointmentRequestViewSet,
    )
