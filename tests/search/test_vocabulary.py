"""Everyday vocabulary, word boundaries and variant families (issue 14), on the
embedded backend and the real database: the shipped everyday names of each
licensing domain find the licence, a query word that is a whole word of a name
ranks above one only inside a longer word, and a variant is found by its family's
first item's aliases and situations."""

import pytest

from search.synonyms import SHIPPED_SYNONYMS, parse_synonyms
from tests.search.helpers import make_item, publish, search, titles

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("开一家卡拉OK", "娱乐场所经营许可"),
        ("开个足疗店", "公共场所卫生许可证核发"),
        ("下班开滴滴", "出租汽车驾驶员从业资格"),
        ("在家做口红卖", "化妆品生产许可"),
        ("山上养梅花鹿", "陆生野生动物人工繁育许可"),
        ("想开个小药房", "药品零售企业经营许可证核发"),
    ],
)
def test_everyday_names_of_a_licensing_domain_find_its_licence(
    market_item, query, expected
):
    for number, title in enumerate(
        [
            "娱乐场所经营许可",
            "公共场所卫生许可证核发",
            "出租汽车驾驶员从业资格",
            "化妆品生产许可",
            "陆生野生动物人工繁育许可",
            "药品零售企业经营许可证核发",
            "营业性演出许可",
        ]
    ):
        market_item(f"05{number:02d}", title)
    assert titles(search(query))[0] == expected


def test_the_shipped_vocabulary_is_one_entry_per_term_and_names_catalog_words():
    text = SHIPPED_SYNONYMS.read_text(encoding="utf-8")
    terms = [
        line.partition("=")[0].strip().lower()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(terms) == len(set(terms))
    entries = parse_synonyms(text)
    assert entries["卡拉ok"] == ["娱乐场所"]
    assert "公共场所卫生" in entries["足疗"]


def test_a_whole_word_of_a_name_ranks_above_the_same_characters_inside_a_word(
    market_item,
):
    # 猪肉店 is cut 猪肉 / 店: 肉店 is only a bigram of that name, a word of the other.
    market_item("0601", "猪肉店登记")
    market_item("0602", "肉店经营备案登记")
    assert titles(search("肉店"))[:2] == ["肉店经营备案登记", "猪肉店登记"]
    # Where both have it as a word, the shorter name still comes first.
    market_item("0603", "肉店备案")
    assert titles(search("肉店"))[0] == "肉店备案"


def test_a_variant_is_found_by_its_family_first_items_situations(market_item):
    base = market_item(
        "0701", "排水许可证核发", situations=["开洗车行"], aliases=["排水证"]
    )
    market_item("0702", "排水许可证延续")
    market_item("0703", "排水许可证变更")
    market_item("0704", "洗车行备案登记延续")
    # The base item first for the situation alone; the variant the query names
    # first when it is asked for, by the base's situation or alias.
    assert titles(search("开洗车行"))[0] == "排水许可证核发"
    assert titles(search("洗车行的排水证延续"))[0] == "排水许可证延续"
    assert titles(search("排水证变更"))[0] == "排水许可证变更"
    # The base's new situation reaches its variants when it is published.
    base.situations.create(text="开洗衣店")
    publish(base)
    assert titles(search("洗衣店延续"))[0] == "排水许可证延续"


def test_a_family_is_its_siblings_of_one_stem(
    market_item, ecology_catalog, permit_division
):
    from search.indexer import family_members, family_stem

    base = market_item("0801", "农药经营许可", aliases=["农药证"])
    variant = market_item("0802", "农药经营许可证变更")
    market_item("0803", "农药经营备案")
    other = make_item(
        ecology_catalog, permit_division, "11220000HB0801", "农药经营许可证延续"
    )
    assert family_stem("农药经营许可证变更") == "农药经营许可"
    assert family_stem("农药经营许可") == "农药经营许可"
    assert {m.pk for m in family_members(variant)} == {base.pk, variant.pk}
    assert {m.pk for m in family_members(other)} == {other.pk}
