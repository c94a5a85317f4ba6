"""Admin views of filing handling and supervision (窗口办公 → 办件, 监察室).

The case list is `case_admin.FilingViewSet`.

- `case_detail` — one filing: details, timeline, notes, appointments, and the
  actions the user's role allows on it now (each posted with the version the user
  saw, so a stale page never overwrites a newer decision).
- `result_download` — the result document, for those who may see the filing.
- `dashboard`, `urging_list`, `complaint_list`/`complaint_detail`,
  `accountability_list` — the inspection office (监察室), read-only on filings.
- `statistics_export` — the department's monthly statistics workbook.

Every filing outside the user's scope is a 404 (`access.get_visible`).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.models import DivisionPage, Person, Post
from disclosure.models.staff import division_of
from portal.models import PersonalDataAccess
from services_catalog.inbox import (
    access,
    clock,
    exports,
    outgoing,
    supervision,
    workflow,
)
from services_catalog.inbox.models import (
    AccountabilityRecord,
    AppointmentStatus,
    Complaint,
    Filing,
    FilingState,
    NoteKind,
    UrgingNotice,
)
from services_catalog.inbox.staff_forms import (
    AccountabilityForm,
    AppointmentRequestForm,
    AppointmentScheduleForm,
    ComplaintHandlingForm,
    CompletionForm,
    ExtensionForm,
    InstructionForm,
    IssueForm,
    NoteForm,
    SuspendForm,
    UrgingAnswerForm,
    UrgingForm,
    VersionedForm,
)
from services_catalog.inbox.wording import ACTION_LABELS

PAGE_SIZE = 50


def _require_inbox_staff(request):
    if not access.is_staff_of_inbox(request.user):
        raise PermissionDenied


def _divisions_of(department):
    if department is None:
        return DivisionPage.objects.none()
    return DivisionPage.objects.child_of(department).order_by("path")


# ------------------------------------------------------------------ one filing


def _allowed_actions(user, filing):
    """{action: form class} of what `user` may do on `filing` now."""
    state = filing.state
    actions = {}
    lead, co = access.is_lead_handler(user, filing), access.is_co_handler(user, filing)
    if access.is_director(user, filing) and state == FilingState.ACCEPTED:
        actions["instruct"] = InstructionForm
    if access.may_extend(user, filing):
        actions["extend"] = ExtensionForm
    if lead and state in (FilingState.ASSIGNED, FilingState.IN_PROGRESS):
        actions.update(
            progress=NoteForm,
            request_appointment=AppointmentRequestForm,
            suspend=SuspendForm,
            complete=CompletionForm,
        )
    if lead and state == FilingState.SUSPENDED:
        actions.update(progress=NoteForm, resume=VersionedForm)
    if (
        co
        and not lead
        and state
        in workflow.TRANSITIONS["suspend"][0]
        | {
            FilingState.ASSIGNED,
            FilingState.SUSPENDED,
        }
    ):
        actions["opinion"] = NoteForm
    if access.is_clerk(user, filing):
        if filing.appointments.filter(status=AppointmentStatus.REQUESTED).exists():
            actions["schedule_appointment"] = AppointmentScheduleForm
        if state == FilingState.COMPLETED:
            actions["issue"] = IssueForm
        if state == FilingState.ISSUED:
            actions["collect"] = VersionedForm
    return actions


def _form_kwargs(action, filing):
    if action == "instruct":
        return {"divisions": _divisions_of(filing.department)}
    if action == "issue":
        return {"document_types": outgoing.document_types(filing.department)}
    return {}


def _perform(action, request, filing, form):
    user, data = request.user, form.cleaned_data
    if action == "instruct":
        workflow.instruct_filing(
            filing,
            user,
            data["lead_division"],
            data["co_divisions"],
            data["instruction"],
        )
    elif action in ("progress", "opinion"):
        division = (
            filing.lead_division
            if action == "progress"
            else division_of(user) or filing.lead_division
        )
        kind = NoteKind.PROGRESS if action == "progress" else NoteKind.OPINION
        workflow.add_note(filing, user, division, data["text"], kind)
    elif action == "request_appointment":
        workflow.request_appointment(filing, user, data["kind"], data["purpose"])
    elif action == "schedule_appointment":
        appointment = get_object_or_404(filing.appointments, pk=data["appointment"])
        workflow.schedule_appointment(
            appointment, user, data["starts_at"], data["place"]
        )
    elif action == "extend":
        workflow.extend_filing(filing, user, data["reason"])
    elif action == "suspend":
        workflow.suspend_filing(
            filing, user, data["kind"], data["reason"], data["expected_days"]
        )
    elif action == "resume":
        workflow.resume_filing(filing, user)
    elif action == "complete":
        workflow.complete_filing(
            filing,
            user,
            data["decision"],
            data["decision_reason"],
            data.get("document"),
        )
    elif action == "issue":
        workflow.issue_result(
            filing,
            user,
            data["delivery"],
            data["mail_carrier"],
            data["mail_tracking_number"],
            data["document_type"],
        )
    elif action == "collect":
        workflow.record_collection(filing, user)


ACTION_DONE = {
    "instruct": gettext_lazy("已批办,已通知承办处室。"),
    "progress": gettext_lazy("已记录办理进展。"),
    "opinion": gettext_lazy("协办意见已送牵头处室。"),
    "request_appointment": gettext_lazy("已向窗口提出约见或勘查申请。"),
    "schedule_appointment": gettext_lazy("已安排,申请人可在查询页看到时间和地点。"),
    "extend": gettext_lazy("已批准延长办理期限，已告知申请人。"),
    "suspend": gettext_lazy("已启动特别程序，暂停计时；请打印特别程序告知书交申请人。"),
    "resume": gettext_lazy("已恢复计时,办结日期已顺延。"),
    "complete": gettext_lazy("已办结,转窗口发文。"),
    "issue": gettext_lazy("已发文。"),
    "collect": gettext_lazy("已登记领取。"),
}


def case_detail(request, pk):
    """One filing as staff see it, with the actions of the user's role."""
    _require_inbox_staff(request)
    filing = access.get_visible(
        request.user,
        pk,
        Filing.objects.select_related("item", "department", "lead_division"),
    )
    allowed = _allowed_actions(request.user, filing)
    bound_action, bound_form = None, None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in allowed:
            messages.error(request, _("您无权执行此操作,或本件当前状态不允许。"))
            return redirect("inbox_desk:case", filing.pk)
        form = allowed[action](
            request.POST, request.FILES, **_form_kwargs(action, filing)
        )
        if form.is_valid():
            try:
                workflow.check_version(filing, form.cleaned_data["version"])
                _perform(action, request, filing, form)
            except workflow.TransitionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, ACTION_DONE[action])
                return redirect("inbox_desk:case", filing.pk)
        bound_action, bound_form = action, form
    forms = []
    for action, form_class in allowed.items():
        if action == bound_action:
            form = bound_form
        else:
            form = form_class(
                initial={"version": filing.version}, **_form_kwargs(action, filing)
            )
        forms.append((action, ACTION_LABELS[action], form))
    requested = filing.appointments.filter(status=AppointmentStatus.REQUESTED)
    return render(
        request,
        "inbox/admin/case_detail.html",
        {
            "page_title": _("办件 %(number)s") % {"number": filing.tracking_number},
            "header_icon": "doc-full",
            "filing": filing,
            "clock": clock.status_of(filing, timezone.localdate()),
            "labels": clock.LABELS,
            "forms": forms,
            "requested_appointments": requested,
            "appointments": filing.appointments.all(),
            "notes": filing.notes.select_related("division"),
            "events": filing.events.all(),
            "co_divisions": filing.co_divisions.all(),
            "uploads": filing.uploads.select_related("material"),
            "urgings": filing.urging_notices.select_related("division"),
        },
        status=400 if bound_form is not None else 200,
    )


def result_download(request, pk):
    _require_inbox_staff(request)
    filing = access.get_visible(request.user, pk)
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
