"""Listing columns for the admin's viewsets where Wagtail's own read badly in
Chinese: calendar dates shown as dates (2026年12月2日), not as "14 小时之前" as
Wagtail's `DateColumn` shows every date, and yes/no columns that say 是 or 否
instead of an icon titled "True" or "False". Timestamps (when something happened)
keep Wagtail's relative `DateColumn`. `YesNoDisplay` says 是 or 否 for a boolean
field in the inspect views too (registered in `wagtail_hooks`)."""

from wagtail.admin.ui.fields import BaseFieldDisplay
from wagtail.admin.ui.tables import Column


class CalendarDateColumn(Column):
    """A date of the calendar (an appointment day, a deadline) in the active
    language's date format, machine-readable in a <time> element."""

    cell_template_name = "portal/tables/calendar_date_cell.html"


class YesNoColumn(Column):
    """A boolean as the word 是 or 否 (and an icon beside it)."""

    cell_template_name = "portal/tables/yes_no_cell.html"


class YesNoDisplay(BaseFieldDisplay):
    """A boolean field's value on an inspect view, as YesNoColumn shows it."""

    template_name = "portal/tables/yes_no.html"
