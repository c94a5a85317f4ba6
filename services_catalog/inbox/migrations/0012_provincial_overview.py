"""The permission to read every department's figures side by side, and the
provincial government office's role group that holds it (issue 17 point 5)."""

from django.db import migrations

from portal import roles


def grant_permissions(apps, schema_editor):
    roles.sync_role_permissions(
        apps, {roles.Role.PROVINCIAL: [("inbox", "view_overview")]}
    )


class Migration(migrations.Migration):

    dependencies = [
        ('inbox', '0011_rating_follow_ups'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='filing',
            options={'ordering': ['-submitted_at'], 'permissions': [('instruct_filing', '批办办件'), ('extend_filing', '批准延长办理期限'), ('handle_filing', '承办办件'), ('supervise_filing', '督办办件'), ('view_overview', '查看各部门总览（省政府办公厅）')], 'verbose_name': '办件', 'verbose_name_plural': '办件'},
        ),
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
    ]
