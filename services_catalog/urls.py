"""Public URLs of the service catalog outside the page tree: the item feeds.

Included at /feeds/ by `portal.urls`, before Wagtail's catch-all.
"""

from django.urls import path

from services_catalog.feeds import ItemsAtomFeed, ItemsFeed

app_name = "catalog_feeds"

urlpatterns = [
    path("items/rss/", ItemsFeed(), name="rss"),
    path("items/atom/", ItemsAtomFeed(), name="atom"),
    path("items/<str:code>/rss/", ItemsFeed(), name="department_rss"),
    path("items/<str:code>/atom/", ItemsAtomFeed(), name="department_atom"),
]
