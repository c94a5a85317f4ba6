"""Password rules of staff accounts: at least ten characters of three kinds, not
the user name, not one of the last five; optional expiry."""

import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from portal.models import SecurityEvent
from tests.portal.accounts import PASSWORD, make_staff

pytestmark = pytest.mark.django_db


def refusals(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def test_short_or_simple_passwords_are_refused_in_chinese():
    assert "密码至少包含 10 个字符" in refusals("Ab1!xyz")
    assert "至少 3 类" in refusals("onlylowercaseletters")
    assert "至少 3 类" in refusals("lowerUPPERletters")
    assert refusals("lower-UPPER-letters") == ""


def test_the_password_may_not_contain_the_user_name():
    user = make_staff("wangjianhua")
    assert "不能包含用户名" in refusals("Wangjianhua#2026", user)


def test_none_of_the_last_five_passwords_comes_back():
    user = make_staff("clerk1")
    used = [PASSWORD] + [f"Window-desk-{year}" for year in range(2020, 2025)]
    for password in used[1:]:
        user.set_password(password)
        user.save()
    # The five newest (2020–2024) are remembered; the very first is forgotten.
    assert "最近 5 次" in refusals("Window-desk-2020", user)
    assert "最近 5 次" in refusals("Window-desk-2024", user)
    assert refusals(PASSWORD, user) == ""
    changes = SecurityEvent.objects.filter(kind="password_changed", user=user)
    assert changes.count() == len(used) - 1  # the first was set at creation


def test_the_current_password_counts_from_the_account_creation():
    user = make_staff("clerk1")
    assert "最近 5 次" in refusals(PASSWORD, user)


@override_settings(PASSWORD_MAX_AGE_DAYS=90)
def test_an_expired_password_must_be_changed_first(client, home_page):
    user = make_staff("clerk1")
    long_ago = timezone.now() - datetime.timedelta(days=91)
    user.date_joined = long_ago
    user.save()
    assert client.login(username="clerk1", password=PASSWORD)

    response = client.get("/admin/")
    assert response.url == reverse("wagtailadmin_account")
    assert client.get(reverse("wagtailadmin_account")).status_code == 200

    user.set_password("A-fresh-password-9")
    user.save()
    assert client.login(username="clerk1", password="A-fresh-password-9")
    assert client.get("/admin/").status_code == 200
