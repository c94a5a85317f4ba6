"""Password rules for staff accounts (口令复杂度, 等保 2.0), as Django password
validators listed in `AUTH_PASSWORD_VALIDATORS`: at least ten characters, three of
four character classes,
not containing the user name, not one of the last five passwords. The history also
dates the current password, so that `PasswordExpiryMiddleware` can ask for a new one
after `PASSWORD_MAX_AGE_DAYS` (None: passwords do not expire)."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import PasswordHistory, SecurityEvent
from portal.security import current_request

CHARACTER_CLASSES = (str.islower, str.isupper, str.isdigit)


def _classes(password):
    found = {test for test in CHARACTER_CLASSES if any(map(test, password))}
    symbols = any(not character.isalnum() for character in password)
    return len(found) + symbols


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with its message in the source language."""

    def get_error_message(self):
        return self.get_help_text()

    def get_help_text(self):
        return _("密码至少包含 %(count)s 个字符。") % {"count": self.min_length}


class CharacterClassesValidator:
    """At least `min_classes` of: lower-case letters, capitals, digits, symbols."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if _classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_classes")

    def get_help_text(self):
        return _("密码须包含小写字母、大写字母、数字和符号中的至少 %(count)s 类。") % {
            "count": self.min_classes
        }


class UsernameValidator:
    """The password may not contain the user name, in any case."""

    def validate(self, password, user=None):
        username = user.get_username() if user is not None else ""
        if username and username.lower() in password.lower():
            raise ValidationError(self.get_help_text(), code="password_username")

    def get_help_text(self):
        return _("密码不能包含用户名。")


class PasswordHistoryValidator:
    """Not one of the user's last `count` passwords (the current one included);
    records each new password's hash when it is set."""

    def __init__(self, count=5):
        self.count = count

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        # The current password counts even when it was set at creation, which
        # writes no history.
        history = user.password_history.values_list("password", flat=True)
        recent = list(dict.fromkeys([user.password, *history[: self.count]]))
        for old in recent[: self.count]:
            if old and check_password(password, old):
                raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        keep = user.password_history.values_list("pk", flat=True)[: self.count]
        user.password_history.exclude(pk__in=list(keep)).delete()
        SecurityEvent.record(
            SecurityEvent.Kind.PASSWORD_CHANGED, current_request.get(), user=user
        )

    def get_help_text(self):
        return _("不能使用最近 %(count)s 次用过的密码。") % {"count": self.count}


def password_expired(user):
    max_age = getattr(settings, "PASSWORD_MAX_AGE_DAYS", None)
    if not max_age:
        return False
    latest = user.password_history.first()
    changed = latest.changed_at if latest else user.date_joined
    return timezone.now() - changed > datetime.timedelta(days=max_age)


class PasswordExpiryMiddleware:
    """Sends a staff member whose password is older than the limit to the account
    page to change it before anything else in the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path.startswith("/admin/")
            and request.user.is_authenticated
            and request.path not in self._open_paths()
            and password_expired(request.user)
        ):
            messages.warning(
                request,
                _("您的密码已超过 %(days)s 天未修改，请先修改密码。")
                % {"days": settings.PASSWORD_MAX_AGE_DAYS},
            )
            return redirect("wagtailadmin_account")
        return self.get_response(request)

    @staticmethod
    def _open_paths():
        return {
            reverse("wagtailadmin_account"),
            reverse("wagtailadmin_logout"),
            reverse("wagtailadmin_login"),
        }
