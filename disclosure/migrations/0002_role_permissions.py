"""Let the portal-wide editor and moderator roles manage people (`Person`)."""

from django.db import migrations

from portal import roles


def grant_person_permissions(apps, schema_editor):
    roles.sync_role_permissions(
        apps,
        {
            roles.Role.EDITOR: [
                ("disclosure", "add_person"),
                ("disclosure", "change_person"),
            ],
            roles.Role.MODERATOR: [
                ("disclosure", "add_person"),
                ("disclosure", "change_person"),
                ("disclosure", "publish_person"),
            ],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0001_initial"),
        ("portal", "0004_roles"),
    ]

    operations = [
        migrations.RunPython(grant_person_permissions, migrations.RunPython.noop)
    ]
