"""Give the director, the handling divisions and the inspection office their
permissions on filings: instruct (批办), handle (承办) and supervise (督办)."""

from django.db import migrations

from portal import roles


def grant_handling_permissions(apps, schema_editor):
    roles.sync_role_permissions(
        apps,
        {
            roles.Role.DIRECTOR: [("inbox", "instruct_filing")],
            roles.Role.HANDLER: [("inbox", "handle_filing")],
            roles.Role.SUPERVISOR: [("inbox", "supervise_filing")],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0003_handling_and_supervision"),
        ("inbox", "0002_clerk_permissions"),
    ]

    operations = [
        migrations.RunPython(grant_handling_permissions, migrations.RunPython.noop)
    ]
