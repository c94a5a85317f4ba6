from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    """Departments, divisions, posts, people and commitments published at the window."""

    name = "disclosure"
    verbose_name = _("政务公开")
    default_auto_field = "django.db.models.BigAutoField"
