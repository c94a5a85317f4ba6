"""The duty roster as an iCalendar feed (RFC 5545), one per department.

Calendar clients subscribe to the reception page's ``ical/`` route. Each
published entry becomes one VEVENT whose UID depends only on the entry's id, so a
client updates the event in place when the roster is republished; times are in
Asia/Shanghai with the VTIMEZONE included. ID and mobile numbers typed into an
entry's location or scope are masked (`portal.masking`), as in every feed.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from portal.masking import mask_personal_text
from reception.models.roster import SLOT_HOURS

BEIJING = ZoneInfo("Asia/Shanghai")
PRODID = "-//Chuangkou//领导接访值班表//ZH"


def entry_uid(entry, host):
    return f"reception-roster-entry-{entry.pk}@{host}"


def _event(entry, host, page_url):
    start, end = SLOT_HOURS[entry.slot]
    leader = entry.leader
    event = Event()
    event.add("uid", entry_uid(entry, host))
    published = entry.period.last_published_at or timezone.now()
    event.add("dtstamp", published.astimezone(datetime.UTC))
    event.add("last-modified", published.astimezone(datetime.UTC))
    event.add("dtstart", datetime.datetime.combine(entry.date, start, BEIJING))
    event.add("dtend", datetime.datetime.combine(entry.date, end, BEIJING))
    event.add(
        "summary",
        (
            _("领导接访（%(slot)s）：%(name)s %(title)s")
            % {
                "slot": entry.get_slot_display(),
                "name": leader.name,
                "title": leader.title,
            }
        ).strip(),
    )
    if entry.location:
        event.add("location", mask_personal_text(entry.location))
    description = [
        _("接访领导：%(name)s（%(title)s）")
        % {"name": leader.name, "title": leader.title}
    ]
    if entry.scope:
        scope = mask_personal_text(entry.scope)
        description.append(_("接访范围：%(scope)s") % {"scope": scope})
    event.add("description", "\n".join(description))
    if page_url:
        event.add("url", page_url)
    event.add("transp", "TRANSPARENT")
    return event


def roster_calendar(department, entries, host, page_url=""):
    """A `Calendar` of `entries` (published `RosterEntry` objects of `department`,
    with their leader and period loaded)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add(
        "x-wr-calname",
        _("%(department)s 领导接访值班表") % {"department": department.title},
    )
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", datetime.timedelta(hours=6))
    for entry in entries:
        calendar.add_component(_event(entry, host, page_url))
    calendar.add_missing_timezones()
    return calendar
