"""Page latency and SQL query counts, next to a minimal Django view (the floor).

    .venv/bin/python bench/pages.py [--runs 100]

Prints the median and p95 latency and the query count of the home page and of the
demo's public pages, each with its ratio to the floor measured in the same run.
"""

import argparse
import io
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import measure, print_table, setup_django  # noqa: E402


def public_pages():
    """(label, url) of the pages worth measuring in the demo site."""
    from django.apps import apps
    from wagtail.models import Site

    home = Site.objects.get(is_default_site=True).root_page
    pages = [("首页 home", home.url)]
    for model_label, label in [
        ("disclosure.DepartmentPage", "部门 department"),
        ("disclosure.DivisionPage", "处室 division"),
        ("services_catalog.ServiceCatalogPage", "事项目录 catalog"),
        ("services_catalog.ServiceItemPage", "办事指南 item"),
        ("reception.ReceptionPage", "接访 reception"),
    ]:
        try:
            model = apps.get_model(model_label)
        except LookupError:
            continue
        page = model.objects.live().order_by("path").first()
        if page is not None:
            pages.append((label, page.url))
    return pages


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.test import Client, override_settings

    call_command("load_demo", stdout=io.StringIO())
    with override_settings(ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["*"]):
        client = Client()
        floor = measure(client, "/bench/floor/", runs=args.runs)
        rows = [{"page": "最小视图 floor", "url": "/bench/floor/", **floor, "ratio": 1.0}]
        for label, url in public_pages():
            result = measure(client, url, runs=args.runs)
            result["ratio"] = result["median_ms"] / floor["median_ms"]
            rows.append({"page": label, "url": url, **result})
    print_table(rows, ["page", "url", "median_ms", "p95_ms", "queries", "ratio"])


if __name__ == "__main__":
    main()
