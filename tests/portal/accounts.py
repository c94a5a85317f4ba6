"""Helpers of the staff-account tests: users in a role, TOTP codes."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.oath import TOTP

from portal import roles

PASSWORD = "Window-desk-2026"


def make_staff(username, role=roles.Role.CLERK, **fields):
    user = get_user_model().objects.create_user(
        username, password=PASSWORD, is_staff=True, **fields
    )
    if role is not None:
        user.groups.add(Group.objects.get(name=roles.group_name(role)))
    return user


def totp_code(device):
    """The code an authenticator app shows for `device` right now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
