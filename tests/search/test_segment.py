"""Segmentation, query parsing and snippets: what turns Chinese text and questions
into searchable words (no database)."""

from pathlib import Path

from search.backends.base import highlight
from search.query import parse_query
from search.segment import (
    character_grams,
    index_terms,
    query_words,
    word_pieces,
)
from search.synonyms import SHIPPED_SYNONYMS, parse_synonyms


def test_a_service_name_is_cut_into_its_words_and_their_parts():
    assert query_words("排污许可证核发") == ["排污", "许可证", "核发"]
    # Search mode adds the dictionary words inside long words.
    assert index_terms("排污许可证核发") == ["排污", "许可", "许可证", "核发"]


def test_both_a_prefix_and_an_inner_word_of_an_indexed_name_are_words_of_it():
    indexed = set(index_terms("排污许可证核发"))

    for query in ("排污许可", "许可证"):
        words = query_words(query)
        # Each query word is indexed as is, or spelled by indexed pieces.
        for word in words:
            assert word in indexed or set(word_pieces(word)) <= indexed, word


def test_the_user_dictionary_keeps_government_terms_whole():
    assert "环境影响评价" in query_words("环境影响评价文件审批")
    assert "住房公积金" in query_words("住房公积金提取")
    assert "个体工商户" in query_words("个体工商户设立登记")


def test_word_pieces_spell_the_word_or_are_empty():
    assert word_pieces("环境影响") == ["环境", "影响"]
    assert word_pieces("排污许可证") == ["排污", "许可证"]
    assert word_pieces("许可") == []


def test_tokens_are_lower_case_without_punctuation():
    assert index_terms("SJ-SP:《排污许可证》") == ["sj", "sp", "排污", "许可", "许可证"]


def test_character_grams_are_single_characters_and_bigrams():
    assert character_grams("公积金 A1") == ["公", "积", "金", "公积", "积金", "a1"]


def test_a_synonym_adds_the_canonical_term_as_an_alternative():
    parsed = parse_query("社保卡补办", {"社保": ["社会保险"], "社保卡": ["社会保障卡"]})

    assert parsed.groups[0].alternatives == ("社保卡", "社会保障卡")
    assert [group.text for group in parsed.groups] == ["社保卡", "补办"]
    assert parsed.synonyms == (("社保卡", ("社会保障卡",)),)


def test_filler_words_of_a_question_are_dropped():
    parsed = parse_query("请问食品生产许可需要什么材料")

    assert [group.text for group in parsed.groups] == ["食品生产", "许可", "材料"]


def test_a_query_of_filler_words_only_is_kept():
    assert [group.text for group in parse_query("怎么办").groups] == ["怎么办"]


def test_an_item_code_is_recognised_in_any_width_and_case():
    assert parse_query("11220000sj0001").code == "11220000SJ0001"
    assert parse_query("１１２２００００ＳＪ０００１ 材料").code == "11220000SJ0001"
    assert parse_query("食品生产许可").code == ""


def test_the_snippet_escapes_the_text_and_marks_the_terms():
    snippet = highlight("须提交<b>排污许可</b>申请 & 材料", ["排污许可", "材料"])

    assert str(snippet) == (
        "须提交&lt;b&gt;<mark>排污许可</mark>&lt;/b&gt;申请 &amp; <mark>材料</mark>"
    )


def test_the_snippet_is_a_window_around_the_first_match():
    text = "甲" * 300 + "排污许可" + "乙" * 300

    snippet = str(highlight(text, ["排污许可"], length=40))

    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>排污许可</mark>" in snippet
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) == 42


def test_the_shipped_synonyms_have_over_a_hundred_entries_in_the_right_format():
    entries = parse_synonyms(Path(SHIPPED_SYNONYMS).read_text(encoding="utf-8"))

    assert len(entries) >= 100
    assert entries["社保"] == ["社会保险"]
    assert entries["公积金"] == ["住房公积金"]
    assert entries["驾照"] == ["机动车驾驶证"]
    assert entries["环评"][0] == "环境影响评价"
    assert "设立登记" in entries["营业执照"]


STOCK_PINYIN = """
import json, sys
from pypinyin import Style, lazy_pinyin
texts = json.load(sys.stdin)
print(json.dumps([
    [lazy_pinyin(t, errors="default"),
     lazy_pinyin(t, style=Style.FIRST_LETTER, errors="default")]
    for t in texts
]))
"""


def test_pinyin_with_the_compact_phrase_dictionary_spells_as_stock_pypinyin():
    """The compact dictionary (search.pinyin_loader) holds every phrase of
    pypinyin's with the same readings; phrases and sentences that run phrases
    together are spelled as pypinyin as shipped spells them, in a process of its
    own."""
    import json
    import subprocess
    import sys

    from pypinyin.constants import PHRASES_DICT

    from search.pinyin_loader import _phrases_path, pypinyin

    module = pypinyin()
    shipped = json.loads(_phrases_path(module).read_text(encoding="utf-8"))
    assert len(shipped) > 40_000
    assert {
        phrase: [list(reading) for reading in readings]
        for phrase, readings in PHRASES_DICT.items()
    } == shipped

    phrases = list(shipped)
    texts = phrases[::23] + [
        "".join(phrases[index : index + 5]) for index in range(0, len(phrases), 211)
    ]
    texts += ["重庆银行营业执照办理", "长江重新长大了", "護士執業註冊 SJ01"]
    stock = subprocess.run(
        [sys.executable, "-c", STOCK_PINYIN],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    ours = [
        [
            module.lazy_pinyin(text, errors="default"),
            module.lazy_pinyin(text, style=module.Style.FIRST_LETTER, errors="default"),
        ]
        for text in texts
    ]

    assert ours == json.loads(stock)
