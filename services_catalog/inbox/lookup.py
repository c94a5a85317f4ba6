"""The applicant's view of a filing (DESIGN §5): what the lookup page and the
`filings/{tracking_number}/` API show, in plain Chinese — the state and what it means,
the clock, the one-time notice, appointments, the result and the public timeline."""

from django.utils import timezone

from services_catalog.inbox import clock
from services_catalog.inbox.models import AppointmentStatus, FilingState
from services_catalog.inbox.wording import ACTION_LABELS, STATE_GUIDANCE
from services_catalog.inbox.workflow import can_rate, can_supplement, can_withdraw


def _clock_view(filing):
    status = clock.current_status(filing, timezone.localdate())
    if status is None:
        return None
    name, code, days_left = status
    return {
        "clock": name,
        "clock_label": str(clock.CLOCK_NAMES[name]),
        "status": code,
        "label": str(clock.LABELS[code]),
        "days_left": days_left,
    }


def _procedure_view(filing):
    if filing.state != FilingState.SUSPENDED:
        return None
    notice = filing.procedure_notices.first()
    if notice is None:
        return None
    return {
        "kind": notice.kind,
        "kind_label": str(notice.get_kind_display()),
        "reason": notice.reason,
        "expected_days": notice.expected_days,
        "expected_end": notice.expected_end,
    }


def applicant_view(filing):
    """What the applicant's lookup (page and API) shows, in plain Chinese."""
    explanation, next_steps = STATE_GUIDANCE.get(filing.state, ("", ""))
    notice = filing.current_supplement_request()
    return {
        "tracking_number": filing.tracking_number,
        "item": filing.item.title,
        "item_code": filing.item.code,
        "department": filing.department.title,
        "state": filing.state,
        "state_label": str(filing.get_state_display()),
        "explanation": str(explanation),
        "next_steps": str(next_steps),
        "submitted_at": filing.submitted_at,
        "received_on": filing.received_on,
        "pre_review_due": filing.pre_review_due_date
        if filing.state == FilingState.SUBMITTED
        else None,
        "deemed_accepted": filing.deemed_accepted,
        "accepted_on": filing.accepted_on,
        "promised_due": filing.promised_due_date,
        "promised_due_date": filing.promised_due_date,
        "statutory_due": filing.statutory_due_date,
        "extended_days": filing.extended_days,
        "extension_reason": filing.extension_reason,
        "special_procedure": _procedure_view(filing),
        "issue_due": filing.issue_due_date
        if filing.state == FilingState.COMPLETED
        else None,
        "due_date_confirmed": filing.due_dates_confirmed,
        "can_supplement": can_supplement(filing),
        "can_withdraw": can_withdraw(filing),
        "notice": notice,
        "clock": _clock_view(filing),
        "decision": str(filing.get_decision_display()) if filing.decision else "",
        "decision_reason": filing.decision_reason,
        "outgoing_number": filing.outgoing_number,
        "delivery": str(filing.get_delivery_display()) if filing.delivery else "",
        "mail_carrier": filing.mail_carrier,
        "mail_tracking_number": filing.mail_tracking_number,
        "can_rate": can_rate(filing),
        "appointments": [
            {
                "kind": appointment.kind,
                "kind_label": str(appointment.get_kind_display()),
                "starts_at": appointment.starts_at,
                "place": appointment.place,
                "purpose": appointment.purpose,
            }
            for appointment in filing.appointments.filter(
                status=AppointmentStatus.SCHEDULED
            ).order_by("starts_at")
        ],
        "timeline": [
            {
                "at": event.at,
                "action": event.action,
                "action_label": str(ACTION_LABELS.get(event.action, event.action)),
                "state_label": str(FilingState(event.to_state).label)
                if event.to_state in FilingState.values
                else event.to_state,
                "comment": event.public_comment,
            }
            for event in filing.events.filter(public=True)
        ],
    }
