"""Grant the role groups their permissions on the reception models.

The window clerk drafts rosters, records unavailability and receptions and answers
appointment requests; content moderators and the office director review and publish
rosters. What each may see is further limited to their department
(`reception.permissions`)."""

from django.db import migrations

from portal import roles

ROSTER_DRAFTING = [
    ("reception", "add_rosterperiod"),
    ("reception", "change_rosterperiod"),
    ("reception", "delete_rosterperiod"),
    ("reception", "lock_rosterperiod"),
    ("reception", "unlock_rosterperiod"),
]
ROSTER_REVIEW = [
    ("reception", "change_rosterperiod"),
    ("reception", "publish_rosterperiod"),
    ("reception", "unlock_rosterperiod"),
]

PERMISSIONS = {
    roles.Role.CLERK: ROSTER_DRAFTING
    + [
        ("reception", "add_leaderunavailability"),
        ("reception", "change_leaderunavailability"),
        ("reception", "delete_leaderunavailability"),
        ("reception", "add_receptionrecord"),
        ("reception", "change_receptionrecord"),
        ("reception", "view_receptionrecord"),
        ("reception", "change_appointmentrequest"),
        ("reception", "view_appointmentrequest"),
    ],
    roles.Role.MODERATOR: ROSTER_REVIEW,
    roles.Role.DIRECTOR: ROSTER_REVIEW
    + [
        ("reception", "view_receptionrecord"),
        ("reception", "view_appointmentrequest"),
    ],
}


def grant_reception_permissions(apps, schema_editor):
    roles.sync_role_permissions(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("reception", "0001_initial"),
        ("portal", "0004_roles"),
    ]

    operations = [
        migrations.RunPython(grant_reception_permissions, migrations.RunPython.noop)
    ]
