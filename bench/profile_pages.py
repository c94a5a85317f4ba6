"""Where an uncached public page spends its time: its SQL and a cProfile summary.

    .venv/bin/python bench/profile_pages.py [--page department] [--runs 20] [--top 25]

Loads the demo content into a scratch database, renders each demo page once to warm
what is cached per process, then prints, per page, every SQL query of one request
and the functions with the most cumulative time over `--runs` requests (cProfile,
through Django's test client, page cache off, the shared page frame on as in
production).
"""

import argparse
import cProfile
import io
import os
import pstats
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import setup_django


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--page", help="one of the labels' English word, e.g. item")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative", help="a pstats sort key")
    parser.add_argument("--save", help="folder to write each page's .pstats into")
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.pages import public_pages

    call_command("load_demo", stdout=io.StringIO())
    # As in production: the page frame shared per process (the page cache stays off).
    settings.SHARED_FRAGMENTS_ENABLED = True
    client = Client()
    pages = [*public_pages(), ("搜索 search", "/search/?q=许可")]
    for label, url in pages:
        if args.page and args.page not in label:
            continue
        client.get(url)  # may create site settings, which starts a new generation
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(f"\n=== {label} {url}: {len(queries)} queries")
        for query in queries:
            print("  ", query["sql"][:220])
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.runs):
            client.get(url)
        profile.disable()
        if args.save:
            profile.dump_stats(os.path.join(args.save, f"{label.split()[-1]}.pstats"))
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).sort_stats(args.sort)
        stats.print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
