"""`python manage.py rebuild_search`: empty the search index and index everything
public again, with a progress bar. Run it after changing the user dictionary, after
switching `SEARCH_BACKEND`, or whenever the index may have drifted."""

import time

from django.core.management.base import BaseCommand

from search.backends import get_backend
from search.indexer import active_adapters, rebuild

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "重建站内搜索索引（办事指南、处室、部门、人员、公开内容），显示进度条。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-progress",
            action="store_true",
            help="不显示进度条（用于日志和定时任务）。",
        )

    def handle(self, *args, no_progress=False, **options):
        backend = get_backend()
        kinds = "、".join(adapter.kind for adapter in active_adapters())
        self.stdout.write(f"搜索后端：{backend.name}；索引内容：{kinds}")
        started = time.monotonic()
        interactive = not no_progress and self.stdout.isatty()
        count = rebuild(progress=None if no_progress else self.progress(interactive))
        if interactive:
            self.stdout.write("")
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"已索引 {count} 条，用时 {elapsed:.1f} 秒。")
        )

    def progress(self, interactive):
        """A bar redrawn in place on a terminal; a line per tenth when piped."""
        shown = {"tenth": -1}

        def report(done, total):
            fraction = done / total if total else 1.0
            filled = int(BAR_WIDTH * fraction)
            bar = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}"
            if interactive:
                self.stdout.write(f"\r{bar} {fraction:5.0%}", ending="")
                self.stdout.flush()
            elif int(fraction * 10) > shown["tenth"]:
                shown["tenth"] = int(fraction * 10)
                self.stdout.write(f"{bar} {fraction:.0%}")

        return report
