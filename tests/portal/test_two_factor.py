"""Two-factor sign-in: staff whose role sees personal data bind an authenticator
app before using the admin, then give a code after their password at every sign-in;
recovery codes work once; an administrator resets a lost device."""

import re
import time

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import roles
from portal.models import SecurityEvent
from tests.portal.accounts import PASSWORD, make_staff, totp_code

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("home_page"),
]

required = override_settings(TWO_FACTOR_REQUIRED_ROLES=[roles.Role.CLERK])


def sign_in(client, user):
    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": user.username, "password": PASSWORD},
    )
    assert response.status_code == 302
    return response


def bind_authenticator(client):
    client.get(reverse("portal_two_factor_setup"))
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(
        reverse("portal_two_factor_setup"),
        {"token": totp_code(device), "next": "/admin/"},
    )
    return device, response


@required
def test_a_clerk_binds_an_authenticator_before_using_the_admin(client):
    clerk = make_staff("clerk1")
    sign_in(client, clerk)

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("portal_two_factor_setup"))

    page = client.get(response.url)
    assert "<svg" in page.content.decode()
    assert "otpauth" not in page.content.decode()  # the key is in the QR code only

    wrong = client.post(reverse("portal_two_factor_setup"), {"token": "000000"})
    assert "动态口令不正确" in wrong.content.decode()
    device = TOTPDevice.objects.get(user=clerk)
    right_away = client.post(
        reverse("portal_two_factor_setup"), {"token": totp_code(device)}
    )
    assert "尝试过于频繁，请 1 秒后再试" in right_away.content.decode()
    time.sleep(1.1)

    device, response = bind_authenticator(client)
    codes = re.findall(r"<code>([a-z0-9]+)</code>", response.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.OTP_ADDED, user=clerk
    ).exists()


@required
def test_after_the_password_the_admin_asks_for_a_code(client, django_user_model):
    clerk = make_staff("clerk1")
    sign_in(client, clerk)
    _device, response = bind_authenticator(client)
    recovery = re.findall(r"<code>([a-z0-9]+)</code>", response.content.decode())[0]
    client.logout()

    sign_in(client, clerk)
    response = client.get("/admin/reception/")
    assert response.url.startswith(reverse("portal_two_factor_verify"))
    assert "next=%2Fadmin%2Freception%2F" in response.url

    bad = client.post(reverse("portal_two_factor_verify"), {"token": "123456"})
    assert "动态口令不正确或已过期" in bad.content.decode()
    assert client.get("/admin/").status_code == 302
    time.sleep(1.1)

    good = client.post(
        reverse("portal_two_factor_verify"), {"token": recovery, "next": "/admin/"}
    )
    assert good.status_code == 302 and good.url == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert not StaticToken.objects.filter(token=recovery).exists()
    kinds = set(SecurityEvent.objects.filter(user=clerk).values_list("kind", flat=True))
    assert {"login", "otp_failed", "otp_verified", "logout"} <= kinds


def test_staff_whose_role_does_not_require_it_sign_in_with_the_password(client):
    editor = make_staff("editor1", role=roles.Role.EDITOR)
    sign_in(client, editor)
    assert client.get("/admin/").status_code == 200


@required
def test_a_verify_redirect_never_leaves_the_site(client):
    clerk = make_staff("clerk1")
    sign_in(client, clerk)
    bind_authenticator(client)
    client.logout()
    sign_in(client, clerk)
    device = TOTPDevice.objects.get(user=clerk)
    device.last_t = -1  # the code used to bind may be shown again
    device.save()
    response = client.post(
        reverse("portal_two_factor_verify"),
        {"token": totp_code(device), "next": "https://evil.example.com/"},
    )
    assert response.url == reverse("wagtailadmin_home")


@required
def test_an_administrator_resets_a_lost_device(client):
    clerk = make_staff("clerk1")
    sign_in(client, clerk)
    bind_authenticator(client)
    client.logout()
    admin = make_staff("admin1", role=None, is_superuser=True)
    sign_in(client, admin)

    listing = client.get(reverse("wagtailusers_users:index"))
    reset_url = reverse("portal_two_factor_reset", args=[clerk.pk])
    assert reset_url in listing.content.decode()
    response = client.post(reset_url)

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    assert not StaticToken.objects.filter(device__user=clerk).exists()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.OTP_RESET)
    assert (event.user, event.actor) == (clerk, admin)


@required
def test_only_an_administrator_may_reset(client):
    clerk = make_staff("clerk1")
    TOTPDevice.objects.create(user=clerk, name="phone")
    other = make_staff("editor1", role=roles.Role.EDITOR)
    sign_in(client, other)
    client.post(reverse("portal_two_factor_reset", args=[clerk.pk]))
    assert TOTPDevice.objects.filter(user=clerk).exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.OTP_RESET)
