"""The window desk in the Wagtail admin (收发文窗口, 窗口办公): `DeskViewSet`, one
`ModelViewSet` on filings, registered in `wagtail_hooks`.

- index — the clerk's work, one tab per kind: new filings to pre-review, filings
  waiting for the applicant's supplement, meetings and inspections to schedule,
  results to issue; each with the deadline that runs for it (the pre-review's
  5 working days, 行政许可法第三十二条) flagged when due soon or overdue.
- add — walk-in intake at the counter: choose the item, then the form; it ends on
  the receipt in the admin (with its PDF) for the applicant.
- inspect — pre-review: the filing, its uploads, the checklist and the decisions,
  each posting to its own action view (`pre_review_views`), which calls
  `workflow` (the only writer of `Filing.state`) with the version the page showed.
- notice, reveal — the one-time notice laid out for printing, and the logged show
  of the applicant's full ID and mobile numbers.

Every view answers only for filings in the user's scope (`disclosure.scope`'s
filing policy through `portal.scope.ScopedViewSetMixin`): another department's
filing is a 404. Scheduling and issuing happen on the case page (`case_admin`).
"""

import uuid

import django_filters
from django.db import models
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusFlagColumn, TitleColumn
from wagtail.admin.views.generic import (
    IndexView,
    PermissionCheckedMixin,
    WagtailAdminTemplateMixin,
)
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton

from disclosure.models.staff import department_of
from portal.personal_data import RevealView
from portal.scope import ScopedViewSetMixin
from portal.sites import absolute_url
from services_catalog.inbox import clock
from services_catalog.inbox.case_admin import DueDateColumn
from services_catalog.inbox.models import (
    OPEN_STATES,
    Appointment,
    AppointmentStatus,
    Channel,
    Filing,
    FilingState,
)
from services_catalog.inbox.pre_review_views import (
    CASE_URL_NAME,
    AcceptAndCompleteView,
    AcceptView,
    PreReviewView,
    RefuseView,
    RequestSupplementView,
)
from services_catalog.inbox.receipts import receipt_pdf
from services_catalog.inbox.staff_forms import WalkInFilingForm
from services_catalog.inbox.views import (
    form_token_of,
    grant_access,
    receipt_context,
    submit_filing,
)

# ------------------------------------------------------------------ the queue


class DeskQueue(models.TextChoices):
    """The kinds of work waiting at the window (the tabs of the desk)."""

    NEW = "new", gettext_lazy("待预审")
    SUPPLEMENT = "supplement", gettext_lazy("待补正")
    SCHEDULE = "schedule", gettext_lazy("待安排约见勘查")
    ISSUE = "issue", gettext_lazy("待发文送达")


QUEUE_CLOCKS = {
    DeskQueue.NEW: clock.PRE_REVIEW,
    DeskQueue.SUPPLEMENT: None,  # the applicant's time: no clock runs
    DeskQueue.SCHEDULE: clock.HANDLING,
    DeskQueue.ISSUE: clock.ISSUE,
}
"""The deadline shown and flagged in each tab."""


def queue_filter(queue):
    """The filings waiting in `queue`."""
    if queue == DeskQueue.SCHEDULE:
        requested = Appointment.objects.filter(status=AppointmentStatus.REQUESTED)
        return Q(state__in=OPEN_STATES, pk__in=requested.values("filing_id"))
    state = {
        DeskQueue.NEW: FilingState.SUBMITTED,
        DeskQueue.SUPPLEMENT: FilingState.SUPPLEMENT_REQUESTED,
        DeskQueue.ISSUE: FilingState.COMPLETED,
    }[queue]
    return Q(state=state)


class DeskFilterSet(WagtailFilterSet):
    """The desk's tab (`queue`, the new filings unless another is asked for), the
    state of its deadline and the channel."""

    queue = django_filters.ChoiceFilter(
        label=gettext_lazy("窗口工作"),
        choices=DeskQueue.choices,
        empty_label=None,
        method="filter_queue",
    )
    due = django_filters.ChoiceFilter(
        label=gettext_lazy("期限"),
        choices=clock.DueFlag.choices,
        empty_label=gettext_lazy("全部"),
        method="filter_due",
    )
    channel = django_filters.ChoiceFilter(
        label=gettext_lazy("收件方式"),
        choices=Channel.choices,
        empty_label=gettext_lazy("全部"),
    )

    class Meta:
        model = Filing
        fields = ["queue", "due", "channel"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The new filings are the desk's default, not a filter the clerk applied.
        self.form.fields["queue"].initial = DeskQueue.NEW

    def filter_queue(self, queryset, name, value):
        return queryset.filter(queue_filter(value))

    def filter_due(self, queryset, name, value):
        running = QUEUE_CLOCKS[self.form.cleaned_data["queue"]]
        if running is None:
            return queryset.none()
        return queryset.filter(clock.flag_q(value, timezone.localdate(), running))


class DeskIndexView(IndexView):
    """The clerk's queue: one tab per `DeskQueue`, with Wagtail's header, search,
    filters, sorting and pagination."""

    any_permission_required = ["change"]
    page_title = gettext_lazy("窗口办公")
    filterset_class = DeskFilterSet
    inspect_url_name = None

    QUEUE_ORDERING = {
        DeskQueue.NEW: "pre_review_due_date",
        DeskQueue.SUPPLEMENT: "received_on",
        DeskQueue.SCHEDULE: "promised_due_date",
        DeskQueue.ISSUE: "issue_due_date",
    }

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("item", "department")

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        data = kwargs["data"].copy()
        if data.get("queue") not in DeskQueue.values:
            data["queue"] = DeskQueue.NEW
        return {**kwargs, "data": data}

    @cached_property
    def queue(self):
        return DeskQueue(self.filters.data["queue"])

    def filter_queryset(self, queryset):
        if not self.filters.is_valid():  # a bad deadline or channel value
            return queryset.filter(queue_filter(self.queue))
        return super().filter_queryset(queryset)

    def get_ordering(self):
        ordering = self.request.GET.get("ordering")
        if ordering in self.get_valid_orderings():
            return ordering
        return self.QUEUE_ORDERING[self.queue]

    def order_queryset(self, queryset):
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "pk")

    def row_url(self, filing):
        if self.queue in (DeskQueue.NEW, DeskQueue.SUPPLEMENT):
            return reverse(self.inspect_url_name, args=[filing.pk])
        return reverse(CASE_URL_NAME, args=[filing.pk])

    @cached_property
    def columns(self):
        columns = [
            TitleColumn(
                "tracking_number",
                label=_("受理编号"),
                sort_key="tracking_number",
                get_url=self.row_url,
            ),
            Column("item", label=_("办理事项"), accessor="item.title"),
            Column("applicant_name", label=_("申请人"), sort_key="applicant_name"),
            Column("channel", label=_("收件方式"), accessor="get_channel_display"),
            DateColumn("received_on", label=_("收到材料日期"), sort_key="received_on"),
        ]
        if running := QUEUE_CLOCKS[self.queue]:
            field = clock.CLOCKS[running][0]
            columns.append(
                DueDateColumn(field, running, label=clock.CLOCK_NAMES[running])
            )
        if self.queue == DeskQueue.NEW:
            columns.append(
                StatusFlagColumn(
                    "supplemented_at", label=_("补正"), true_label=_("已补正")
                )
            )
        return columns

    @cached_property
    def add_item_label(self):
        return _("窗口收件")

    def get_table(self, object_list):
        # The deadlines' flags are computed against one date for the whole page.
        table = super().get_table(object_list)
        table.today = timezone.localdate()
        return table

    def queue_tabs(self):
        base = self.get_base_queryset()
        counts = base.aggregate(
            **{
                queue.value: Count("pk", filter=queue_filter(queue))
                for queue in DeskQueue
            }
        )
        return [
            {
                "label": queue.label,
                "count": counts[queue.value],
                "url": f"{self.index_url}?{urlencode({'queue': queue.value})}",
                "current": queue == self.queue,
            }
            for queue in DeskQueue
        ]

    def get_context_data(self, *args, **kwargs):
        return super().get_context_data(*args, queue_tabs=self.queue_tabs(), **kwargs)


# ------------------------------------------------------------------ walk-in intake


def desk_items(user):
    """The live items of the user's department, for which the window takes
    filings (every department's for a superuser)."""
    from services_catalog.models import ServiceItemPage

    items = ServiceItemPage.objects.live().order_by("title")
    if user.is_superuser:
        return items
    department = department_of(user)
    if department is None:
        return items.none()
    return items.descendant_of(department)


class WalkInView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Walk-in intake (窗口收件): choose the item, then the same form as online,
    typed in by the clerk with the papers scanned; it ends on the receipt."""

    model = Filing
    permission_required = "add"
    template_name = "inbox/admin/desk/walk_in.html"
    page_title = gettext_lazy("窗口收件")
    header_icon = "doc-empty"
    index_url_name = None
    add_url_name = None
    receipt_url_name = None

    @cached_property
    def item(self):
        pk = self.request.GET.get("item")
        if pk is None:
            return None
        if not pk.isdigit():
            raise Http404
        return get_object_or_404(desk_items(self.request.user), pk=pk)

    def get_page_subtitle(self):
        return self.item.title if self.item else ""

    def get_breadcrumbs_items(self):
        items = [{"url": reverse(self.index_url_name), "label": _("窗口办公")}]
        if self.item:
            items.append({"url": reverse(self.add_url_name), "label": _("窗口收件")})
        return [
            *self.breadcrumbs_items,
            *items,
            {"url": "", "label": self.get_page_title(), "sublabel": ""},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.item is None:
            context["items"] = desk_items(self.request.user)
            context["add_url"] = reverse(self.add_url_name)
        else:
            context["item"] = self.item
            if "form" not in context:
                context["form"] = WalkInFilingForm(
                    self.item, form_token=uuid.uuid4(), user=self.request.user
                )
        return context

    def post(self, request, *args, **kwargs):
        if self.item is None:
            raise Http404
        token = form_token_of(request)
        filing = Filing.objects.filter(form_token=token).first()
        if filing is None:
            form = WalkInFilingForm(
                self.item,
                request.POST,
                request.FILES,
                form_token=token,
                user=request.user,
            )
            filing, code = submit_filing(
                form, self.item, channel=Channel.WINDOW, actor=request.user
            )
            if filing is None:
                return self.render_to_response(
                    self.get_context_data(form=form), status=400
                )
            if code is not None:
                grant_access(request, filing, code)
                messages.success(
                    request,
                    _("已收件，受理编号 %(number)s。请打印回执交申请人。")
                    % {"number": filing.tracking_number},
                )
        return redirect(self.receipt_url_name, filing.pk)


# ------------------------------------------------------------------ one filing


class DeskFilingView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """A desk page of one filing in the user's scope, for the window's clerks."""

    model = Filing
    permission_required = "change"
    index_url_name = None
    inspect_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = self.get_object()

    def get_object(self):
        return get_object_or_404(
            Filing.objects.select_related("item", "department"), pk=self.kwargs["pk"]
        )

    def get_page_subtitle(self):
        return self.object.tracking_number

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("窗口办公")},
            {
                "url": reverse(self.inspect_url_name, args=[self.object.pk]),
                "label": self.object.tracking_number,
            },
            {"url": "", "label": self.get_page_title(), "sublabel": ""},
        ]


class ReceiptView(DeskFilingView):
    """The receipt for the applicant, in the admin: the access code (shown in this
    session only, right after intake), the materials received, the QR code; with
    the PDF to print."""

    template_name = "inbox/admin/desk/receipt.html"
    page_title = gettext_lazy("收件回执")
    header_icon = "doc-full"
    receipt_pdf_url_name = None
    add_url_name = None

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                _("下载回执（PDF）"),
                url=reverse(self.receipt_pdf_url_name, args=[self.object.pk]),
                icon_name="download",
                priority=10,
            ),
            HeaderButton(
                _("预审"),
                url=reverse(self.inspect_url_name, args=[self.object.pk]),
                icon_name="tasks",
                priority=20,
            ),
            HeaderButton(
                _("继续收件"),
                url=reverse(self.add_url_name),
                icon_name="plus",
                priority=30,
            ),
        ]

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **receipt_context(self.request, self.object),
        }


class ReceiptPdfView(DeskFilingView):
    """The receipt as a PDF to print for the applicant."""

    def get(self, request, *args, **kwargs):
        pdf = receipt_pdf(receipt_context(request, self.object), request)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="receipt-{self.object.tracking_number}.pdf"'
        )
        return response


class NoticePrintView(DeskFilingView):
    """A one-time notice of the filing laid out for printing (`?notice=<id>`, the
    latest by default)."""

    template_name = "inbox/notice_print.html"

    def get_context_data(self, **kwargs):
        notices = self.object.supplement_requests.order_by("-created_at", "-pk")
        chosen = self.request.GET.get("notice")
        if chosen is not None:
            if not chosen.isdigit():
                raise Http404
            notices = notices.filter(pk=chosen)
        notice = notices.first()
        if notice is None:
            raise Http404
        lookup = reverse("inbox:lookup") + f"?number={self.object.tracking_number}"
        return {
            "filing": self.object,
            "notice": notice,
            "lookup_url": absolute_url(lookup, self.request),
        }


class FilingRevealView(PermissionCheckedMixin, RevealView):
    """The clerk's logged "show" of the applicant's full ID and mobile numbers
    (masked everywhere else)."""

    model = Filing
    permission_required = "change"
    inspect_url_name = None
    fields = (
        ("id_number", gettext_lazy("证件号码")),
        ("mobile", gettext_lazy("手机号码")),
    )

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.get_object(request, kwargs["pk"])  # out of scope: 404 before all else

    def get_object(self, request, pk):
        return get_object_or_404(Filing, pk=pk)

    def back_url(self, record):
        return reverse(self.inspect_url_name, args=[record.pk])


# ------------------------------------------------------------------ the viewset


class DeskViewSet(ScopedViewSetMixin, ModelViewSet):
    """The window desk (窗口办公): the queue, walk-in intake, pre-review with one
    action view per decision, the receipt, the notice and the reveal. Filings are
    never edited or deleted here: only `workflow` changes them."""

    model = Filing
    name = "desk"
    url_prefix = "chuangkou/desk"
    icon = "tasks"
    menu_label = gettext_lazy("窗口办公")
    menu_name = "inbox-desk"
    menu_order = 150
    add_to_admin_menu = True
    index_view_class = DeskIndexView
    index_results_template_name = "inbox/admin/desk/index_results.html"
    add_view_class = WalkInView
    inspect_view_class = PreReviewView
    inspect_view_enabled = True
    # Without them the viewset's (empty) list would show every column of the filing.
    inspect_view_fields = PreReviewView.fields
    copy_view_enabled = False
    search_fields = ["tracking_number", "applicant_name"]
    list_per_page = 50
    decision_views = {
        "accept": AcceptView,
        "request_supplement": RequestSupplementView,
        "refuse": RefuseView,
        "accept_and_complete": AcceptAndCompleteView,
    }

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            edit_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            inspect_url_name=self.get_url_name("inspect"),
            receipt_url_name=self.get_url_name("receipt"),
            receipt_pdf_url_name=self.get_url_name("receipt_pdf"),
            reveal_url_name=self.get_url_name("reveal"),
            notice_url_name=self.get_url_name("notice"),
            action_url_names={
                action: self.get_url_name(action) for action in self.decision_views
            },
            **kwargs,
        )

    @property
    def add_view(self):
        return self.construct_view(self.add_view_class)

    def register_admin_url_finder(self):
        """The case page, not the desk, is a filing's page in the admin."""

    def get_urlpatterns(self):
        view = self.construct_view
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/", self.add_view, name="add"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            *(
                path(
                    f"{action.replace('_', '-')}/<int:pk>/",
                    view(view_class),
                    name=action,
                )
                for action, view_class in self.decision_views.items()
            ),
            path("receipt/<int:pk>/", view(ReceiptView), name="receipt"),
            path("receipt/<int:pk>/pdf/", view(ReceiptPdfView), name="receipt_pdf"),
            path("notice/<int:pk>/", view(NoticePrintView), name="notice"),
            path("reveal/<int:pk>/", view(FilingRevealView), name="reveal"),
        ]
