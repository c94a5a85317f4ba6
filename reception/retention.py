"""Retention policies of reception (`portal.retention`): reception records and
appointment requests lose the visitor's name, ID number and contact, and keep their
matter only as the redacted summary, `RETENTION_YEARS["reception_records"]` and
`["appointments"]` years after the reception date; attachments are deleted."""

from django.utils.translation import gettext_lazy as _

from portal import retention
from portal.redaction import redact
from reception.models import AppointmentRequest, ReceptionRecord


def expired_records(cutoff):
    anonymised = str(retention.ANONYMISED_NAME)
    return ReceptionRecord.objects.filter(date__lt=cutoff.date()).exclude(
        visitor_name=anonymised
    )


def anonymise_record(record):
    for attachment in record.attachments.all():
        attachment.file.delete(save=False)
        attachment.delete()
    ReceptionRecord.objects.filter(pk=record.pk).update(
        visitor_name=str(retention.ANONYMISED_NAME),
        visitor_contact="",
        visitor_id_number="",
        visitor_id_number_hash="",
        matter=record.public_matter,
        result=record.public_result,
    )


def expired_appointments(cutoff):
    anonymised = str(retention.ANONYMISED_NAME)
    return AppointmentRequest.objects.filter(date__lt=cutoff.date()).exclude(
        name=anonymised
    )


def anonymise_appointment(appointment):
    AppointmentRequest.objects.filter(pk=appointment.pk).update(
        name=str(retention.ANONYMISED_NAME),
        phone="",
        email="",
        matter=redact(appointment.matter, names=[appointment.name]),
    )


def register():
    retention.register(
        "reception_records", _("接访记录"), expired_records, anonymise_record
    )
    retention.register(
        "appointments", _("接访预约"), expired_appointments, anonymise_appointment
    )
