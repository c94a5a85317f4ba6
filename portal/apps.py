from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Shared pieces: users, home page, site settings, working-day calendar, roles."""

    name = "portal"
    verbose_name = _("门户基础")
    default_auto_field = "django.db.models.BigAutoField"
