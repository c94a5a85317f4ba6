"""Routable pages whose views live above the models.

A page type's public views need its app's forms, filters and models; a models module
that imported them would close an import cycle (models → views → models). So the page
type declares its routes — the URL pattern and the name, as `RoutablePageMixin` does,
so that `reverse_subpage` and the preview keep working — and the app that owns the
views hands them over in its `AppConfig.ready()`, the way models are registered with
the admin site:

    class ReceptionPage(ViewRoutesMixin, Page):
        index = view_route("", "index")

    # reception/apps.py, ready()
    ReceptionPage.register_route_views(index=public.reception_index)

Dependencies then point one way: the views import the models, the models import
neither the views nor their app. A view receives the request, the page and the URL's
arguments. A route left without a view is reported by `manage.py check`
(`portal.E001`) and answers 404.
"""

import re

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page


def view_route(pattern, name):
    """A route of a `ViewRoutesMixin` page, served by the view registered as `name`."""

    def serve_route(page, request, *args, **kwargs):
        view = type(page).route_views.get(name)
        if view is None:
            raise Http404
        return view(request, page, *args, **kwargs)

    serve_route.__name__ = serve_route.__qualname__ = name
    serve_route.view_route_name = name
    return path(pattern, name=name)(serve_route)


class ViewRoutesMixin(RoutablePageMixin):
    """A routable page whose `view_route`s are served by views registered from above."""

    route_views = {}

    @classmethod
    def view_route_names(cls):
        return {
            route.callback.view_route_name
            for route in cls.get_subpage_urls()
            if hasattr(route.callback, "view_route_name")
        }

    def get_cached_paths(self):
        """The page's own path and each of its routes without a parameter (``print/``,
        ``month/``…): what a frontend cache may hold of it (`portal.frontend_cache`)."""
        routes = (str(route.pattern) for route in self.get_subpage_urls())
        return ["/"] + sorted(
            {route for route in routes if route and not re.search(r"[<(\\^$]", route)}
        )

    @classmethod
    def register_route_views(cls, **views):
        """Serve the `view_route`s named by the keywords with the given views."""
        unknown = set(views) - cls.view_route_names()
        if unknown:
            raise ImproperlyConfigured(
                f"{cls.__name__} has no view_route named {', '.join(sorted(unknown))}"
            )
        cls.route_views = {**cls.route_views, **views}

    @classmethod
    def check(cls, **kwargs):
        errors = super().check(**kwargs)
        missing = ", ".join(sorted(cls.view_route_names() - set(cls.route_views)))
        if missing:
            errors.append(
                checks.Error(
                    f"No view is registered for the routes {missing}.",
                    hint="Register them with register_route_views() in the "
                    "AppConfig.ready() of the app that owns the views.",
                    obj=cls,
                    id="portal.E001",
                )
            )
        return errors


class PrefetchedRouteMixin:
    """Route a request below this page (the site's root) with one query for the whole
    path instead of two per level (the child by slug, then its specific instance).

    Every page whose URL path is a prefix of the requested one is fetched at once by
    `url_path`; the walk down then does what Wagtail's `Page.route` does at each
    level: a routable page (`RoutablePageMixin`) that is live and has a route for the
    rest of the path answers itself, a page type with a `route` of its own is handed
    the rest, any other goes on to the child named by the next slug. Only the page
    that answers is turned into its specific instance.
    """

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        prefixes = [
            self.url_path + "/".join(path_components[: index + 1]) + "/"
            for index in range(len(path_components))
        ]
        found = {
            page.url_path: page
            for page in Page.objects.descendant_of(self).filter(url_path__in=prefixes)
        }
        parent = self
        for index, url_path in enumerate(prefixes):
            child = found.get(url_path)
            if child is None:
                raise Http404
            child._cached_parent_obj = parent
            remaining = path_components[index + 1 :]
            if remaining and _answers_itself(child, remaining):
                return child.specific.route(request, remaining)
            parent = child
        return parent.specific.route(request, [])


def _answers_itself(page, remaining):
    """Whether `page`'s own routing, not its child's, decides `remaining`."""
    page_type = page.specific_class
    if page_type is None or page_type.route is Page.route:
        return False
    if page_type.route is not RoutablePageMixin.route:
        return True  # a route of its own: let it decide
    if not page.live:
        return False
    try:
        page_type.get_resolver().resolve("/" + "/".join(remaining) + "/")
    except Http404:
        return False
    return True
