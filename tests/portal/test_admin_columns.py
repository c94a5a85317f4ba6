"""Admin listing columns: calendar dates as dates, booleans as 是/否 (in our own
columns, in Wagtail's BooleanColumn and on inspect views)."""

import datetime
from types import SimpleNamespace

from django.db import models
from django.utils import translation
from wagtail import hooks
from wagtail.admin.ui.fields import display_class_registry
from wagtail.admin.ui.tables import BooleanColumn

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


def test_wagtail_boolean_column_says_yes_or_no_too():
    column = BooleanColumn("is_active", label="有效")

    with translation.override("zh-hans"):
        yes = cell(column, is_active=True)
        no = cell(column, is_active=False)
    assert "是" in yes and "True" not in yes
    assert "否" in no and "False" not in no


def test_inspect_views_show_a_boolean_field_as_yes_or_no():
    hooks.search_for_hooks()  # the admin's registrations, as its first request loads
    display = display_class_registry.get(models.BooleanField())

    with translation.override("zh-hans"):
        assert "否" in display(False).render_html({})
        assert "未填" in display(None).render_html({})
    with translation.override("en"):
        assert "Yes" in display(True).render_html({})
