"""`python manage.py import_catalog FILE`: import a catalog/1 file (DESIGN §9).

    import_catalog FILE [--dry-run] [--publish] [--progress | --no-progress]

FILE is catalog/1 JSON or an XLSX workbook with the same tables
(`services_catalog.xlsx`). Departments, divisions and items are created or updated by
code; importing the same file again changes nothing. Without ``--publish`` new pages
are drafts and changes are draft revisions. Any error aborts the whole file.

The progress goes to standard error: a bar redrawn in place on a terminal, otherwise
(a log, cron) a line every `PROGRESS_EVERY` items, each with the time so far and an
estimate of the time left.
"""

import time
from argparse import BooleanOptionalAction
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from services_catalog.importing import import_catalog_file

PROGRESS_EVERY = 1000  # items between two progress lines when not on a terminal
BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "导入 catalog/1 格式的事项目录（JSON 或 XLSX），"
        "按代码新建或更新部门、处室和事项。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="catalog/1 的 .json 或 .xlsx 文件")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="只检查并报告将新建、更新、不变的数量，不写入数据库",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="发布新建和更改的页面（默认保存为草稿）",
        )
        parser.add_argument(
            "--progress",
            action=BooleanOptionalAction,
            default=True,
            help="在标准错误输出显示进度（默认显示；终端中为进度条）",
        )

    def handle(self, *args, file, dry_run, publish, progress, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("找不到文件：%(file)s") % {"file": file})
        self.started = time.monotonic()
        self.on_terminal = self.stderr.isatty()
        report = import_catalog_file(
            path,
            dry_run=dry_run,
            publish=publish,
            progress=self.show_progress if progress else None,
        )
        if report.ok:
            self.stdout.write(report.summary())
            return
        self.stderr.write(report.summary())
        raise CommandError(
            _("%(file)s 有 %(count)s 个错误，未导入任何内容。")
            % {"file": path.name, "count": len(report.errors)}
        )

    def show_progress(self, done, total):
        if not total:
            return
        if self.on_terminal:
            filled = BAR_WIDTH * done // total
            bar = "█" * filled + "·" * (BAR_WIDTH - filled)
            end = "\n" if done == total else ""
            self.stderr.write(f"\r{bar} {self.progress_text(done, total)}", ending=end)
            self.stderr.flush()
        elif done % PROGRESS_EVERY == 0 or done == total:
            self.stderr.write(self.progress_text(done, total))

    def progress_text(self, done, total):
        elapsed = time.monotonic() - self.started
        text = _("事项 %(done)s/%(total)s（%(percent)s%%），已用 %(elapsed)s 秒") % {
            "done": done,
            "total": total,
            "percent": 100 * done // total,
            "elapsed": round(elapsed),
        }
        if 0 < done < total:
            left = elapsed * (total - done) / done
            text += _("，约剩 %(left)s 秒") % {"left": round(left)}
        return text
