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
from search.backends.elasticsearch import ElasticsearchBackend, document_class
from search.query import parse_query

SYNONYMS = {"社保": ["社会保险"], "环评": ["环境影响评价", "环境影响"]}


def backend(**options):
    return ElasticsearchBackend(url="http://es.invalid:9200", **options)


def built(text, mode="all", **filters):
    es = backend()
    request = SearchRequest(text, filters=filters, offset=10, limit=10)
    return es.build_search(request, parse_query(text, SYNONYMS), mode).to_dict()


def test_the_index_analyses_chinese_with_the_cjk_analyzer_by_default():
    definition = backend().index_definition()

    assert definition["settings"] == {"number_of_shards": 1, "number_of_replicas": 0}
    properties = definition["mappings"]["properties"]
    assert properties["title"] == {
        "type": "text",
        "analyzer": "cjk",
        "fields": {"keyword": {"type": "keyword", "ignore_above": 255}},
    }
    assert properties["body"] == {"type": "text", "analyzer": "cjk"}
    for field in ("key", "kind", "department_code", "item_code", "audience"):
        assert properties[field] == {"type": "keyword"}
    assert properties["online"] == {"type": "boolean"}
    assert properties["rank"] == {"type": "integer"}
    assert properties["url"] == {"type": "keyword", "index": False}


@pytest.mark.parametrize(
    ("analyzer", "expected"),
    [
        ("ik", {"analyzer": "ik_max_word", "search_analyzer": "ik_smart"}),
        ("smartcn", {"analyzer": "smartcn"}),
    ],
)
def test_a_plugin_analyzer_can_be_configured(analyzer, expected):
    properties = backend(analyzer=analyzer).index_definition()["mappings"]["properties"]

    assert {k: v for k, v in properties["body"].items() if k != "type"} == expected
    assert properties["title"]["analyzer"] == expected["analyzer"]


def test_an_unknown_analyzer_is_refused():
    with pytest.raises(ImproperlyConfigured, match="SEARCH_ELASTICSEARCH_ANALYZER"):
        document_class("x", "standard")


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
        assert es.index_definition()["mappings"]["properties"]["title"]["analyzer"] == (
            "ik_max_word"
        )
    finally:
        reset_backends()


def test_without_a_url_the_client_explains_what_is_missing():
    with pytest.raises(ImproperlyConfigured, match="ELASTICSEARCH_URL"):
        ElasticsearchBackend().client  # noqa: B018


def test_every_part_of_the_query_must_match_with_synonyms_as_alternatives():
    query = built("社保 登记")["query"]["function_score"]

    assert query["functions"] == [
        {"field_value_factor": {"field": "rank", "modifier": "log1p", "missing": 1}}
    ]
    assert query["boost_mode"] == "multiply"
    must = query["query"]["bool"]["must"]
    assert must == [
        {
            "bool": {
                "should": [
                    {
                        "multi_match": {
                            "query": "社保",
                            "fields": ["title^4", "body"],
                            "operator": "and",
                        }
                    },
                    {
                        "multi_match": {
                            "query": "社会保险",
                            "fields": ["title^4", "body"],
                            "operator": "and",
                        }
                    },
                ],
                "minimum_should_match": 1,
            }
        },
        {
            "multi_match": {
                "query": "登记",
                "fields": ["title^4", "body"],
                "operator": "and",
            }
        },
    ]


def test_filler_words_are_not_sent():
    must = built("排污许可证怎么办理")["query"]["function_score"]["query"]["bool"][
        "must"
    ]

    assert [part["multi_match"]["query"] for part in must] == ["排污", "许可证"]


def test_an_item_code_gets_a_constant_boost_and_matches_by_prefix():
    query = built("11220000st0001")["query"]["function_score"]["query"]["bool"]

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
    alternatives = query["must"][0]["bool"]["should"]
    assert {
        "prefix": {"item_code": {"value": "11220000ST0001", "case_insensitive": True}}
    } in alternatives


def test_partial_and_similar_modes():
    some = built("排污 审批", mode="some")["query"]["function_score"]["query"]["bool"]
    assert some["minimum_should_match"] == 1
    assert len(some["should"]) == 2

    similar = built("食品生厂", mode="similar")["query"]["function_score"]["query"]
    assert similar == {
        "match": {"title": {"query": "食品生厂", "fuzziness": 1, "operator": "or"}}
    }


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


def test_a_document_is_stored_with_every_field():
    document = IndexDocument(
        key="page:7",
        kind="item",
        title="排污许可证核发",
        url="/st/shixiang/11220000st0001/",
        body="受理条件:…",
        department_code="ST",
        department_name="省生态环境厅",
        item_code="11220000ST0001",
        item_type="licensing",
        audience=("organisation",),
        online=True,
    )

    assert ElasticsearchBackend.source(document) == {
        "key": "page:7",
        "kind": "item",
        "title": "排污许可证核发",
        "body": "受理条件:…",
        "url": "/st/shixiang/11220000st0001/",
        "department_code": "ST",
        "department_name": "省生态环境厅",
        "item_code": "11220000ST0001",
        "item_type": "licensing",
        "audience": ["organisation"],
        "online": True,
        "rank": 6,
    }


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
        return NodeApiResponse(meta, json.dumps(reply or {}).encode())


@pytest.fixture
def recorded():
    RecordingNode.requests = []
    RecordingNode.replies = {}
    RecordingNode.down = False
    client = Elasticsearch(
        "http://es.invalid:9200", node_class=RecordingNode, max_retries=0
    )
    return ElasticsearchBackend(index_name="chuangkou-test", client=client)


def test_indexing_creates_the_index_and_sends_one_bulk_request(recorded):
    RecordingNode.replies[("PUT", "/_bulk")] = {"errors": False, "items": []}
    document = IndexDocument(key="page:7", kind="item", title="排污许可证核发", url="/")

    recorded.index_documents([document])

    methods = [(method, target) for method, target, _body in RecordingNode.requests]
    assert methods == [
        ("HEAD", "/chuangkou-test"),
        ("PUT", "/chuangkou-test"),
        ("PUT", "/_bulk?refresh=wait_for"),
    ]
    created = json.loads(RecordingNode.requests[1][2])
    assert created["mappings"]["properties"]["title"]["analyzer"] == "cjk"
    action, source = RecordingNode.requests[2][2].decode().splitlines()
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
                }
            ],
        }
    }
    answers = iter([empty, found])
    RecordingNode.replies[("POST", "/chuangkou-test/_search")] = lambda body: next(
        answers
    )

    results = recorded.search(SearchRequest("排污 航天", with_facets=False))

    bodies = [json.loads(body) for _m, _t, body in RecordingNode.requests]
    assert "must" in bodies[0]["query"]["function_score"]["query"]["bool"]
    assert (
        bodies[1]["query"]["function_score"]["query"]["bool"]["minimum_should_match"]
        == 1
    )
    assert results.mode == "some"
    assert [hit.title for hit in results.hits] == ["排污许可证核发"]
    assert str(results.hits[0].snippet) == ""


@pytest.mark.django_db
def test_an_unreachable_cluster_is_reported_as_unavailable(recorded):
    RecordingNode.down = True

    with pytest.raises(SearchUnavailable):
        recorded.search(SearchRequest("排污许可"))
