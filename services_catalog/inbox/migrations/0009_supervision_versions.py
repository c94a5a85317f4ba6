"""A version on complaints, urging notices and accountability records (a stale page
never overwrites another user's handling), and the model permissions of their admin
viewsets: the inspection office handles complaints, issues urging notices and keeps
accountability records; a division's handlers read and answer their urging notices."""

from django.db import migrations, models

from portal import roles


def version_field():
    return models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="每次处理加一，防止两人同时处理。",
        verbose_name="版本",
    )


def grant_permissions(apps, schema_editor):
    roles.sync_role_permissions(
        apps,
        {
            roles.Role.SUPERVISOR: [
                ("inbox", "view_complaint"),
                ("inbox", "change_complaint"),
                ("inbox", "view_urgingnotice"),
                ("inbox", "add_urgingnotice"),
                ("inbox", "view_accountabilityrecord"),
                ("inbox", "add_accountabilityrecord"),
                ("inbox", "change_accountabilityrecord"),
            ],
            roles.Role.HANDLER: [
                ("inbox", "view_urgingnotice"),
                ("inbox", "change_urgingnotice"),
            ],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("inbox", "0008_rating_score_choices")]

    operations = [
        migrations.AddField("accountabilityrecord", "version", version_field()),
        migrations.AddField("complaint", "version", version_field()),
        migrations.AddField("urgingnotice", "version", version_field()),
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
    ]
