"""Page tree rules and model behaviour of departments, divisions and people."""

import pytest
from django.core.exceptions import ValidationError

from disclosure.models import (
    ContentPage,
    DepartmentPage,
    DisclosureGuidePage,
    DivisionPage,
    Person,
    StaffMembership,
)
from disclosure.models.staff import department_of, division_of
from portal.models import HomePage
from tests.factories import (
    DisclosureGuidePageFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("parent", "child", "allowed"),
    [
        (HomePage, DepartmentPage, True),
        (DepartmentPage, DivisionPage, True),
        (DepartmentPage, DisclosureGuidePage, True),
        (DepartmentPage, ContentPage, True),
        (HomePage, ContentPage, True),
        (HomePage, DivisionPage, False),
        (DepartmentPage, DepartmentPage, False),
        (DivisionPage, DivisionPage, False),
        (DivisionPage, ContentPage, False),
        (HomePage, DisclosureGuidePage, False),
        (ContentPage, DivisionPage, False),
    ],
)
def test_page_tree_follows_the_design(parent, child, allowed):
    # The same check as WagtailPageTestCase.assertCanCreateAt / assertCanNotCreateAt.
    can_create = (
        child in parent.allowed_subpage_models()
        and parent in child.allowed_parent_page_models()
    )
    assert can_create is allowed


def test_a_department_has_only_one_disclosure_guide(department):
    DisclosureGuidePageFactory(parent=department)

    assert not DisclosureGuidePage.can_create_at(department)


@pytest.mark.parametrize("code", ["SJ", "ST01", "ABCDEFGHIJ"])
def test_department_code_accepts_uppercase_letters_and_digits(code):
    DepartmentPage._meta.get_field("code").run_validators(code)


@pytest.mark.parametrize("code", ["S", "sj", "S-J", "ABCDEFGHIJK", "省局"])
def test_department_code_rejects_anything_else(code):
    with pytest.raises(ValidationError):
        DepartmentPage._meta.get_field("code").run_validators(code)


def test_division_duties_read_back_as_text(division):
    assert division.duty_texts() == ["负责本处室业务的受理和审查。", "承办交办事项。"]


def test_division_has_no_service_items_until_the_catalog_links_some(division):
    assert division.service_items() == []


def test_person_takes_the_department_of_their_division(division, department):
    person = PersonFactory(division=division)

    assert person.department == department.page_ptr.specific


def test_person_in_a_division_of_another_department_is_rejected(
    division, other_department
):
    person = Person(name="李四", title="科员", division=division)
    person.department = other_department

    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "division" in error.value.message_dict


def test_membership_division_must_belong_to_the_department(department, other_division):
    membership = StaffMembership(
        user=UserFactory(), department=department, division=other_division
    )

    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "division" in error.value.message_dict


def test_department_and_division_of_a_user(department, division):
    user = UserFactory()
    StaffMembership.objects.create(user=user, department=department, division=division)

    assert department_of(user) == department
    assert division_of(user) == division


def test_a_user_without_membership_has_no_department():
    user = UserFactory()

    assert department_of(user) is None
    assert division_of(user) is None
