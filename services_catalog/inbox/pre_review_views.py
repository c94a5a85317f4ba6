"""Pre-review at the window desk (初审): the desk viewset's inspect view and one
action view per decision (`desk_views.DeskViewSet` registers them).

The page shows the filing (ID and mobile masked), its uploads, one-time notices and
timeline, and, while it waits for pre-review, the checklist with the decisions:
accept, the one-time notice, refusal and, for 即办件, accept-and-complete. Each
decision posts to its own view, which calls `workflow` with the version the page
showed; bad input, a decision the workflow refuses or a filing someone else moved
meanwhile bring the page back with the message and what the clerk entered.
"""

from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.views.generic import InspectView
from wagtail.admin.widgets import HeaderButton

from portal.masking import mask_id_number, mask_mobile
from services_catalog.inbox import clock, workflow
from services_catalog.inbox.models import Filing, FilingState, MaterialStatus
from services_catalog.inbox.staff_forms import MaterialCheckForm, PreReviewForm

CASE_URL_NAME = "inbox_cases:inspect"
"""The case page, where the window schedules appointments and issues results."""


def checklist_forms(filing, data=None):
    """(material, form) rows of the pre-review checklist, each form prefilled
    with the material's status (received if a file came with it)."""
    rows = []
    for material in filing.materials.prefetch_related("uploads"):
        status = material.status
        if status == MaterialStatus.PENDING:
            status = (
                MaterialStatus.RECEIVED
                if material.uploads.all()
                else MaterialStatus.MISSING
            )
        form = MaterialCheckForm(
            data,
            prefix=f"m{material.pk}",
            initial={"status": status, "note": material.note},
        )
        rows.append((material, form))
    return rows


class PreReviewView(InspectView):
    """Pre-review (初审): the filing as the applicant filed it (ID and mobile
    masked), its uploads, notices and timeline, and — while it waits for
    pre-review — the checklist with the decisions, each posting to its action
    view with the version shown here."""

    model = Filing
    permission_required = "change"
    any_permission_required = None
    template_name = "inbox/admin/desk/pre_review.html"
    page_title = gettext_lazy("预审")
    header_icon = "tasks"
    fields = [
        "item",
        "state",
        "applicant_type",
        "applicant_name",
        "id_number",
        "mobile",
        "email",
        "address",
        "statement",
        "channel",
        "submitted_at",
        "received_on",
        "pre_review_due_date",
        "promised_due_date",
        "statutory_due_date",
    ]
    action_url_names = {}
    inspect_url_name = None
    reveal_url_name = None
    notice_url_name = None

    def get_object(self, queryset=None):
        return get_object_or_404(
            Filing.objects.select_related("item", "department"), pk=self.pk
        )

    def get_page_subtitle(self):
        return self.object.tracking_number

    def get_id_number_display_value(self):
        return mask_id_number(self.object.id_number)

    def get_mobile_display_value(self):
        return mask_mobile(self.object.mobile)

    def get_pre_review_due_date_display_value(self):
        due = self.object.pre_review_due_date
        if due is None:
            return "—"
        status = clock.status_of(self.object, timezone.localdate(), clock.PRE_REVIEW)
        if status and status[0] in (clock.DUE_SOON, clock.OVERDUE):
            return _("%(date)s（%(status)s）") % {
                "date": f"{due:%Y-%m-%d}",
                "status": clock.LABELS[status[0]],
            }
        return f"{due:%Y-%m-%d}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("窗口办公")},
            {
                "url": "",
                "label": self.get_page_title(),
                "sublabel": self.get_page_subtitle(),
            },
        ]

    @cached_property
    def header_buttons(self):
        if self.object.state in (
            FilingState.SUBMITTED,
            FilingState.SUPPLEMENT_REQUESTED,
        ):
            return []
        return [
            HeaderButton(
                _("办件页"),
                url=reverse(CASE_URL_NAME, args=[self.object.pk]),
                icon_name="list-ul",
            )
        ]

    def get_context_data(self, checklist=None, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        filing = self.object
        can_decide = filing.state == FilingState.SUBMITTED
        context.update(
            filing=filing,
            can_decide=can_decide,
            is_immediate=filing.item.is_immediate,
            checklist=checklist or checklist_forms(filing),
            form=form or PreReviewForm(initial={"version": filing.version}),
            action_urls={
                action: reverse(name, args=[filing.pk])
                for action, name in self.action_url_names.items()
            },
            implicit_submit=IMPLICIT_SUBMIT,
            reveal_url=reverse(self.reveal_url_name, args=[filing.pk]),
            notice_url=reverse(self.notice_url_name, args=[filing.pk]),
            uploads=filing.uploads.select_related("material"),
            notices=filing.supplement_requests.order_by("created_at"),
            events=filing.events.all(),
        )
        return context


IMPLICIT_SUBMIT = "implicit_submit"
"""The name of the pre-review form's first, invisible button, the one a browser
presses when Enter is typed in a field: no decision is taken by it."""


class PreReviewActionView(PreReviewView):
    """POST one pre-review decision; on bad input or a filing someone else moved
    meanwhile (`workflow.check_version`), the pre-review page comes back with the
    message and what the clerk entered."""

    http_method_names = ["post"]
    action = None

    def perform(self, checklist, data):
        """Call the workflow; return the success message."""
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        checklist = checklist_forms(self.object, request.POST)
        if IMPLICIT_SUBMIT in request.POST:
            # Enter typed in a field: the page comes back as it was typed.
            messages.warning(
                request, _("按回车键不会作出决定；请核对后点击所作决定的按钮。")
            )
            form = PreReviewForm(request.POST)
            return self.page_back(checklist, form, status=200)
        form = PreReviewForm(request.POST, action=self.action)
        valid = form.is_valid()
        valid = all([row.is_valid() for _material, row in checklist]) and valid
        if not valid:
            return self.page_back(checklist, form, status=400)
        entries = [
            workflow.ChecklistEntry(
                material, row.cleaned_data["status"], row.cleaned_data["note"]
            )
            for material, row in checklist
        ]
        try:
            workflow.check_version(self.object, form.cleaned_data["version"])
            message = self.perform(entries, form.cleaned_data)
        except workflow.TransitionError as error:
            form.add_error(None, str(error))
            self.object = self.get_object()  # as it is now
            return self.page_back(checklist, form, status=409)
        messages.success(request, message)
        return redirect(self.inspect_url_name, self.object.pk)

    def page_back(self, checklist, form, status):
        return TemplateResponse(
            self.request,
            self.get_template_names(),
            self.get_context_data(checklist=checklist, form=form),
            status=status,
        )


class AcceptView(PreReviewActionView):
    action = "accept"

    def perform(self, checklist, data):
        workflow.accept_filing(
            self.object, self.request.user, checklist, data["comment"]
        )
        return _("已受理，办结时限开始计算。")


class RequestSupplementView(PreReviewActionView):
    action = "request_supplement"

    def perform(self, checklist, data):
        workflow.request_supplement(
            self.object, self.request.user, checklist, data["notice_note"]
        )
        return _("一次性告知书已发出，请打印交申请人或寄送。")


class RefuseView(PreReviewActionView):
    action = "refuse"

    def perform(self, checklist, data):
        workflow.refuse_filing(
            self.object,
            self.request.user,
            data["refusal_reason"],
            data["refusal_basis"],
            checklist,
        )
        return _("已作出不予受理决定。")


class AcceptAndCompleteView(PreReviewActionView):
    """即办件: accept and decide at the window in one step."""

    action = "accept_and_complete"

    def perform(self, checklist, data):
        workflow.accept_and_complete(
            self.object,
            self.request.user,
            data["decision"],
            data["decision_reason"],
            checklist,
        )
        return _("即办件已当场受理并办结，请发文送达。")
