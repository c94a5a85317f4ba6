"""Wagtail admin registrations of the service catalog."""

from django.urls import path
from wagtail import hooks

from services_catalog.admin_views import (
    URL_NAME,
    CatalogImportView,
    catalog_import_menu_item,
)


@hooks.register("register_admin_urls")
def register_catalog_import_url():
    return [path("catalog-import/", CatalogImportView.as_view(), name=URL_NAME)]


@hooks.register("register_admin_menu_item")
def register_catalog_import_menu_item():
    return catalog_import_menu_item()
