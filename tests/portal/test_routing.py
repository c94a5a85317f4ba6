"""Routes of pages whose views live above the models (`portal.routing`): each route
is served by the view its app registered, and a route left without one is reported
by the system check and answers 404."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.test import RequestFactory

from portal.routing import ViewRoutesMixin
from reception.models import ReceptionPage
from reception.views import public
from services_catalog.inbox.views import apply_online
from services_catalog.models import ServiceCatalogPage, ServiceItemPage
from services_catalog.views import catalog_page

# A new page looks its content type up in the database.
pytestmark = pytest.mark.django_db


def test_every_route_has_the_view_its_app_registered():
    assert ReceptionPage.route_views["index"] is public.reception_index
    assert ServiceCatalogPage.route_views == {"index": catalog_page}
    assert ServiceItemPage.route_views == {"apply": apply_online}
    for model in (ReceptionPage, ServiceCatalogPage, ServiceItemPage):
        assert issubclass(model, ViewRoutesMixin)
        assert set(model.route_views) == model.view_route_names()
        assert not [e for e in model.check() if e.id == "portal.E001"]


def test_a_route_without_its_view_is_reported_and_answers_404(monkeypatch):
    monkeypatch.setattr(ServiceItemPage, "route_views", {})

    errors = [e for e in ServiceItemPage.check() if e.id == "portal.E001"]
    assert len(errors) == 1 and "apply" in errors[0].msg

    view, args, kwargs = ServiceItemPage().resolve_subpage("/apply/")
    with pytest.raises(Http404):
        view(RequestFactory().get("/apply/"), *args, **kwargs)


def test_only_declared_routes_take_a_view():
    with pytest.raises(ImproperlyConfigured, match="no view_route named nope"):
        ServiceItemPage.register_route_views(nope=apply_online)
