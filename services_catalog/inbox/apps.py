from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    """The filing inbox (收发文窗口, DESIGN §5): filings and their timeline."""

    name = "services_catalog.inbox"
    label = "inbox"
    verbose_name = _("窗口办件")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from services_catalog.inbox import retention

        retention.register()
