"""Search relevance on the demo catalog: Chuangkou's search against Wagtail's stock
database search backend, on the same content and the same citizen queries.

    .venv/bin/python bench/search_relevance.py [--verbose]

Loads the demo catalog (`services_catalog/demo/catalog.json`: 34 items of two
departments) into a scratch database (SQLite, or `DATABASE_URL`), then asks each query
of `QUERIES` — realistic questions, many in everyday words (排污证丢了, 叉车证怎么考,
查公司档案) — and looks for the expected item among the first ten results. Prints
hit@3 (the share of queries whose item is among the first three) and MRR (the mean of
1/rank, 0 when not in the first ten) for Chuangkou (`search.backends`, the configured
backend) and for Wagtail's database backend (`ServiceItemPage.objects.live().search`).
"""

import argparse
import io
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import print_table, setup_django

TOP = 10

# (query, expected item code, kind of query): "name" words of the item's name,
# "everyday" colloquial words, "question" a whole question, "code" the item code.
QUERIES = [
    ("食品生产许可", "11220000SJ0001", "name"),
    ("开食品厂需要办什么证", "11220000SJ0001", "everyday"),
    ("SC证怎么办理", "11220000SJ0001", "everyday"),
    ("食品生产许可证地址变更", "11220000SJ0002", "question"),
    ("食品生产许可证到期了怎么办", "11220000SJ0003", "question"),
    ("食品厂不干了注销许可证", "11220000SJ0004", "everyday"),
    ("食品包装材料生产许可证", "11220000SJ0005", "everyday"),
    ("工业产品生产许可证", "11220000SJ0005", "name"),
    ("电梯使用登记", "11220000SJ0006", "everyday"),
    ("锅炉要去哪里登记", "11220000SJ0006", "question"),
    ("电梯安装维修资质", "11220000SJ0007", "everyday"),
    ("叉车证怎么考", "11220000SJ0008", "everyday"),
    ("焊工证", "11220000SJ0008", "everyday"),
    ("液化气充装许可", "11220000SJ0009", "everyday"),
    ("气瓶充装", "11220000SJ0009", "name"),
    ("电子秤型式批准", "11220000SJ0010", "everyday"),
    ("计量标准考核", "11220000SJ0011", "name"),
    ("CMA资质认定", "11220000SJ0012", "everyday"),
    ("检测机构资质", "11220000SJ0012", "everyday"),
    ("计量授权", "11220000SJ0013", "name"),
    ("打广告要登记吗", "11220000SJ0014", "question"),
    ("公司重名了怎么办", "11220000SJ0015", "question"),
    ("外企代表处登记", "11220000SJ0016", "everyday"),
    ("查公司档案", "11220000SJ0017", "everyday"),
    ("排污许可证办理", "11220000ST0001", "name"),
    ("排污证怎么申请", "11220000ST0001", "everyday"),
    ("排污许可证变更", "11220000ST0002", "name"),
    ("排污证到期续期", "11220000ST0003", "everyday"),
    ("排污许可证丢了", "11220000ST0004", "everyday"),
    ("环评报告书审批", "11220000ST0005", "everyday"),
    ("环评报告表", "11220000ST0006", "everyday"),
    ("环评登记表备案", "11220000ST0007", "everyday"),
    ("危废经营许可证", "11220000ST0008", "everyday"),
    ("危废跨省转移", "11220000ST0009", "everyday"),
    ("排污口设置审核", "11220000ST0010", "name"),
    ("应急预案备案", "11220000ST0011", "name"),
    ("卖氟利昂要备案吗", "11220000ST0012", "question"),
    ("使用制冷剂的单位备案", "11220000ST0013", "everyday"),
    ("重污染天气绩效分级", "11220000ST0014", "name"),
    ("A级企业评定", "11220000ST0014", "everyday"),
    ("辐射安全许可证", "11220000ST0015", "name"),
    ("医院X光机要办什么许可", "11220000ST0015", "question"),
    ("放射源转让", "11220000ST0016", "everyday"),
    ("放射源异地使用", "11220000ST0017", "everyday"),
    ("11220000ST0005", "11220000ST0005", "code"),
    ("11220000sj0012", "11220000SJ0012", "code"),
]


def load_content():
    """The demo catalog, imported and published as `load_demo` does, and both
    indexes built from it."""
    from django.core.management import call_command
    from wagtail.models import Site

    from search.indexer import rebuild
    from services_catalog.demo import load_catalog_demo

    home = Site.objects.get(is_default_site=True).root_page.specific
    load_catalog_demo(home, io.StringIO())
    rebuild()
    call_command("wagtail_update_index", stdout=io.StringIO())


def chuangkou_codes(query):
    from search.backends import get_backend
    from search.backends.base import SearchRequest

    results = get_backend().search(
        SearchRequest(query, limit=TOP * 3, with_facets=False)
    )
    return [hit.item_code for hit in results.hits if hit.item_code][:TOP]


def wagtail_codes(query):
    from services_catalog.models import ServiceItemPage

    return [item.code for item in ServiceItemPage.objects.live().search(query)[:TOP]]


def rank_of(code, codes):
    return codes.index(code) + 1 if code in codes else None


def evaluate(engine):
    ranks = [rank_of(code, engine(query)) for query, code, _kind in QUERIES]
    hits = sum(1 for rank in ranks if rank is not None and rank <= 3)
    mrr = sum(1 / rank for rank in ranks if rank) / len(ranks)
    return ranks, hits / len(ranks), mrr


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--verbose", action="store_true", help="print each query's rank"
    )
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.db import connection

    load_content()
    engines = {
        f"Chuangkou ({settings.SEARCH_BACKEND})": chuangkou_codes,
        "Wagtail database backend": wagtail_codes,
    }
    rows, ranks = [], {}
    for name, engine in engines.items():
        ranks[name], hit3, mrr = evaluate(engine)
        rows.append({"engine": name, "hit@3": f"{hit3:.1%}", "MRR": mrr})
    if args.verbose:
        detail = [
            {
                "query": query,
                "expected": code,
                "kind": kind,
                **{name: ranks[name][index] or "-" for name in engines},
            }
            for index, (query, code, kind) in enumerate(QUERIES)
        ]
        print_table(detail, ["query", "expected", "kind", *engines])
        print()
    print(
        f"{len(QUERIES)} queries on the demo catalog, {connection.vendor}; "
        f"rank = position of the expected item in the first {TOP} results"
    )
    print_table(rows, ["engine", "hit@3", "MRR"])


if __name__ == "__main__":
    main()
