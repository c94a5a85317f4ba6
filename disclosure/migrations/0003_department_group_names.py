"""Rename each department's groups, moderation workflow and its task to the names
that carry the department's code (`disclosure.models.staff.department_group_name`,
`disclosure.permissions.workflow_names`), so that two departments of the same name no
longer compete for one group name."""

from django.db import migrations

from portal import roles


def name_by_code(apps, schema_editor):
    DepartmentGroup = apps.get_model("disclosure", "DepartmentGroup")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Group = apps.get_model("auth", "Group")
    for link in DepartmentGroup.objects.select_related("department", "group"):
        department = link.department
        name = f"{roles.GROUP_NAMES[link.role]} · {department.title}（{department.code}）"
        if not Group.objects.filter(name=name).exists():
            link.group.name = name
            link.group.save(update_fields=["name"])
    for assignment in WorkflowPage.objects.filter(
        page__departmentpage__isnull=False
    ).select_related("workflow", "page__departmentpage"):
        department = assignment.page.departmentpage
        workflow = assignment.workflow
        label = f"{department.title}（{department.code}）"
        # Only the workflow this app made (named after the department's old title).
        if workflow.name != f"{department.title} 审核流程":
            continue
        workflow.name = f"{label}审核流程"
        workflow.save(update_fields=["name"])
        for workflow_task in workflow.workflow_tasks.select_related("task"):
            if workflow_task.task.name == f"{department.title} 内容审核":
                workflow_task.task.name = f"{label}内容审核"
                workflow_task.task.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0002_role_permissions"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(name_by_code, migrations.RunPython.noop)]
