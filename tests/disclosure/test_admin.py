"""The admin screens of the disclosure app open for an administrator."""

import pytest
from django.urls import reverse

from disclosure.models import StaffMembership
from tests.factories import ContentPageFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    return client


def test_page_editors_open(admin_client, department, division):
    content = ContentPageFactory(parent=department)
    for page in (department, division, content):
        response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == 200, page


def test_person_and_membership_screens_open(admin_client, department, division):
    person = PersonFactory(division=division)
    membership = StaffMembership.objects.create(
        user=UserFactory(), department=department, division=division
    )

    for url in (
        reverse("wagtailsnippets_disclosure_person:list"),
        reverse("wagtailsnippets_disclosure_person:add"),
        reverse("wagtailsnippets_disclosure_person:edit", args=[person.pk]),
        reverse("staff_memberships:index"),
        reverse("staff_memberships:add"),
        reverse("staff_memberships:edit", args=[membership.pk]),
    ):
        assert admin_client.get(url).status_code == 200, url


def test_membership_form_refuses_a_division_of_another_department(
    admin_client, department, other_division
):
    user = UserFactory()

    response = admin_client.post(
        reverse("staff_memberships:add"),
        {"user": user.pk, "department": department.pk, "division": other_division.pk},
    )

    assert response.status_code == 200
    assert "所选处室不属于所选部门" in response.content.decode()
    assert not StaffMembership.objects.filter(user=user).exists()


def test_person_preview_shows_the_public_card(rf, division):
    person = PersonFactory(name="张海涛", title="处长", division=division)
    request = rf.get("/")
    request.user = UserFactory()

    response = person.serve_preview(request, person.default_preview_mode)

    html = response.render().content.decode()
    assert "张海涛" in html
    assert "处长" in html
