"""`manage.py analyze_database`: refresh the database's planner statistics (ANALYZE).

PostgreSQL's autovacuum keeps them current; SQLite keeps none until ANALYZE runs, and
without them its planner guesses: the supervision board's ratings per division were
read from every filing of the department, probing ratings for each (48 ms at 100,000
filings), instead of from the ratings through the filings' covering index (6 ms,
bench/supervision.py). Run it daily from cron, and after a bulk load. On PostgreSQL it
runs the same ANALYZE autovacuum would, at once.
"""

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Refresh the database's planner statistics (ANALYZE)."

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, database, **options):
        connection = connections[database]
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(_("已更新数据库的查询统计信息。"))
