"""Indexes that let the embedded backend match generic words quickly:

- SQLite: a covering index over the columns the matching statement reads of each
  document (facets, kind weight, variant, code, title), so that thousands of matches
  are read from the narrow index, not from the rows with their texts.
- PostgreSQL: a generated ``title_vector`` (code, title, title grams, with the
  weights of ``search_vector``) with a GIN index, so that title-only query parts are
  matched without a weight restriction, which would make PostgreSQL recheck every
  matching document's whole vector.

Neither is a model field, so Django's autodetector does not see them.
"""

from django.db import migrations

COVER = (
    "CREATE INDEX IF NOT EXISTS site_search_document_cover "
    "ON site_search_searchdocument (id, kind, department_code, department_name, "
    "item_type, online, audience, rank, variant, item_code, title)"
)
SQLITE_FORWARD = [COVER]
SQLITE_BACKWARD = ["DROP INDEX IF EXISTS site_search_document_cover"]

POSTGRES_FORWARD = [
    "ALTER TABLE site_search_searchdocument ADD COLUMN title_vector tsvector "
    "GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, code_terms), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, title_terms), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, title_grams), 'C')) STORED",
    "CREATE INDEX site_search_document_title_vector ON site_search_searchdocument "
    "USING gin (title_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS site_search_document_title_vector",
    "ALTER TABLE site_search_searchdocument DROP COLUMN IF EXISTS title_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("site_search", "0005_query_log")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
