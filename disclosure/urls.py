"""Public URLs of disclosure outside the page tree: the notices and measures feeds.

Included at /feeds/ by `portal.urls`, beside the item feeds."""

from django.urls import path

from disclosure.feeds import ContentAtomFeed, ContentFeed

app_name = "content_feeds"

urlpatterns = [
    path("notices/rss/", ContentFeed(), name="rss"),
    path("notices/atom/", ContentAtomFeed(), name="atom"),
    path("notices/<str:code>/rss/", ContentFeed(), name="department_rss"),
    path("notices/<str:code>/atom/", ContentAtomFeed(), name="department_atom"),
]
