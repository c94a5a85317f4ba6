"""Appointment rules (接访预约, DESIGN §6): which slots take requests, numbering and
access codes, the lookup, and the clerk's decision with its notice to the citizen.

A published roster entry takes requests until its slot has ended or the requests
waiting or confirmed for it reach the reception page's capacity. Every request gets a
number (`{部门代码}-JF-{YYYYMMDD}-{NNNN}`) and a random access code; only a keyed
digest of the code is stored, and the lookup answers the same way for an unknown
number and a wrong code.
"""

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from portal import outbox
from reception.models import AppointmentRequest, RosterEntry

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 8
_DIGEST_SALT = "reception.appointment-code"


class AppointmentUnavailable(Exception):
    """The slot no longer takes requests; the message is for the citizen."""


def slot_end(entry):
    _start, end = entry.hours
    return timezone.make_aware(datetime.datetime.combine(entry.date, end))


def is_upcoming(entry, now=None):
    """Whether the entry's slot has not ended yet."""
    return (now or timezone.now()) < slot_end(entry)


def taken_places(entry_ids):
    """entry id → requests waiting or confirmed for it."""
    rows = (
        AppointmentRequest.objects.filter(
            entry_id__in=entry_ids, status__in=AppointmentRequest.ACTIVE_STATUSES
        )
        .values("entry_id")
        .annotate(taken=Count("pk"))
        .values_list("entry_id", "taken")
    )
    return dict(rows)


def booking_status(page, entries, now=None):
    """entry id → (bookable, label) for the entries shown on `page`: one query."""
    now = now or timezone.now()
    taken = taken_places([entry.pk for entry in entries])
    status = {}
    for entry in entries:
        if not page.appointments_open or not is_upcoming(entry, now):
            status[entry.pk] = (False, "")
        elif taken.get(entry.pk, 0) >= page.appointment_capacity:
            status[entry.pk] = (False, _("已约满"))
        else:
            left = page.appointment_capacity - taken.get(entry.pk, 0)
            status[entry.pk] = (True, _("余 %(left)s 个名额") % {"left": left})
    return status


def bookable_entry(page, entry_id):
    """The published entry of the page's department that may be booked, or raise
    `AppointmentUnavailable` (or `RosterEntry.DoesNotExist` for a wrong id)."""
    entry = (
        RosterEntry.objects.published()
        .of_department(page.department)
        .select_related("leader", "period")
        .get(pk=entry_id)
    )
    if not page.appointments_open:
        raise AppointmentUnavailable(_("本部门暂不接受网上预约，请致电咨询。"))
    if not is_upcoming(entry):
        raise AppointmentUnavailable(_("这个值班时段已经结束，请选择其他时段。"))
    return entry


def new_access_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_digest(number, code):
    return salted_hmac(_DIGEST_SALT, f"{number}:{code}").hexdigest()


def normalise_code(value):
    return "".join((value or "").split()).upper()


def _next_number(department, today):
    prefix = f"{department.code}-JF-{today:%Y%m%d}-"
    used = AppointmentRequest.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{used + 1:04d}"


def submit_request(page, entry_id, *, name, phone, matter, email=""):
    """File a citizen's request for an entry; returns (request, access code).

    Raises `AppointmentUnavailable` when the slot has ended or is full. The entry row
    is locked while places are counted, so two last-minute requests cannot both take
    the last place.
    """
    code = new_access_code()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                entry = bookable_entry(page, entry_id)
                RosterEntry.objects.select_for_update().filter(pk=entry.pk).first()
                if taken_places([entry.pk]).get(entry.pk, 0) >= (
                    page.appointment_capacity
                ):
                    raise AppointmentUnavailable(
                        _("这个值班时段的预约已满，请选择其他时段。")
                    )
                number = _next_number(page.department, timezone.localdate())
                request = AppointmentRequest.objects.create(
                    department=page.department,
                    entry=entry,
                    date=entry.date,
                    slot=entry.slot,
                    leader=entry.leader,
                    location=entry.location,
                    number=number,
                    code_digest=code_digest(number, code),
                    name=name,
                    phone=phone,
                    email=email,
                    matter=matter,
                )
            return request, code
        except IntegrityError:
            continue  # another request took the number; count again
    raise AppointmentUnavailable(_("系统繁忙，请稍后再试。"))


def find_request(number, code):
    """The request with this number and access code, or None — the same None for
    an unknown number and for a wrong code."""
    number = (number or "").strip().upper()
    candidate = (
        AppointmentRequest.objects.filter(number=number)
        .select_related("leader", "department")
        .first()
    )
    expected = candidate.code_digest if candidate else code_digest("", "")
    given = code_digest(number, normalise_code(code))
    if candidate is not None and constant_time_compare(expected, given):
        return candidate
    return None


def decide(request, status, reply, user, notify=True):
    """Record the clerk's decision on `request` (not saved) and, with `notify`,
    queue the citizen's e-mail in the same transaction (the caller saves both)."""
    request.status = status
    request.reply = reply
    request.decided_at = timezone.now()
    request.decided_by = user
    if notify:
        notify_citizen(request)


def lookup_url(request_obj):
    from reception.models import ReceptionPage

    page = ReceptionPage.objects.live().child_of(request_obj.department).first()
    if page is None:
        return ""
    return page.full_url + page.reverse_subpage("lookup")


def notify_citizen(request):
    """Queue the citizen's e-mail about the decision (outbox), when an address was
    given; the worker delivers it and retries while the mail server is down."""
    if not request.email or request.status == AppointmentRequest.Status.PENDING:
        return
    context = {"appointment": request, "lookup_url": lookup_url(request)}
    outbox.send_email(
        [request.email],
        _("接访预约 %(number)s：%(status)s")
        % {"number": request.number, "status": request.get_status_display()},
        render_to_string("reception/email/appointment_decided.txt", context),
        request.number,
    )
