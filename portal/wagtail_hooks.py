"""Wagtail admin registrations of the shared `portal` app."""

from wagtail.snippets.models import register_snippet

from portal.views import WorkdayCalendarViewSetGroup

register_snippet(WorkdayCalendarViewSetGroup)
