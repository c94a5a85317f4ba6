from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesCatalogConfig(AppConfig):
    """Service catalog, item guides and the filing inbox behind the window."""

    name = "services_catalog"
    verbose_name = _("办事服务")
    default_auto_field = "django.db.models.BigAutoField"
