"""Create the staff role groups with their base permissions."""

from django.db import migrations

from portal.roles import BASE_PERMISSIONS, sync_role_permissions


def create_roles(apps, schema_editor):
    sync_role_permissions(apps, BASE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_home_page"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
