"""The one search interface and the results contract every backend keeps.

The indexer hands backends `IndexDocument`s; the search page and the API hand them a
`SearchRequest` and get `SearchResults` back: hits (type, title, URL, department, item
code, highlighted snippet, score) and facet counts (department, type, item type,
audience, online filing), whichever backend answered.
"""

import html
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from search.query import VARIANT_WORDS

# Document kinds, in the order of their weight when matches are otherwise equal:
# service items first, notices after (DESIGN §7).
KINDS = {
    "item": (_("办事指南"), 6),
    "division": (_("处室"), 5),
    "department": (_("部门"), 4),
    "person": (_("人员"), 3),
    "roster": (_("值班安排"), 2),
    "notice": (_("公开内容"), 2),
    "qa": (_("咨询问答"), 2),
    "page": (_("页面"), 1),
}

AUDIENCES = {"person": _("自然人"), "organisation": _("法人")}

# Facet names, as GET parameters and in the API.
FACETS = ("department", "kind", "item_type", "audience", "online")

SNIPPET_LENGTH = 120


def kind_label(kind):
    return KINDS.get(kind, (kind, 0))[0]


def kind_rank(kind):
    return KINDS.get(kind, (kind, 0))[1]


def item_type_label(value):
    """行政许可… from the catalog's `ItemType`, once the catalog is installed."""
    try:
        from services_catalog.models import ItemType
    except ImportError:
        return value
    return dict(ItemType.choices).get(value, value)


@dataclass
class IndexDocument:
    """One thing to index, as an adapter of `search.indexer` describes it."""

    key: str
    kind: str
    title: str
    url: str
    body: str = ""
    department_code: str = ""
    department_name: str = ""
    item_code: str = ""
    item_type: str = ""
    audience: tuple = ()
    online: bool | None = None
    # Other names searched like the title: aliases and situation phrases.
    aliases: tuple = ()
    title_en: str = ""
    summary_en: str = ""

    @property
    def rank(self):
        return kind_rank(self.kind)

    @property
    def variant(self):
        """The variant word ending a service item's name (延续…), or ""."""
        if self.kind != "item":
            return ""
        return next((w for w in VARIANT_WORDS if self.title.endswith(w)), "")


@dataclass
class SearchRequest:
    """A query with its facet filters and the page of results wanted."""

    text: str
    filters: dict = field(default_factory=dict)
    offset: int = 0
    limit: int = 10
    with_facets: bool = True

    def __post_init__(self):
        self.filters = {
            name: value
            for name, value in (self.filters or {}).items()
            if name in FACETS and value not in (None, "")
        }


@dataclass
class SearchHit:
    kind: str
    title: str
    url: str
    department: str = ""
    department_code: str = ""
    item_code: str = ""
    item_type: str = ""
    snippet: str = ""  # HTML: escaped text with <mark>…</mark>
    title_html: str = ""
    score: float = 0.0
    title_en: str = ""
    summary_en: str = ""

    @property
    def type_label(self):
        return kind_label(self.kind)

    @property
    def item_type_label(self):
        return item_type_label(self.item_type) if self.item_type else ""


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResults:
    """What one search found. `mode` says how: ``all`` (every part of the query
    matched), ``some`` (no result had every part; results with most parts first),
    ``similar`` (nothing matched; titles that look like the query) or ``weak``
    (something matched, but no result's name covers the meaningful part of the
    query: probably a need the catalog does not cover, shown as guesses)."""

    hits: list
    total: int
    facets: dict = field(default_factory=dict)
    mode: str = "all"
    synonyms: tuple = ()

    @classmethod
    def empty(cls):
        return cls(hits=[], total=0, facets={name: [] for name in FACETS})


def facet_label(name, value, fallback=""):
    if name == "kind":
        return str(kind_label(value))
    if name == "item_type":
        return str(item_type_label(value))
    if name == "audience":
        return str(AUDIENCES.get(value, value))
    if name == "online":
        return str(_("可网上申请") if value == "true" else _("仅窗口办理"))
    return fallback or value


class SearchUnavailable(Exception):
    """The backend cannot answer now (the Elasticsearch cluster is down)."""


class SearchBackend:
    """The interface. Backends index `IndexDocument`s and answer `SearchRequest`s."""

    name = ""

    def index_documents(self, documents):
        """Add or replace these documents (by key)."""
        raise NotImplementedError

    def delete_documents(self, keys):
        """Remove the documents with these keys; unknown keys are ignored."""
        raise NotImplementedError

    def clear(self):
        """Remove every document (before a rebuild)."""
        raise NotImplementedError

    def keys(self):
        """The keys of every indexed document."""
        raise NotImplementedError

    def search(self, request):
        """`SearchResults` for a `SearchRequest`."""
        raise NotImplementedError

    def suggest(self, text, limit=8):
        """Service items whose names contain `text`, for the search box:
        ``[{"title", "url", "code"}]``."""
        raise NotImplementedError

    def synonyms_changed(self):
        """An editor changed the synonyms: a backend that keeps its own copy of
        them (Elasticsearch's synonyms set) updates it. Others read them at each
        search."""


def highlight(text, terms, length=SNIPPET_LENGTH):
    """A window of `text` around the first of `terms`, HTML-escaped, with every
    term marked: ``…按<mark>排污许可</mark>管理…``. Safe to render as HTML."""
    text = " ".join((text or "").split())
    terms = [term for term in terms if term]
    pattern = (
        re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
        if terms
        else None
    )
    first = pattern.search(text) if pattern else None
    start = 0
    if first and len(text) > length:
        start = max(0, min(first.start() - length // 4, len(text) - length))
    window = text[start : start + length]
    marked = _mark(window, pattern)
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(text) else ""
    return mark_safe(f"{prefix}{marked}{suffix}")


def _mark(text, pattern):
    if pattern is None:
        return escape(text)
    parts, position = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(text[position:]))
    return "".join(parts)


def plain_text(value):
    """Text without tags or entities, whitespace collapsed (rich text, blocks)."""
    text = re.sub(r"<[^>]+>", " ", str(value or ""))
    return " ".join(html.unescape(text).split())
