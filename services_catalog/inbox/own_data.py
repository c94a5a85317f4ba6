"""The applicant's copy of what the department holds about their filing (个人信息
副本, PIPL art. 45): the details they gave, the filing's course, the materials on
file and their rating, as one JSON document (`own_data`) or the same content as a
PDF (`own_data_pdf`, through the receipts' WeasyPrint path). Served by
`views.own_data_download` to the browser that proved the tracking number and access
code; every copy is logged."""

import datetime

from django.utils import timezone

from services_catalog.inbox.lookup import applicant_view
from services_catalog.inbox.receipts import render_pdf
from services_catalog.inbox.wording import ACTION_LABELS

DATE_KEYS = ("submitted_at", "accepted_on", "promised_due_date", "completed_on")


def _when(value):
    return value.isoformat() if value else None


def own_data(filing):
    view = applicant_view(filing)
    rating = getattr(filing, "rating", None)
    return {
        "format": "chuangkou-own-data/1",
        "tracking_number": filing.tracking_number,
        "department": filing.department.title,
        "item": {"code": filing.item.code, "title": filing.item.title},
        "applicant": {
            "type": str(filing.get_applicant_type_display()),
            "name": filing.applicant_name,
            "id_number": filing.id_number,
            "mobile": filing.mobile,
            "email": filing.email,
            "address": filing.address,
            "statement": filing.statement,
        },
        "channel": str(filing.get_channel_display()),
        "state": view["state_label"],
        "submitted_at": _when(filing.submitted_at),
        "accepted_on": _when(filing.accepted_on),
        "promised_due_date": _when(filing.promised_due_date),
        "completed_on": _when(filing.completed_on),
        "decision": view["decision"],
        "decision_reason": filing.decision_reason,
        "outgoing_number": filing.outgoing_number,
        "delivery": view["delivery"],
        "materials": [
            {"name": material.name, "status": str(material.get_status_display())}
            for material in filing.materials.all()
        ],
        "uploads": [
            {
                "name": upload.original_name,
                "size": upload.size,
                "source": str(upload.get_source_display()),
            }
            for upload in filing.uploads.all()
        ],
        "timeline": [
            {
                "at": _when(event.at),
                "action": str(ACTION_LABELS.get(event.action, event.action)),
                "state": event.to_state,
                "comment": event.public_comment,
            }
            for event in filing.events.filter(public=True).order_by("at", "pk")
        ],
        "rating": {"score": rating.score, "comment": rating.comment}
        if rating
        else None,
    }


def _readable(value):
    """An ISO date or date-time of the JSON copy as a date or an aware date-time,
    for the template's date filter."""
    if not value:
        return None
    if "T" in value:
        return datetime.datetime.fromisoformat(value)
    return datetime.date.fromisoformat(value)


def own_data_pdf(filing, request=None):
    """The JSON copy's content laid out as a PDF (bytes)."""
    data = own_data(filing)
    for key in DATE_KEYS:
        data[key] = _readable(data[key])
    for event in data["timeline"]:
        event["at"] = _readable(event["at"])
    return render_pdf(
        "inbox/own_data_pdf.html",
        {"data": data, "generated_at": timezone.now()},
        request,
    )
