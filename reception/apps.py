from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionConfig(AppConfig):
    """Leaders' duty roster, reception records and appointment requests."""

    name = "reception"
    verbose_name = _("领导接访")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from reception.permissions import register_policies

        register_policies()

        from reception import retention

        retention.register()
