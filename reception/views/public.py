"""Public roster views (the routes of `ReceptionPage`): the page with today, this
week and next week and the published record summaries; the month view; the print
view; the iCal feed."""

import datetime

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils import timezone

from reception import appointments as appointment_rules
from reception.ical import roster_calendar
from reception.models import ReceptionRecord, RosterEntry
from reception.roster import (
    duty_days,
    month_bounds,
    parse_month,
    roster_status,
    shift_month,
    week_bounds,
)

RECORDS_PER_PAGE = 10
FEED_DAYS_BACK = 31


def _with_booking(page, days):
    """Attach `bookable` and `booking_label` to every entry of `days`."""
    entries = [entry for day in days for entry in day.entries]
    status = appointment_rules.booking_status(page, entries)
    for entry in entries:
        entry.bookable, entry.booking_label = status[entry.pk]
    return days


def reception_index(request, page):
    department = page.department
    today = timezone.localdate()
    monday, sunday = week_bounds(today)
    next_sunday = sunday + datetime.timedelta(days=7)
    days = _with_booking(page, duty_days(department, monday, next_sunday))
    records = Paginator(
        ReceptionRecord.objects.of_department(department).published(),
        RECORDS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return page.render(
        request,
        context_overrides={
            "department": department,
            "today": today,
            "today_entries": [
                e for day in days if day.date == today for e in day.entries
            ],
            "this_week": [day for day in days if day.date <= sunday],
            "next_week": [day for day in days if day.date > sunday],
            "records": records,
            "current_month": today.strftime("%Y-%m"),
            **roster_status(department, monday, next_sunday),
        },
    )


def _month_context(request, page):
    today = timezone.localdate()
    year, month = parse_month(request.GET.get("month"), (today.year, today.month))
    first, last = month_bounds(year, month)
    department = page.department
    return {
        "department": department,
        "today": today,
        "month_start": first,
        "days": duty_days(department, first, last),
        "previous_month": "{:04d}-{:02d}".format(*shift_month(year, month, -1)),
        "next_month": "{:04d}-{:02d}".format(*shift_month(year, month, 1)),
        "month_param": f"{year:04d}-{month:02d}",
        **roster_status(department, first, last),
    }


def reception_month(request, page):
    context = _month_context(request, page)
    _with_booking(page, context["days"])
    return page.render(
        request,
        template="reception/reception_page_month.html",
        context_overrides=context,
    )


def reception_print(request, page):
    return page.render(
        request,
        template="reception/reception_page_print.html",
        context_overrides=_month_context(request, page),
    )


def reception_calendar(request, page):
    department = page.department
    since = timezone.localdate() - datetime.timedelta(days=FEED_DAYS_BACK)
    entries = (
        RosterEntry.objects.published()
        .of_department(department)
        .filter(date__gte=since)
        .in_display_order()
    )
    calendar = roster_calendar(
        department,
        entries,
        host=page.get_site().hostname,
        page_url=page.get_full_url(request),
    )
    response = HttpResponse(
        calendar.to_ical(), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'inline; filename="{department.code.lower()}-reception.ics"'
    )
    return response
