"""Page latency and SQL query counts, next to a minimal Django view (the floor).

    .venv/bin/python bench/pages.py [--runs 100] [--grow 30]

Prints the median and p95 latency and the query count of the home page and of the
demo's public pages, each with its ratio to the floor measured in the same run; then
grows one department by `--grow` divisions (each with posts and people) and measures
the department and division pages again: their query counts must not change.
"""

import argparse
import io
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import measure, print_table, setup_django


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
    parser.add_argument("--grow", type=int, default=30)
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.test import Client, override_settings

    call_command("load_demo", stdout=io.StringIO())
    with override_settings(ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["*"]):
        client = Client()
        floor = measure(client, "/bench/floor/", runs=args.runs)
        rows = [
            {"page": "最小视图 floor", "url": "/bench/floor/", **floor, "ratio": 1.0}
        ]
        for label, url in public_pages():
            result = measure(client, url, runs=args.runs)
            result["ratio"] = result["median_ms"] / floor["median_ms"]
            rows.append({"page": label, "url": url, **result})
    print_table(rows, ["page", "url", "median_ms", "p95_ms", "queries", "ratio"])
    print()
    print(
        f"Department and division pages before and after adding {args.grow} divisions:"
    )
    print_table(
        grow_department(args.grow, args.runs),
        ["size", "page", "median_ms", "p95_ms", "queries"],
    )


def grow_department(extra_divisions, runs):
    """Measure a demo department and one of its divisions, add `extra_divisions`
    divisions with four posts and three people each, and measure again."""
    from django.test import Client

    from disclosure.models import DepartmentPage, DivisionPage
    from tests.factories import DivisionPageFactory, PersonFactory, PostFactory

    department = DepartmentPage.objects.live().order_by("path").first()
    division = DivisionPage.objects.child_of(department).live().order_by("path").first()
    client = Client()
    rows = []

    def measure_both(size):
        for label, page in (
            ("部门 department", department),
            ("处室 division", division),
        ):
            rows.append(
                {"size": size, "page": label, **measure(client, page.url, runs)}
            )

    size = DivisionPage.objects.child_of(department).count()
    measure_both(f"{size} divisions")
    for index in range(extra_divisions):
        new = DivisionPageFactory(parent=department, code=f"{department.code}-X{index}")
        for _ in range(4):
            PostFactory(division=new)
        for _ in range(3):
            PersonFactory(department=department, division=new)
        new.save_revision().publish()
    for _ in range(4):
        PostFactory(division=division)
        PersonFactory(department=department, division=division)
    division.save_revision().publish()
    measure_both(f"{size + extra_divisions} divisions")
    return rows


if __name__ == "__main__":
    main()
