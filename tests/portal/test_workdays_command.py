"""`manage.py workdays`: the issue's examples and what bad input gets."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from portal.models import WorkdayOverride

pytestmark = pytest.mark.django_db


def workdays(*args):
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue().splitlines()


def test_add_across_national_day():
    assert workdays("add", "2026-09-28", "5") == ["2026-10-10（已确认）"]


def test_add_into_a_year_without_a_confirmed_schedule():
    due, warning = workdays("add", "2026-12-30", "2")
    assert due == "2027-01-04（估算）"
    assert "2027 年节假日安排尚未公布" in warning
    assert "估算" in warning


def test_add_follows_overrides():
    WorkdayOverride.objects.create(date="2026-10-10", is_workday=False, note="测试")
    assert workdays("add", "2026-09-28", "5") == ["2026-10-12（已确认）"]


def test_count_and_is():
    assert workdays("count", "2026-09-28", "2026-10-10") == ["5 个工作日（已确认）"]
    assert workdays("is", "2026-10-10") == ["2026-10-10 星期六 是工作日（已确认）"]
    assert workdays("is", "2026-10-05") == ["2026-10-05 星期一 不是工作日（已确认）"]
    lines = workdays("is", "2027-10-05")
    assert lines[0] == "2027-10-05 星期二 不是工作日（估算）"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "2026/09/28", "5"), "格式不正确，应为 YYYY-MM-DD"),
        (("add", "2026-02-30", "5"), "日期“2026-02-30”不存在"),
        (("add", "2026-09-28", "五"), "应为整数"),
        (("add", "2026-09-28", "-1"), "工作日天数应为 0 至 3650 之间的整数"),
        (("add", "2026-09-28", "3651"), "工作日天数应为 0 至 3650 之间的整数"),
        (("add", "2100-12-01", "100"), "超出工作日历的范围"),
        (("add", "2026-09-28"), "“add”需要 2 个参数"),
        (("count", "2026-09-28"), "“count”需要 2 个参数"),
        (("due", "2026-09-28", "5"), "用法"),
        ((), "用法"),
    ],
)
def test_bad_input_gets_a_chinese_message(args, message):
    with pytest.raises(CommandError, match=message):
        workdays(*args)
