"""Catalog import speed, and catalog and item page latency as the catalog grows.

    .venv/bin/python bench/catalog.py [--items 10000] [--departments 4] [--runs 30]

Generates a catalog/1 file of `--items` service items spread over `--departments`
departments, and then:

1. imports the first 100 items (one department) with ``--publish`` and measures the
   department's catalog page and one item page (median, p95, SQL queries);
2. imports the whole file (the 100 come back unchanged) and prints the time and
   items per second, then measures the same two pages at full size — the item page's
   query count must not grow;
3. imports the whole file again (everything unchanged) and prints that time.
"""

import argparse
import copy
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import measure, print_table, setup_django

SMALL = 100
DIVISIONS = ("XK", "JC", "FW")  # three divisions per department
TYPES = ("行政许可", "行政确认", "行政备案", "其他")


def generate_catalog(items, departments):
    """A catalog/1 dictionary of `items` realistic-sized items; the first 100 are
    all in the first department, so a 100-item prefix is a valid file too."""
    codes = [f"B{chr(ord('A') + n)}" for n in range(departments)]
    data = {"format": "catalog/1", "departments": []}
    for code in codes:
        data["departments"].append(
            {
                "code": code,
                "name": f"基准测试部门{code}",
                "divisions": [
                    {
                        "code": f"{code}-{d}",
                        "name": f"第{n + 1}处",
                        "duties": [f"负责本部门第{n + 1}类事项的审查。"],
                    }
                    for n, d in enumerate(DIVISIONS)
                ],
                "items": [],
            }
        )
    for n in range(items):
        # The first SMALL items fill the first department; the rest round-robin.
        index = 0 if n < SMALL else n % departments
        department = data["departments"][index]
        division = DIVISIONS[n % len(DIVISIONS)]
        kind = "即办件" if n % 5 == 0 else "承诺件"
        department["items"].append(
            {
                "code": f"112200{department['code']}{n:06d}",
                "name": f"基准事项第{n}号许可",
                "type": TYPES[n % len(TYPES)],
                "kind": kind,
                "audience": ["法人"] if n % 2 else ["自然人", "法人"],
                "lead_division": f"{department['code']}-{division}",
                "co_divisions": [],
                "basis": ["《中华人民共和国行政许可法》", f"《基准条例》第{n % 50}条"],
                "conditions": ["申请人依法设立。", "具有相应的场所和人员。"],
                "materials": [
                    {"name": f"材料{m}", "required": m < 2, "original": 1, "copies": m}
                    for m in range(4)
                ],
                "steps": [
                    {
                        "name": "受理",
                        "handled_by": "窗口",
                        "days": 0 if kind == "即办件" else 1,
                    },
                    {
                        "name": "审查",
                        "handled_by": "处室",
                        "days": 0 if kind == "即办件" else 5,
                    },
                    {
                        "name": "决定",
                        "handled_by": "处室",
                        "days": 0 if kind == "即办件" else 1,
                    },
                ],
                "statutory_days": 20,
                "promised_days": 0 if kind == "即办件" else 7,
                "result": "许可证",
                "online": n % 3 != 0,
                "faqs": [{"question": "可以网上办理吗？", "answer": "可以。"}],
            }
        )
    return data


def first_items(data, count):
    small = copy.deepcopy(data)
    small["departments"] = small["departments"][:1]
    small["departments"][0]["items"] = small["departments"][0]["items"][:count]
    return small


def timed_import(path):
    """Import `path` with --publish; returns the report and the wall-clock seconds,
    and prints the CPU seconds and the load average beside them: on a shared machine
    the wall clock says more about the neighbours than about the import."""
    from services_catalog.importing import import_catalog_file

    started, cpu = time.perf_counter(), time.process_time()
    report = import_catalog_file(path, publish=True)
    elapsed = time.perf_counter() - started
    if not report.ok:
        raise SystemExit(report.summary())
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"  （CPU {time.process_time() - cpu:.1f} 秒；负载 {load}）")
    return report, elapsed


def page_rows(client, size, department_code, item_code, runs):
    from services_catalog.models import ServiceCatalogPage, ServiceItemPage

    catalog = ServiceCatalogPage.objects.get(
        slug="shixiang", url_path__contains=(f"/{department_code.lower()}/")
    )
    item = ServiceItemPage.objects.get(code=item_code)
    rows = []
    for label, url in (("事项目录 catalog", catalog.url), ("办事指南 item", item.url)):
        rows.append(
            {
                "items": size,
                "page": label,
                "url": url,
                **measure(client, url, runs=runs),
            }
        )
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--departments", type=int, default=4)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    setup_django()
    from django.test import Client, override_settings

    data = generate_catalog(max(args.items, SMALL), args.departments)
    folder = Path(tempfile.mkdtemp(prefix="chuangkou-bench-catalog-"))
    small_file, full_file = folder / "small.json", folder / "full.json"
    small_file.write_text(json.dumps(first_items(data, SMALL), ensure_ascii=False))
    full_file.write_text(json.dumps(data, ensure_ascii=False))
    department = data["departments"][0]["code"]
    probe = data["departments"][0]["items"][SMALL // 2]["code"]

    client = Client()
    rows = []
    with override_settings(ALLOWED_HOSTS=["*"]):
        _report, elapsed = timed_import(small_file)
        print(f"导入 {SMALL} 个事项：{elapsed:.1f} 秒（{SMALL / elapsed:.0f} 个/秒）")
        rows += page_rows(client, SMALL, department, probe, args.runs)

        report, elapsed = timed_import(full_file)
        total = len([i for d in data["departments"] for i in d["items"]])
        print(report.summary())
        print(
            f"导入 {total} 个事项（新建 {total - SMALL}，"
            f"未变 {SMALL}）：{elapsed:.1f} 秒"
            f"（{total / elapsed:.0f} 个/秒）"
        )
        rows += page_rows(client, total, department, probe, args.runs)

        _report, elapsed = timed_import(full_file)
        print(
            f"再次导入同一文件（全部未变）："
            f"{elapsed:.1f} 秒（{total / elapsed:.0f} 个/秒）"
        )
    print()
    print_table(rows, ["items", "page", "url", "median_ms", "p95_ms", "queries"])


if __name__ == "__main__":
    main()
