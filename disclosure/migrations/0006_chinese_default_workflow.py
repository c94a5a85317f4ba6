"""Chinese names for what Wagtail's own migrations create in English: the default
groups (Moderators, Editors) and the site-wide moderation task and workflow
("Moderators approval"), which the Chinese admin lists among the departments' own.
Only names still as Wagtail made them are changed, and reversing restores them."""

from django.db import migrations

# (model, Wagtail's name, ours)
RENAMES = [
    ("auth.Group", "Moderators", "全站内容审核"),
    ("auth.Group", "Editors", "全站内容编辑"),
    ("wagtailcore.Task", "Moderators approval", "全站内容审核"),
    ("wagtailcore.Workflow", "Moderators approval", "全站审核流程"),
]


def rename(apps, pairs):
    for model_name, old, new in pairs:
        model = apps.get_model(model_name)
        if not model.objects.filter(name=new).exists():
            model.objects.filter(name=old).update(name=new)


def to_chinese(apps, schema_editor):
    rename(apps, RENAMES)


def to_english(apps, schema_editor):
    rename(apps, [(model, new, old) for model, old, new in RENAMES])


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0005_provincial_role"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(to_chinese, to_english)]
