"""`python manage.py export_catalog`: write the catalog as catalog/1 (DESIGN §9).

    export_catalog [--department CODE ...] [--format json|xlsx] [-o FILE]

JSON goes to standard output unless ``-o`` is given; XLSX needs ``-o``. The format
defaults to the extension of ``-o`` (else JSON). The file re-imports unchanged.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from services_catalog import exporting, xlsx


class Command(BaseCommand):
    help = "以 catalog/1 格式（JSON 或 XLSX）导出事项目录，可再导入。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--department",
            action="append",
            metavar="CODE",
            help="只导出此部门（部门代码，可重复）",
        )
        parser.add_argument(
            "--format",
            choices=["json", "xlsx"],
            help="输出格式（默认按文件扩展名，否则 json）",
        )
        parser.add_argument("-o", "--output", help="输出文件（JSON 默认写到标准输出）")

    def handle(self, *args, department, format, output, **options):
        if format is None:
            suffix = Path(output).suffix.lower() if output else ""
            format = "xlsx" if suffix == ".xlsx" else "json"
        if format == "xlsx" and not output:
            raise CommandError("XLSX 格式需要用 -o 指定输出文件。")
        try:
            data = exporting.export_catalog(department)
        except LookupError as exc:
            raise CommandError(f"没有这些部门：{exc}") from None
        if format == "xlsx":
            Path(output).write_bytes(xlsx.write_workbook(data))
        elif output:
            Path(output).write_text(exporting.dumps(data), encoding="utf-8")
        else:
            self.stdout.write(exporting.dumps(data), ending="")
        if output:
            items = sum(len(d["items"]) for d in data["departments"])
            self.stderr.write(
                f"已导出 {len(data['departments'])} 个部门、{items} 个事项到 {output}。"
            )
