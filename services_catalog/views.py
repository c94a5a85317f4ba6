"""Public views of the service catalog's pages, served by their routes
(`portal.routing`; registered in `ServicesCatalogConfig.ready()`)."""

from services_catalog.filters import catalog_listing


def catalog_page(request, page):
    """A catalog page: its items filtered, counted and paged (`filters`)."""
    return page.render(request, context_overrides=catalog_listing(page, request))
