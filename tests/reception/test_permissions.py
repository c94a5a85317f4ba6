"""The role groups get their reception permissions from the data migration."""

import pytest
from django.contrib.auth.models import Group

from portal import roles

pytestmark = pytest.mark.django_db


def codenames(role):
    group = Group.objects.get(name=roles.group_name(role))
    return set(
        group.permissions.filter(content_type__app_label="reception").values_list(
            "codename", flat=True
        )
    )


def test_clerks_draft_rosters_and_keep_records_but_do_not_publish():
    clerk = codenames(roles.Role.CLERK)

    assert {
        "add_rosterperiod",
        "change_rosterperiod",
        "add_leaderunavailability",
        "add_receptionrecord",
        "change_receptionrecord",
        "change_appointmentrequest",
    } <= clerk
    assert "publish_rosterperiod" not in clerk
    assert "delete_receptionrecord" not in clerk
    assert "add_appointmentrequest" not in clerk


def test_moderators_and_directors_publish_rosters():
    for role in (roles.Role.MODERATOR, roles.Role.DIRECTOR):
        assert {"change_rosterperiod", "publish_rosterperiod"} <= codenames(role)
    assert "change_receptionrecord" not in codenames(roles.Role.MODERATOR)
