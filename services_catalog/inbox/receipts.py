"""The receipt (回执) as a QR code and a PDF, and the PDF path of every document
handed to the applicant (the receipt, the copy of their own data).

The QR code is a segno SVG inlined in the page (no image request, works under the
public CSP); a PDF is a template rendered by WeasyPrint, which embeds the subset of
the Noto CJK font it uses, so the file reads the same on any machine.

The receipt PDF of an online filing is not rendered in the request that submits it:
`queue_receipt_pdf` writes a `ReceiptPdf` (the access code encrypted on it) and a
background job with the filing, the worker renders it (`render_receipt_pdf`) and
keeps it encrypted in the private storage, and the download view serves it
(`stored_pdf`) to the browser holding the code. The applicant has the HTML receipt at
once; until the PDF is ready the download answers with a page that tries again
(`RECEIPT_PDF_WAIT_SECONDS`: after that the request renders it itself, so nobody
waits on a worker that is down; a site without a worker renders it on demand).
"""

import datetime

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from portal import encryption
from portal.sites import absolute_url
from portal.tasks import enqueue_with_transaction, runs_in_request
from services_catalog.inbox.models import Filing, ReceiptPdf

QR_MASK = 3
"""The QR code's mask pattern, fixed: any of the eight reads back the same, and
trying all eight for the one the standard's penalty rules prefer took three quarters
of the time of rendering a receipt."""


def qr_svg(url):
    """An inline <svg> QR code of `url`, with an accessible title."""
    return segno.make(url, error="m", mask=QR_MASK).svg_inline(
        scale=3, border=2, title=_("扫码查询办理进度"), svgclass="receipt-qr"
    )


def render_pdf(template_name, context, request=None):
    """`template_name` rendered to PDF bytes (e.g. ``inbox/receipt_pdf.html``)."""
    from weasyprint import HTML

    html = render_to_string(template_name, context, request=request)
    base_url = request.build_absolute_uri("/") if request else None
    return HTML(string=html, base_url=base_url).write_pdf()


def receipt_context(filing, access_code="", request=None):
    """What the receipt shows, on the public page, the PDF and the desk's page;
    the access code only when the viewer holds it."""
    lookup_url = absolute_url(
        reverse("inbox:lookup") + f"?number={filing.tracking_number}", request
    )
    return {
        "filing": filing,
        "access_code": access_code,
        "uploads": filing.uploads.select_related("material"),
        "materials": filing.materials.all(),
        "lookup_url": lookup_url,
        "qr_svg": qr_svg(lookup_url),
    }


def receipt_pdf(context, request=None):
    """The receipt rendered to PDF bytes."""
    return render_pdf("inbox/receipt_pdf.html", context, request)


def queue_receipt_pdf(filing, access_code):
    """Have the worker render `filing`'s receipt PDF in the current language, with
    the current transaction (the filing's). Without a worker (the immediate
    backend) nothing is queued: the download renders it when it is asked for."""
    if runs_in_request():
        return None
    receipt = ReceiptPdf.objects.create(
        filing=filing,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        access_code=encryption.encrypt(access_code),
    )
    enqueue_with_transaction(
        render_receipt_pdf, receipt.pk, reference=filing.tracking_number
    )
    return receipt


@task()
def render_receipt_pdf(receipt_id):
    """The background job: render and store a pending receipt PDF."""
    receipt = ReceiptPdf.objects.filter(
        pk=receipt_id, status=ReceiptPdf.Status.PENDING
    ).first()
    if receipt is None:
        return  # rendered meanwhile (by a download that could not wait)
    filing = Filing.objects.select_related("item", "department").get(
        pk=receipt.filing_id
    )
    code = encryption.decrypt(receipt.access_code)
    with translation.override(receipt.language):
        pdf = receipt_pdf(receipt_context(filing, code))
    store(receipt, pdf)


def store(receipt, pdf):
    """Keep `pdf` encrypted as `receipt`'s file and forget the access code; the
    first of two renderings wins and the other's file is removed."""
    storage = ReceiptPdf._meta.get_field("file").storage
    name = ReceiptPdf._meta.get_field("file").generate_filename(receipt, "receipt.pdf")
    name = storage.save(name, ContentFile(encryption.encrypt_bytes(pdf)))
    stored = ReceiptPdf.objects.filter(
        pk=receipt.pk, status=ReceiptPdf.Status.PENDING
    ).update(
        status=ReceiptPdf.Status.READY,
        file=name,
        access_code="",
        rendered_at=timezone.now(),
    )
    if not stored:
        storage.delete(name)


def render_receipt_here(context, request=None):
    """The receipt PDF rendered in the request (a viewer without the code, or a
    worker that did not come); with the code it is kept for the next download."""
    pdf = receipt_pdf(context, request)
    if context["access_code"]:
        pending = ReceiptPdf.objects.filter(
            filing=context["filing"], status=ReceiptPdf.Status.PENDING
        ).first()
        if pending is not None:
            store(pending, pdf)
    return pdf


def stored_pdf(filing):
    """The filing's rendered receipt PDF (bytes), else None."""
    receipt = ReceiptPdf.objects.filter(
        filing=filing, status=ReceiptPdf.Status.READY
    ).first()
    if receipt is None:
        return None
    with receipt.file.open("rb") as encrypted:
        return encryption.decrypt_bytes(encrypted.read())


def still_rendering(filing):
    """True while the worker may still bring the filing's receipt PDF: it is
    pending and younger than `RECEIPT_PDF_WAIT_SECONDS`."""
    wait = datetime.timedelta(seconds=settings.RECEIPT_PDF_WAIT_SECONDS)
    return ReceiptPdf.objects.filter(
        filing=filing,
        status=ReceiptPdf.Status.PENDING,
        created_at__gt=timezone.now() - wait,
    ).exists()
