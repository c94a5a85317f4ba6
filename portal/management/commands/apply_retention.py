"""`manage.py apply_retention [--dry-run]`: anonymise the personal data of every
record past its retention period and delete its uploads (`portal.retention`);
prints one line per record type. Run daily from cron."""

from django.core.management.base import BaseCommand

from portal.retention import apply_retention, retention_years


class Command(BaseCommand):
    help = "对超过保存期限的记录去除个人信息、删除上传材料；--dry-run 只统计不修改。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="只报告将处理的记录数，不修改。"
        )

    def handle(self, *args, dry_run=False, **options):
        verb = "将处理" if dry_run else "已处理"
        for policy, count in apply_retention(dry_run=dry_run):
            years = retention_years(policy.key)
            self.stdout.write(f"{policy.label}（保存 {years} 年）：{verb} {count} 条")
