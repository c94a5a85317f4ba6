"""Admin registrations of the reception app: the 领导接访 menu."""

from django.utils.translation import gettext_lazy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from reception.views.appointments_admin import AppointmentRequestViewSet
from reception.views.records_admin import ReceptionRecordViewSet
from reception.views.roster_admin import (
    LeaderUnavailabilityViewSet,
    RosterPeriodViewSet,
)


class ReceptionViewSetGroup(SnippetViewSetGroup):
    """The 领导接访 admin menu."""

    menu_label = gettext_lazy("领导接访")
    menu_name = "reception"
    menu_icon = "group"
    menu_order = 300
    items = (
        RosterPeriodViewSet,
        LeaderUnavailabilityViewSet,
        ReceptionRecordViewSet,
        AppointmentRequestViewSet,
    )


register_snippet(ReceptionViewSetGroup)
