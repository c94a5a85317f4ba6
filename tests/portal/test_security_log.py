"""The security audit log records sign-ins, failures and group or permission
changes with address and time; administrators list, filter and export it; nobody
edits it."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from portal import roles
from portal.models import PersonalDataAccess, SecurityEvent
from tests.portal.accounts import PASSWORD, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("home_page")]


def test_sign_in_success_and_failure_are_logged_with_the_address(client):
    make_staff("clerk1")
    client.post(
        reverse("wagtailadmin_login"),
        {"username": "clerk1", "password": "wrong"},
        REMOTE_ADDR="10.1.2.3",
    )
    client.post(
        reverse("wagtailadmin_login"),
        {"username": "clerk1", "password": PASSWORD},
        REMOTE_ADDR="10.1.2.3",
    )
    events = list(SecurityEvent.objects.order_by("pk").values_list("kind", "address"))
    assert ("login_failed", "10.1.2.3") in events
    assert events[-1] == ("login", "10.1.2.3")


def test_behind_proxies_the_log_records_the_clients_address(client, settings):
    settings.PROXY_COUNT = 1
    make_staff("clerk1")
    client.post(
        reverse("wagtailadmin_login"),
        {"username": "clerk1", "password": "wrong"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    failed = SecurityEvent.objects.get(kind="login_failed")
    assert failed.address == "203.0.113.9"


def test_group_and_permission_changes_are_logged(client):
    admin = make_staff("admin1", role=None, is_superuser=True)
    user = make_staff("editor1", role=roles.Role.EDITOR)
    client.force_login(admin)
    supervisors = Group.objects.get(name=roles.group_name(roles.Role.SUPERVISOR))

    user.groups.add(supervisors)
    supervisors.permissions.add(Permission.objects.get(codename="view_securityevent"))

    change = SecurityEvent.objects.filter(kind="groups_changed", user=user).first()
    assert "增加" in change.detail and "监察室" in change.detail
    permission = SecurityEvent.objects.get(kind="permissions_changed")
    assert "portal.view_securityevent" in permission.detail
    assert "监察室" in permission.detail


def test_administrators_list_filter_and_export_the_log(client):
    admin = make_staff("admin1", role=None, is_superuser=True)
    make_staff("clerk1")
    client.post(reverse("wagtailadmin_login"), {"username": "clerk1", "password": "x"})
    client.force_login(admin)

    url = reverse("securityevent:index")
    page = client.get(url, {"kind": "login_failed"}).content.decode()
    assert "登录失败" in page and "clerk1" in page
    export = client.get(url, {"kind": "login_failed", "export": "csv"})
    content = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "登录失败" in content and "clerk1" in content
    assert client.get(reverse("securityevent:add")).status_code == 302


def test_clerks_do_not_see_the_logs_and_supervisors_see_the_access_log(client):
    client.force_login(make_staff("clerk1"))
    assert client.get(reverse("securityevent:index")).status_code == 302
    assert client.get(reverse("personaldataaccess:index")).status_code == 302

    client.force_login(make_staff("supervisor1", role=roles.Role.SUPERVISOR))
    assert client.get(reverse("securityevent:index")).status_code == 302
    assert client.get(reverse("personaldataaccess:index")).status_code == 200
    assert PersonalDataAccess.objects.count() == 0
