"""Reception models, one module per family (STYLE.md): `roster` (periods, entries,
leaders' unavailability), `records` (reception records and their attachments),
`appointments` (citizens' appointment requests) and `pages` (the reception page)."""

from reception.models.appointments import AppointmentRequest
from reception.models.pages import ReceptionPage
from reception.models.records import ReceptionRecord, ReceptionRecordAttachment
from reception.models.roster import LeaderUnavailability, RosterEntry, RosterPeriod

__all__ = [
    "AppointmentRequest",
    "LeaderUnavailability",
    "ReceptionPage",
    "ReceptionRecord",
    "ReceptionRecordAttachment",
    "RosterEntry",
    "RosterPeriod",
]
