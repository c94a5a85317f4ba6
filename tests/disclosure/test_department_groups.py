"""Each department's own groups and workflow are named by its code and found through
their links, so renames and departments of the same name never mix them up."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from disclosure.models import DepartmentGroup, DepartmentPage
from portal import roles
from tests.factories import DepartmentPageFactory

pytestmark = pytest.mark.django_db


def group_names(department):
    return {
        link.role: link.group.name
        for link in DepartmentGroup.objects.filter(department=department)
    }


def test_two_departments_of_the_same_name_get_separate_groups(home_page, department):
    renamed = DepartmentPageFactory(
        parent=home_page, title=department.title, slug="sj-new", code="SJX"
    )

    assert group_names(renamed) == {
        roles.Role.EDITOR: "内容编辑 · 省市场监督管理局（SJX）",
        roles.Role.MODERATOR: "内容审核 · 省市场监督管理局（SJX）",
    }
    assert (
        group_names(department)[roles.Role.EDITOR]
        == "内容编辑 · 省市场监督管理局（SJ）"
    )
    assert renamed.get_workflow() != department.get_workflow()


def test_a_department_renamed_to_another_name_in_use_keeps_its_own_groups(
    home_page, department, other_department
):
    department.title = other_department.title
    department.save_revision().publish()
    # A new department takes the old name: it must not inherit the renamed one's groups.
    newcomer = DepartmentPageFactory(
        parent=home_page, title="省市场监督管理局", slug="sj-2", code="SJ2"
    )

    editors = {
        page.code: group_names(page)[roles.Role.EDITOR]
        for page in (department, other_department, newcomer)
    }
    assert editors == {
        "SJ": "内容编辑 · 省生态环境厅（SJ）",
        "ST": "内容编辑 · 省生态环境厅（ST）",
        "SJ2": "内容编辑 · 省市场监督管理局（SJ2）",
    }
    department = DepartmentPage.objects.get(pk=department.pk)
    assert department.get_workflow().name == "省生态环境厅（SJ）审核流程"


def test_a_renamed_department_keeps_its_groups_members_and_workflow(department, editor):
    groups_before = set(department.staff_groups.values_list("group_id", flat=True))
    workflow = department.get_workflow()
    department.title = "省市场监管局"
    department.save_revision().publish()

    assert set(department.staff_groups.values_list("group_id", flat=True)) == (
        groups_before
    )
    assert editor.groups.filter(name="内容编辑 · 省市场监管局（SJ）").exists()
    workflow.refresh_from_db()
    assert workflow.name == "省市场监管局（SJ）审核流程"
    assert workflow.tasks.get().name == "省市场监管局（SJ）内容审核"


def test_a_hand_made_group_of_the_same_name_is_a_clear_error(home_page):
    Group.objects.create(name="内容审核 · 省文化和旅游厅（WL）")
    page = DepartmentPage(title="省文化和旅游厅", slug="wl", code="WL")

    with pytest.raises(ValidationError) as caught:
        home_page.add_child(instance=page)

    assert caught.value.message_dict["code"] == [
        "已有不属于本部门的用户组「内容审核 · 省文化和旅游厅（WL）」，"
        "请先在“设置 › 用户组”中将其改名或删除。"
    ]
    assert not DepartmentPage.objects.filter(code="WL").exists()
