"""The Elasticsearch backend without a cluster: the index settings and mapping, the
query built for given inputs, how a response becomes the results contract, and the
requests the client sends (to a recording transport node).
`test_elasticsearch_live.py` runs the same backend against a real cluster."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport._node._base import NodeApiResponse
from elasticsearch import Elasticsearch
from elasticsearch.dsl import Search
from elasticsearch.dsl.response import Response

from search.backends import get_backend, reset_backends
from search.backends.base import IndexDocument, SearchRequest, SearchUnavailable
from search.backends.elasticsearch import (
    ElasticsearchBackend,
    document_class,
    synonym_rules,
)
from search.query import parse_query

SYNONYMS = {"社保": ["社会保险"], "环评": ["环境影响评价", "环境影响"]}


def backend(**options):
    options.setdefault("analyzer", "cjk")
    options.setdefault("pinyin", False)
    return ElasticsearchBackend(url="http://es.invalid:9200", **options)


def built(text, mode="all", **filters):
    es = backend()
    request = SearchRequest(text, filters=filters, offset=10, limit=10)
    return es.build_search(request, parse_query(text, SYNONYMS), mode).to_dict()


def scoring(text, mode="all"):
    """The query inside the function score."""
    return built(text, mode)["query"]["function_score"]["query"]


def test_without_plugins_chinese_is_cut_into_bigrams_with_the_synonyms_at_query_time():
    definition = backend().index_definition()

    assert definition["settings"]["number_of_shards"] == 1
    analysis = definition["settings"]["analysis"]
    assert analysis["analyzer"]["chuangkou_index"] == {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["cjk_width", "lowercase", "cjk_bigram"],
    }
    assert analysis["analyzer"]["chuangkou_search"] == {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["cjk_width", "lowercase", "cjk_bigram", "chuangkou_synonyms"],
    }
    assert analysis["filter"]["chuangkou_synonyms"] == {
        "type": "synonym_graph",
        "synonyms_set": "chuangkou-search-synonyms",
        "updateable": True,
    }
    properties = definition["mappings"]["properties"]
    chinese = {"analyzer": "chuangkou_index", "search_analyzer": "chuangkou_search"}
    assert properties["title"] == {
        "type": "text",
        **chinese,
        "fields": {"keyword": {"type": "keyword", "ignore_above": 255}},
    }
    assert properties["aliases"] == {"type": "text", **chinese}
    assert properties["body"] == {"type": "text", **chinese}
    assert properties["title_en"] == {"type": "text", "analyzer": "english"}
    # No pinyin plugin: the pinyin tokens computed in Python, one per whitespace.
    assert properties["pinyin_terms"] == {"type": "text", "analyzer": "whitespace"}
    for field in ("key", "kind", "department_code", "item_code", "audience"):
        assert properties[field] == {"type": "keyword"}
    assert properties["variant"] == {"type": "keyword"}
    assert properties["online"] == {"type": "boolean"}
    assert properties["rank"] == {"type": "integer"}
    assert properties["url"] == {"type": "keyword", "index": False}


@pytest.mark.parametrize(
    ("analyzer", "tokenizers"),
    [("ik", ("ik_max_word", "ik_smart")), ("smartcn", ("smartcn_tokenizer",) * 2)],
)
def test_a_plugin_tokenizer_replaces_the_bigrams(analyzer, tokenizers):
    analysis = backend(analyzer=analyzer).index_definition()["settings"]["analysis"]

    indexing, querying = (
        analysis["analyzer"]["chuangkou_index"],
        analysis["analyzer"]["chuangkou_search"],
    )
    assert (indexing["tokenizer"], querying["tokenizer"]) == tokenizers
    assert indexing["filter"] == ["cjk_width", "lowercase"]
    assert querying["filter"] == ["cjk_width", "lowercase", "chuangkou_synonyms"]


def test_the_pinyin_plugin_gives_the_names_a_pinyin_sub_field():
    definition = backend(pinyin=True).index_definition()

    analysis = definition["settings"]["analysis"]
    assert analysis["analyzer"]["chuangkou_pinyin"] == {
        "type": "custom",
        "tokenizer": "keyword",
        "filter": ["chuangkou_pinyin"],
    }
    spelled = analysis["filter"]["chuangkou_pinyin"]
    assert spelled["type"] == "pinyin"
    assert spelled["keep_joined_full_pinyin"] and spelled["keep_first_letter"]
    properties = definition["mappings"]["properties"]
    for field in ("title", "aliases"):
        assert properties[field]["fields"]["pinyin"] == {
            "type": "text",
            "analyzer": "chuangkou_pinyin",
        }
    assert "pinyin_terms" not in properties


class Plugins:
    def __init__(self, *names):
        self.names = names

    def plugins(self, format):
        return [{"name": "node-1", "component": name} for name in self.names]


class FakeClient:
    def __init__(self, *plugins):
        self.cat = Plugins(*plugins)


@pytest.mark.parametrize(
    ("plugins", "analyzer", "pinyin"),
    [
        ((), "cjk", False),
        (("analysis-smartcn",), "smartcn", False),
        (("analysis-ik", "analysis-smartcn", "analysis-pinyin"), "ik", True),
    ],
)
def test_auto_takes_the_plugins_the_cluster_has(plugins, analyzer, pinyin):
    es = ElasticsearchBackend(client=FakeClient(*plugins))

    assert (es.analyzer_name, es.pinyin_plugin) == (analyzer, pinyin)


def test_an_unknown_analyzer_is_refused():
    with pytest.raises(ImproperlyConfigured, match="SEARCH_ELASTICSEARCH_ANALYZER"):
        document_class("x", "standard")
    with pytest.raises(ImproperlyConfigured, match="SEARCH_ELASTICSEARCH_ANALYZER"):
        backend(analyzer="standard")


def test_editor_synonyms_become_rules_of_the_synonyms_set():
    rules = synonym_rules({"社保": ["社会保险"], "环评": ["环境影响评价", "环境影响"]})

    assert rules == [
        {"id": "环评", "synonyms": "环评 => 环评, 环境影响评价, 环境影响"},
        {"id": "社保", "synonyms": "社保 => 社保, 社会保险"},
    ]
    assert synonym_rules({"a,b": ["c=>d"]}) == [
        {"id": "a,b", "synonyms": "a\\,b => a\\,b, c\\=>d"}
    ]


def test_the_backend_reads_its_settings(settings):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://es.example:9200"
    settings.SEARCH_ELASTICSEARCH_INDEX = "portal-search"
    settings.SEARCH_ELASTICSEARCH_ANALYZER = "ik"
    reset_backends()
    try:
        es = get_backend()
        assert isinstance(es, ElasticsearchBackend)
        assert es.url == "http://es.example:9200"
        assert es.index_name == "portal-search"
        es._pinyin = False
        analysis = es.index_definition()["settings"]["analysis"]
        assert analysis["analyzer"]["chuangkou_index"]["tokenizer"] == "ik_max_word"
        assert analysis["filter"]["chuangkou_synonyms"]["synonyms_set"] == (
            "portal-search-synonyms"
        )
    finally:
        reset_backends()


def test_without_a_url_the_client_explains_what_is_missing():
    with pytest.raises(ImproperlyConfigured, match="ELASTICSEARCH_URL"):
        ElasticsearchBackend().client  # noqa: B018


def name_clause(text, number):
    return {
        "multi_match": {
            "query": text,
            "fields": ["title^4", "aliases^3"],
            "operator": "and",
            "_name": f"name{number}",
        }
    }


def matched(part):
    """A query part's matching clause, without the bonus of a name that has the
    part's two-character word as a word (`test_a_name_with_the_query_word_…`)."""
    inner = part["bool"]
    return {"bool": inner["must"][0]["bool"]} if "must" in inner else part


def test_every_part_must_match_in_a_name_or_the_body_synonyms_left_to_the_analyzer():
    query = built("社保 登记")["query"]["function_score"]

    assert query["functions"][0] == {
        "field_value_factor": {"field": "rank", "modifier": "log1p", "missing": 1}
    }
    assert (query["score_mode"], query["boost_mode"]) == ("multiply", "multiply")
    outer = query["query"]["bool"]
    assert outer["minimum_should_match"] == 1
    must = outer["should"][0]["bool"]["must"]
    assert [matched(part) for part in must] == [
        {
            "bool": {
                "should": [
                    name_clause(text, number),
                    {"match": {"body": {"query": text, "operator": "and"}}},
                ],
                "minimum_should_match": 1,
            }
        }
        for number, text in enumerate(["社保", "登记"])
    ]
    # The query's pinyin phrase (shebaodengji) may match a name instead.
    assert outer["should"][1] == {
        "prefix": {
            "pinyin_terms": {"value": "shebaodengji", "boost": 2, "_name": "phrase"}
        }
    }


def test_a_name_with_the_query_word_as_a_word_gets_a_bonus_over_one_inside_a_word():
    """药店 is a word of 开药店 but only a bigram of 开兽药店: the part matches
    either, and the names that have it as a word (``name_words``) score more."""
    must = scoring("药店 许可证")["bool"]["should"][0]["bool"]["must"]

    pharmacy = must[0]["bool"]
    assert pharmacy["must"] == [matched(must[0])]
    assert pharmacy["should"] == [
        {"term": {"name_words": {"value": "药店", "boost": 4}}}
    ]
    # 许可证 is no two-character word: nothing to tell apart, no bonus.
    assert matched(must[1]) == must[1]
    names = {
        title: backend().source(
            IndexDocument(key=title, kind="item", title=title, url="/")
        )["name_words"]
        for title in ["开药店", "开兽药店"]
    }
    assert "药店" in names["开药店"] and "药店" not in names["开兽药店"]


def test_traditional_characters_are_searched_simplified():
    must = scoring("護士註冊")["bool"]["should"][0]["bool"]["must"]

    assert [
        matched(part)["bool"]["should"][0]["multi_match"]["query"] for part in must
    ] == [
        "护士",
        "注册",
    ]


def test_latin_words_match_english_names_with_fuzziness_and_pinyin_by_prefix():
    group = scoring("licence")["bool"]["should"][0]["bool"]["must"][0]["bool"]

    assert group["should"][2] == {
        "multi_match": {
            "query": "licence",
            "fields": ["title_en^3", "summary_en"],
            "operator": "and",
            "fuzziness": "AUTO",
            "_name": "name0",
        }
    }
    assert group["should"][3] == {
        "prefix": {"pinyin_terms": {"value": "licence", "boost": 2, "_name": "name0"}}
    }


def test_with_the_pinyin_plugin_pinyin_is_matched_in_the_sub_fields():
    es = backend(pinyin=True)
    query = es.text_query(parse_query("yyzz")).to_dict()["function_score"]["query"]
    group = query["bool"]["should"][0]["bool"]["must"][0]["bool"]

    assert group["should"][3] == {
        "multi_match": {
            "query": "yyzz",
            "fields": ["title.pinyin", "aliases.pinyin"],
            "type": "phrase_prefix",
            "boost": 2,
            "_name": "name0",
        }
    }


def test_filler_words_are_not_sent():
    must = scoring("排污许可证怎么办理")["bool"]["should"][0]["bool"]["must"]

    assert [
        matched(part)["bool"]["should"][0]["multi_match"]["query"] for part in must
    ] == [
        "排污",
        "许可证",
    ]


def test_variants_the_query_does_not_ask_for_are_demoted():
    demotion = built("排污许可证")["query"]["function_score"]["functions"][1]

    assert demotion["weight"] == 0.3
    assert demotion["filter"]["bool"]["filter"] == [
        {"terms": {"variant": ["延续", "变更", "换发", "注销", "补发", "补领"]}}
    ]
    assert "must_not" not in demotion["filter"]["bool"]
    asked = built("排污许可证延续")["query"]["function_score"]["functions"][1]
    assert asked["filter"]["bool"]["must_not"] == [{"terms": {"variant": ["延续"]}}]


def test_ties_break_on_the_shorter_title_then_the_key():
    body = built("许可")

    assert body["sort"] == ["_score", {"title_length": "asc"}, {"key": "asc"}]
    assert body["track_scores"] is True


def test_an_item_code_gets_a_constant_boost_and_matches_by_prefix():
    query = scoring("11220000st0001")["bool"]

    assert query["should"] == [
        {
            "constant_score": {
                "filter": {
                    "term": {
                        "item_code": {
                            "value": "11220000ST0001",
                            "case_insensitive": True,
                        }
                    }
                },
                "boost": 1000,
            }
        }
    ]
    group = query["must"][0]["bool"]["should"][0]["bool"]["must"][0]["bool"]
    assert {
        "prefix": {"item_code": {"value": "11220000ST0001", "case_insensitive": True}}
    } in group["should"]


def test_partial_and_similar_modes():
    some = scoring("排污 审批", mode="some")["bool"]
    assert some["minimum_should_match"] == 1
    # Two parts and the pinyin phrase.
    assert len(some["should"]) == 3

    similar = scoring("食品生厂", mode="similar")
    assert similar == {
        "match": {"title": {"query": "食品生厂", "fuzziness": 1, "operator": "or"}}
    }


class Meta:
    def __init__(self, matched, item_code=""):
        self.meta = type("M", (), {"matched_queries": matched})()
        self.item_code = item_code


@pytest.mark.parametrize(
    ("query", "matched", "share"),
    [
        ("排污 许可", ["name0", "name1"], 1.0),
        ("排污 许可", ["name1"], 0.5),
        ("卖 花草", ["name0"], 1 / 3),
        ("卖 花草", ["phrase"], 1.0),
        ("排污 许可", [], 0.0),
    ],
)
def test_the_share_of_the_query_a_hits_names_cover(query, matched, share):
    parsed = parse_query(query)

    assert ElasticsearchBackend.name_share(Meta(matched), parsed) == pytest.approx(
        share
    )


def test_filters_narrow_the_hits_and_each_facet_counts_with_the_others():
    body = built("许可", department="ST", online="false")

    assert body["post_filter"] == {
        "bool": {
            "filter": [
                {"term": {"department_code": "ST"}},
                {"term": {"online": False}},
            ]
        }
    }
    aggs = body["aggs"]
    assert set(aggs) == {"department", "kind", "item_type", "audience", "online"}
    assert aggs["department"]["filter"] == {
        "bool": {"filter": [{"term": {"online": False}}]}
    }
    assert aggs["department"]["aggs"]["values"]["terms"] == {
        "field": "department_code",
        "size": 50,
    }
    assert aggs["department"]["aggs"]["values"]["aggs"]["name"]["terms"] == {
        "field": "department_name",
        "size": 1,
    }
    assert (
        aggs["kind"]["filter"]["bool"]["filter"]
        == body["post_filter"]["bool"]["filter"]
    )


def test_highlight_paging_and_totals():
    body = built("许可")

    assert body["highlight"] == {
        "pre_tags": ["<mark>"],
        "post_tags": ["</mark>"],
        "encoder": "html",
        "require_field_match": False,
        "fields": {
            "title": {"number_of_fragments": 0},
            "body": {
                "fragment_size": 120,
                "number_of_fragments": 1,
                "no_match_size": 120,
            },
        },
    }
    assert (body["from"], body["size"]) == (10, 10)
    assert body["track_total_hits"] is True


def test_suggestions_query_item_titles_by_prefix():
    body = backend().suggest_search("排污", limit=5).to_dict()

    assert body["size"] == 5
    assert body["query"]["bool"]["filter"] == [{"term": {"kind": "item"}}]
    assert {"match_phrase_prefix": {"title": {"query": "排污"}}} in body["query"][
        "bool"
    ]["should"]


def test_a_document_is_stored_with_every_field_in_simplified_characters():
    document = IndexDocument(
        key="page:7",
        kind="item",
        title="排污許可證延续",
        url="/st/shixiang/11220000st0001/",
        body="受理条件:…",
        department_code="ST",
        department_name="省生态环境厅",
        item_code="11220000ST0001",
        item_type="licensing",
        audience=("organisation",),
        online=True,
        aliases=("排污證",),
        title_en="Pollutant Discharge Permit",
        summary_en="A permit.",
    )

    source = backend().source(document)
    pinyin = source.pop("pinyin_terms")

    assert source == {
        "key": "page:7",
        "kind": "item",
        "title": "排污许可证延续",
        "aliases": ["排污证"],
        "body": "受理条件:…",
        "title_en": "Pollutant Discharge Permit",
        "summary_en": "A permit.",
        "url": "/st/shixiang/11220000st0001/",
        "department_code": "ST",
        "department_name": "省生态环境厅",
        "item_code": "11220000ST0001",
        "item_type": "licensing",
        "audience": ["organisation"],
        "online": True,
        "rank": 6,
        "variant": "延续",
        "name_words": ["排污", "许可", "延续"],
        "title_length": 7,
    }
    assert {"paiwuxukezhengyanxu", "pwxkzyx", "xukezhengyanxu", "paiwuzheng"} <= set(
        pinyin
    )
    assert "pinyin_terms" not in backend(pinyin=True).source(document)


def test_a_response_becomes_the_results_contract():
    es = backend()
    request = SearchRequest("排污许可", filters={"online": "true"})
    response = Response(
        Search(),
        {
            "hits": {
                "total": {"value": 1, "relation": "eq"},
                "max_score": 9.5,
                "hits": [
                    {
                        "_id": "page:7",
                        "_score": 9.5,
                        "_source": {
                            "kind": "item",
                            "title": "排污许可证核发",
                            "body": "依法需要取得排污许可的单位。",
                            "url": "/st/shixiang/11220000st0001/",
                            "department_code": "ST",
                            "department_name": "省生态环境厅",
                            "item_code": "11220000ST0001",
                            "item_type": "licensing",
                        },
                        "highlight": {
                            "title": ["<mark>排污</mark><mark>许可</mark>证核发"],
                            "body": ["依法需要取得<mark>排污</mark>许可的&lt;单位&gt;"],
                        },
                    }
                ],
            },
            "aggregations": {
                "department": {
                    "doc_count": 1,
                    "values": {
                        "buckets": [
                            {
                                "key": "ST",
                                "doc_count": 1,
                                "name": {"buckets": [{"key": "省生态环境厅"}]},
                            }
                        ]
                    },
                },
                "kind": {"values": {"buckets": [{"key": "item", "doc_count": 1}]}},
                "item_type": {
                    "values": {"buckets": [{"key": "licensing", "doc_count": 1}]}
                },
                "audience": {"values": {"buckets": []}},
                "online": {
                    "values": {
                        "buckets": [
                            {"key": 1, "key_as_string": "true", "doc_count": 1},
                            {"key": 0, "key_as_string": "false", "doc_count": 2},
                        ]
                    }
                },
            },
        },
    )

    results = es.results(response, parse_query("排污许可"), "all", request)

    assert results.total == 1
    hit = results.hits[0]
    assert (hit.kind, hit.title, hit.item_code, hit.department) == (
        "item",
        "排污许可证核发",
        "11220000ST0001",
        "省生态环境厅",
    )
    assert hit.score == 9.5
    assert str(hit.snippet) == "依法需要取得<mark>排污</mark>许可的&lt;单位&gt;"
    assert str(hit.title_html) == "<mark>排污</mark><mark>许可</mark>证核发"
    department = results.facets["department"][0]
    assert (department.value, department.label, department.count) == (
        "ST",
        "省生态环境厅",
        1,
    )
    online = {(v.value, v.label, v.count, v.selected) for v in results.facets["online"]}
    assert online == {
        ("true", "可网上申请", 1, True),
        ("false", "仅窗口办理", 2, False),
    }


class RecordingNode(BaseNode):
    """A transport node that records requests and answers from `replies`
    (``{(method, path): body}``) instead of talking to a cluster."""

    _CLIENT_META_HTTP_CLIENT = ("recording", "1.0")
    requests = []
    replies = {}
    down = False

    def perform_request(self, method, target, body=None, **kwargs):
        if RecordingNode.down:
            raise TransportConnectionError("connection refused")
        path = target.split("?")[0]
        RecordingNode.requests.append((method, target, body))
        reply = RecordingNode.replies.get((method, path))
        status = 404 if reply is None and method == "HEAD" else 200
        if callable(reply):
            reply = reply(body)
        meta = ApiResponseMeta(
            status=status,
            http_version="1.1",
            headers=HttpHeaders(
                {
                    "content-type": "application/json",
                    "x-elastic-product": "Elasticsearch",
                }
            ),
            duration=0.0,
            node=self.config,
        )
        body = json.dumps({} if reply is None else reply).encode()
        return NodeApiResponse(meta, body)


@pytest.fixture
def recorded():
    RecordingNode.requests = []
    RecordingNode.replies = {}
    RecordingNode.down = False
    client = Elasticsearch(
        "http://es.invalid:9200", node_class=RecordingNode, max_retries=0
    )
    return ElasticsearchBackend(index_name="chuangkou-test", client=client)


@pytest.mark.django_db
def test_indexing_creates_the_synonyms_and_the_index_and_sends_one_bulk_request(
    recorded,
):
    RecordingNode.replies[("PUT", "/_bulk")] = {"errors": False, "items": []}
    RecordingNode.replies[("GET", "/_cat/plugins")] = []
    RecordingNode.replies[("PUT", "/_synonyms/chuangkou-test-synonyms")] = {
        "result": "created"
    }
    document = IndexDocument(key="page:7", kind="item", title="排污许可证核发", url="/")

    recorded.index_documents([document])

    methods = [(method, target) for method, target, _body in RecordingNode.requests]
    assert methods == [
        ("HEAD", "/chuangkou-test"),
        ("PUT", "/_synonyms/chuangkou-test-synonyms"),
        ("GET", "/_cat/plugins?format=json"),
        ("PUT", "/chuangkou-test"),
        ("PUT", "/_bulk?refresh=wait_for"),
    ]
    synonyms = json.loads(RecordingNode.requests[1][2])["synonyms_set"]
    assert {"id": "社保", "synonyms": "社保 => 社保, 社会保险"} in synonyms
    created = json.loads(RecordingNode.requests[3][2])
    properties = created["mappings"]["properties"]
    assert properties["title"]["analyzer"] == "chuangkou_index"
    assert "pinyin_terms" in properties
    action, source = RecordingNode.requests[4][2].decode().splitlines()
    assert json.loads(action) == {
        "index": {"_id": "page:7", "_index": "chuangkou-test"}
    }
    assert json.loads(source)["title"] == "排污许可证核发"


def test_deleting_sends_bulk_deletes(recorded):
    RecordingNode.replies[("PUT", "/_bulk")] = {"errors": False, "items": []}

    recorded.delete_documents(["page:7", "page:8"])

    body = RecordingNode.requests[0][2].decode().splitlines()
    assert [json.loads(line) for line in body] == [
        {"delete": {"_id": "page:7", "_index": "chuangkou-test"}},
        {"delete": {"_id": "page:8", "_index": "chuangkou-test"}},
    ]


@pytest.mark.django_db
def test_a_search_without_full_matches_asks_again_for_partial_ones(recorded):
    empty = {"hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}}
    found = {
        "hits": {
            "total": {"value": 1, "relation": "eq"},
            "hits": [
                {
                    "_id": "page:7",
                    "_score": 2.0,
                    "_source": {
                        "kind": "item",
                        "title": "排污许可证核发",
                        "body": "",
                        "url": "/st/",
                        "department_code": "ST",
                        "department_name": "省生态环境厅",
                        "item_code": "11220000ST0001",
                        "item_type": "licensing",
                    },
                    "matched_queries": ["name0"],
                }
            ],
        }
    }
    answers = iter([empty, found])
    RecordingNode.replies[("POST", "/chuangkou-test/_search")] = lambda body: next(
        answers
    )

    RecordingNode.replies[("GET", "/_cat/plugins")] = []

    results = recorded.search(SearchRequest("排污 航天", with_facets=False))

    bodies = [
        json.loads(body)
        for _m, target, body in RecordingNode.requests
        if target.endswith("/_search")
    ]
    every = bodies[0]["query"]["function_score"]["query"]["bool"]["should"][0]
    assert len(every["bool"]["must"]) == 2
    some = bodies[1]["query"]["function_score"]["query"]["bool"]
    assert some["minimum_should_match"] == 1
    # The name of the hit matched one of the two parts: half the query, not weak.
    assert results.mode == "some"
    assert [hit.title for hit in results.hits] == ["排污许可证核发"]
    assert str(results.hits[0].snippet) == ""

    RecordingNode.replies[("POST", "/chuangkou-test/_search")] = found
    results = recorded.search(SearchRequest("排污 航天", offset=10, with_facets=False))
    top = json.loads(RecordingNode.requests[-1][2])
    # A later page asks for the best hit too, to tell whether the results are weak.
    assert (top["from"], top["size"], top["_source"]) == (0, 1, ["item_code"])


@pytest.mark.django_db
def test_a_hit_whose_names_cover_little_of_the_query_makes_the_results_weak(
    recorded,
):
    RecordingNode.replies[("GET", "/_cat/plugins")] = []
    RecordingNode.replies[("POST", "/chuangkou-test/_search")] = {
        "hits": {
            "total": {"value": 1, "relation": "eq"},
            "hits": [
                {
                    "_id": "page:8",
                    "_score": 1.0,
                    "_source": {"kind": "item", "title": "花卉种植许可", "url": "/"},
                    "matched_queries": [],
                }
            ],
        }
    }

    results = recorded.search(SearchRequest("身份证丢了", with_facets=False))

    assert results.mode == "weak"


@pytest.mark.django_db
def test_a_changed_synonym_rewrites_the_synonyms_set_after_commit(
    recorded, settings, django_capture_on_commit_callbacks
):
    from search import backends
    from search.models import Synonym

    backends._backends["elasticsearch"] = recorded
    settings.SEARCH_BACKEND = "elasticsearch"
    RecordingNode.replies[("PUT", "/_synonyms/chuangkou-test-synonyms")] = {}
    with django_capture_on_commit_callbacks(execute=True):
        Synonym.objects.create(term="开药铺", canonical="药品零售")

    method, target, body = RecordingNode.requests[-1]
    assert (method, target) == ("PUT", "/_synonyms/chuangkou-test-synonyms")
    assert {"id": "开药铺", "synonyms": "开药铺 => 开药铺, 药品零售"} in json.loads(
        body
    )["synonyms_set"]

    RecordingNode.down = True
    with django_capture_on_commit_callbacks(execute=True):
        # The cluster is down: the change is saved all the same (and logged).
        Synonym.objects.create(term="开花店", canonical="花卉")
    assert Synonym.objects.filter(term="开花店").exists()


@pytest.mark.django_db
def test_an_unreachable_cluster_is_reported_as_unavailable(recorded):
    RecordingNode.down = True

    with pytest.raises(SearchUnavailable):
        recorded.search(SearchRequest("排污许可"))
