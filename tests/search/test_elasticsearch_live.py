"""The Elasticsearch backend against a live cluster: skipped unless ELASTICSEARCH_URL
is set, e.g.

    docker run -d -p 9200:9200 -e discovery.type=single-node \\
        -e xpack.security.enabled=false elasticsearch:8.19.3
    ELASTICSEARCH_URL=http://127.0.0.1:9200 \\
        .venv/bin/pytest tests/search/test_elasticsearch_live.py

Each test indexes into its own throw-away index and deletes it afterwards."""

import os
import uuid

import pytest

from search.backends import get_backend, reset_backends
from search.indexer import rebuild
from tests.search.helpers import search, titles

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")

pytestmark = [
    pytest.mark.elasticsearch,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not ELASTICSEARCH_URL, reason="needs a live cluster: set ELASTICSEARCH_URL"
    ),
]


@pytest.fixture
def elasticsearch(settings, _fresh_search_state):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = ELASTICSEARCH_URL
    settings.SEARCH_ELASTICSEARCH_INDEX = f"chuangkou-test-{uuid.uuid4().hex[:12]}"
    reset_backends()
    backend = get_backend()
    backend.clear()
    yield backend
    backend.client.indices.delete(index=backend.index_name, ignore_unavailable=True)
    backend.client.options(ignore_status=404).synonyms.delete_synonym(
        id=backend.synonyms_set
    )
    reset_backends()


@pytest.fixture
def indexed_catalog(elasticsearch, catalog_items):
    # Content was published before the backend switched; index it all.
    rebuild()
    return catalog_items


def test_the_index_is_created_with_the_configured_mapping(elasticsearch):
    mapping = elasticsearch.client.indices.get_mapping(index=elasticsearch.index_name)

    properties = mapping[elasticsearch.index_name]["mappings"]["properties"]
    assert properties["title"]["analyzer"] == "chuangkou_index"
    assert properties["title"]["search_analyzer"] == "chuangkou_search"
    assert properties["department_code"]["type"] == "keyword"
    synonyms = elasticsearch.client.synonyms.get_synonym(id=elasticsearch.synonyms_set)
    assert synonyms["count"] > 0


def test_part_of_a_chinese_name_finds_the_item(indexed_catalog):
    for query in ("排污许可", "许可证", "排污许可证核发"):
        assert "排污许可证核发" in titles(search(query))[:3], query


def test_a_synonym_finds_the_canonical_item(indexed_catalog):
    results = search("社保")

    assert titles(results)[0] == "社会保险登记"
    assert results.synonyms == (("社保", ("社会保险",)),)


def test_an_exact_item_code_comes_first(indexed_catalog):
    results = search("11220000ST0004")

    assert titles(results)[0] == "排污许可证遗失补领"


def test_facets_and_filters(indexed_catalog):
    results = search("许可")
    departments = {value.value: value.count for value in results.facets["department"]}
    assert departments == {"ST": 2, "SJ": 1}

    narrowed = search("许可", department="ST", online="false")
    assert titles(narrowed) == ["排污许可证遗失补领"]


def test_highlighted_snippets_are_escaped_html(indexed_catalog):
    hit = search("排污许可证核发").hits[0]

    assert "<mark>" in str(hit.title_html)
    assert "<script" not in str(hit.snippet)


def test_publishing_and_unpublishing_follow_after_commit(
    indexed_catalog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        indexed_catalog["permit"].unpublish()

    assert "排污许可证核发" not in titles(search("排污许可"))


def test_a_typo_falls_back_to_similar_titles(indexed_catalog):
    results = search("杜会保验")

    assert results.mode in ("some", "similar")
    assert "社会保险登记" in titles(results)


def test_suggestions(indexed_catalog):
    assert [s["title"] for s in get_backend().suggest("排污")][:2] == [
        "排污许可证核发",
        "排污许可证遗失补领",
    ]


def test_a_synonym_added_by_an_editor_applies_without_reindexing(
    indexed_catalog, django_capture_on_commit_callbacks
):
    from search.models import Synonym

    assert "排污许可证核发" not in titles(search("排放证"))[:1]
    with django_capture_on_commit_callbacks(execute=True):
        Synonym.objects.create(term="排放证", canonical="排污许可证")

    assert titles(search("排放证"))[0] == "排污许可证核发"


def test_traditional_characters_find_the_simplified_name(indexed_catalog):
    assert titles(search("排汙許可證"))[0] == "排污许可证核发"


def test_pinyin_and_initials_find_the_name(indexed_catalog):
    for query in ("paiwu xukezheng", "pwxkz", "shehui baoxian"):
        assert titles(search(query))[0] in ("排污许可证核发", "社会保险登记"), query


def test_an_english_name_with_a_typo(elasticsearch, catalog_items):
    item = catalog_items["food"]
    item.name_en = "Food Production Licence"
    item.save_revision().publish()
    rebuild()

    assert titles(search("food producton license"))[0] == "食品生产许可"


def test_a_variant_is_demoted_unless_asked(indexed_catalog):
    assert titles(search("排污许可证"))[0] == "排污许可证核发"
    assert titles(search("排污许可证补领"))[0] == "排污许可证遗失补领"


def test_a_need_outside_the_catalog_is_flagged(indexed_catalog):
    results = search("身份证丢了怎么办")

    assert not results.hits or results.mode in ("weak", "similar")


def test_a_whole_word_of_a_name_ranks_above_the_same_characters_inside_a_word(
    elasticsearch, market_item
):
    # As on the embedded backend (tests/search/test_vocabulary.py): 肉店 is a word
    # of the second name, only a bigram of the first (猪肉 / 店).
    market_item("0601", "猪肉店登记")
    market_item("0602", "肉店经营备案登记")
    rebuild()

    assert titles(search("肉店"))[:2] == ["肉店经营备案登记", "猪肉店登记"]


def test_a_variant_is_found_by_its_family_first_items_situations(
    elasticsearch, market_item
):
    market_item("0701", "排水许可证核发", situations=["开洗车行"], aliases=["排水证"])
    market_item("0702", "排水许可证延续")
    market_item("0703", "排水许可证变更")
    rebuild()

    assert titles(search("开洗车行"))[0] == "排水许可证核发"
    assert titles(search("洗车行的排水证延续"))[0] == "排水许可证延续"
    assert titles(search("排水证变更"))[0] == "排水许可证变更"
