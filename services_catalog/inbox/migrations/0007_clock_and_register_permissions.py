"""The director approves extensions (延长办理期限); the window keeps the outgoing
register (发文登记) and its document types; director and inspection office read it."""

from django.db import migrations

from portal import roles


def grant_permissions(apps, schema_editor):
    roles.sync_role_permissions(
        apps,
        {
            roles.Role.CLERK: [
                ("inbox", "view_outgoingnumber"),
                ("inbox", "change_outgoingnumber"),
                ("inbox", "add_outgoingdocumenttype"),
                ("inbox", "change_outgoingdocumenttype"),
                ("inbox", "view_outgoingdocumenttype"),
            ],
            roles.Role.DIRECTOR: [
                ("inbox", "extend_filing"),
                ("inbox", "view_outgoingnumber"),
            ],
            roles.Role.SUPERVISOR: [("inbox", "view_outgoingnumber")],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("inbox", "0006_licensing_clock_and_outgoing_register")]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
