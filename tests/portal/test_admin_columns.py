"""Admin listing columns: calendar dates as dates, booleans as 是/否."""

import datetime
from types import SimpleNamespace

from django.utils import translation

from portal.columns import CalendarDateColumn, YesNoColumn


def cell(column, **values):
    return column.get_cell(SimpleNamespace(**values)).render_html(
        {"row": None, "table": None}
    )


def test_calendar_date_is_shown_as_a_date_in_each_language():
    column = CalendarDateColumn("date", label="预约日期")
    day = datetime.date(2026, 12, 2)

    with translation.override("zh-hans"):
        html = cell(column, date=day)
    assert '<time datetime="2026-12-02">2026年12月2日</time>' in html
    assert "之前" not in html

    with translation.override("en"):
        assert "Dec. 2, 2026" in cell(column, date=day)

    assert "<time" not in cell(column, date=None)


def test_yes_no_column_says_yes_or_no():
    column = YesNoColumn("is_public", label="公开")

    with translation.override("zh-hans"):
        assert "是" in cell(column, is_public=True)
        no = cell(column, is_public=False)
    assert "否" in no and "False" not in no
