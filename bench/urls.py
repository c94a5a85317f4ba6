"""The site's URLs plus a minimal Django view: the floor a page is compared with."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from portal.urls import urlpatterns as site_urlpatterns

_FLOOR = engines["django"].from_string(
    "<!DOCTYPE html><html lang='zh-Hans'><title>{{ title }}</title><h1>{{ title }}</h1>"
)


def floor_view(request):
    return HttpResponse(_FLOOR.render({"title": "最小视图"}, request))


urlpatterns = [path("bench/floor/", floor_view), *site_urlpatterns]
