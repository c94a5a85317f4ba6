"""Let department editors and moderators import their own department's catalog in
the admin (the view limits each of them to their own department)."""

from django.db import migrations

from portal import roles
from portal.roles import sync_role_permissions

IMPORT = [
    ("services_catalog", "add_serviceitempage"),
    ("services_catalog", "change_serviceitempage"),
]


def grant(apps, schema_editor):
    sync_role_permissions(apps, {roles.Role.EDITOR: IMPORT, roles.Role.MODERATOR: IMPORT})


class Migration(migrations.Migration):
    dependencies = [
        ("services_catalog", "0001_initial"),
        ("portal", "0005_workday_years"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
