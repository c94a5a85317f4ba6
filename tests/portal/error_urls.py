"""A URL that refuses everyone, to see the site's 403 page (the portal's handlers)."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from portal.urls import handler400, handler403, urlpatterns  # noqa: F401


def forbidden(request):
    raise PermissionDenied


urlpatterns = [path("forbidden/", forbidden), *urlpatterns]
