"""The Elasticsearch backend (``SEARCH_BACKEND=elasticsearch``), through
`elasticsearch.dsl` (elasticsearch-dsl re-exports it since 8.18).

The behaviour of the embedded backend, from Elasticsearch's own machinery:

- Analysis: Chinese is cut by a plugin tokenizer when the cluster has one, IK
  (``ik_max_word`` for indexing, ``ik_smart`` for queries; analysis-ik) or smartcn
  (analysis-smartcn), else by the standard tokenizer into character bigrams (the
  ``cjk`` chain); full-width forms are folded (``cjk_width``). With
  ``SEARCH_ELASTICSEARCH_ANALYZER=auto`` (the default) the backend asks the cluster
  for its plugins when it creates the index.
- Synonyms: the query analyzer ends in a ``synonym_graph`` filter over the editor
  synonyms, kept in an Elasticsearch synonyms set (``<index>-synonyms``) that is
  rewritten whenever an editor changes a synonym (the cluster reloads the analyzer
  itself), so queries are sent as typed, not expanded here.
- Traditional → simplified: texts and queries are converted in Python
  (`search.segment.simplified`, OpenCC) before indexing and querying.
- Pinyin: with the analysis-pinyin plugin, names get a ``pinyin`` sub-field (whole
  names in full pinyin and initials, the query converted the same way, so a
  homophone typo meets the right name); without it, the pinyin tokens of the
  embedded backend (`search.segment.pinyin_terms`) are indexed in a ``pinyin``
  field, and the query's pinyin phrase is matched there as a prefix.
- Ranking: names (the title, then aliases and situation phrases, then the English
  name) weigh more than the body; a two-character word of the query that a name
  has as a word (the names' words are indexed in ``name_words``, jieba's, as the
  embedded backend marks them) scores again, so 药店 puts …药店 above 开兽药店,
  which has the same bigram inside a longer word; the exact item code first (a
  constant boost); the
  kind's weight multiplies the score, and a variant of a family (…延续) the query
  does not ask for is demoted; ties are broken by the shorter title, then the key,
  as on the embedded backend. English fields match with fuzziness (typos).
- Modes: ``all`` parts, else ``some``, else ``similar`` (fuzzy title matches) for
  short queries; the results are ``weak`` when the best hit's names cover less than
  half of the query (named queries tell which parts matched a name).

Facet counts are aggregations, each with every filter but its own; the hits are
narrowed by a ``post_filter``. Settings: ``ELASTICSEARCH_URL``,
``SEARCH_ELASTICSEARCH_INDEX`` (default ``chuangkou-search``) and
``SEARCH_ELASTICSEARCH_ANALYZER`` (``auto``, ``cjk``, ``ik`` or ``smartcn``), read
from the Django settings or else the environment.
"""

import logging
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
    analyzer,
    token_filter,
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
from search.query import VARIANT_WORDS, is_short, parse_query
from search.segment import has_cjk, name_words, pinyin_terms, query_words, simplified
from search.synonyms import synonym_map

logger = logging.getLogger(__name__)

DEFAULT_INDEX = "chuangkou-search"
# Tokenizers for indexing and for queries, by analyzer name; "cjk" is the standard
# tokenizer with character bigrams.
TOKENIZERS = {
    "cjk": ("standard", "standard"),
    "ik": ("ik_max_word", "ik_smart"),
    "smartcn": ("smartcn_tokenizer", "smartcn_tokenizer"),
}
# Plugins, as `_cat/plugins` names them.
PLUGINS = {"ik": "analysis-ik", "smartcn": "analysis-smartcn"}
PINYIN_PLUGIN = "analysis-pinyin"
FACET_FIELDS = {
    "department": "department_code",
    "kind": "kind",
    "item_type": "item_type",
    "audience": "audience",
    "online": "online",
}
CODE_BOOST = 1000
TITLE_BOOST = 4
ALIAS_BOOST = 3
PINYIN_BOOST = 2
# The boost of a query word that a name has as a word (`name_words`), not only
# inside a longer one: scored by its rarity like the title term it repeats (BM25;
# a keyword field has no length norm), so such a name scores about twice what one
# with only the bigram scores for that part, as on the embedded backend.
WORD_BOOST = TITLE_BOOST
# A variant of a family the query does not ask for has its score multiplied by
# this.
VARIANT_FACTOR = 0.3
# Share of the query the best hit's names must cover not to be weak.
RELEVANT_SHARE = 0.5
SNIPPET_LENGTH = 120
NAME_FIELDS = [f"title^{TITLE_BOOST}", f"aliases^{ALIAS_BOOST}"]
ENGLISH_FIELDS = [f"title_en^{ALIAS_BOOST}", "summary_en"]


def setting(name, default=""):
    return getattr(settings, name, None) or os.environ.get(name) or default


def synonym_rules(synonyms):
    """Rules of an Elasticsearch synonyms set for ``{term: [canonical, …]}``: the
    term also finds the canonical terms (``社保 => 社保, 社会保险``), each rule with
    the term as its id."""
    rules = []
    for term, canonical in sorted(synonyms.items()):
        words = [_escape(word) for word in [term, *canonical]]
        rules.append({"id": term, "synonyms": f"{words[0]} => {', '.join(words)}"})
    return rules


def _escape(word):
    return word.replace("\\", "\\\\").replace(",", "\\,").replace("=>", "\\=>")


def document_class(index_name=DEFAULT_INDEX, analyzer_name="cjk", pinyin=False):
    """The `Document` (index, settings and mapping) for an index name, an analyzer
    (``cjk``, ``ik`` or ``smartcn``) and whether the pinyin plugin is there."""
    if analyzer_name not in TOKENIZERS:
        raise ImproperlyConfigured(
            "SEARCH_ELASTICSEARCH_ANALYZER must be 'auto' or one of "
            f"{sorted(TOKENIZERS)}, not {analyzer_name!r}"
        )
    index_tokenizer, search_tokenizer = TOKENIZERS[analyzer_name]
    filters = ["cjk_width", "lowercase"]
    if analyzer_name == "cjk":
        filters.append("cjk_bigram")
    synonyms = token_filter(
        "chuangkou_synonyms",
        "synonym_graph",
        synonyms_set=f"{index_name}-synonyms",
        updateable=True,
    )
    chinese = analyzer("chuangkou_index", tokenizer=index_tokenizer, filter=filters)
    chinese_query = analyzer(
        "chuangkou_search", tokenizer=search_tokenizer, filter=[*filters, synonyms]
    )
    text = {"analyzer": chinese, "search_analyzer": chinese_query}
    name_fields = {}
    if pinyin:
        spelled = token_filter(
            "chuangkou_pinyin",
            "pinyin",
            keep_first_letter=True,
            keep_separate_first_letter=False,
            keep_full_pinyin=False,
            keep_joined_full_pinyin=True,
            keep_none_chinese=True,
            keep_original=False,
            limit_first_letter_length=50,
            lowercase=True,
            remove_duplicated_term=True,
        )
        name_fields["pinyin"] = Text(
            analyzer=analyzer("chuangkou_pinyin", tokenizer="keyword", filter=[spelled])
        )

    class SearchEntry(Document):
        """One indexed item (see `search.backends.base.IndexDocument`)."""

        key = Keyword()
        kind = Keyword()
        title = Text(
            **text, fields={"keyword": Keyword(ignore_above=255), **name_fields}
        )
        aliases = Text(**text, multi=True, fields=name_fields)
        body = Text(**text)
        title_en = Text(analyzer="english")
        summary_en = Text(analyzer="english")
        url = Keyword(index=False)
        department_code = Keyword()
        department_name = Keyword()
        item_code = Keyword()
        item_type = Keyword()
        audience = Keyword(multi=True)
        online = Boolean()
        rank = IntegerField()
        variant = Keyword()
        name_words = Keyword(multi=True)
        title_length = IntegerField()
        if not pinyin:
            pinyin_terms = Text(analyzer="whitespace", multi=True)

        class Index:
            name = index_name
            settings = {"number_of_shards": 1, "number_of_replicas": 0}

    return SearchEntry


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"
    transactional = False

    def __init__(
        self,
        url="",
        index_name=DEFAULT_INDEX,
        analyzer="auto",
        pinyin=None,
        client=None,
    ):
        """`analyzer` ``auto`` and `pinyin` None: as the cluster's plugins allow,
        asked when the index is first needed."""
        self.url = url
        self.index_name = index_name
        self.analyzer = analyzer
        self._pinyin = pinyin
        if analyzer != "auto":
            document_class(index_name, analyzer)  # refuses an unknown analyzer
        self._index_ready = False
        if client is not None:
            self.__dict__["client"] = client

    @classmethod
    def from_settings(cls):
        return cls(
            url=setting("ELASTICSEARCH_URL"),
            index_name=setting("SEARCH_ELASTICSEARCH_INDEX", DEFAULT_INDEX),
            analyzer=setting("SEARCH_ELASTICSEARCH_ANALYZER", "auto"),
        )

    @cached_property
    def client(self):
        if not self.url:
            raise ImproperlyConfigured(
                "SEARCH_BACKEND=elasticsearch needs ELASTICSEARCH_URL"
            )
        return Elasticsearch(self.url, request_timeout=10)

    @cached_property
    def plugins(self):
        """The names of the cluster's plugins (asked once per process)."""
        try:
            rows = self.client.cat.plugins(format="json")
        except (ApiError, TransportError) as error:
            raise SearchUnavailable(str(error)) from error
        return {row["component"] for row in rows}

    @property
    def analyzer_name(self):
        if self.analyzer != "auto":
            return self.analyzer
        return next(
            (name for name, plugin in PLUGINS.items() if plugin in self.plugins),
            "cjk",
        )

    @property
    def pinyin_plugin(self):
        if self._pinyin is None:
            self._pinyin = PINYIN_PLUGIN in self.plugins
        return self._pinyin

    @cached_property
    def document(self):
        return document_class(self.index_name, self.analyzer_name, self.pinyin_plugin)

    @property
    def synonyms_set(self):
        return f"{self.index_name}-synonyms"

    # Index definition and maintenance

    def index_definition(self):
        """The index settings and mapping, as sent when the index is created."""
        return self.document._index.to_dict()

    def synonyms_definition(self):
        """The synonyms set, as sent to the cluster."""
        return synonym_rules(synonym_map())

    def put_synonyms(self):
        """Write the editor synonyms into the index's synonyms set; the cluster
        reloads the query analyzers that use it."""
        self.client.synonyms.put_synonym(
            id=self.synonyms_set, synonyms_set=self.synonyms_definition()
        )

    def synonyms_changed(self):
        try:
            self.put_synonyms()
        except (ApiError, TransportError, ImproperlyConfigured):
            logger.exception("the synonyms of %s were not updated", self.index_name)

    def create_index(self):
        """Create the synonyms set and the index with its settings and mapping
        unless the index exists (checked once per process)."""
        if not self._index_ready:
            if not self.client.indices.exists(index=self.index_name):
                self.put_synonyms()
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

    def source(self, document):
        """The stored fields of an `IndexDocument`: texts in simplified
        characters; without the pinyin plugin, the names' pinyin tokens."""
        source = {
            "key": document.key,
            "kind": document.kind,
            "title": simplified(document.title),
            "aliases": [simplified(alias) for alias in document.aliases],
            "body": simplified(document.body),
            "title_en": document.title_en,
            "summary_en": document.summary_en,
            "url": document.url,
            "department_code": document.department_code,
            "department_name": document.department_name,
            "item_code": document.item_code,
            "item_type": document.item_type,
            "audience": list(document.audience),
            "online": document.online,
            "rank": document.rank,
            "variant": document.variant,
            "name_words": list(
                dict.fromkeys(
                    word
                    for name in [document.title, *document.aliases]
                    for word in name_words(simplified(name))
                )
            ),
            "title_length": len(document.title),
        }
        if not self.pinyin_plugin:
            names = [document.title, *document.aliases]
            source["pinyin_terms"] = list(
                dict.fromkeys(term for name in names for term in pinyin_terms(name))
            )
        return source

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
        self.put_synonyms()
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

    def pinyin_query(self, text, name):
        """Names spelled like `text` in pinyin: with the plugin, its sub-fields
        (the query spelled by the same analyzer); without, a prefix of the pinyin
        tokens."""
        if self.pinyin_plugin:
            return Q(
                "multi_match",
                query=text,
                fields=["title.pinyin", "aliases.pinyin"],
                type="phrase_prefix",
                boost=PINYIN_BOOST,
                _name=name,
            )
        # A term-level query takes its name beside the value.
        return Q(
            "prefix",
            pinyin_terms={
                "value": text.replace(" ", ""),
                "boost": PINYIN_BOOST,
                "_name": name,
            },
        )

    def group_query(self, number, group, code=""):
        """A query part: the group's text in a name (named ``name<n>``, for the
        weak test) or in the body, in English with fuzziness, in pinyin when it
        is Latin; the item code also by prefix. Synonyms are the analyzer's."""
        text = group.text
        name = f"name{number}"
        alternatives = [
            Q(
                "multi_match",
                query=text,
                fields=NAME_FIELDS,
                operator="and",
                _name=name,
            ),
            Q("match", body={"query": text, "operator": "and"}),
        ]
        if text.isascii():
            alternatives.append(
                Q(
                    "multi_match",
                    query=text,
                    fields=ENGLISH_FIELDS,
                    operator="and",
                    fuzziness="AUTO",
                    _name=name,
                )
            )
            if text.isalpha():
                alternatives.append(self.pinyin_query(text, name))
        if code and text.upper() == code:
            alternatives.append(
                Q("prefix", item_code={"value": code, "case_insensitive": True})
            )
        matched = Q("bool", should=alternatives, minimum_should_match=1)
        words = self.query_name_words(group)
        if not words:
            return matched
        whole = [
            Q("term", name_words={"value": word, "boost": WORD_BOOST}) for word in words
        ]
        return Q("bool", must=[matched], should=whole)

    @staticmethod
    def query_name_words(group):
        """The two-character Chinese words of a query part's alternatives, as the
        names' words are indexed (``name_words``)."""
        return list(
            dict.fromkeys(
                word
                for alternative in group.alternatives
                for word in query_words(simplified(alternative))
                if len(word) == 2 and has_cjk(word)
            )
        )

    def text_query(self, parsed, mode="all"):
        """The scoring query: every group (``all``) or any (``some``), or the
        query's pinyin phrase in the names; the code boost, the kind weight and
        the variant demotion."""
        groups = [
            self.group_query(number, group, parsed.code)
            for number, group in enumerate(parsed.groups)
        ]
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
        phrase = [self.pinyin_query(parsed.phrase, "phrase")] if parsed.phrase else []
        if mode == "all":
            query = Q(
                "bool",
                should=[Q("bool", must=groups), *phrase],
                minimum_should_match=1,
            )
        elif mode == "some":
            query = Q("bool", should=groups + phrase, minimum_should_match=1)
        else:  # similar: titles sharing characters, one typo per bigram allowed
            query = Q(
                "match",
                title={"query": parsed.text, "fuzziness": 1, "operator": "or"},
            )
        if boosts and mode != "similar":
            query = Q("bool", must=[query], should=boosts)
        asked = [Q("terms", variant=list(parsed.variants))] if parsed.variants else []
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
                },
                {
                    "filter": Q(
                        "bool",
                        filter=[Q("terms", variant=list(VARIANT_WORDS))],
                        must_not=asked,
                    ),
                    "weight": VARIANT_FACTOR,
                },
            ],
            score_mode="multiply",
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

    def build_search(self, request, parsed, mode="all", offset=None, limit=None):
        """The `Search` for a request: scoring query, filters, facets, highlight,
        the deterministic order."""
        search = Search(index=self.index_name).query(self.text_query(parsed, mode))
        filters = self.filter_queries(request.filters)
        if filters:
            search = search.post_filter(Q("bool", filter=filters))
        if request.with_facets and offset is None:
            for name, field in FACET_FIELDS.items():
                others = self.filter_queries(request.filters, skip=name)
                bucket = search.aggs.bucket(
                    name, "filter", filter=Q("bool", filter=others)
                ).bucket("values", "terms", field=field, size=50)
                if name == "department":
                    bucket.bucket("name", "terms", field="department_name", size=1)
        search = search.highlight_options(
            pre_tags=["<mark>"],
            post_tags=["</mark>"],
            encoder="html",
            require_field_match=False,
        )
        search = search.highlight("title", number_of_fragments=0)
        search = search.highlight(
            "body",
            fragment_size=SNIPPET_LENGTH,
            number_of_fragments=1,
            no_match_size=SNIPPET_LENGTH,
        )
        search = search.sort("_score", {"title_length": "asc"}, {"key": "asc"})
        search = search.extra(track_total_hits=True, track_scores=True)
        offset = request.offset if offset is None else offset
        limit = request.limit if limit is None else limit
        return search[offset : offset + limit]

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
                best = response.hits[0] if response.hits else None
                if request.offset:
                    top = self.build_search(request, parsed, mode, offset=0, limit=1)
                    best = self._execute(top.source(["item_code"])).hits[0]
                if mode != "similar" and self.name_share(best, parsed) < RELEVANT_SHARE:
                    mode = "weak"
                return self.results(response, parsed, mode, request)
        return self.results(response, parsed, modes[-1], request)

    @staticmethod
    def name_share(hit, parsed):
        """The share of the query's parts (one character counting half) that the
        hit's names matched, by the named queries: all of it when the pinyin
        phrase or the item code matched."""
        matched = set(getattr(hit.meta, "matched_queries", None) or ())
        code = getattr(hit, "item_code", "")
        if "phrase" in matched or (parsed.code and code == parsed.code):
            return 1.0
        weights = [
            0.5 if len(group.text) == 1 and not group.is_synonym else 1.0
            for group in parsed.groups
        ]
        named = sum(w for n, w in enumerate(weights) if f"name{n}" in matched)
        return named / (sum(weights) or 1.0)

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

        def field(name):
            return getattr(hit, name, "") or ""

        return SearchHit(
            kind=hit.kind,
            title=hit.title,
            url=hit.url,
            department=field("department_name"),
            department_code=field("department_code"),
            item_code=field("item_code"),
            item_type=field("item_type"),
            # Elasticsearch escaped the text (encoder "html") and added the marks.
            snippet=mark_safe(body[0]) if body else highlight(field("body"), terms),
            title_html=mark_safe(title[0]) if title else highlight(hit.title, terms),
            score=round(hit.meta.score or 0.0, 4),
            title_en=field("title_en"),
            summary_en=field("summary_en"),
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
        text = simplified(parse_query(text).text)
        if not text:
            return []
        response = self._execute(self.suggest_search(text, limit))
        return [
            {"title": hit.title, "url": hit.url, "code": hit.item_code or ""}
            for hit in response.hits
        ]
