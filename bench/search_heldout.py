"""Search relevance on held-out sets of citizen queries that nobody tuned for.

    .venv/bin/python bench/search_heldout.py [--set first|second|third|fourth]
        [--verbose]

Each set is a catalog and its queries. ``first`` (the default) loads
`bench/data/heldout_catalog.json` (catalog/1: 37 items of six departments that the
demo catalog and the shipped synonyms do not cover, with the aliases, situation
phrases and English names an editor would give them) and asks `QUERIES`; ``second``
loads `bench/data/heldout2_catalog.json` (30 items of six other departments, variants
among them) and asks `SECOND_QUERIES`, written together with that catalog and
committed before any change to search meant to answer them, to check that changes
made while looking at the first set generalise. ``third`` loads both catalogs (67
items of twelve departments) and asks `bench.heldout_third.THIRD_QUERIES`, written and
committed before the changes to search that followed the second set; ``fourth``
(`bench.search_fourth.FOURTH_QUERIES`, mostly situations) likewise over both, written
before the changes to matching situation phrases that followed it; ``fifth``
(`bench.search_fifth.FIFTH_QUERIES`, mostly situations) likewise over both, written
before the changes to everyday vocabulary and word-boundary scoring that followed
it. The catalogs
go into a scratch database (SQLite, or `DATABASE_URL`). No alias or synonym was taken
from the queries; they are of the kinds citizens type: a situation in everyday
words, fragments and abbreviations, typos, full pinyin and initials, traditional
characters, English, one generic word, and needs the catalog does not cover.

For each kind it prints hit@1 and hit@3 (the share of queries whose item is first,
or among the first three) and MRR (the mean of 1/rank, 0 past the first ten), for
Chuangkou (the configured backend) and for Wagtail's stock database search
(`ServiceItemPage.objects.live().search`). An out-of-catalog query ("out") scores 1
when the engine shows no item or flags what it shows as not a match (Chuangkou's
``similar`` and ``weak`` modes, whose pages say nothing matched directly); its "hit"
columns are that share.
"""

import argparse
import io
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import print_table, setup_django
from bench.heldout_third import THIRD_QUERIES
from bench.search_fifth import FIFTH_QUERIES
from bench.search_fourth import FOURTH_QUERIES

DATA = Path(__file__).resolve().parent / "data"
TOP = 10
FLAGGED_MODES = ("similar", "weak")

# (query, expected item code or None for a need outside the catalog, kind)
QUERIES = [
    # a situation in everyday words
    ("我想开个小诊所", "11220000WJ0001", "situation"),
    ("在小区开一家美发店需要卫生方面的证", "11220000WJ0004", "situation"),
    ("孩子出生证明弄丢了", "11220000WJ0007", "situation"),
    ("大学毕业想当老师", "11220000JY0001", "situation"),
    ("想办一所私立幼儿园", "11220000JY0002", "situation"),
    ("给孩子办个课外辅导班", "11220000JY0004", "situation"),
    ("家里困难上大学没钱交学费", "11220000JY0006", "situation"),
    ("我有辆货车想拉货挣钱", "11220000JT0001", "situation"),
    ("开大货车跑运输要考什么证", "11220000JT0002", "situation"),
    ("运一台特别大的设备走高速", "11220000JT0003", "situation"),
    ("想去跑网约车", "11220000JT0004", "situation"),
    ("建筑公司承包工程需要什么资质", "11220000ZJ0001", "situation"),
    ("楼盘还没盖好就想卖房", "11220000ZJ0006", "situation"),
    ("小区楼下开个药房", "11220000YJ0001", "situation"),
    ("自己生产面膜卖", "11220000YJ0005", "situation"),
    ("开一家歌厅", "11220000WH0002", "situation"),
    ("组织明星来开演唱会", "11220000WH0003", "situation"),
    ("想当导游带团", "11220000WH0004", "situation"),
    ("酒店想评五星", "11220000WH0006", "situation"),
    # fragments and abbreviations
    ("诊所执业", "11220000WJ0001", "fragment"),
    ("医师注册", "11220000WJ0002", "fragment"),
    ("护士注册", "11220000WJ0003", "fragment"),
    ("民办学校许可", "11220000JY0002", "fragment"),
    ("货运经营许可", "11220000JT0001", "fragment"),
    ("超限运输", "11220000JT0003", "fragment"),
    ("水运许可", "11220000JT0006", "fragment"),
    ("施工企业资质", "11220000ZJ0001", "fragment"),
    ("安许证延期", "11220000ZJ0003", "fragment"),
    ("二建", "11220000ZJ0005", "fragment"),
    ("器械经营备案", "11220000YJ0004", "fragment"),
    ("药店许可证变更", "11220000YJ0002", "fragment"),
    ("旅行社经营许可", "11220000WH0001", "fragment"),
    ("网络文化许可", "11220000WH0005", "fragment"),
    # typos: homophones and one wrong character
    ("医师执业住册", "11220000WJ0002", "typo"),
    ("护土注册", "11220000WJ0003", "typo"),
    ("教师资格人定", "11220000JY0001", "typo"),
    ("民办学校办学许科", "11220000JY0002", "typo"),
    ("超线运输", "11220000JT0003", "typo"),
    ("驾校被案", "11220000JT0005", "typo"),
    ("建筑业企业资只", "11220000ZJ0001", "typo"),
    ("商品房预收许可", "11220000ZJ0006", "typo"),
    ("化装品生产许可", "11220000YJ0005", "typo"),
    ("旅行设业务", "11220000WH0001", "typo"),
    ("娱乐场所经营许课", "11220000WH0002", "typo"),
    # full pinyin and initials
    ("jiaoshi zige", "11220000JY0001", "pinyin"),
    ("jszgrd", "11220000JY0001", "pinyin"),
    ("hushi zhuce", "11220000WJ0003", "pinyin"),
    ("hszc", "11220000WJ0003", "pinyin"),
    ("lvxingshe", "11220000WH0001", "pinyin"),
    ("daoyouzheng", "11220000WH0004", "pinyin"),
    ("yishi zhiye zhuce", "11220000WJ0002", "pinyin"),
    ("ggcswsxk", "11220000WJ0004", "pinyin"),
    ("yushou xuke", "11220000ZJ0006", "pinyin"),
    ("aqscxkz", "11220000ZJ0002", "pinyin"),
    ("huazhuangpin", "11220000YJ0005", "pinyin"),
    ("ylcs", "11220000WH0002", "pinyin"),
    ("chaoxian yunshu", "11220000JT0003", "pinyin"),
    ("shangpinfang yushou", "11220000ZJ0006", "pinyin"),
    # traditional characters
    ("醫療機構執業登記", "11220000WJ0001", "traditional"),
    ("護士執業註冊", "11220000WJ0003", "traditional"),
    ("教師資格認定", "11220000JY0001", "traditional"),
    ("民辦學校辦學許可", "11220000JY0002", "traditional"),
    ("道路貨物運輸經營許可", "11220000JT0001", "traditional"),
    ("建築業企業資質", "11220000ZJ0001", "traditional"),
    ("商品房預售許可", "11220000ZJ0006", "traditional"),
    ("藥品零售企業經營許可證核發", "11220000YJ0001", "traditional"),
    ("化妝品生產許可", "11220000YJ0005", "traditional"),
    ("旅行社業務經營許可", "11220000WH0001", "traditional"),
    ("導遊證", "11220000WH0004", "traditional"),
    ("娛樂場所經營許可", "11220000WH0002", "traditional"),
    # English
    ("nurse registration", "11220000WJ0003", "english"),
    ("open a clinic", "11220000WJ0001", "english"),
    ("teacher certificate", "11220000JY0001", "english"),
    ("private school licence", "11220000JY0002", "english"),
    ("tutoring centre approval", "11220000JY0004", "english"),
    ("freight transport permit", "11220000JT0001", "english"),
    ("oversize vehicle permit", "11220000JT0003", "english"),
    ("taxi driver qualification", "11220000JT0004", "english"),
    ("construction qualification", "11220000ZJ0001", "english"),
    ("presale permit", "11220000ZJ0006", "english"),
    ("pharmacy licence", "11220000YJ0001", "english"),
    ("travel agency license", "11220000WH0001", "english"),
    ("tour guide", "11220000WH0004", "english"),
    ("cosmetics factory", "11220000YJ0005", "english"),
    # one generic word
    ("护士", "11220000WJ0003", "generic"),
    ("驾校", "11220000JT0005", "generic"),
    ("导游", "11220000WH0004", "generic"),
    ("旅行社", "11220000WH0001", "generic"),
    ("药店", "11220000YJ0001", "generic"),
    ("卫生许可", "11220000WJ0004", "generic"),
    ("安全生产许可", "11220000ZJ0002", "generic"),
    ("演出", "11220000WH0003", "generic"),
    ("幼儿园", "11220000JY0002", "generic"),
    # needs the catalog does not cover
    ("身份证丢了怎么办", None, "out"),
    ("护照办理", None, "out"),
    ("结婚登记", None, "out"),
    ("社保卡补办", None, "out"),
    ("公积金提取", None, "out"),
    ("车辆年检", None, "out"),
    ("驾照换证", None, "out"),
    ("户口迁移", None, "out"),
    ("办理营业执照", None, "out"),
    ("失业金申领", None, "out"),
    ("房产证过户", None, "out"),
    ("医保报销", None, "out"),
    ("养老金领取", None, "out"),
]
# The second set, over `heldout2_catalog.json`.
SECOND_QUERIES = [
    # a situation in everyday words
    ("我想在村里开个卖农药的小店", "11220000NY0001", "situation"),
    ("开宠物医院顺便卖兽药", "11220000NY0003", "situation"),
    ("有条渔船想出海打鱼", "11220000NY0004", "situation"),
    ("农忙想开联合收割机下地", "11220000NY0005", "situation"),
    ("工厂要打一口深井抽地下水用", "11220000SL0001", "situation"),
    ("在河边盖个小码头", "11220000SL0003", "situation"),
    ("想去河里挖沙子卖", "11220000SL0004", "situation"),
    ("几个同行想成立一个行业协会", "11220000MZ0001", "situation"),
    ("退休了想开家养老院", "11220000MZ0003", "situation"),
    ("基金会想在网上公开筹款", "11220000MZ0004", "situation"),
    ("新建的小区想起个名字", "11220000MZ0005", "situation"),
    ("开一家职业介绍所", "11220000RS0001", "situation"),
    ("公司想让销售人员不定时上班", "11220000RS0004", "situation"),
    ("想做外贸出口生意", "11220000SW0001", "situation"),
    ("美容店想卖充值卡", "11220000SW0002", "situation"),
    ("在国道边开个加油站", "11220000SW0004", "situation"),
    ("想把承包山上的杉木砍了卖", "11220000LY0001", "situation"),
    ("在家养几只梅花鹿", "11220000LY0003", "situation"),
    ("从外省买一批树苗运回来种", "11220000LY0005", "situation"),
    # fragments and abbreviations
    ("兽药经营许可", "11220000NY0003", "fragment"),
    ("河道采砂", "11220000SL0004", "fragment"),
    ("社会团体登记", "11220000MZ0001", "fragment"),
    ("劳务派遣许可", "11220000RS0002", "fragment"),
    ("对外贸易备案", "11220000SW0001", "fragment"),
    ("使用林地审批", "11220000LY0002", "fragment"),
    # typos: homophones and one wrong character
    ("农要经营许可", "11220000NY0001", "typo"),
    ("渔业捕老许可", "11220000NY0004", "typo"),
    ("养老机沟备案", "11220000MZ0003", "typo"),
    ("劳务派谴经营许可", "11220000RS0002", "typo"),
    ("拍买企业设立审批", "11220000SW0005", "typo"),
    # full pinyin and initials
    ("qushui xuke", "11220000SL0001", "pinyin"),
    ("nyjyxk", "11220000NY0001", "pinyin"),
    ("yanglao jigou", "11220000MZ0003", "pinyin"),
    ("caifa xukezheng", "11220000LY0001", "pinyin"),
    ("chengpinyou lingshou", "11220000SW0004", "pinyin"),
    # traditional characters
    ("農藥經營許可", "11220000NY0001", "traditional"),
    ("養老機構備案", "11220000MZ0003", "traditional"),
    ("對外貿易經營者備案登記", "11220000SW0001", "traditional"),
    ("林木採伐許可證", "11220000LY0001", "traditional"),
    # English
    ("pesticide shop licence", "11220000NY0001", "english"),
    ("water abstraction permit", "11220000SL0001", "english"),
    ("nursing home", "11220000MZ0003", "english"),
    ("import export registration", "11220000SW0001", "english"),
    ("tree cutting permit", "11220000LY0001", "english"),
    # one generic word
    ("农药", "11220000NY0001", "generic"),
    ("采砂", "11220000SL0004", "generic"),
    ("养老院", "11220000MZ0003", "generic"),
    ("加油站", "11220000SW0004", "generic"),
    # needs the catalog does not cover
    ("宅基地申请", None, "out"),
    ("低保申请", None, "out"),
    ("失业登记", None, "out"),
    ("出口退税", None, "out"),
    ("狂犬疫苗接种", None, "out"),
]
SETS = {
    "first": (("heldout_catalog.json",), QUERIES),
    "second": (("heldout2_catalog.json",), SECOND_QUERIES),
    "third": (("heldout_catalog.json", "heldout2_catalog.json"), THIRD_QUERIES),
    "fourth": (("heldout_catalog.json", "heldout2_catalog.json"), FOURTH_QUERIES),
    "fifth": (("heldout_catalog.json", "heldout2_catalog.json"), FIFTH_QUERIES),
}


def kinds(queries):
    return list(dict.fromkeys(kind for _query, _code, kind in queries))


def load_content(catalogs):
    """The held-out catalogs imported and published, and both indexes built."""
    from django.core.management import call_command
    from wagtail.models import Site

    from search.indexer import rebuild
    from services_catalog.importing import import_catalog

    home = Site.objects.get(is_default_site=True).root_page.specific
    for catalog in catalogs:
        data = json.loads((DATA / catalog).read_text(encoding="utf-8"))
        report = import_catalog(data, publish=True, home_page=home)
        if not report.ok:
            raise SystemExit(report.summary())
        add_finding_aids(data)
    rebuild()
    call_command("wagtail_update_index", stdout=io.StringIO())


def add_finding_aids(data):
    """Aliases, situations and English names of the file, set on the items where
    the import left them empty (catalog/1 gains these keys on another branch)."""
    from services_catalog.models import (
        ServiceItemAlias,
        ServiceItemPage,
        ServiceItemSituation,
    )

    for department in data["departments"]:
        for entry in department["items"]:
            item = ServiceItemPage.objects.get(code=entry["code"])
            if item.item_aliases.exists() or item.name_en:
                continue
            item.name_en = entry.get("name_en", "")
            item.summary_en = entry.get("summary_en", "")
            item.item_aliases = [
                ServiceItemAlias(text=text) for text in entry.get("aliases", [])
            ]
            item.situations = [
                ServiceItemSituation(text=text) for text in entry.get("situations", [])
            ]
            item.save_revision().publish()


def chuangkou(query):
    """(item codes in order, whether the results are flagged as not a match)."""
    from search.backends import get_backend
    from search.backends.base import SearchRequest

    results = get_backend().search(
        SearchRequest(query, limit=TOP * 3, with_facets=False)
    )
    codes = [hit.item_code for hit in results.hits if hit.item_code][:TOP]
    return codes, results.mode in FLAGGED_MODES


def wagtail(query):
    from services_catalog.models import ServiceItemPage

    codes = [item.code for item in ServiceItemPage.objects.live().search(query)[:TOP]]
    return codes, False


def score(engine, queries):
    """{kind: (hit@1, hit@3, MRR)} and each query's rank ('-' when missed)."""
    by_kind, ranks = {kind: [] for kind in kinds(queries)}, []
    for query, expected, kind in queries:
        codes, flagged = engine(query)
        if expected is None:
            correct = not codes or flagged
            by_kind[kind].append((correct, correct, float(correct)))
            ranks.append("ok" if correct else f"wrong: {codes[0]}")
            continue
        rank = codes.index(expected) + 1 if expected in codes else None
        by_kind[kind].append(
            (rank == 1, rank is not None and rank <= 3, 1 / rank if rank else 0.0)
        )
        ranks.append(rank or "-")
    positives = [s for kind, scores in by_kind.items() if kind != "out" for s in scores]
    table = {kind: averages(scores) for kind, scores in by_kind.items()}
    table["all positive"] = averages(positives)
    return table, ranks


def averages(scores):
    return tuple(sum(column) / len(scores) for column in zip(*scores, strict=True))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--verbose", action="store_true", help="print each query's rank"
    )
    parser.add_argument("--set", choices=SETS, default="first", dest="name")
    args = parser.parse_args()
    catalogs, queries = SETS[args.name]
    setup_django()
    from django.conf import settings
    from django.db import connection

    load_content(catalogs)
    engines = {
        f"Chuangkou ({settings.SEARCH_BACKEND})": chuangkou,
        "Wagtail stock": wagtail,
    }
    tables, ranks = {}, {}
    for name, engine in engines.items():
        tables[name], ranks[name] = score(engine, queries)
    if args.verbose:
        detail = [
            {"query": q, "expected": c or "(none)", "kind": k}
            | {name: ranks[name][i] for name in engines}
            for i, (q, c, k) in enumerate(queries)
        ]
        print_table(detail, ["query", "expected", "kind", *engines])
        print()
    counts = {kind: sum(1 for q in queries if q[2] == kind) for kind in kinds(queries)}
    counts["all positive"] = sum(v for k, v in counts.items() if k != "out")
    rows = []
    for kind in [*kinds(queries), "all positive"]:
        row = {"kind": kind, "n": counts[kind]}
        for name in engines:
            hit1, hit3, mrr = tables[name][kind]
            short = name.split(" ")[0]
            row |= {f"{short} hit@1": hit1, f"{short} hit@3": hit3, f"{short} MRR": mrr}
        rows.append(row)
    print(
        f"{len(queries)} held-out queries on {' + '.join(catalogs)}, "
        f"{connection.vendor}; "
        f"out = share correctly answered with no item or a flagged guess"
    )
    print_table(rows, list(rows[0]))
    print()
    print(control())


def control():
    """Wagtail's stock search asked for each item by its exact title: its database
    backend keeps a run of Chinese characters as one token (nothing segments it),
    so it finds a name typed whole and little else. The line shows that its index
    was built and answers, and why the held-out queries (never a whole title)
    score near 0 there."""
    from services_catalog.models import ServiceItemPage

    items = list(ServiceItemPage.objects.live().values_list("title", "code"))
    found = sum(1 for title, code in items if wagtail(title)[0][:1] == [code])
    return (
        f"control: Wagtail stock finds {found} of {len(items)} items first "
        "when asked for the exact title"
    )


if __name__ == "__main__":
    main()
