"""The embedded backend on the real database (SQLite FTS5, or PostgreSQL full text
when DATABASE_URL points at PostgreSQL): matching, synonyms, ranking, facets, the
typo-tolerant fallback and suggestions."""

import pytest
from django.db import connection

from disclosure.models import ContentPage
from search.backends import get_backend
from search.backends.base import SearchRequest
from search.models import SearchDocument, SearchTerm, Synonym
from tests.search.helpers import add_draft, make_item, publish, search, titles

pytestmark = pytest.mark.django_db


def test_the_index_is_a_term_btree_read_in_code_point_order():
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(
            cursor, "site_search_searchterm"
        )
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT collation_name FROM information_schema.columns WHERE "
                "table_name = 'site_search_searchterm' AND column_name = 'term'"
            )
            assert cursor.fetchone()[0] == "C"
    assert indexes["site_search_term_lookup"]["columns"][:2] == ["term", "document_id"]
    assert not connection.introspection.get_constraints(
        connection.cursor(), "site_search_searchdocument"
    ).get("site_search_document_cover")


def test_indexing_writes_each_term_once_with_its_place(catalog_items):
    document = SearchDocument.objects.get(title="排污许可证核发")
    rows = dict(
        SearchTerm.objects.filter(document=document).values_list("term", "title")
    )
    assert rows["排污"] == 1  # in the name
    assert rows["paiwuxukezhenghefa"] == 1  # the name in pinyin
    assert rows["pwxkzhf"] == 1  # and its initials
    assert any(title == 0 for title in rows.values())  # words of the body only
    assert SearchTerm.objects.filter(document=document, term="排污").count() == 1


def test_part_of_a_chinese_name_finds_the_item(catalog_items):
    for query in ("排污许可", "许可证", "核发", "排污许可证核发"):
        assert "排污许可证核发" in titles(search(query)), query


def test_a_colloquial_term_finds_the_canonical_item_through_a_synonym(
    catalog_items,
):
    Synonym.objects.filter(term="社保").delete()
    # Without the synonym only the typo fallback's look-alike titles are offered.
    assert search("社保").mode == "similar"

    Synonym.objects.create(term="社保", canonical="社会保险")
    results = search("社保")

    assert results.mode == "all"
    assert titles(results)[0] == "社会保险登记"
    assert results.synonyms == (("社保", ("社会保险",)),)
    assert "<mark>社会保险</mark>" in str(results.hits[0].title_html)


def test_the_shipped_synonyms_are_installed_by_the_migrations(catalog_items):
    assert Synonym.objects.count() >= 100
    assert titles(search("环评"))[0] == "建设项目环境影响报告书审批"


def test_a_deleted_synonym_no_longer_widens_the_search(catalog_items):
    Synonym.objects.update_or_create(term="社保", defaults={"canonical": "社会保险"})
    assert search("社保").mode == "all"

    Synonym.objects.filter(term="社保").delete()

    assert search("社保").mode == "similar"


def test_an_exact_item_code_comes_first(
    catalog_items, ecology_catalog, permit_division
):
    # Another item mentions the code in its text; the item itself still wins.
    make_item(
        ecology_catalog,
        permit_division,
        "11220000ST0009",
        "排污许可证变更",
        conditions=[("item", "已取得 11220000ST0001 排污许可证核发的单位。")],
    )

    results = search("11220000st0001")

    assert titles(results)[0] == "排污许可证核发"
    assert results.hits[0].item_code == "11220000ST0001"
    assert results.hits[0].score > results.hits[1].score


def test_the_beginning_of_an_item_code_finds_its_items(catalog_items):
    assert set(titles(search("11220000ST"))) == {
        "排污许可证核发",
        "排污许可证遗失补领",
        "建设项目环境影响报告书审批",
    }


def test_a_title_match_ranks_above_a_body_match(
    catalog_items, market_catalog, food_division
):
    make_item(
        market_catalog,
        food_division,
        "11220000SJ0009",
        "工业产品生产许可证核发",
        conditions=[("item", "生产食品相关产品的企业，不含食品生产许可事项。")],
    )

    assert titles(search("食品生产许可"))[:2] == [
        "食品生产许可",
        "工业产品生产许可证核发",
    ]


def test_a_service_item_ranks_above_a_notice_with_the_same_match(
    catalog_items, ecology
):
    notice = ContentPage(
        title="排污许可证核发通知", slug="notice", summary="关于排污许可证核发的通知。"
    )
    publish(add_draft(ecology, notice))

    results = search("排污许可证核发")

    assert [hit.kind for hit in results.hits[:2]] == ["item", "notice"]


def test_a_closer_title_ranks_first_among_equal_matches(catalog_items):
    assert titles(search("排污许可证"))[0] == "排污许可证核发"


def test_results_with_every_word_come_before_partial_matches(catalog_items):
    results = search("排污 补领")
    assert results.mode == "all"
    assert titles(results) == ["排污许可证遗失补领"]

    results = search("排污 审批")
    assert results.mode == "some"
    assert set(titles(results)) >= {"排污许可证核发", "建设项目环境影响报告书审批"}


def test_a_short_query_with_a_typo_finds_similar_titles(catalog_items):
    results = search("排污许可正")  # 证 mistyped as 正

    assert results.mode in ("all", "some", "similar")
    assert "排污许可证核发" in titles(results)[:3]

    results = search("食品生厂")  # 产 mistyped as 厂
    assert results.mode != "all"
    assert titles(results)[0] == "食品生产许可"

    results = search("杜会保验")  # 社会保险 with two typos
    assert results.mode == "similar"
    assert titles(results) == ["社会保险登记"]


def test_nothing_found_is_an_empty_result(catalog_items):
    results = search("航天飞机发射")

    assert results.total == 0
    assert results.hits == []


def test_a_single_character_matches_inside_titles(catalog_items):
    assert "排污许可证遗失补领" in titles(search("补"))


def test_facet_counts_follow_the_matches_and_the_other_filters(catalog_items):
    results = search("许可")
    facets = {
        name: {value.value: value.count for value in values}
        for name, values in results.facets.items()
    }

    assert results.total == 3
    assert facets["department"] == {"ST": 2, "SJ": 1}
    assert facets["kind"] == {"item": 3}
    assert facets["item_type"] == {"licensing": 2, "other": 1}
    assert facets["audience"] == {"organisation": 3}
    assert facets["online"] == {"true": 2, "false": 1}
    labels = {value.value: value.label for value in results.facets["department"]}
    assert labels == {"ST": "省生态环境厅", "SJ": "省市场监督管理局"}

    narrowed = search("许可", department="ST")

    assert narrowed.total == 2
    # The department facet still offers the other department to switch to…
    counts = {v.value: (v.count, v.selected) for v in narrowed.facets["department"]}
    assert counts == {"ST": (2, True), "SJ": (1, False)}
    # …while the other facets count within the chosen department only.
    online = {v.value: v.count for v in narrowed.facets["online"]}
    assert online == {"true": 1, "false": 1}


def test_filters_narrow_the_results(catalog_items):
    assert titles(search("许可", online="false")) == ["排污许可证遗失补领"]
    assert titles(search("许可", item_type="other")) == ["排污许可证遗失补领"]
    assert titles(search("审批", audience="person")) == ["建设项目环境影响报告书审批"]
    assert search("许可", audience="person").total == 0
    assert search("许可", kind="notice").total == 0


def test_results_are_paged(catalog_items):
    backend = get_backend()
    everything = backend.search(SearchRequest("许可", limit=10))
    first = backend.search(SearchRequest("许可", limit=2))
    second = backend.search(SearchRequest("许可", offset=2, limit=2))

    assert first.total == second.total == 3
    assert titles(first) + titles(second) == titles(everything)


def test_hits_carry_the_results_contract(catalog_items):
    hit = search("排污许可证核发").hits[0]

    assert hit.kind == "item"
    assert str(hit.type_label) == "办事指南"
    assert hit.url == catalog_items["permit"].url
    assert hit.department == "省生态环境厅"
    assert hit.department_code == "ST"
    assert hit.item_code == "11220000ST0001"
    assert hit.item_type == "licensing"
    assert "<mark>" in str(hit.snippet)
    assert hit.score > 0


def test_suggestions_are_items_whose_names_contain_the_text(catalog_items):
    suggestions = get_backend().suggest("排污")

    assert [s["title"] for s in suggestions] == ["排污许可证核发", "排污许可证遗失补领"]
    assert suggestions[0]["code"] == "11220000ST0001"
    assert suggestions[0]["url"] == catalog_items["permit"].url


def test_suggestions_follow_synonyms_and_codes(catalog_items):
    Synonym.objects.update_or_create(term="社保", defaults={"canonical": "社会保险"})

    assert [s["title"] for s in get_backend().suggest("社保")] == ["社会保险登记"]
    assert [s["title"] for s in get_backend().suggest("11220000sj0001")] == [
        "食品生产许可"
    ]


def test_reindexing_a_document_replaces_it(catalog_items):
    item = catalog_items["food"]
    item.title = "食品生产许可（新）"
    publish(item)

    assert SearchDocument.objects.filter(key=f"page:{item.pk}").count() == 1
    assert titles(search("食品生产许可")) == ["食品生产许可（新）"]
