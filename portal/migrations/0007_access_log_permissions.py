"""Supervisors (监察室) read the personal-data access log; administrators read both
logs as superusers."""

from django.db import migrations

from portal import roles


def grant(apps, schema_editor):
    roles.sync_role_permissions(
        apps, {roles.Role.SUPERVISOR: [("portal", "view_personaldataaccess")]}
    )


class Migration(migrations.Migration):
    dependencies = [("portal", "0006_security_and_privacy")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
