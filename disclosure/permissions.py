"""Department-scoped editing: per-department groups, page permissions and workflow.

Each department gets two groups, "内容编辑 · {部门}（{代码}）" (add and change pages in
the department's subtree; changes go to moderation) and "内容审核 · {部门}（{代码}）"
(also publish), and a moderation workflow "{部门}（{代码}）审核流程" whose one task is
approved by the department's moderators. Groups are found through their
`DepartmentGroup` link and the workflow through the department page, never by name,
so a rename renames them and two departments of the same name stay apart.
`prepare_department` sets all of it up; it runs when a department page is saved (see
`disclosure.signals`) and from the demo loader.
People (`Person` snippets) follow the same scope through `disclosure.scope`.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from disclosure.models import DepartmentGroup, StaffMembership
from disclosure.models.staff import (
    DEPARTMENT_GROUP_ROLES,
    check_group_names,
    department_group_name,
)
from portal import roles

# Roles that get a group of their own in every department, with their page
# permissions on the department's subtree and their model permissions.
PAGE_PERMISSIONS = {
    roles.Role.EDITOR: ["add", "change"],
    roles.Role.MODERATOR: ["add", "change", "publish"],
}
PERSON_PERMISSIONS = {
    roles.Role.EDITOR: ["add_person", "change_person"],
    roles.Role.MODERATOR: ["add_person", "change_person", "publish_person"],
}


def _model_permissions(role):
    pairs = [("wagtailadmin", "access_admin")]
    pairs += roles.BASE_PERMISSIONS[role]
    pairs += [("disclosure", codename) for codename in PERSON_PERMISSIONS[role]]
    query = Q()
    for app_label, codename in pairs:
        query |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(query)


def _page_permissions(role):
    return Permission.objects.filter(
        content_type__app_label="wagtailcore",
        content_type__model="page",
        codename__in=[f"{action}_page" for action in PAGE_PERMISSIONS[role]],
    )


def _ensure_group(department, role):
    link = (
        DepartmentGroup.objects.filter(department=department, role=role)
        .select_related("group")
        .first()
    )
    name = department_group_name(department, role)
    if link is None:
        group = Group.objects.create(name=name)
        link = DepartmentGroup.objects.create(
            department=department, role=role, group=group
        )
    elif link.group.name != name:
        link.group.name = name
        link.group.save(update_fields=["name"])
    group = link.group
    group.permissions.add(*_model_permissions(role))
    for permission in _page_permissions(role):
        GroupPagePermission.objects.get_or_create(
            group=group, page=department, permission=permission
        )
    return group


@transaction.atomic
def ensure_department_groups(department):
    """Create (or rename) the department's editor and moderator groups and grant
    their permissions; returns ``{role: Group}``. Safe to run again. A name held by
    a group the department does not own is a ValidationError (the page editor shows
    it from `DepartmentPage.clean`; a draft saved elsewhere is stopped here)."""
    check_group_names(department)
    return {role: _ensure_group(department, role) for role in DEPARTMENT_GROUP_ROLES}


def workflow_names(department):
    """(workflow name, task name) of the department's own moderation workflow."""
    label = f"{department.title}（{department.code}）"
    return f"{label}审核流程", f"{label}内容审核"


@transaction.atomic
def ensure_department_workflow(department, moderators):
    """Give the department's subtree its own moderation workflow, unless an
    administrator has already assigned one to the department page; keep the name
    of the one made here in step with the department's."""
    workflow_name, task_name = workflow_names(department)
    existing = WorkflowPage.objects.filter(page=department).first()
    if existing is None:
        task = GroupApprovalTask.objects.create(name=task_name)
        task.groups.set([moderators])
        workflow = Workflow.objects.create(name=workflow_name)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowPage.objects.create(page=department, workflow=workflow)
        return workflow
    workflow = existing.workflow
    tasks = list(workflow.tasks.specific())
    own = (
        len(tasks) == 1
        and isinstance(tasks[0], GroupApprovalTask)
        and list(tasks[0].groups.all()) == [moderators]
    )
    if own and (workflow.name, tasks[0].name) != (workflow_name, task_name):
        workflow.name = workflow_name
        workflow.save(update_fields=["name"])
        tasks[0].name = task_name
        tasks[0].save(update_fields=["name"])
    return workflow


def prepare_department(department):
    """Groups, page permissions and the moderation workflow of one department."""
    groups = ensure_department_groups(department)
    ensure_department_workflow(department, groups[roles.Role.MODERATOR])
    return groups


@transaction.atomic
def assign_staff(user, department, division=None, staff_roles=()):
    """Make `user` a member of `department` (and `division`) and add them to the
    portal role group and the department's own group for each role given."""
    membership, _created = StaffMembership.objects.update_or_create(
        user=user, defaults={"department": department, "division": division}
    )
    department_groups = ensure_department_groups(department)
    for role in staff_roles:
        user.groups.add(Group.objects.get(name=roles.group_name(role)))
        if role in department_groups:
            user.groups.add(department_groups[role])
    return membership
