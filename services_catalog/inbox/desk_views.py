"""The window desk in the Wagtail admin (收发文窗口, 窗口办公): the queue of new
filings, walk-in intake at the counter, pre-review (accept, refuse or the one-time
notice) and the notice laid out for printing.

Every view is for the department's clerks: another department's filing is a 404 and
superusers see all. The case list and case page are in `case_views`.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.models.staff import department_of
from portal.personal_data import RevealView
from services_catalog.inbox import workflow
from services_catalog.inbox.models import (
    Channel,
    Filing,
    FilingState,
    MaterialStatus,
)
from services_catalog.inbox.staff_forms import (
    DecisionForm,
    MaterialCheckForm,
    WalkInFilingForm,
)
from services_catalog.inbox.views import _form_token, grant_access, submit_filing


def _desk_filings(user):
    filings = Filing.objects.select_related("item", "department")
    if user.is_superuser:
        return filings
    department = department_of(user)
    if department is None or not user.has_perm("inbox.view_filing"):
        return filings.none()
    return filings.filter(department=department)


def _require_clerk(request):
    if not (request.user.is_superuser or request.user.has_perm("inbox.change_filing")):
        raise PermissionDenied


QUEUE_PAGE_SIZE = 50


def desk_queue(request):
    """New filings waiting for pre-review, oldest first, with their age."""
    _require_clerk(request)
    filings = _desk_filings(request.user)
    now = timezone.now()
    queue = Paginator(
        filings.filter(state=FilingState.SUBMITTED).order_by("submitted_at", "pk"),
        QUEUE_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    for filing in queue:
        filing.age = now - (filing.supplemented_at or filing.submitted_at)
    return render(
        request,
        "inbox/admin/queue.html",
        {
            "page_title": _("窗口办公"),
            "header_title": _("窗口办公"),
            "header_icon": "tasks",
            "queue": queue,
            "waiting": filings.filter(state=FilingState.SUPPLEMENT_REQUESTED).order_by(
                "submitted_at"
            ),
            "recent": filings.filter(
                state__in=[FilingState.ACCEPTED, FilingState.REFUSED]
            ).order_by("-decided_at")[:20],
        },
    )


def _desk_items(user):
    from services_catalog.models import ServiceItemPage

    items = ServiceItemPage.objects.live().order_by("title")
    if user.is_superuser:
        return items
    department = department_of(user)
    if department is None:
        return items.none()
    return items.descendant_of(department)


def walk_in(request, item_id=None):
    """Log a filing handed in at the counter: choose the item, then the form."""
    _require_clerk(request)
    items = _desk_items(request.user)
    if item_id is None:
        return render(
            request,
            "inbox/admin/walk_in_items.html",
            {"page_title": _("窗口收件"), "header_icon": "doc-empty", "items": items},
        )
    item = get_object_or_404(items, pk=item_id)
    if request.method == "POST":
        token = _form_token(request)
        existing = Filing.objects.filter(form_token=token).first()
        if existing is not None:
            return redirect("inbox:receipt", existing.tracking_number)
        form = WalkInFilingForm(
            item, request.POST, request.FILES, form_token=token, user=request.user
        )
        filing, code = submit_filing(
            form, item, channel=Channel.WINDOW, actor=request.user
        )
        if filing is not None and code is None:
            return redirect("inbox:receipt", filing.tracking_number)
        if filing is not None:
            grant_access(request, filing, code)
            messages.success(
                request,
                _("已收件,受理编号 %(number)s。请打印回执交申请人。")
                % {"number": filing.tracking_number},
            )
            return redirect("inbox:receipt", filing.tracking_number)
    else:
        form = WalkInFilingForm(item, form_token=uuid.uuid4(), user=request.user)
    return render(
        request,
        "inbox/admin/walk_in.html",
        {
            "page_title": _("窗口收件:%(item)s") % {"item": item.title},
            "header_icon": "doc-empty",
            "item": item,
            "form": form,
        },
    )


def _checklist_forms(filing, data=None):
    return [
        (
            material,
            MaterialCheckForm(
                data,
                prefix=f"m{material.pk}",
                initial={
                    "status": material.status
                    if material.status != MaterialStatus.PENDING
                    else MaterialStatus.RECEIVED
                    if material.uploads.exists()
                    else MaterialStatus.MISSING,
                    "note": material.note,
                },
            ),
        )
        for material in filing.materials.prefetch_related("uploads")
    ]


def pre_review(request, pk):
    """Pre-review (初审): tick each material, then accept, refuse or send the notice."""
    _require_clerk(request)
    filing = get_object_or_404(_desk_filings(request.user), pk=pk)
    data = request.POST if request.method == "POST" else None
    checklist = _checklist_forms(filing, data)
    decision = DecisionForm(data)
    if data is not None and filing.state == FilingState.SUBMITTED:
        if decision.is_valid() and all(form.is_valid() for _m, form in checklist):
            entries = [
                workflow.ChecklistEntry(
                    material, form.cleaned_data["status"], form.cleaned_data["note"]
                )
                for material, form in checklist
            ]
            action = decision.cleaned_data["action"]
            try:
                if action == "accept":
                    workflow.accept_filing(
                        filing, request.user, entries, decision.cleaned_data["comment"]
                    )
                    messages.success(request, _("已受理,办结时限开始计算。"))
                elif action == "refuse":
                    workflow.refuse_filing(
                        filing,
                        request.user,
                        decision.cleaned_data["refusal_reason"],
                        decision.cleaned_data["refusal_basis"],
                        entries,
                    )
                    messages.success(request, _("已作出不予受理决定。"))
                else:
                    workflow.request_supplement(
                        filing,
                        request.user,
                        entries,
                        decision.cleaned_data["notice_note"],
                    )
                    messages.success(request, _("一次性告知书已发出。"))
            except workflow.TransitionError as error:
                decision.add_error(None, str(error))
            else:
                return redirect("inbox_desk:pre_review", filing.pk)
    return render(
        request,
        "inbox/admin/pre_review.html",
        {
            "page_title": _("预审:%(number)s") % {"number": filing.tracking_number},
            "header_icon": "tasks",
            "filing": filing,
            "checklist": checklist,
            "decision": decision,
            "uploads": filing.uploads.select_related("material"),
            "events": filing.events.all(),
            "notices": filing.supplement_requests.all(),
            "can_decide": filing.state == FilingState.SUBMITTED,
        },
        status=400 if decision.errors else 200,
    )


def notice_print(request, pk, notice_pk):
    """The one-time notice laid out for printing (admin)."""
    _require_clerk(request)
    filing = get_object_or_404(_desk_filings(request.user), pk=pk)
    notice = get_object_or_404(filing.supplement_requests, pk=notice_pk)
    return render(
        request, "inbox/notice_print.html", {"filing": filing, "notice": notice}
    )


class FilingRevealView(RevealView):
    """The window clerk's logged "show" of an applicant's full ID and mobile
    numbers on the pre-review page (masked everywhere else)."""

    fields = (
        ("id_number", gettext_lazy("证件号码")),
        ("mobile", gettext_lazy("手机号码")),
    )

    def get_object(self, request, pk):
        _require_clerk(request)
        return get_object_or_404(_desk_filings(request.user), pk=pk)

    def back_url(self, record):
        return reverse("inbox_desk:pre_review", args=[record.pk])
