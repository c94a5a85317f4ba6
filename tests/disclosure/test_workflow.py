"""A change by an editor goes through the department's moderation workflow."""

import pytest

from disclosure.models import DivisionPage

pytestmark = pytest.mark.django_db


def submit_room_change(division, editor, room):
    draft = division.get_latest_revision_as_object()
    draft.room = room
    draft.save_revision(user=editor)
    division.get_workflow().start(division, editor)


def test_editor_change_is_not_public_until_a_moderator_approves(
    client, division, editor, moderator
):
    submit_room_change(division, editor, "主楼 999 室")

    assert "主楼 999 室" not in client.get(division.url).content.decode()
    assert DivisionPage.objects.get(pk=division.pk).room == "主楼 301 室"

    division.refresh_from_db()
    task_state = division.current_workflow_task_state
    task = task_state.task.specific
    assert task.get_actions(division, editor) == []
    assert "approve" in {
        name for name, _label, _modal in task.get_actions(division, moderator)
    }

    task.on_action(task_state, moderator, "approve")

    assert "主楼 999 室" in client.get(division.url).content.decode()
    assert DivisionPage.objects.get(pk=division.pk).room == "主楼 999 室"


def test_a_rejected_change_stays_unpublished(client, division, editor, moderator):
    submit_room_change(division, editor, "主楼 999 室")
    division.refresh_from_db()
    task_state = division.current_workflow_task_state

    task_state.task.specific.on_action(
        task_state, moderator, "reject", comment="房间号有误，请核对"
    )

    assert "主楼 999 室" not in client.get(division.url).content.decode()
    assert division.workflow_states.get().status == "needs_changes"


def test_moderators_of_another_department_cannot_approve(
    division, editor, other_department
):
    from disclosure.permissions import assign_staff
    from portal import roles
    from tests.factories import UserFactory

    outsider = UserFactory(username="moderator_b")
    assign_staff(outsider, other_department, staff_roles=[roles.Role.MODERATOR])
    submit_room_change(division, editor, "主楼 999 室")
    division.refresh_from_db()

    task = division.current_workflow_task
    assert task.specific.get_actions(division, outsider) == []
