"""Staff sessions end after the idle limit and with the browser; a staff member
sees their sessions and ends the others."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse

from portal.models import SecurityEvent, StaffSession
from portal.staff_sessions import LAST_ACTIVITY_KEY
from tests.portal.accounts import PASSWORD, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("home_page")]


def sign_in(client, user, remember=False):
    data = {"username": user.username, "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    response = client.post(reverse("wagtailadmin_login"), data)
    assert response.status_code == 302


@override_settings(STAFF_SESSION_IDLE_TIMEOUT=1800)
def test_an_idle_session_is_signed_out(client):
    user = make_staff("clerk1")
    sign_in(client, user)
    assert client.get("/admin/").status_code == 200

    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - 1801
    session.save()

    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("wagtailadmin_login"))
    assert "30 分钟未操作" in response.content.decode()
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.SESSION_EXPIRED, user=user
    ).exists()
    assert not StaffSession.objects.filter(user=user).exists()


@override_settings(STAFF_SESSION_IDLE_TIMEOUT=1800)
def test_activity_is_recorded_once_a_minute_and_keeps_an_active_session(client):
    sign_in(client, make_staff("clerk1"))
    client.get("/admin/")
    recorded = client.session[LAST_ACTIVITY_KEY]
    client.get("/admin/")
    assert client.session[LAST_ACTIVITY_KEY] == recorded, "rewritten within a minute"

    session = client.session
    session[LAST_ACTIVITY_KEY] = recorded - 1700
    session.save()
    assert client.get("/admin/").status_code == 200
    assert client.session[LAST_ACTIVITY_KEY] >= recorded


def test_sessions_end_with_the_browser_even_when_remembered(client):
    sign_in(client, make_staff("clerk1"), remember=True)
    client.get("/admin/")
    assert client.session.get_expire_at_browser_close()


def test_a_staff_member_ends_their_other_session(client):
    user = make_staff("clerk1")
    other_browser = Client(HTTP_USER_AGENT="Other browser")
    sign_in(other_browser, user)
    sign_in(client, user)

    page = client.get(reverse("portal_staff_sessions")).content.decode()
    assert "Other browser" in page and "当前会话" in page
    other = StaffSession.objects.get(user_agent="Other browser")
    client.post(reverse("portal_staff_session_end", args=[other.pk]))

    assert not Session.objects.filter(session_key=other.session_key).exists()
    assert other_browser.get("/admin/").status_code == 302
    assert client.get("/admin/").status_code == 200
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SESSION_ENDED).exists()


def test_nobody_ends_someone_elses_session(client):
    owner = make_staff("clerk1")
    sign_in(Client(), owner)
    sign_in(client, make_staff("clerk2"))
    session = StaffSession.objects.get(user=owner)
    response = client.post(reverse("portal_staff_session_end", args=[session.pk]))
    assert response.status_code == 404
    assert Session.objects.filter(session_key=session.session_key).exists()
