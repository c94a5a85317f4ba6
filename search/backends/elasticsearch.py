"""The Elasticsearch backend (``SEARCH_BACKEND=elasticsearch``), through
`elasticsearch.dsl` (elasticsearch-dsl re-exports it since 8.18).

Chinese text is analysed by Elasticsearch itself: the built-in ``cjk`` analyzer
(overlapping character bigrams) by default, or a plugin analyzer when
``SEARCH_ELASTICSEARCH_ANALYZER`` says so: ``ik`` (``ik_max_word`` for indexing,
``ik_smart`` for queries; the analysis-ik plugin) or ``smartcn`` (the analysis-smartcn
plugin). Synonyms and filler words are handled before the query is sent, by the same
`search.query.parse_query` as the embedded backend, so editors' synonyms apply at once.

Ranking: the exact item code first (a constant boost), title matches over body
(field boosts), service items over notices (the document's kind weight multiplies the
score). Facet counts are aggregations, each with every filter but its own; the hits
are narrowed by a ``post_filter``. Settings: ``ELASTICSEARCH_URL``,
``SEARCH_ELASTICSEARCH_INDEX`` (default ``chuangkou-search``) and
``SEARCH_ELASTICSEARCH_ANALYZER`` (``cjk``, ``ik`` or ``smartcn``), read from the Django
settings or else the environment.
"""

import os
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.safestring import mark_safe
from elasticsearch import (
    ApiError,
    Elasticsearch,
    NotFoundError,
    TransportError,
    helpers,
)
from elasticsearch.dsl import (
    Boolean,
    Document,
    Keyword,
    Q,
    Search,
    Text,
)
from elasticsearch.dsl import Integer as IntegerField

from search.backends.base import (
    FACETS,
    FacetValue,
    SearchBackend,
    SearchHit,
    SearchResults,
    SearchUnavailable,
    facet_label,
    highlight,
)
from search.query import is_short, parse_query
from search.synonyms import synonym_map

DEFAULT_INDEX = "chuangkou-search"
ANALYZERS = {
    "cjk": {"analyzer": "cjk"},
    "ik": {"analyzer": "ik_max_word", "search_analyzer": "ik_smart"},
    "smartcn": {"analyzer": "smartcn"},
}
FACET_FIELDS = {
    "department": "department_code",
    "kind": "kind",
    "item_type": "item_type",
    "audience": "audience",
    "online": "online",
}
CODE_BOOST = 1000
TITLE_BOOST = 4
SNIPPET_LENGTH = 120


def setting(name, default=""):
    return getattr(settings, name, None) or os.environ.get(name) or default


def document_class(index_name=DEFAULT_INDEX, analyzer="cjk"):
    """The `Document` (index, settings and mapping) for an index name and analyzer."""
    if analyzer not in ANALYZERS:
        raise ImproperlyConfigured(
            f"SEARCH_ELASTICSEARCH_ANALYZER must be one of {sorted(ANALYZERS)}, "
            f"not {analyzer!r}"
        )
    text = ANALYZERS[analyzer]

    class SearchEntry(Document):
        """One indexed item (see `search.backends.base.IndexDocument`)."""

        key = Keyword()
        kind = Keyword()
        title = Text(**text, fields={"keyword": Keyword(ignore_above=255)})
        body = Text(**text)
        url = Keyword(index=False)
        department_code = Keyword()
        department_name = Keyword()
        item_code = Keyword()
        item_type = Keyword()
        audience = Keyword(multi=True)
        online = Boolean()
        rank = IntegerField()

        class Index:
            name = index_name
            settings = {"number_of_shards": 1, "number_of_replicas": 0}

    return SearchEntry


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"
    transactional = False

    def __init__(self, url="", index_name=DEFAULT_INDEX, analyzer="cjk", client=None):
        self.url = url
        self.index_name = index_name
        self.analyzer = analyzer
        self.document = document_class(index_name, analyzer)
        self._index_ready = False
        if client is not None:
            self.__dict__["client"] = client

    @classmethod
    def from_settings(cls):
        return cls(
            url=setting("ELASTICSEARCH_URL"),
            index_name=setting("SEARCH_ELASTICSEARCH_INDEX", DEFAULT_INDEX),
            analyzer=setting("SEARCH_ELASTICSEARCH_ANALYZER", "cjk"),
        )

    @cached_property
    def client(self):
        if not self.url:
            raise ImproperlyConfigured(
                "SEARCH_BACKEND=elasticsearch needs ELASTICSEARCH_URL"
            )
        return Elasticsearch(self.url, request_timeout=10)

    # Index definition and maintenance

    def index_definition(self):
        """The index settings and mapping, as sent when the index is created."""
        return self.document._index.to_dict()

    def create_index(self):
        """Create the index with its settings and mapping unless it exists (checked
        once per process)."""
        if not self._index_ready:
            if not self.client.indices.exists(index=self.index_name):
                self.document._index.create(using=self.client)
            self._index_ready = True

    def index_documents(self, documents):
        self.create_index()
        actions = [
            {
                "_op_type": "index",
                "_index": self.index_name,
                "_id": document.key,
                "_source": self.source(document),
            }
            for document in documents
        ]
        if actions:
            helpers.bulk(self.client, actions, refresh="wait_for")

    @staticmethod
    def source(document):
        """The stored fields of an `IndexDocument`."""
        return {
            "key": document.key,
            "kind": document.kind,
            "title": document.title,
            "body": document.body,
            "url": document.url,
            "department_code": document.department_code,
            "department_name": document.department_name,
            "item_code": document.item_code,
            "item_type": document.item_type,
            "audience": list(document.audience),
            "online": document.online,
            "rank": document.rank,
        }

    def delete_documents(self, keys):
        actions = [
            {"_op_type": "delete", "_index": self.index_name, "_id": key}
            for key in keys
        ]
        if actions:
            helpers.bulk(self.client, actions, raise_on_error=False, refresh="wait_for")

    def clear(self):
        try:
            self.client.indices.delete(index=self.index_name)
        except NotFoundError:
            pass
        self.document._index.create(using=self.client)
        self._index_ready = True

    def keys(self):
        return {
            hit["_id"]
            for hit in helpers.scan(
                self.client, index=self.index_name, query={"_source": False}
            )
        }

    # Queries

    def group_query(self, group, code=""):
        """A query part matching any alternative of a `QueryGroup`; the alternative
        that is the item code also matches the code field."""
        alternatives = []
        for alternative in group.alternatives:
            alternatives.append(
                Q(
                    "multi_match",
                    query=alternative,
                    fields=[f"title^{TITLE_BOOST}", "body"],
                    operator="and",
                )
            )
            if code and alternative.upper() == code:
                alternatives.append(
                    Q("prefix", item_code={"value": code, "case_insensitive": True})
                )
        if len(alternatives) == 1:
            return alternatives[0]
        return Q("bool", should=alternatives, minimum_should_match=1)

    def text_query(self, parsed, mode="all"):
        """The scoring query: every group (``all``) or any (``some``), the code boost
        and the kind weight."""
        groups = [self.group_query(group, parsed.code) for group in parsed.groups]
        boosts = []
        if parsed.code:
            boosts.append(
                Q(
                    "constant_score",
                    filter=Q(
                        "term",
                        item_code={"value": parsed.code, "case_insensitive": True},
                    ),
                    boost=CODE_BOOST,
                )
            )
        if mode == "all":
            query = Q("bool", must=groups, should=boosts)
        elif mode == "some":
            query = Q("bool", should=groups + boosts, minimum_should_match=1)
        else:  # similar: titles sharing characters, one typo per bigram allowed
            query = Q(
                "match",
                title={"query": parsed.text, "fuzziness": 1, "operator": "or"},
            )
        return Q(
            "function_score",
            query=query,
            functions=[
                {
                    "field_value_factor": {
                        "field": "rank",
                        "modifier": "log1p",
                        "missing": 1,
                    }
                }
            ],
            boost_mode="multiply",
        )

    @staticmethod
    def filter_queries(filters, skip=None):
        queries = []
        for name, value in filters.items():
            if name == skip:
                continue
            if name == "online":
                value = str(value).lower() in ("true", "1", "yes")
            queries.append(Q("term", **{FACET_FIELDS[name]: value}))
        return queries

    def build_search(self, request, parsed, mode="all"):
        """The `Search` for a request: scoring query, filters, facets, highlight."""
        search = Search(index=self.index_name).query(self.text_query(parsed, mode))
        filters = self.filter_queries(request.filters)
        if filters:
            search = search.post_filter(Q("bool", filter=filters))
        if request.with_facets:
            for name, field in FACET_FIELDS.items():
                others = self.filter_queries(request.filters, skip=name)
                bucket = search.aggs.bucket(
                    name, "filter", filter=Q("bool", filter=others)
                ).bucket("values", "terms", field=field, size=50)
                if name == "department":
                    bucket.bucket("name", "terms", field="department_name", size=1)
        search = search.highlight_options(
            pre_tags=["<mark>"], post_tags=["</mark>"], encoder="html"
        )
        search = search.highlight("title", number_of_fragments=0)
        search = search.highlight(
            "body",
            fragment_size=SNIPPET_LENGTH,
            number_of_fragments=1,
            no_match_size=SNIPPET_LENGTH,
        )
        search = search.extra(track_total_hits=True)
        return search[request.offset : request.offset + request.limit]

    def search(self, request):
        parsed = parse_query(request.text, synonym_map())
        if not parsed or not parsed.groups:
            return SearchResults.empty()
        modes = ["all"]
        if len(parsed.groups) > 1:
            modes.append("some")
        if is_short(parsed):
            modes.append("similar")
        response = None
        for mode in modes:
            response = self._execute(self.build_search(request, parsed, mode))
            if response.hits.total.value:
                return self.results(response, parsed, mode, request)
        return self.results(response, parsed, modes[-1], request)

    def _execute(self, search):
        try:
            return search.using(self.client).execute()
        except (ApiError, TransportError) as error:
            raise SearchUnavailable(str(error)) from error

    def results(self, response, parsed, mode, request):
        terms = parsed.highlight_terms()
        hits = [self.hit(hit, terms) for hit in response.hits]
        facets = {name: [] for name in FACETS}
        aggregations = getattr(response, "aggregations", None)
        if request.with_facets and aggregations is not None:
            for name in FACETS:
                selected = str(request.filters.get(name, "")).lower()
                values = []
                for bucket in aggregations[name]["values"]["buckets"]:
                    value = str(getattr(bucket, "key_as_string", None) or bucket.key)
                    label = ""
                    if name == "department" and bucket["name"]["buckets"]:
                        label = bucket["name"]["buckets"][0].key
                    values.append(
                        FacetValue(
                            value=value,
                            label=facet_label(name, value, label),
                            count=bucket.doc_count,
                            selected=value.lower() == selected,
                        )
                    )
                facets[name] = values
        return SearchResults(
            hits=hits,
            total=response.hits.total.value,
            facets=facets,
            mode=mode,
            synonyms=parsed.synonyms,
        )

    @staticmethod
    def hit(hit, terms):
        highlighted = getattr(hit.meta, "highlight", None)
        title = getattr(highlighted, "title", None)
        body = getattr(highlighted, "body", None)
        return SearchHit(
            kind=hit.kind,
            title=hit.title,
            url=hit.url,
            department=hit.department_name or "",
            department_code=hit.department_code or "",
            item_code=hit.item_code or "",
            item_type=hit.item_type or "",
            # Elasticsearch escaped the text (encoder "html") and added the marks.
            snippet=mark_safe(body[0]) if body else highlight(hit.body, terms),
            title_html=mark_safe(title[0]) if title else highlight(hit.title, terms),
            score=round(hit.meta.score or 0.0, 4),
        )

    def suggest_search(self, text, limit=8):
        return (
            Search(index=self.index_name)
            .query(
                Q(
                    "bool",
                    should=[
                        Q("match_phrase_prefix", title={"query": text}),
                        Q(
                            "prefix",
                            item_code={"value": text, "case_insensitive": True},
                        ),
                    ],
                    minimum_should_match=1,
                    filter=[Q("term", kind="item")],
                )
            )
            .source(["title", "url", "item_code"])[:limit]
        )

    def suggest(self, text, limit=8):
        text = parse_query(text).text
        if not text:
            return []
        response = self._execute(self.suggest_search(text, limit))
        return [
            {"title": hit.title, "url": hit.url, "code": hit.item_code or ""}
            for hit in response.hits
        ]
