"""The receipt (回执) as a QR code and a PDF, and the PDF path of every document
handed to the applicant (the receipt, the copy of their own data).

The QR code is a segno SVG inlined in the page (no image request, works under the
public CSP); a PDF is a template rendered by WeasyPrint, which embeds the subset of
the Noto CJK font it uses, so the file reads the same on any machine.
"""

import segno
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def qr_svg(url):
    """An inline <svg> QR code of `url`, with an accessible title."""
    return segno.make(url, error="m").svg_inline(
        scale=3, border=2, title=_("扫码查询办理进度"), svgclass="receipt-qr"
    )


def render_pdf(template_name, context, request=None):
    """`template_name` rendered to PDF bytes (e.g. ``inbox/receipt_pdf.html``)."""
    from weasyprint import HTML

    html = render_to_string(template_name, context, request=request)
    base_url = request.build_absolute_uri("/") if request else None
    return HTML(string=html, base_url=base_url).write_pdf()


def receipt_pdf(context, request=None):
    """The receipt rendered to PDF bytes."""
    return render_pdf("inbox/receipt_pdf.html", context, request)
