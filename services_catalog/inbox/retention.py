"""Retention policies of the filing inbox (`portal.retention`): a closed filing's
applicant data is removed `RETENTION_YEARS["filings"]` years after closure, its
uploaded materials and its receipt PDF `RETENTION_YEARS["uploads"]` years after
(`"receipts"`, the same period unless set). The tracking number,
item, dates, states, timeline, decision, outgoing number, result document, handling
time, rating score and the follow-up's findings and rectification stay, so
statistics and the accountability record are unchanged. An answered consultation
loses its asker's name and contact `RETENTION_YEARS["consultations"]` years after
its answer; its question and answer are kept as published (redacted), so a public
answer stays online unchanged."""

from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from portal import retention
from services_catalog.inbox.models import (
    OPEN_STATES,
    Consultation,
    ConsultationState,
    Filing,
    FilingUpload,
    Rating,
    RatingFollowUp,
    ReceiptPdf,
)


def _closed_before(filings, cutoff):
    closed = filings.exclude(state__in=OPEN_STATES).annotate(
        closed_at=Coalesce(
            "collected_at", "issued_at", "completed_at", "decided_at", "submitted_at"
        )
    )
    return closed.filter(closed_at__lt=cutoff)


def expired_filings(cutoff):
    """Closed filings past retention that still name their applicant (the mobile
    number is required at intake, so an empty one means already anonymised)."""
    return _closed_before(Filing.objects.exclude(mobile=""), cutoff)


def anonymise_filing(filing):
    Filing.objects.filter(pk=filing.pk).update(
        applicant_name=str(retention.ANONYMISED_NAME),
        id_number="",
        id_number_hash="",
        mobile="",
        email="",
        address="",
        statement="",
    )
    # The score counts in the statistics; the comment is the applicant's own text.
    Rating.objects.filter(filing=filing).update(comment="")
    # How the inspection office reached the applicant (a number, a name) goes too.
    RatingFollowUp.objects.filter(rating__filing=filing).update(contact_note="")


def expired_uploads(cutoff):
    filings = _closed_before(Filing.objects.all(), cutoff)
    return FilingUpload.objects.filter(filing__in=filings.values("pk"))


def delete_upload(upload):
    upload.file.delete(save=False)
    upload.delete()


def expired_receipts(cutoff):
    filings = _closed_before(Filing.objects.all(), cutoff)
    return ReceiptPdf.objects.filter(filing__in=filings.values("pk"))


def expired_consultations(cutoff):
    """Answered consultations past retention that still name their asker."""
    return Consultation.objects.filter(
        state=ConsultationState.ANSWERED, answered_at__lt=cutoff
    ).exclude(name=str(retention.ANONYMISED_NAME))


def anonymise_consultation(consultation):
    Consultation.objects.filter(pk=consultation.pk).update(
        name=str(retention.ANONYMISED_NAME),
        mobile="",
        email="",
        question=consultation.public_question,
        answer=consultation.public_answer,
    )


def register():
    retention.register(
        "filings", _("办件申请人信息"), expired_filings, anonymise_filing
    )
    retention.register("uploads", _("办件上传材料"), expired_uploads, delete_upload)
    retention.register("receipts", _("回执 PDF"), expired_receipts, delete_upload)
    retention.register(
        "consultations",
        _("咨询人信息"),
        expired_consultations,
        anonymise_consultation,
    )
