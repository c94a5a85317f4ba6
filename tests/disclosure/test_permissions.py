"""Editors and moderators are scoped to their own department's subtree."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission

from disclosure.models import DepartmentGroup, Person
from portal import roles
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def page_permission_codenames(group, page):
    return set(
        GroupPagePermission.objects.filter(group=group, page=page).values_list(
            "permission__codename", flat=True
        )
    )


def test_a_new_department_gets_its_own_editor_and_moderator_groups(department):
    links = {link.role: link.group for link in department.staff_groups.all()}

    assert links[roles.Role.EDITOR].name == "内容编辑 · 省市场监督管理局（SJ）"
    assert links[roles.Role.MODERATOR].name == "内容审核 · 省市场监督管理局（SJ）"
    assert page_permission_codenames(links[roles.Role.EDITOR], department) == {
        "add_page",
        "change_page",
    }
    assert page_permission_codenames(links[roles.Role.MODERATOR], department) == {
        "add_page",
        "change_page",
        "publish_page",
    }


def test_renaming_a_department_renames_its_groups(department):
    department.title = "省市场监管局"
    department.save_revision().publish()

    names = set(
        DepartmentGroup.objects.filter(department=department).values_list(
            "group__name", flat=True
        )
    )
    assert names == {"内容编辑 · 省市场监管局（SJ）", "内容审核 · 省市场监管局（SJ）"}


def test_each_department_has_its_own_moderation_workflow(division, other_division):
    assert division.get_workflow().name == "省市场监督管理局（SJ）审核流程"
    assert other_division.get_workflow().name == "省生态环境厅（ST）审核流程"


def test_editor_may_edit_but_not_publish_pages_of_their_department(
    editor, department, division
):
    for page in (department, division):
        permissions = page.permissions_for_user(editor)
        assert permissions.can_edit()
        assert not permissions.can_publish()


def test_editor_may_not_edit_pages_of_another_department(
    editor, other_department, other_division
):
    for page in (other_department, other_division):
        assert not page.permissions_for_user(editor).can_edit()


def test_moderator_may_publish_only_in_their_department(
    moderator, division, other_division
):
    assert division.permissions_for_user(moderator).can_publish()
    assert not other_division.permissions_for_user(moderator).can_publish()


def test_editor_opens_own_division_in_the_admin_but_not_another_departments(
    client, editor, division, other_division
):
    client.force_login(editor)

    own = client.get(reverse("wagtailadmin_pages:edit", args=[division.pk]))
    other = client.get(reverse("wagtailadmin_pages:edit", args=[other_division.pk]))

    assert own.status_code == 200
    assert other.status_code in (302, 403)
    if other.status_code == 302:
        assert not other.url.startswith(
            reverse("wagtailadmin_pages:edit", args=[other_division.pk])
        )


def test_editor_changes_only_the_people_of_their_department(
    client, editor, division, other_division
):
    own = PersonFactory(name="本部门人员", division=division)
    other = PersonFactory(name="外部门人员", division=other_division)
    client.force_login(editor)

    listing = client.get(reverse("wagtailsnippets_disclosure_person:list"))
    own_edit = client.get(
        reverse("wagtailsnippets_disclosure_person:edit", args=[own.pk])
    )
    other_edit = client.get(
        reverse("wagtailsnippets_disclosure_person:edit", args=[other.pk])
    )

    assert "本部门人员" in listing.content.decode()
    assert "外部门人员" not in listing.content.decode()
    assert own_edit.status_code == 200
    assert other_edit.status_code == 404


def test_the_people_listing_searches_by_name_and_title_in_the_department(
    client, editor, division, other_division
):
    PersonFactory(name="本部门人员", title="副处长", division=division)
    PersonFactory(name="外部门人员", title="副处长", division=other_division)
    client.force_login(editor)
    url = reverse("wagtailsnippets_disclosure_person:list")

    by_name = client.get(url, {"q": "本部门"})
    by_title = client.get(url, {"q": "副处长"})

    assert by_name.status_code == by_title.status_code == 200
    assert "本部门人员" in by_name.content.decode()
    assert "本部门人员" in by_title.content.decode()
    assert "外部门人员" not in by_title.content.decode()


def test_person_policy_is_registered_for_the_person_model(editor, division):
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(Person)
    person = PersonFactory(division=division)

    assert policy.user_has_permission_for_instance(editor, "change", person)
    assert not policy.user_has_permission_for_instance(editor, "publish", person)


def test_editor_cannot_add_a_person_to_another_department(
    client, editor, department, other_department
):
    client.force_login(editor)
    url = reverse("wagtailsnippets_disclosure_person:add")
    form = {"name": "李四", "title": "科员", "duties": "", "sort_order": 0}

    refused = client.post(url, {**form, "department": other_department.pk})
    accepted = client.post(url, {**form, "department": department.pk})

    assert refused.status_code == 200  # the form again, with an error
    assert accepted.status_code == 302
    assert list(Person.objects.values_list("department", flat=True)) == [department.pk]


def test_deleting_a_department_deletes_its_groups(department, editor):
    group_ids = list(department.staff_groups.values_list("group_id", flat=True))

    department.delete()

    assert not Group.objects.filter(pk__in=group_ids).exists()
    assert not editor.groups.filter(pk__in=group_ids).exists()


def test_history_usage_and_revisions_of_another_department_are_not_found(
    client, editor, other_division
):
    other = PersonFactory(name="外部门人员", division=other_division)
    revision = other.save_revision()
    client.force_login(editor)
    names = {
        "history": [other.pk],
        "usage": [other.pk],
        "revisions_view": [other.pk, revision.pk],
        "revisions_compare": [other.pk, "earliest", "latest"],
    }

    for name, args in names.items():
        url = reverse(f"wagtailsnippets_disclosure_person:{name}", args=args)
        assert client.get(url).status_code == 404, url
