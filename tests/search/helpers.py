"""Helpers of the search tests (and the search browser test): publish content the way
editors do, through revisions, so that the index follows through its signal
handlers, and ask the configured backend."""

from search.backends import get_backend
from search.backends.base import SearchRequest
from services_catalog.models import (
    ServiceItemAlias,
    ServiceItemMaterial,
    ServiceItemPage,
    ServiceItemSituation,
)


def publish(obj):
    """Publish through a revision, as editors do; `obj` then reads what is live."""
    obj.save_revision().publish()
    obj.refresh_from_db()
    return obj


def add_draft(parent, page):
    """Add `page` under `parent` as a draft: not live, so not indexed yet."""
    page.live = False
    parent.add_child(instance=page)
    return page


def make_item(catalog, division, code, title, *, publish_now=True, **fields):
    """A service item under `catalog` led by `division`, published unless told;
    `aliases` and `situations` are lists of phrases."""
    materials = fields.pop("materials", ["申请书"])
    aliases = fields.pop("aliases", [])
    situations = fields.pop("situations", [])
    defaults = {
        "item_type": "licensing",
        "kind": "promised",
        "audience": ["organisation"],
        "statutory_days": 20,
        "promised_days": 10,
        "online": True,
        "conditions": [("item", "申请人依法设立。")],
        "basis": [("item", "《优化营商环境条例》第十条")],
        "result": "",
    }
    defaults.update(fields)
    item = ServiceItemPage(
        title=title, slug=code.lower(), code=code, lead_division=division, **defaults
    )
    item.materials = [ServiceItemMaterial(name=name) for name in materials]
    item.item_aliases = [ServiceItemAlias(text=text) for text in aliases]
    item.situations = [ServiceItemSituation(text=text) for text in situations]
    add_draft(catalog, item)
    if publish_now:
        publish(item)
    return item


def search(text, **filters):
    """The embedded backend's results for `text` with facet `filters`."""
    return get_backend().search(SearchRequest(text, filters=filters, limit=50))


def titles(results):
    return [hit.title for hit in results.hits]
