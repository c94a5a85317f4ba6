"""Public views of consultations (咨询, DESIGN §5), under /banjian/zixun/.

- `ask`: the question form (no account; captcha, honeypot and rate limit like the
  other public forms), preselecting the item or department it was opened from;
  on success the asker's page with the tracking number and access code;
- `status`: the asker's page — the question, the answer limit and the answer — for
  the browser that proved the number and code (by asking, or on the lookup page,
  which finds consultations too) and for staff whose scope holds it;
- `public_list` and `public_detail`: the published questions and answers,
  redacted, searchable and paginated; the detail page is what the site search links.
"""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from wagtail.permissions import policy_registry

from portal.ratelimits import ALL_METHODS, ratelimit
from services_catalog.inbox import consultations
from services_catalog.inbox.consultation_forms import ConsultationForm
from services_catalog.inbox.models import Consultation
from services_catalog.inbox.views import SESSION_KEY, grant_access, held_access_code

PER_PAGE = 20
QUERY_MAX_LENGTH = 50


def _initial(request):
    """The department and item the form was opened from (`?item=CODE` or
    `?department=CODE`)."""
    from disclosure.models import DepartmentPage
    from services_catalog.models import ServiceItemPage

    initial = {}
    code = request.GET.get("item", "")
    item = ServiceItemPage.objects.live().filter(code=code).first() if code else None
    if item is not None:
        initial.update(item=item.pk, department=item.department.pk)
    elif (
        department := DepartmentPage.objects.live()
        .filter(code=request.GET.get("department", ""))
        .first()
    ):
        initial["department"] = department.pk
    return initial


@ratelimit("consultation")
def ask(request):
    """The online question form (网上咨询)."""
    if request.method == "POST":
        form = ConsultationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                consultation, code = consultations.ask(
                    data["department"],
                    item=data["item"],
                    name=data["name"],
                    mobile=data["mobile"],
                    email=data["email"],
                    question=data["question"],
                    limit=consultations.answer_workdays(request),
                )
            except consultations.RecordError as error:
                form.add_error(None, str(error))
            else:
                grant_access(request, consultation, code)
                return redirect("inbox:consultation", consultation.tracking_number)
    else:
        form = ConsultationForm(initial=_initial(request))
    return render(
        request,
        "inbox/consultation_ask.html",
        {"form": form, "limit": consultations.answer_workdays(request)},
        status=400 if form.errors else 200,
    )


def can_view(request, consultation):
    return consultation.tracking_number in request.session.get(
        SESSION_KEY, {}
    ) or policy_registry.get_by_type(Consultation).user_has_permission_for_instance(
        request.user, "view", consultation
    )


def status(request, tracking_number):
    """The consultation as its asker sees it."""
    consultation = get_object_or_404(
        Consultation.objects.select_related("department", "item", "division"),
        tracking_number=tracking_number,
    )
    if not can_view(request, consultation):
        return redirect(reverse("inbox:lookup") + f"?number={tracking_number}")
    return render(
        request,
        "inbox/consultation_status.html",
        {
            "consultation": consultation,
            "view": consultations.asker_view(consultation),
            "access_code": held_access_code(request, consultation),
        },
    )


@ratelimit("consultation_list", method=ALL_METHODS)
def public_list(request):
    """The published questions and answers (咨询问答), searchable, by department
    and item, newest first."""
    from disclosure.models import DepartmentPage
    from services_catalog.models import ServiceItemPage

    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    department_code = request.GET.get("department", "")
    item_code = request.GET.get("item", "")
    department = (
        DepartmentPage.objects.live().filter(code=department_code).first()
        if department_code
        else None
    )
    item = (
        ServiceItemPage.objects.live().filter(code=item_code).first()
        if item_code
        else None
    )
    found = consultations.published(department=department, item=item, query=query)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "inbox/consultation_list.html",
        {
            "page_obj": page,
            "questions": [consultations.public_view(c) for c in page.object_list],
            "query": query,
            "department": department,
            "item": item,
            "departments": DepartmentPage.objects.live().order_by("path"),
            "limit": consultations.answer_workdays(request),
        },
    )


def public_detail(request, pk):
    """One published question and answer."""
    consultation = get_object_or_404(
        Consultation.objects.published().select_related("department", "item"), pk=pk
    )
    return render(
        request,
        "inbox/consultation_detail.html",
        {
            "consultation": consultation,
            "question": consultations.public_view(consultation),
        },
    )
