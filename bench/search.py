"""Search latency with 100, 1,000 and 10,000 service items, on SQLite and PostgreSQL.

    .venv/bin/python bench/search.py [--items 100,1000,10000] [--runs 50]
    .venv/bin/python bench/search.py --postgres postgres://postgres@127.0.0.1:5432/bench

The first form measures on a scratch SQLite database; with ``--postgres`` the same
measurement then runs on that PostgreSQL database too (a scratch one: the search index
there is emptied). At each size it prints p50 and p95 latency per query shape for the
configured backend called directly, each search reading the index (kept results off:
wall-clock, and the CPU time of this process: on SQLite all the work, on PostgreSQL
the client's share), the p95 of the same search asked again with its results kept
(``kept_p95_ms``: a round trip to the shared cache), with the load average, since
other processes on the machine stretch wall-clock times; at the largest size also the
search page and the API through Django's test client.

The items are generated (titles from subjects × actions × places, guide text from
templates, ten departments) and written straight into the search index through the
backend's `index_documents` (segmentation and all), without creating 10,000 Wagtail
pages: publishing that many pages would take most of an hour and measure Wagtail, not
search. The index holds exactly what the indexer would write for such items.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import measure, print_table, setup_django, vacuum_until_visible

SUBJECTS = [
    "食品生产",
    "食品经营",
    "排污",
    "特种设备使用",
    "建设工程施工",
    "药品零售",
    "医疗器械经营",
    "危险废物经营",
    "辐射安全",
    "取水",
    "林木采伐",
    "道路货物运输",
    "出版物零售",
    "娱乐场所",
    "旅行社业务",
    "烟草专卖零售",
    "民办学校办学",
    "医疗机构执业",
    "公共场所卫生",
    "动物诊疗",
    "农药经营",
    "种子生产经营",
    "计量器具",
    "检验检测机构",
    "广告发布",
    "建筑业企业资质",
    "房地产开发企业资质",
    "燃气经营",
    "城市绿地占用",
    "户外广告设置",
    "养老机构",
    "社会团体",
    "职业介绍",
    "劳务派遣经营",
    "人力资源服务",
    "住房公积金",
    "社会保险",
    "残疾人证",
    "最低生活保障",
    "临时救助",
]
ACTIONS = [
    "许可",
    "许可变更",
    "许可延续",
    "许可注销",
    "许可证遗失补领",
    "登记",
    "变更登记",
    "注销登记",
    "备案",
    "审批",
    "核准",
    "资格认定",
    "年度报告",
    "证明开具",
    "待遇申领",
]
PLACES = [
    "",
    "（省级）",
    "（市级）",
    "（县级）",
    "（开发区）",
    "（跨区域）",
    "（首次）",
    "（延期）",
    "（简易程序）",
    "（告知承诺）",
    "（一件事）",
    "（全程网办）",
    "（容缺受理）",
    "（港澳）",
    "（外资）",
    "（小微企业）",
    "（个体工商户）",
]
CONDITIONS = [
    "申请人应当依法设立，具有与{s}相适应的场所、设施和专业人员。",
    "具有健全的{s}管理制度和安全责任制度。",
    "近三年内未因{s}违法行为受到行政处罚。",
    "按规定提交{s}申请书及相关证明材料，材料真实有效。",
]
MATERIALS = [
    "{s}申请书",
    "营业执照或统一社会信用代码证书复印件",
    "法定代表人身份证明",
    "场所平面图及产权证明",
    "专业技术人员资格证书",
    "{s}管理制度文本",
]
QUERY_SHAPES = [
    ("名称的一部分 part of a name", "排污许可"),
    ("完整名称 full name", "食品经营许可变更"),
    ("宽泛词 broad word", "许可"),
    ("同义词 synonym", "社保"),
    ("群众提问 question", "开饭店要办什么证"),
    ("事项编码 item code", "11220000D0300122"),
    ("错别字 typo", "食品经荧许可"),
    ("无结果 nothing", "航天飞机发射"),
]


def generate(count, seed=7):
    """`count` service item documents, reproducibly."""
    from search.backends.base import IndexDocument

    rng = random.Random(seed)
    titles = [
        f"{subject}{action}{place}"
        for place in PLACES
        for subject in SUBJECTS
        for action in ACTIONS
    ]
    rng.shuffle(titles)
    documents = []
    for number in range(count):
        title = titles[number % len(titles)]
        if number >= len(titles):
            title = f"{title}（第{number // len(titles) + 1}批）"
        subject = next(s for s in SUBJECTS if title.startswith(s))
        department = number % 10 + 1
        code = f"11220000D{department:02d}{number:05d}"
        body = "".join(
            [
                "受理条件：",
                *(line.format(s=subject) for line in rng.sample(CONDITIONS, 3)),
                "申请材料：",
                "、".join(m.format(s=subject) for m in rng.sample(MATERIALS, 4)),
                f"。办理结果：《{subject}许可证》。承办处室：第{department}业务处。",
            ]
        )
        documents.append(
            IndexDocument(
                key=f"bench:{number}",
                kind="item",
                title=title,
                url=f"/d{department:02d}/shixiang/{code.lower()}/",
                body=body,
                department_code=f"D{department:02d}",
                department_name=f"第{department}厅",
                item_code=code,
                item_type=rng.choice(["licensing", "confirmation", "filing", "other"]),
                audience=tuple(
                    rng.choice(
                        [["organisation"], ["person"], ["person", "organisation"]]
                    )
                ),
                online=rng.random() < 0.8,
            )
        )
    return documents


def time_backend(text, runs):
    """p50 and p95 (ms) of the backend's search, facets included, each run reading
    the index (the kept results switched off: the cost of a query asked for the
    first time since the index last changed), and the p95 of the same search asked
    again with the results kept (`SEARCH_RESULTS_SECONDS`)."""
    from django.test import override_settings

    from search.backends import get_backend
    from search.backends.base import SearchRequest

    backend = get_backend()
    request = SearchRequest(text, limit=10)
    with override_settings(SEARCH_RESULTS_SECONDS=0):
        for _ in range(3):
            backend.search(request)
        timings, cpu = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            results = backend.search(request)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
    with override_settings(SEARCH_RESULTS_SECONDS=300):
        backend.search(request)
        again = []
        for _ in range(runs):
            started = time.perf_counter()
            backend.search(request)
            again.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": statistics.median(timings),
        "p95_ms": percentile(timings, 0.95),
        "cpu_p50_ms": statistics.median(cpu),
        "cpu_p95_ms": percentile(cpu, 0.95),
        "kept_p95_ms": percentile(again, 0.95),
        "hits": results.total,
        "mode": results.mode,
    }


def percentile(values, share):
    values = sorted(values)
    return values[max(int(len(values) * share + 0.5) - 1, 0)]


def run(sizes, runs):
    from urllib.parse import urlencode

    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings

    from search.backends import get_backend
    from search.segment import tokenizer

    backend = get_backend()
    tokenizer()  # jieba's dictionary, loaded once per process
    for items in sizes:
        started = time.perf_counter()
        backend.clear()
        documents = generate(items)
        for start in range(0, len(documents), 1000):
            backend.index_documents(documents[start : start + 1000])
        indexed = time.perf_counter() - started
        if connection.vendor == "postgresql":
            visible, pages, passes = vacuum_until_visible(
                connection, ["site_search_searchterm", "site_search_searchdocument"]
            )
            print(
                f"index pages all-visible after VACUUM: {visible} of {pages} "
                f"({passes} pass(es))"
            )
        print(
            f"{connection.vendor}, {items} items: indexed in {indexed:.1f} s "
            f"({indexed / items * 1000:.2f} ms per item, segmentation included); "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        rows = []
        for label, text in QUERY_SHAPES:
            rows.append({"query": f"{label}: {text}", **time_backend(text, runs)})
        columns = ["query", "p50_ms", "p95_ms", "cpu_p50_ms", "cpu_p95_ms"]
        print_table(rows, [*columns, "kept_p95_ms", "hits", "mode"])
        print(
            f"{connection.vendor}, {items} items, over the shapes: "
            f"p50 {statistics.median(r['p50_ms'] for r in rows):.2f} ms, "
            f"worst p95 {max(r['p95_ms'] for r in rows):.2f} ms "
            f"(CPU {max(r['cpu_p95_ms'] for r in rows):.2f} ms); asked again, "
            f"worst p95 {max(r['kept_p95_ms'] for r in rows):.2f} ms"
        )
        print()

    pages = []
    no_limits = dict.fromkeys(settings.RATELIMITS)
    with override_settings(ALLOWED_HOSTS=["*"], RATELIMITS=no_limits):
        client = Client()
        for label, url in [
            ("搜索页 search page", "/search/?" + urlencode({"q": "排污许可"})),
            ("搜索页第 3 页 page 3", "/search/?" + urlencode({"q": "许可", "page": 3})),
            (
                "筛选 facet filter",
                "/search/?" + urlencode({"q": "许可", "department": "D03"}),
            ),
            ("接口 API", "/api/v1/search/?" + urlencode({"q": "食品经营许可"})),
            ("联想 suggest", "/search/suggest/?" + urlencode({"q": "食品"})),
        ]:
            result = measure(client, url, runs=runs)
            pages.append({"request": label, **result})
    print_table(pages, ["request", "median_ms", "p95_ms", "queries"])


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--items",
        default="100,1000,10000",
        help="comma-separated catalog sizes, measured in this order",
    )
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="also measure on this (scratch) PostgreSQL database",
    )
    args = parser.parse_args()
    setup_django()
    run([int(size) for size in args.items.split(",")], args.runs)
    if args.postgres:
        print()
        command = [sys.executable, __file__, "--items", args.items]
        command += ["--runs", str(args.runs)]
        subprocess.run(
            command, env={**os.environ, "DATABASE_URL": args.postgres}, check=True
        )


if __name__ == "__main__":
    main()
