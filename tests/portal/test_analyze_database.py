"""`manage.py analyze_database` refreshes the planner statistics the supervision board
relies on at scale (issue 15): on SQLite, ANALYZE writes `sqlite_stat1`, after which
the board's ratings per division are read from the ratings, not from every filing;
on PostgreSQL it is the ANALYZE autovacuum also runs."""

import io
import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from services_catalog.inbox import workflow
from tests.inbox.builders import applicant, make_item

pytestmark = pytest.mark.django_db


def statistics_rows():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"
            )
            if not cursor.fetchone()[0]:
                return 0
            cursor.execute(
                "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'inbox_filing'"
            )
        else:
            # Manual ANALYZE runs only; autovacuum's are counted apart. The
            # statistics read earlier in this transaction are not kept.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT analyze_count FROM pg_stat_user_tables "
                "WHERE relname = 'inbox_filing'"
            )
        return cursor.fetchone()[0]


def test_the_command_analyses_the_filings_and_says_so(home_page):
    # SQLite keeps no statistics of an empty table.
    workflow.create_filing(make_item(home_page), applicant(), form_token=uuid.uuid4())
    before = statistics_rows()
    out = io.StringIO()
    call_command("analyze_database", stdout=out)
    assert statistics_rows() > before
    assert "已更新数据库的查询统计信息" in out.getvalue()
