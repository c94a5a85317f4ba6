"""Admin views of filing handling and supervision (窗口办公 → 办件, 监察室).

The case list and the case page are `case_admin.FilingViewSet`.

- `dashboard`, `urging_list`, `complaint_list`/`complaint_detail`,
  `accountability_list` — the inspection office (监察室), read-only on filings.
- `statistics_export` — the department's monthly statistics workbook.

Every filing outside the user's scope is a 404 (`access.get_visible`).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.models import DivisionPage, Person, Post
from disclosure.models.staff import division_of
from services_catalog.inbox import (
    access,
    exports,
    supervision,
)
from services_catalog.inbox.models import (
    AccountabilityRecord,
    Complaint,
    Filing,
    UrgingNotice,
)
from services_catalog.inbox.staff_forms import (
    AccountabilityForm,
    ComplaintHandlingForm,
    UrgingAnswerForm,
    UrgingForm,
)

PAGE_SIZE = 50


def _require_inbox_staff(request):
    if not access.is_staff_of_inbox(request.user):
        raise PermissionDenied


def _divisions_of(department):
    if department is None:
        return DivisionPage.objects.none()
    return DivisionPage.objects.child_of(department).order_by("path")


# ------------------------------------------------------------------ supervision


def _supervised(request):
    """The department the user supervises; 403 for everyone else."""
    department = access.supervised_department(request.user)
    if department is None:
        raise PermissionDenied
    return department


def dashboard(request):
    """监察室: the department's open filings, deadlines, on-time rate, handling time
    and ratings per division (a constant number of queries)."""
    department = _supervised(request)
    today = timezone.localdate()
    return render(
        request,
        "inbox/admin/dashboard.html",
        {
            "page_title": _("监察室 · 督办"),
            "header_icon": "view",
            "department": department,
            "board": supervision.dashboard(department, today),
            "today": today,
        },
    )


def statistics_export(request):
    department = _supervised(request)
    today = timezone.localdate()
    return exports.xlsx_response(
        exports.statistics_workbook(department, today),
        f"tongji-{department.code}-{today:%Y%m}.xlsx",
    )


def urging_list(request):
    """督办单: supervisors issue them; the division's handlers answer."""
    _require_inbox_staff(request)
    user = request.user
    department = access.supervised_department(user)
    division = division_of(user)
    if department is not None:
        notices = UrgingNotice.objects.filter(department=department)
    elif division is not None and user.has_perm(access.HANDLER_PERM):
        notices = UrgingNotice.objects.filter(division=division)
    else:
        raise PermissionDenied
    form = None
    if department is not None:
        form = UrgingForm(
            request.POST if request.POST.get("action") == "issue" else None,
            divisions=_divisions_of(department),
        )
    if request.method == "POST":
        if request.POST.get("action") == "issue" and form is not None:
            if form.is_valid():
                number = form.cleaned_data["tracking_number"].strip()
                filing = _department_filing(department, number)
                if number and filing is None:
                    form.add_error("tracking_number", _("本部门没有这个受理编号。"))
                else:
                    _issue_urging(request, department, filing, form.cleaned_data)
                    return redirect("inbox_desk:urging")
        elif request.POST.get("action") == "answer":
            notice_pk = request.POST.get("notice", "")
            if not notice_pk.isdigit():
                raise Http404
            notice = get_object_or_404(
                notices.filter(answered_at__isnull=True), pk=notice_pk
            )
            if division is None or notice.division_id != division.pk:
                raise PermissionDenied
            answer = UrgingAnswerForm(request.POST)
            if answer.is_valid():
                UrgingNotice.objects.filter(pk=notice.pk, answered_at=None).update(
                    answer=answer.cleaned_data["answer"],
                    answered_by=user,
                    answered_at=timezone.now(),
                )
                messages.success(request, _("督办单已答复。"))
                return redirect("inbox_desk:urging")
            messages.error(request, _("请填写答复内容。"))
    return render(
        request,
        "inbox/admin/urging_list.html",
        {
            "page_title": _("督办单"),
            "header_icon": "warning",
            "notices": Paginator(
                notices.select_related("division", "filing", "issued_by"),
                PAGE_SIZE,
            ).get_page(request.GET.get("page")),
            "form": form,
            "can_answer": division is not None and user.has_perm(access.HANDLER_PERM),
            "answer_form": UrgingAnswerForm(),
        },
    )


def _department_filing(department, tracking_number):
    """The department's filing with this tracking number, or None (also for "")."""
    if not tracking_number:
        return None
    return Filing.objects.filter(
        department=department, tracking_number=tracking_number
    ).first()


def _issue_urging(request, department, filing, data):
    from services_catalog.inbox import notify

    notice = UrgingNotice.objects.create(
        department=department,
        division=data["division"],
        filing=filing,
        text=data["text"],
        reply_by=data["reply_by"],
        issued_by=request.user,
    )
    notify.tell_divisions(
        [notice.division],
        filing,
        _("督办单:%(text)s(请于 %(day)s 前答复)")
        % {"text": notice.text, "day": f"{notice.reply_by:%Y-%m-%d}"},
    )
    messages.success(request, _("督办单已发出。"))


def complaint_list(request):
    department = _supervised(request)
    complaints = Complaint.objects.filter(department=department).select_related(
        "division", "person", "filing"
    )
    status = request.GET.get("status", "")
    if status:
        complaints = complaints.filter(status=status)
    return render(
        request,
        "inbox/admin/complaint_list.html",
        {
            "page_title": _("投诉"),
            "header_icon": "mail",
            "page": Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("p")),
            "status": status,
        },
    )


def complaint_detail(request, pk):
    department = _supervised(request)
    complaint = get_object_or_404(Complaint, pk=pk, department=department)
    form = ComplaintHandlingForm(
        request.POST or None,
        initial={"status": complaint.status, "handling": complaint.handling},
    )
    if request.method == "POST" and form.is_valid():
        complaint.status = form.cleaned_data["status"]
        complaint.handling = form.cleaned_data["handling"]
        complaint.handled_by = request.user
        complaint.handled_at = timezone.now()
        complaint.save()
        messages.success(request, _("投诉处理情况已保存。"))
        return redirect("inbox_desk:complaints")
    return render(
        request,
        "inbox/admin/complaint_detail.html",
        {
            "page_title": _("投诉 %(pk)s") % {"pk": complaint.pk},
            "header_icon": "mail",
            "complaint": complaint,
            "form": form,
        },
    )


def accountability_list(request):
    department = _supervised(request)
    posts = Post.objects.filter(division__in=_divisions_of(department)).select_related(
        "division"
    )
    form = AccountabilityForm(
        request.POST or None,
        initial={"decided_on": timezone.localdate()},
        posts=posts,
        people=Person.objects.filter(department=department),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        number = data["tracking_number"].strip()
        filing = _department_filing(department, number)
        if number and filing is None:
            form.add_error("tracking_number", _("本部门没有这个受理编号。"))
        else:
            AccountabilityRecord.objects.create(
                department=department,
                post=data["post"],
                person=data["person"],
                filing=filing,
                finding=data["finding"],
                measure=data["measure"],
                decided_on=data["decided_on"],
                recorded_by=request.user,
            )
            messages.success(request, _("责任追究记录已保存。"))
            return redirect("inbox_desk:accountability")
    records = Paginator(
        AccountabilityRecord.objects.filter(department=department).select_related(
            "post", "person", "filing"
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "inbox/admin/accountability_list.html",
        {
            "page_title": _("责任追究"),
            "header_icon": "warning",
            "records": records,
            "form": form,
            "complaint_counts": Complaint.objects.filter(department=department)
            .values("status")
            .annotate(n=Count("pk")),
        },
    )
