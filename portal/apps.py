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

        from portal import i18n, page_cache, security, staff_sessions, workdays  # noqa: F401
        from portal.models import (
            BackgroundJob,
            OutgoingMessage,
            PersonalDataAccess,
            SecurityEvent,
        )
        from portal.views import LogPermissionPolicy

        i18n.install()
        page_cache.connect_invalidation()
        # Logs, the outbox and the background jobs are read-only in every admin view
        # (registered before Wagtail looks a policy up).
        logs = (SecurityEvent, PersonalDataAccess, OutgoingMessage, BackgroundJob)
        for model in logs:
            register_permission_policy(model, LogPermissionPolicy(model))
        _full_width_header_titles()


def _full_width_header_titles():
    """Wagtail joins an admin view's title and subtitle with a fixed ASCII ": "
    ("Compare: 食品生产许可", `WagtailAdminTemplateMixin.get_header_title`, not
    translatable); in Chinese the two are joined with a full-width colon."""
    from django.utils.translation import get_language
    from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

    def get_header_title(view):
        title, subtitle = view.get_page_title(), view.get_page_subtitle()
        if not subtitle:
            return title
        chinese = (get_language() or "").startswith("zh")
        return f"{title}{'：' if chinese else ': '}{subtitle}"

    WagtailAdminTemplateMixin.get_header_title = get_header_title
