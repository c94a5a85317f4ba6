from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.quick_links import QuickLink


class ServicesCatalogConfig(AppConfig):
    """Service catalog, item guides and the filing inbox behind the window."""

    name = "services_catalog"
    verbose_name = _("办事服务")
    default_auto_field = "django.db.models.BigAutoField"
    # Demo builders `load_demo` runs, in INSTALLED_APPS order (`portal.demo`).
    demo_steps = ("services_catalog.demo.load_catalog_demo",)
    quick_links = (
        QuickLink(
            _("办事指南"), "guide", ("services_catalog.servicecatalogpage",), order=10
        ),
    )

    def ready(self):
        from services_catalog import views
        from services_catalog.models import ServiceCatalogPage

        ServiceCatalogPage.register_route_views(index=views.catalog_page)
