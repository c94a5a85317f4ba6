from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Shared pieces: users, home page, site settings, working-day calendar, roles."""

    name = "portal"
    verbose_name = _("门户基础")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Connects the calendar's cache-clearing signal handlers in every process,
        # including shells and scripts that edit overrides without reading dates.
        from portal import workdays  # noqa: F401
