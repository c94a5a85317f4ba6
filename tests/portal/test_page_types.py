"""Every page type declares where it may stand and what it may hold, in its own
class; the home page holds the departments, notices and the site-wide catalog."""

from django.apps import apps
from wagtail.models import Page

from disclosure.models import ContentPage, DepartmentPage
from portal.models import HomePage
from services_catalog.models import ServiceCatalogPage

PROJECT_APPS = {"portal", "disclosure", "services_catalog", "inbox", "reception"}


def project_page_types():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Page)
        and model is not Page
        and model._meta.app_label in PROJECT_APPS
    ]


def test_the_home_page_holds_departments_notices_and_the_site_wide_catalog():
    assert set(HomePage.allowed_subpage_models()) == {
        DepartmentPage,
        ContentPage,
        ServiceCatalogPage,
    }


def test_every_page_type_declares_its_parents_and_children_itself():
    page_types = project_page_types()
    assert HomePage in page_types and len(page_types) > 5
    for model in page_types:
        assert "subpage_types" in vars(model), model
        assert "parent_page_types" in vars(model), model
