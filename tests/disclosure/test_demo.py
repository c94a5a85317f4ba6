"""The disclosure demo: two departments, their logins, and idempotence."""

import io

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page

from disclosure.demo import load_disclosure_demo
from disclosure.models import DepartmentPage, DivisionPage, Person, Post
from disclosure.models.staff import department_of

pytestmark = pytest.mark.django_db


def counts():
    return {
        "pages": Page.objects.count(),
        "live pages": Page.objects.live().count(),
        "posts": Post.objects.count(),
        "people": Person.objects.count(),
        "users": get_user_model().objects.count(),
    }


def test_demo_loads_two_departments_idempotently_with_their_own_editors(home_page):
    logins = load_disclosure_demo(home_page, io.StringIO())
    first = counts()

    again = load_disclosure_demo(home_page, io.StringIO())

    assert counts() == first
    assert again == {}
    assert set(logins) == {"editor_sj", "moderator_sj", "editor_st", "moderator_st"}
    departments = {d.code: d for d in DepartmentPage.objects.live()}
    assert set(departments) == {"SJ", "ST"}
    for department in departments.values():
        divisions = DivisionPage.objects.child_of(department).live()
        assert 5 <= divisions.count() <= 7
        assert divisions.filter(code__endswith="-BGS", title="办公室").exists()
        assert divisions.filter(code__endswith="-JCS", title="监察室").exists()
        for division in divisions:
            assert 2 <= division.posts.count() <= 4
            assert division.head.photo is not None
            assert division.get_latest_revision() is not None

    # Each editor belongs to their own department and may edit only there.
    User = get_user_model()
    editor = User.objects.get(username="editor_sj")
    sj = DepartmentPage.objects.get(code="SJ")
    st = DepartmentPage.objects.get(code="ST")

    assert department_of(editor) == sj
    assert sj.permissions_for_user(editor).can_edit()
    assert not st.permissions_for_user(editor).can_edit()
    assert User.objects.get(username="moderator_st").check_password("Chuangkou@2026")


def test_demo_creates_no_logins_where_demo_users_are_disabled(home_page, settings):
    settings.DEMO_USERS_ENABLED = False

    assert load_disclosure_demo(home_page, io.StringIO()) == {}
    assert not get_user_model().objects.filter(username="editor_sj").exists()
