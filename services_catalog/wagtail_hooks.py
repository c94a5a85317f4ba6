"""Wagtail admin registrations of the service catalog."""

from django.urls import path
from wagtail import hooks

from services_catalog.admin_views import (
    PROGRESS_URL_NAME,
    STATUS_URL_NAME,
    URL_NAME,
    CatalogImportProgressView,
    CatalogImportStatusView,
    CatalogImportView,
    catalog_import_menu_item,
)


@hooks.register("register_admin_urls")
def register_catalog_import_url():
    return [
        path("catalog-import/", CatalogImportView.as_view(), name=URL_NAME),
        path(
            "catalog-import/<str:token>/",
            CatalogImportStatusView.as_view(),
            name=STATUS_URL_NAME,
        ),
        path(
            "catalog-import/<str:token>/progress/",
            CatalogImportProgressView.as_view(),
            name=PROGRESS_URL_NAME,
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_catalog_import_menu_item():
    return catalog_import_menu_item()
