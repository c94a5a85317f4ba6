"""The home page's quick links (tiles): each app declares its own in
`AppConfig.quick_links`, so the portal names no domain page or view;
`portal_tags.quick_links` resolves them for the template."""

from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class QuickLink:
    """A tile on the home page. It links to the first live page of one of
    `page_models` ("app_label.model") under the site root, else to the first URL
    name in `url_names` that resolves, else to `fallback`. Tiles are shown by
    `order`."""

    label: str
    icon: str
    page_models: tuple = ()
    url_names: tuple = ()
    fallback: str = "/search/"
    order: int = 100


def declared_quick_links():
    """The quick links of every installed app, in their order."""
    links = [
        link
        for config in apps.get_app_configs()
        for link in getattr(config, "quick_links", ())
    ]
    return sorted(links, key=lambda link: link.order)
