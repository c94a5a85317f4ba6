"""The department/division scope policy (`disclosure.scope`) on its own: who reaches
which person and which filing, and the refusal to wire a viewset without it."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry

from disclosure.models import Person
from disclosure.scope import filing_policy
from portal.scope import ScopedViewSetMixin
from services_catalog.inbox.models import Filing
from tests.factories import PersonFactory, UserFactory
from tests.inbox.builders import Office

pytestmark = pytest.mark.django_db


def test_staff_reach_the_people_of_their_department_only(
    editor, division, other_division
):
    own = PersonFactory(division=division)
    other = PersonFactory(division=other_division)
    policy = policy_registry.get_by_type(Person)

    reachable = set(policy.instances_user_has_any_permission_for(editor, ["change"]))

    assert own in reachable and other not in reachable
    assert reachable == set(Person.objects.filter(department=division.get_parent()))
    assert policy.user_has_permission_for_instance(editor, "change", own)
    assert not policy.user_has_permission_for_instance(editor, "change", other)


def test_staff_without_a_department_reach_nobody(division):
    PersonFactory(division=division)
    user = UserFactory(is_superuser=False)
    policy = policy_registry.get_by_type(Person)

    assert not policy.scope_queryset(user, Person.objects.all()).exists()


def test_superusers_reach_everybody(division, other_division):
    # `division` comes with its head: three people in all.
    PersonFactory(division=division)
    PersonFactory(division=other_division)
    admin = UserFactory(is_superuser=True)
    policy = policy_registry.get_by_type(Person)

    assert policy.scope_queryset(admin, Person.objects.all()).count() == 3


def test_filing_scope_follows_the_role_and_the_division(home_page):
    office = Office(home_page)
    filing = office.assigned()
    other_office = Office(home_page)
    foreign = other_office.assigned()
    policy = filing_policy(Filing)

    def reached(user):
        return set(policy.scope_queryset(user, Filing.objects.all()))

    for user in (office.clerk, office.director, office.supervisor):
        assert reached(user) == {filing}
    assert reached(office.lead_handler) == {filing}
    assert reached(office.co_handler) == {filing}  # once, though co and lead match
    assert reached(office.other_handler) == set()
    assert reached(office.outsider) == set()
    assert reached(UserFactory(is_superuser=True)) == {filing, foreign}


def test_a_viewset_without_a_scoped_policy_is_refused():
    class Unscoped(ScopedViewSetMixin, ModelViewSet):
        model = Filing.co_divisions.through

    with pytest.raises(ImproperlyConfigured):
        Unscoped("unscoped").on_register()
