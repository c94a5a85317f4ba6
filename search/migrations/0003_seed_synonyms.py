"""Seed the editable synonyms from the shipped dictionary `search/data/synonyms.txt`."""

from django.db import migrations


def seed(apps, schema_editor):
    from search.synonyms import load_shipped_synonyms

    load_shipped_synonyms(apps.get_model("site_search", "Synonym"))


class Migration(migrations.Migration):
    dependencies = [("site_search", "0002_fulltext_index")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
