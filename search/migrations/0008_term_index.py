"""The embedded backend's own inverted index (`SearchTerm`, with the facet
combinations `SearchFacets`) replaces the databases' full-text indexes: FTS5 with its
covering index on SQLite, the generated vectors with their GIN indexes on PostgreSQL.
The term column compares in code-point order on PostgreSQL too (collation "C"), as
prefix ranges need. The index is filled from the documents already indexed.
"""

import django.db.models.deletion
from django.db import migrations, models

from search.backends.terms import write_terms

SQLITE_FORWARD = [
    "DROP TABLE IF EXISTS site_search_fts",
    "DROP INDEX IF EXISTS site_search_document_cover",
]
POSTGRES_FORWARD = [
    'ALTER TABLE site_search_searchterm ALTER COLUMN term TYPE varchar(100) COLLATE "C"',
    "DROP INDEX IF EXISTS site_search_document_title_vector",
    "ALTER TABLE site_search_searchdocument DROP COLUMN IF EXISTS title_vector",
    "DROP INDEX IF EXISTS site_search_document_vector",
    "ALTER TABLE site_search_searchdocument DROP COLUMN IF EXISTS search_vector",
]
SQLITE_BACKWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS site_search_fts USING fts5("
    "code_terms, title_terms, body_terms, title_grams, tokenize = 'unicode61')",
    "INSERT INTO site_search_fts (rowid, code_terms, title_terms, body_terms, "
    "title_grams) SELECT id, code_terms, title_terms, body_terms, title_grams "
    "FROM site_search_searchdocument",
    "CREATE INDEX IF NOT EXISTS site_search_document_cover "
    "ON site_search_searchdocument (id, kind, department_code, department_name, "
    "item_type, online, audience, rank, variant, item_code, title)",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE site_search_searchdocument ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, code_terms), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, title_terms), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, title_grams), 'C') || "
    "setweight(to_tsvector('simple'::regconfig, body_terms), 'D')) STORED",
    "CREATE INDEX site_search_document_vector ON site_search_searchdocument "
    "USING gin (search_vector)",
    "ALTER TABLE site_search_searchdocument ADD COLUMN title_vector tsvector "
    "GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, code_terms), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, title_terms), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, title_grams), 'C')) STORED",
    "CREATE INDEX site_search_document_title_vector ON site_search_searchdocument "
    "USING gin (title_vector)",
]
BATCH = 500


def forward(apps, schema_editor):
    connection = schema_editor.connection
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}
    for statement in statements.get(connection.vendor, []):
        schema_editor.execute(statement)
    documents = apps.get_model("site_search", "SearchDocument").objects.using(
        connection.alias
    )
    facets = apps.get_model("site_search", "SearchFacets")
    ids = list(documents.order_by("id").values_list("id", flat=True))
    for start in range(0, len(ids), BATCH):
        rows = list(documents.filter(id__in=ids[start : start + BATCH]))
        write_terms(connection, rows, connection.alias, facets)


def backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("site_search", "0007_full_width_punctuation"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchFacets",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("department_code", models.CharField(blank=True, max_length=20)),
                ("department_name", models.CharField(blank=True, max_length=255)),
                ("kind", models.CharField(max_length=20)),
                ("item_type", models.CharField(blank=True, max_length=20)),
                ("online", models.BooleanField(null=True)),
                ("audience", models.CharField(blank=True, max_length=100)),
            ],
            options={
                "verbose_name": "检索分面组合",
                "verbose_name_plural": "检索分面组合",
            },
        ),
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("term", models.CharField(max_length=100)),
                ("title", models.PositiveSmallIntegerField(default=0)),
                ("key", models.BigIntegerField()),
                (
                    "document",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="site_search.searchdocument",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["term", "document", "title", "key"],
                        name="site_search_term_lookup",
                    ),
                    models.Index(fields=["document"], name="site_search_term_document"),
                ],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
