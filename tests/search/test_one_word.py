"""The embedded backend's plan for a one-word query (`embedded.one_word`): when the
word's marker and the query's pinyin phrase mark exactly the names having the word,
the statement reads the word's own index rows, without an aggregate, and when the
word in a name outranks everything else, takes the page among those names alone.
Whatever it reads, the page, the scores, the total and the facets are those of the
general statement (`one_word` switched off), on SQLite and on PostgreSQL."""

import pytest
from django.core.cache import cache

from search.backends import embedded, get_backend
from search.backends.base import IndexDocument, SearchRequest
from search.models import SearchDocument, SearchTerm
from search.query import parse_query
from search.synonyms import synonym_map

pytestmark = pytest.mark.django_db

# Names with 许可 as a word, bodies with it only, and (below) a name with 许可 inside
# a longer word; variants, kinds and departments to tell the documents apart.
NAMES = [
    "排污许可",
    "排污许可变更",
    "排污许可延续",
    "取水许可",
    "食品生产许可",
    "食品经营许可",
    "药品零售许可",
    "道路运输许可",
    "辐射安全许可",
    "林木采伐许可",
    "娱乐场所许可",
    "旅行社业务许可",
    "养老机构备案",
    "社会团体登记",
    "残疾人证办理",
    "临时救助申请",
]


def documents(names):
    found = []
    for number, name in enumerate(names):
        found.append(
            IndexDocument(
                key=f"t:{number}",
                kind="item" if number % 5 else "guide",
                title=name,
                url=f"/d/{number}/",
                body=f"申请材料：申请书。办理结果：《{name[:2]}许可证》。",
                department_code=f"D{number % 3}",
                department_name=f"第{number % 3}厅",
                item_code=f"11220000D{number:05d}",
                item_type=["licensing", "filing"][number % 2],
                audience=("organisation",),
                online=bool(number % 2),
            )
        )
    return found


def compiled(text):
    backend = get_backend()
    parsed = parse_query(text, synonym_map())
    return backend._weigh(embedded.compile_query(parsed), backend.sql)


def both_ways(monkeypatch, request):
    """The results of `request` by the one-word plan and by the general statement."""
    backend = get_backend()
    cache.clear()
    planned = backend._search(request)
    cache.clear()
    with monkeypatch.context() as patched:
        patched.setattr(embedded, "one_word", lambda compiled: ())
        general = backend._search(request)
    return planned, general


def same(planned, general):
    def seen(found):
        return (
            [(hit.url, hit.score) for hit in found.hits],
            found.total,
            found.facets,
            found.mode,
        )

    assert seen(planned) == seen(general)


REQUESTS = [
    {},
    {"offset": 10},
    {"offset": 10, "limit": 5},
    {"filters": {"department": "D1"}},
    {"filters": {"online": "1"}},
]


@pytest.mark.parametrize("options", REQUESTS)
def test_a_word_in_names_and_bodies_is_read_from_its_own_rows(monkeypatch, options):
    get_backend().index_documents(documents(NAMES))
    plan = compiled("许可")
    assert plan.alone and plan.alone[0].text == "许可"
    assert plan.named == 12
    planned, general = both_ways(monkeypatch, SearchRequest("许可", **options))
    assert planned.total == len(NAMES) or options.get("filters")
    same(planned, general)


def test_the_page_comes_from_the_names_only_when_they_fill_it(monkeypatch):
    get_backend().index_documents(documents(NAMES))
    plan = compiled("许可")
    assert get_backend()._names_first(plan, SearchRequest("许可", limit=12))
    assert not get_backend()._names_first(plan, SearchRequest("许可", limit=13))
    for offset, limit in ((0, 12), (2, 10), (10, 3), (12, 10)):
        same(*both_ways(monkeypatch, SearchRequest("许可", offset=offset, limit=limit)))


def test_a_name_with_the_word_inside_a_longer_word_keeps_the_general_statement(
    monkeypatch,
):
    # 药店 is no word of 开兽药店 (jieba reads 兽药 and 店): its marker marks fewer
    # names than its characters do.
    get_backend().index_documents(documents(["药店开办", "开兽药店", "药店变更"]))
    assert not compiled("药店").alone
    same(*both_ways(monkeypatch, SearchRequest("药店")))


def test_a_change_to_the_index_is_seen_at_once(monkeypatch):
    backend = get_backend()
    backend.index_documents(documents(NAMES))
    assert compiled("许可").alone
    # A new name with 许可, then names without it and a deletion: the plan's
    # figures follow the index at once, not figures kept from before the change.
    backend.index_documents(documents([*NAMES, "开兽药许可店"])[-1:])
    assert compiled("许可").named == 13
    same(*both_ways(monkeypatch, SearchRequest("许可")))
    backend.index_documents(documents(["药店开办", "开兽药店"]))
    assert not compiled("药店").alone
    backend.delete_documents(["t:1"])
    assert compiled("许可").named == 11
    same(*both_ways(monkeypatch, SearchRequest("许可")))


@pytest.mark.parametrize("text", ["登记", "证", "许", "食品", "xuke", "排污许可"])
def test_other_short_queries_give_the_same_results_either_way(monkeypatch, text):
    get_backend().index_documents(documents(NAMES))
    same(*both_ways(monkeypatch, SearchRequest(text)))


def test_a_phrase_marking_as_many_names_but_others_keeps_the_general_statement(
    monkeypatch,
):
    # Should a name with 许可 lack the pinyin xuke (a character read otherwise in
    # its context) and another name without 许可 have it (a homophone), the phrase
    # would mark as many names as 许可 does, but not the same: the counts alone
    # would take one for the other.
    backend = get_backend()
    backend.index_documents(documents(NAMES))
    with_word = SearchDocument.objects.get(key="t:0")
    without = SearchDocument.objects.get(key="t:12")
    SearchTerm.objects.filter(document=with_word, term__startswith="xuke").delete()
    SearchTerm.objects.create(
        document=without, term="xuke", title=1, key=key_of(without)
    )
    backend.index_changed()
    assert not compiled("许可").alone
    same(*both_ways(monkeypatch, SearchRequest("许可")))


def key_of(document):
    return SearchTerm.objects.filter(document=document).values_list("key", flat=True)[0]
