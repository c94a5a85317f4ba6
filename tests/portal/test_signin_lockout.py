"""Failed staff sign-ins are limited per account and per address (django-axes), with
a Chinese 429 page, and an administrator lifts the lock-out with a command."""

import io

import pytest
from django.core.management import call_command

from tests.factories import UserFactory

PASSWORD = "Test-Passw0rd!"


@pytest.fixture
def axes(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    return settings


def sign_in(client, username, password, address="192.0.2.1"):
    return client.post(
        "/admin/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


@pytest.mark.django_db
def test_an_account_is_locked_after_failed_passwords_until_the_admin_lifts_it(
    client, axes
):
    user = UserFactory(username="clerk")
    statuses = [
        sign_in(client, "clerk", "wrong", f"192.0.2.{n}").status_code for n in range(3)
    ]
    assert statuses == [200, 200, 429]  # the third failure locks the account
    locked = sign_in(client, "clerk", PASSWORD, "198.51.100.7")
    assert locked.status_code == 429
    assert "登录已暂时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session

    call_command("axes_reset_username", user.username, stdout=io.StringIO())
    assert sign_in(client, "clerk", PASSWORD, "198.51.100.7").status_code == 302


@pytest.mark.django_db
def test_an_address_is_locked_after_failures_on_several_accounts(client, axes):
    UserFactory(username="director")
    for name in ("a1", "a2", "a3"):
        sign_in(client, name, "wrong", "203.0.113.9")
    assert sign_in(client, "director", PASSWORD, "203.0.113.9").status_code == 429
    assert sign_in(client, "director", PASSWORD, "203.0.113.10").status_code == 302


@pytest.mark.django_db
def test_behind_a_proxy_one_clients_failures_lock_only_that_client(client, axes):
    axes.PROXY_COUNT = 1
    UserFactory(username="director")

    def through_proxy(username, password, address):
        return client.post(
            "/admin/login/",
            {"username": username, "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=address,
        )

    for name in ("a1", "a2", "a3"):
        through_proxy(name, "wrong", "203.0.113.9")
    assert through_proxy("director", PASSWORD, "203.0.113.9").status_code == 429
    assert through_proxy("director", PASSWORD, "203.0.113.10").status_code == 302
