"""Public URLs of the search app, included at /search/ by `portal.urls`."""

from django.urls import path

from search import views

app_name = "site_search"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("suggest/", views.suggest, name="suggest"),
    path("click/", views.click, name="click"),
]
