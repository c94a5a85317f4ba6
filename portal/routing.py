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

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from wagtail.contrib.routable_page.models import RoutablePageMixin, path


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
