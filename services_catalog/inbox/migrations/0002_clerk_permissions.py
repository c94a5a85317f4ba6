"""Let the window clerks (窗口收发文) log, pre-review and decide filings."""

from django.db import migrations

from portal import roles


def grant_clerk_permissions(apps, schema_editor):
    roles.sync_role_permissions(
        apps,
        {
            roles.Role.CLERK: [
                ("inbox", "add_filing"),
                ("inbox", "change_filing"),
                ("inbox", "view_filing"),
            ],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0001_initial"),
        ("portal", "0004_roles"),
    ]

    operations = [
        migrations.RunPython(grant_clerk_permissions, migrations.RunPython.noop)
    ]
