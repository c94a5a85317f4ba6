"""Admin registrations of the reception app: the 领导接访 menu."""

from wagtail.snippets.models import register_snippet

from reception.views import ReceptionViewSetGroup

register_snippet(ReceptionViewSetGroup)
