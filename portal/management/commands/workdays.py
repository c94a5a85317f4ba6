"""`python manage.py workdays`: ask the working-day calendar (portal.workdays).

    workdays add START N     the due date N working days after START
    workdays count START END working days after START up to and including END
    workdays is DATE         whether DATE is a working day

Each answer says whether the years involved have a confirmed holiday schedule or are
an estimate. Bad input ends with a Chinese message, without a traceback.
"""

import datetime
import re

from django.core.management.base import BaseCommand, CommandError

from portal.workdays import (
    WorkdayError,
    add_workdays,
    count_workdays,
    is_workday,
    unconfirmed_years,
)

USAGE = (
    "用法：workdays add 开始日期 工作日天数 | workdays count 开始日期 结束日期"
    " | workdays is 日期（日期格式 YYYY-MM-DD）"
)
WEEKDAYS = "一二三四五六日"


def parse_date(text):
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise CommandError(
            f"日期“{text}”格式不正确，应为 YYYY-MM-DD，例如 2026-09-28。"
        )
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期“{text}”不存在。") from None


def parse_days(text):
    try:
        return int(text)
    except ValueError:
        raise CommandError(f"工作日天数“{text}”应为整数。") from None


class Command(BaseCommand):
    help = (
        "工作日历：计算 N 个工作日后的到期日、统计两日之间的工作日、查询某日是否上班。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "words",
            nargs="*",
            metavar="add START N | count START END | is DATE",
            help=USAGE,
        )

    def handle(self, *args, words=(), **options):
        actions = {"add": (self.add, 2), "count": (self.count, 2), "is": (self.is_, 1)}
        if not words or words[0] not in actions:
            raise CommandError(USAGE)
        action, arity = actions[words[0]]
        if len(words) - 1 != arity:
            raise CommandError(f"“{words[0]}”需要 {arity} 个参数。{USAGE}")
        try:
            action(*words[1:])
        except WorkdayError as exc:
            raise CommandError(str(exc)) from None

    def add(self, start, days):
        start = parse_date(start)
        deadline = add_workdays(start, parse_days(days))
        self.answer(f"{deadline.due:%Y-%m-%d}", start, deadline.due)

    def count(self, start, end):
        start, end = parse_date(start), parse_date(end)
        self.answer(f"{count_workdays(start, end)} 个工作日", start, end)

    def is_(self, day):
        day = parse_date(day)
        verdict = "是工作日" if is_workday(day) else "不是工作日"
        self.answer(f"{day:%Y-%m-%d} 星期{WEEKDAYS[day.weekday()]} {verdict}", day, day)

    def answer(self, text, start, end):
        """Print `text`, marked as confirmed or estimated for the years it spans."""
        estimated = unconfirmed_years(start, end)
        self.stdout.write(f"{text}（{'估算' if estimated else '已确认'}）")
        if estimated:
            years = "、".join(str(year) for year in estimated)
            self.stdout.write(
                f"注意：{years} 年节假日安排尚未公布或尚未核对，结果为估算。"
            )
