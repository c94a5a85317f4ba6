"""The role groups exist after migrating, each with what its people need."""

import pytest
from django.contrib.auth.models import Group

from portal import roles

pytestmark = pytest.mark.django_db


def test_every_role_has_a_group_with_admin_access():
    for role in (
        roles.Role.EDITOR,
        roles.Role.MODERATOR,
        roles.Role.CLERK,
        roles.Role.DIRECTOR,
        roles.Role.HANDLER,
        roles.Role.SUPERVISOR,
    ):
        group = Group.objects.get(name=roles.group_name(role))
        assert group.permissions.filter(codename="access_admin").exists(), role


def test_editors_may_upload_documents_but_not_edit_the_calendar():
    editors = Group.objects.get(name=roles.group_name(roles.Role.EDITOR))
    codenames = set(editors.permissions.values_list("codename", flat=True))
    assert {"add_document", "add_image"} <= codenames
    assert "change_workdayoverride" not in codenames
    moderators = Group.objects.get(name=roles.group_name(roles.Role.MODERATOR))
    assert moderators.permissions.filter(codename="change_workdayoverride").exists()
