from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Shared pieces: users, home page, site settings, working-day calendar, roles,
    staff account security and the personal-data logs."""

    name = "portal"
    verbose_name = _("门户基础")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Importing connects signal receivers in every process, including shells
        # and scripts: the calendar's cache clearing, the security audit log and
        # the staff session registry.
        from wagtail.permissions import register_permission_policy

        from portal import page_cache, security, staff_sessions, workdays  # noqa: F401
        from portal.models import OutgoingMessage, PersonalDataAccess, SecurityEvent
        from portal.views import LogPermissionPolicy

        page_cache.connect_invalidation()
        # Logs and the outbox are read-only in every admin view (registered before
        # Wagtail looks a policy up).
        for model in (SecurityEvent, PersonalDataAccess, OutgoingMessage):
            register_permission_policy(model, LogPermissionPolicy(model))
