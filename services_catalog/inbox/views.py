"""Views of the filing inbox.

Public (no account): the online application form (rendered by the item page's
`apply/` route, posting to `inbox:apply`), the receipt page and PDF (rendered by the
worker, `receipts`), the lookup, the status page with the supplement upload and
withdrawal, the download of materials, and once the result is issued its document
and the result notice (办理结果通知书) as a PDF.

The window desk's admin views are in `desk_views` (its viewset) and `case_admin`.

Who may see a filing's page and files: staff whose scope holds the filing (the
filing policy registered for `Filing`: the department's clerk, director and
supervisor, the lead and co-divisions' handlers), or a browser session that proved
the tracking number and access code (by submitting the form or by a lookup). The
applicant rates a completed filing from its status page; anyone may complain
through the public form.
"""

import uuid
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.permissions import policy_registry

from disclosure.models import DepartmentPage
from portal import encryption
from portal.models import PersonalDataAccess
from portal.ratelimits import ratelimit
from portal.shared import shared
from services_catalog.inbox import receipts, records, workflow
from services_catalog.inbox.blank_form import blank_form_page, is_blank_for
from services_catalog.inbox.codes import find_by_code, find_filing
from services_catalog.inbox.forms import (
    ComplaintForm,
    FilingForm,
    LookupForm,
    RatingForm,
    SupplementForm,
    WithdrawForm,
)
from services_catalog.inbox.lookup import applicant_view
from services_catalog.inbox.models import Consultation, Filing, FilingUpload
from services_catalog.inbox.own_data import own_data, own_data_pdf
from services_catalog.models import ServiceItemPage

SESSION_KEY = "inbox_filings"


# ------------------------------------------------------------------ access


def grant_access(request, filing, access_code=""):
    """Remember in the session that this browser holds the filing's (or a
    consultation's) number and code; the code itself is kept, encrypted, only to show
    it again on the receipt."""
    held = request.session.get(SESSION_KEY, {})
    if access_code:
        held[filing.tracking_number] = encryption.encrypt(access_code)
    else:
        held.setdefault(filing.tracking_number, "")
    request.session[SESSION_KEY] = held


def held_access_code(request, filing):
    """The access code this browser received when it submitted `filing`, else ""."""
    held = request.session.get(SESSION_KEY, {}).get(filing.tracking_number, "")
    return encryption.decrypt(held) if held else ""


def can_view(request, filing):
    return filing.tracking_number in request.session.get(
        SESSION_KEY, {}
    ) or policy_registry.get_by_type(Filing).user_has_permission_for_instance(
        request.user, "view", filing
    )


def _filing_for_applicant(request, tracking_number):
    """The filing, if this browser may see it, with its item and department pages
    as this worker process keeps them (`portal.shared`): read once per generation,
    not joined into every look-up."""
    filing = get_object_or_404(Filing, tracking_number=tracking_number)
    filing.item = _shared_page(request, ServiceItemPage, filing.item_id)
    filing.department = _shared_page(request, DepartmentPage, filing.department_id)
    if not can_view(request, filing):
        raise PermissionDenied
    return filing


def _shared_page(request, model, pk):
    key = ("inbox-page", model._meta.label, pk)
    return shared(request, key, partial(model.objects.get, pk=pk))


def form_token_of(request):
    """The one-time token the posted form carries (a new one if it is missing)."""
    try:
        return uuid.UUID(request.POST.get("form_token", ""))
    except ValueError:
        return uuid.uuid4()


# ------------------------------------------------------------------ online filing


@ratelimit("filing")
def apply_online(request, item):
    """The online application form of `item` (its page's `apply/` route)."""
    if not item.online:
        return render(
            request,
            "services_catalog/service_item_page_apply.html",
            {"page": item, "self": item, "department": item.department},
        )
    if is_blank_for(request):
        return blank_form_page(request, item, partial(_blank_form, item=item))
    prefetch_related_objects([item], "materials")  # the form's slots and the filing's
    if request.method == "POST":
        token = form_token_of(request)
        existing = Filing.objects.filter(form_token=token).first()
        if existing is not None:
            return _replayed(request, existing)
        form = FilingForm(item, request.POST, request.FILES, form_token=token)
        filing, code = submit_filing(form, item, receipt_pdf=True)
        if filing is not None and code is None:
            return _replayed(request, filing)
        if filing is not None:
            grant_access(request, filing, code)
            return redirect("inbox:receipt", filing.tracking_number)
    else:
        form = FilingForm(item, form_token=uuid.uuid4())
    return _render_apply(request, item, form)


def _blank_form(request, form_token, item):
    prefetch_related_objects([item], "materials")
    return _render_apply(
        request, item, FilingForm(item, form_token=uuid.UUID(form_token))
    )


def _render_apply(request, item, form):
    return render(
        request,
        "inbox/apply.html",
        {"page": item, "item": item, "department": item.department, "form": form},
        status=400 if form.is_bound else 200,
    )


def apply_direct(request, item_id):
    """The online form's own address (`inbox:apply`), where it posts: the item found
    by its id among the live pages without a view restriction, instead of Wagtail's
    routing, which reads every ancestor of the item page on each submission. The
    item, its materials and its department are read once per worker process and
    page cache generation (`portal.shared`), which publishing, unpublishing or
    moving a page and any change of a view restriction renew."""
    return apply_online(
        request,
        shared(request, ("inbox-apply-item", item_id), partial(_item, item_id)),
    )


def _item(item_id):
    item = get_object_or_404(ServiceItemPage.objects.live().public(), pk=item_id)
    prefetch_related_objects([item], "materials")
    item.department  # noqa: B018 (cached on the item)
    return item


def submit_filing(form, item, receipt_pdf=False, **options):
    """Keep the bound `form`'s uploads and create its filing in one transaction;
    with `receipt_pdf`, the job that renders its receipt PDF too.

    Returns `(filing, access_code)`; `(None, None)` when the form has errors (the
    files that passed are kept for the next try); `(earlier filing, None)` when the
    form token was already used. Two requests with one token at the same moment
    (a double click) both write their uploads, invisible to each other until commit;
    the unique form token of the filing row lets one commit, the other rolls back
    its rows and removes its files, and answers with the first one's filing."""
    try:
        # Validation too: the captcha's own writes then commit with the rest.
        with transaction.atomic():
            form.is_valid()
            form.keep_uploads()
            if form.errors:
                return None, None
            filing, code = workflow.create_filing(
                item, form.applicant_data(), form_token=form.form_token, **options
            )
            if receipt_pdf:
                receipts.queue_receipt_pdf(filing, code)
            return filing, code
    except Exception as error:
        form.discard_stored()
        earlier = Filing.objects.filter(form_token=form.form_token).first()
        if isinstance(error, IntegrityError) and earlier is not None:
            return earlier, None
        raise


def _replayed(request, filing):
    messages.info(
        request,
        _("该申请已经提交过（受理编号 %(number)s），未重复提交。")
        % {"number": filing.tracking_number},
    )
    return redirect("inbox:receipt", filing.tracking_number)


# ------------------------------------------------------------------ receipt


def receipt_context(request, filing):
    """What the receipt shows, on the public page, the PDF and the desk's page."""
    return receipts.receipt_context(filing, held_access_code(request, filing), request)


def receipt(request, tracking_number):
    """The receipt (回执): tracking number, access code, item, materials, QR code."""
    filing = _filing_for_applicant(request, tracking_number)
    return render(request, "inbox/receipt.html", receipt_context(request, filing))


def receipt_download(request, tracking_number):
    """The receipt as a PDF (WeasyPrint, Noto CJK embedded).

    The browser that submitted the filing gets the PDF the worker rendered, with its
    access code; while the worker is at it, a page that tries again by itself, and
    once `RECEIPT_PDF_WAIT_SECONDS` have passed without it (no worker running) the
    PDF rendered here, kept for the next download. A viewer without the code (a
    lookup, staff) gets a copy without it, rendered here."""
    filing = _filing_for_applicant(request, tracking_number)
    held = bool(held_access_code(request, filing))
    pdf = receipts.stored_pdf(filing) if held else None
    if pdf is None and held and receipts.still_rendering(filing):
        response = render(
            request,
            "inbox/receipt_pdf_wait.html",
            {"filing": filing, "retry_seconds": 2},
            status=202,
        )
        response["Retry-After"] = "2"
        response["Cache-Control"] = "private, no-store"
        return response
    if pdf is None:
        pdf = receipts.render_receipt_here(receipt_context(request, filing), request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="receipt-{filing.tracking_number}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------ lookup


@ratelimit("lookup")
def lookup(request):
    """Look a filing (or a consultation) up with its tracking number and access
    code."""
    if request.method == "POST":
        form = LookupForm(request.POST)
        if form.is_valid():
            number, code = (
                form.cleaned_data["tracking_number"],
                form.cleaned_data["access_code"],
            )
            filing = find_filing(number, code)
            if filing is not None:
                grant_access(request, filing)
                return redirect("inbox:status", filing.tracking_number)
            consultation = find_by_code(Consultation, number, code)
            if consultation is not None:
                grant_access(request, consultation)
                return redirect("inbox:consultation", consultation.tracking_number)
            form.add_error(
                None,
                _("受理编号或查询码不正确，请对照回执核对后重新输入。"),
            )
    else:
        form = LookupForm(initial={"tracking_number": request.GET.get("number", "")})
    return render(
        request,
        "inbox/lookup.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def status(request, tracking_number):
    """The filing as its applicant sees it, with what they can do next."""
    filing = get_object_or_404(
        Filing.objects.select_related("item", "department"),
        tracking_number=tracking_number,
    )
    if not can_view(request, filing):
        return redirect(reverse("inbox:lookup") + f"?number={tracking_number}")
    return _render_status(request, filing)


def _render_status(
    request,
    filing,
    supplement_form=None,
    withdraw_form=None,
    rating_form=None,
    code=200,
):
    view = applicant_view(filing)
    if view["can_supplement"] and supplement_form is None:
        supplement_form = SupplementForm(filing, form_token=uuid.uuid4())
    return render(
        request,
        "inbox/status.html",
        {
            "filing": filing,
            "view": view,
            "uploads": filing.uploads.select_related("material"),
            "supplement_form": supplement_form if view["can_supplement"] else None,
            "withdraw_form": (withdraw_form or WithdrawForm())
            if view["can_withdraw"]
            else None,
            "rating_form": (rating_form or RatingForm()) if view["can_rate"] else None,
            "rating": getattr(filing, "rating", None) if not view["can_rate"] else None,
        },
        status=code,
    )


@require_POST
@ratelimit("rating")
def rate(request, tracking_number):
    """The applicant's rating (好差评) of a completed filing, once."""
    filing = _filing_for_applicant(request, tracking_number)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _render_status(request, filing, rating_form=form, code=400)
    try:
        workflow.rate_filing(
            filing, form.cleaned_data["score"], form.cleaned_data["comment"]
        )
    except workflow.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("感谢您的评价。"))
    return redirect("inbox:status", tracking_number)


@ratelimit("complaint")
def complaint(request):
    """The public complaint form (投诉建议), about a filing, a division or a person."""
    form = ComplaintForm(request.POST or None, initial=request.GET.dict() or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = records.file_complaint(
                data["department"],
                filing=form.filing,
                division=data["division"]
                or (form.filing and form.filing.lead_division),
                person=data["person"],
                name=data["name"],
                contact=data["contact"],
                text=data["text"],
            )
        except records.RecordError as error:
            form.add_error(None, str(error))
        else:
            return render(
                request,
                "inbox/complaint_done.html",
                {"complaint": created},
            )
    return render(
        request,
        "inbox/complaint.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@ratelimit("supplement")
def supplement(request, tracking_number):
    filing = _filing_for_applicant(request, tracking_number)
    if not workflow.can_supplement(filing):
        messages.info(request, _("本件当前无需补正材料。"))
        return redirect("inbox:status", tracking_number)
    form = SupplementForm(
        filing, request.POST, request.FILES, form_token=form_token_of(request)
    )
    form.is_valid()
    form.keep_uploads()
    if not form.errors:
        try:
            workflow.record_supplement(
                filing, form.form_token, form.cleaned_data.get("comment", "")
            )
        except workflow.TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("补正材料已提交，窗口将重新预审。"))
        return redirect("inbox:status", tracking_number)
    return _render_status(request, filing, supplement_form=form, code=400)


@require_POST
@ratelimit("withdraw")
def withdraw(request, tracking_number):
    filing = _filing_for_applicant(request, tracking_number)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _render_status(request, filing, withdraw_form=form, code=400)
    try:
        workflow.withdraw_filing(filing, form.cleaned_data["reason"])
    except workflow.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("申请已撤回。"))
    return redirect("inbox:status", tracking_number)


def own_data_download(request, tracking_number, file_format="json"):
    """The applicant's own-data copy (PIPL art. 45) as a JSON file or a PDF, for
    the browser that proved the tracking number and access code; logged."""
    filing = get_object_or_404(
        Filing.objects.select_related("item", "department"),
        tracking_number=tracking_number,
    )
    if tracking_number not in request.session.get(SESSION_KEY, {}):
        return redirect(reverse("inbox:lookup") + f"?number={tracking_number}")
    PersonalDataAccess.record(
        request,
        PersonalDataAccess.Action.OWN_COPY,
        filing,
        detail=file_format.upper(),
    )
    if file_format == "pdf":
        response = HttpResponse(
            own_data_pdf(filing, request), content_type="application/pdf"
        )
    else:
        response = JsonResponse(
            own_data(filing), json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
    response["Content-Disposition"] = (
        f'attachment; filename="{tracking_number}-personal-data.{file_format}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _issued_for_applicant(request, tracking_number):
    """The filing whose number and code this browser proved, once its result has
    gone out under an outgoing number; None otherwise."""
    if tracking_number not in request.session.get(SESSION_KEY, {}):
        return None
    return (
        Filing.objects.select_related("item", "department")
        .filter(tracking_number=tracking_number)
        .exclude(outgoing_number="")
        .first()
    )


def _private_response(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def result_download(request, tracking_number):
    """The result document (办理结果文书) from private storage, for the browser that
    proved the tracking number and access code, after the result is issued; every
    download is logged."""
    filing = _issued_for_applicant(request, tracking_number)
    if filing is None:
        return redirect(reverse("inbox:lookup") + f"?number={tracking_number}")
    if not filing.result_document:
        raise Http404
    PersonalDataAccess.record(
        request,
        PersonalDataAccess.Action.DOWNLOAD,
        filing,
        detail=_("申请人下载办理结果：%(name)s")
        % {"name": filing.result_document_name},
    )
    return _private_response(
        FileResponse(
            filing.result_document.open("rb"),
            as_attachment=True,
            filename=filing.result_document_name or f"{tracking_number}-result",
        )
    )


def result_notice_download(request, tracking_number):
    """The result notice and receipt of collection (办理结果通知书、送达回证) under the
    outgoing number, as a PDF, on the same terms as the result document."""
    filing = _issued_for_applicant(request, tracking_number)
    if filing is None:
        return redirect(reverse("inbox:lookup") + f"?number={tracking_number}")
    PersonalDataAccess.record(
        request,
        PersonalDataAccess.Action.DOWNLOAD,
        filing,
        detail=_("申请人下载办理结果通知书 %(number)s")
        % {"number": filing.outgoing_number},
    )
    response = HttpResponse(
        receipts.render_pdf(
            "inbox/result_notice_pdf.html", {"filing": filing}, request
        ),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{tracking_number}-result-notice.pdf"'
    )
    return _private_response(response)


def download(request, pk):
    """One uploaded material, only for those who may see its filing; always as an
    attachment and never sniffed into something the browser would run."""
    upload = get_object_or_404(
        FilingUpload.objects.select_related("filing"), pk=pk, filing__isnull=False
    )
    if not can_view(request, upload.filing):
        if request.user.is_authenticated:
            raise Http404
        raise PermissionDenied
    PersonalDataAccess.record(
        request,
        PersonalDataAccess.Action.DOWNLOAD,
        upload.filing,
        detail=upload.original_name,
    )
    response = FileResponse(
        upload.file.open("rb"),
        as_attachment=True,
        filename=upload.original_name,
        content_type=upload.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
