from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionConfig(AppConfig):
    """Leaders' duty roster, reception records and appointment requests."""

    name = "reception"
    verbose_name = _("领导接访")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registered before Wagtail looks any policy up, so that every admin view
        # of these models is limited to the user's department.
        from wagtail.permissions import register_permission_policy

        from reception.models import (
            AppointmentRequest,
            LeaderUnavailability,
            ReceptionRecord,
            RosterPeriod,
        )
        from reception.permissions import AppointmentPolicy, DepartmentScopedPolicy

        for model in (LeaderUnavailability, ReceptionRecord, RosterPeriod):
            register_permission_policy(model, DepartmentScopedPolicy(model))
        register_permission_policy(
            AppointmentRequest, AppointmentPolicy(AppointmentRequest)
        )
