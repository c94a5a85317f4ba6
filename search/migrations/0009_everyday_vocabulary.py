"""Add the shipped synonyms that are not in the table yet: the everyday names of each
licensing domain (宾馆, 足疗, 卡拉OK, 滴滴, 口红, 梅花鹿…) appended to
`search/data/synonyms.txt`. Editors' own entries and changes are kept; the index of
the embedded backend needs ``python manage.py rebuild_search`` for its word markers."""

from django.db import migrations


def seed(apps, schema_editor):
    from search.synonyms import load_shipped_synonyms

    load_shipped_synonyms(apps.get_model("site_search", "Synonym"))


class Migration(migrations.Migration):
    dependencies = [("site_search", "0008_term_index")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
