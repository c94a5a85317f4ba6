from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.quick_links import QuickLink


class ReceptionConfig(AppConfig):
    """Leaders' duty roster, reception records and appointment requests."""

    name = "reception"
    verbose_name = _("领导接访")
    default_auto_field = "django.db.models.BigAutoField"
    # Demo builders `load_demo` runs, in INSTALLED_APPS order (`portal.demo`).
    demo_steps = ("reception.demo.load_reception_demo",)
    quick_links = (
        QuickLink(_("领导接访"), "reception", ("reception.receptionpage",), order=30),
    )

    def ready(self):
        from reception.permissions import register_policies

        register_policies()

        from reception import retention

        retention.register()

        from reception.models import ReceptionPage
        from reception.views import booking, public

        ReceptionPage.register_route_views(
            index=public.reception_index,
            month=public.reception_month,
            print=public.reception_print,
            calendar=public.reception_calendar,
            appointment=booking.appointment_request,
            appointment_submitted=booking.appointment_submitted,
            lookup=booking.appointment_lookup,
        )
