"""Public appointment views (routes of `ReceptionPage`): the request form for one
duty slot, the confirmation with the access code, and the lookup by number and code."""

from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from portal.ratelimits import ratelimit
from reception import appointments as appointment_rules
from reception.forms import AppointmentForm, LookupForm
from reception.models import AppointmentRequest, RosterEntry

SUBMITTED_SESSION_KEY = "reception:submitted"


@ratelimit("appointment")
def appointment_request(request, page, entry_id):
    try:
        entry = appointment_rules.bookable_entry(page, entry_id)
    except RosterEntry.DoesNotExist:
        raise Http404 from None
    except appointment_rules.AppointmentUnavailable as error:
        return _appointment_page(request, page, None, None, str(error))
    bookable, label = appointment_rules.booking_status(page, [entry])[entry.pk]
    if not bookable:
        return _appointment_page(
            request, page, entry, None, _("这个值班时段的预约已满，请选择其他时段。")
        )
    form = AppointmentForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                appointment, code = appointment_rules.submit_request(
                    page,
                    entry.pk,
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    matter=data["matter"],
                )
            except appointment_rules.AppointmentUnavailable as error:
                form.add_error(None, str(error))
            else:
                request.session[SUBMITTED_SESSION_KEY] = {
                    "number": appointment.number,
                    "code": code,
                }
                return redirect(page.subpage_url("appointment_submitted", request))
    return _appointment_page(request, page, entry, form, "", places=label)


def _appointment_page(request, page, entry, form, unavailable, places=""):
    return page.render(
        request,
        template="reception/appointment_form.html",
        context_overrides={
            "department": page.department,
            "entry": entry,
            "form": form,
            "unavailable": unavailable,
            "places": places,
        },
    )


def appointment_submitted(request, page):
    submitted = request.session.get(SUBMITTED_SESSION_KEY)
    appointment = None
    if submitted:
        appointment = (
            AppointmentRequest.objects.filter(
                number=submitted["number"], department=page.department
            )
            .select_related("leader")
            .first()
        )
    if appointment is None:
        return redirect(page.subpage_url("lookup", request))
    return page.render(
        request,
        template="reception/appointment_submitted.html",
        context_overrides={
            "department": page.department,
            "appointment": appointment,
            "code": submitted["code"],
        },
    )


@ratelimit("appointment_lookup")
def appointment_lookup(request, page):
    form = LookupForm(request.POST or None)
    appointment = None
    not_found = False
    if request.method == "POST":
        if form.is_valid():
            appointment = appointment_rules.find_request(
                form.cleaned_data["number"], form.cleaned_data["code"]
            )
            if (
                appointment is not None
                and appointment.department_id != page.department.pk
            ):
                appointment = None
            not_found = appointment is None
    return page.render(
        request,
        template="reception/appointment_lookup.html",
        context_overrides={
            "department": page.department,
            "form": form,
            "appointment": appointment,
            "not_found": not_found,
        },
    )
