"""The embedded backend's full-text index, which depends on the database:

- SQLite: an FTS5 table ``site_search_fts`` (one row per document, rowid = id), written
  by `search.backends.embedded` next to each document.
- PostgreSQL: a generated ``search_vector`` column (``simple`` configuration over the
  jieba-segmented columns; weights A code, B title, C title grams, D body) with a GIN
  index.

Neither is a model field, so Django's autodetector does not see them.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS site_search_fts USING fts5("
    "code_terms, title_terms, body_terms, title_grams, tokenize = 'unicode61')",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS site_search_fts"]

POSTGRES_FORWARD = [
    "ALTER TABLE site_search_searchdocument ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, code_terms), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, title_terms), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, title_grams), 'C') || "
    "setweight(to_tsvector('simple'::regconfig, body_terms), 'D')) STORED",
    "CREATE INDEX site_search_document_vector ON site_search_searchdocument "
    "USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS site_search_document_vector",
    "ALTER TABLE site_search_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("site_search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
