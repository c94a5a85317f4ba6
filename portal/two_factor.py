"""Two-factor sign-in for staff (双因素认证, 等保 2.0): TOTP through django-otp, with
single-use recovery codes.

After the password (Wagtail's own login view, unchanged), `TwoFactorMiddleware` sends
a signed-in user who has a device, or whose role requires one
(`TWO_FACTOR_REQUIRED_ROLES`, `TWO_FACTOR_REQUIRED_FOR_SUPERUSERS`), to the second
step before any other admin page: `verify` for a code, or `setup` to bind an
authenticator app by QR code first. `setup` also lives in the account area, where the
user sees their recovery codes once and can generate new ones; an administrator
resets a lost device from the user list (`reset`). Every step is written to the
security audit log.
"""

import functools
import math

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import devices_for_user, user_has_device, verify_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import roles
from portal.middleware import ADMIN_PREFIXES
from portal.models import SecurityEvent, User

RECOVERY_CODE_COUNT = 10


def two_factor_required(user):
    """Whether `user` may not use the admin without a second factor."""
    if user.is_superuser:
        return settings.TWO_FACTOR_REQUIRED_FOR_SUPERUSERS
    names = [roles.group_name(role) for role in settings.TWO_FACTOR_REQUIRED_ROLES]
    return bool(names) and user.groups.filter(name__in=names).exists()


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("动态口令或恢复码"),
        max_length=16,
        help_text=gettext_lazy("输入验证器应用显示的 6 位数字，或一个未用过的恢复码。"),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )

    def clean_token(self):
        return "".join(self.cleaned_data["token"].split())


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def step_url(step, next_url):
    """The URL of the two-factor `step` ("verify" or "setup") returning to
    `next_url`."""
    return f"{reverse(f'portal_two_factor_{step}')}?{urlencode({'next': next_url})}"


def _locked_seconds(devices):
    """How long until every device accepts a try again: django-otp locks a device
    for 1, 2, 4 … seconds after each wrong code in a row."""
    waits = [
        (data["locked_until"] - timezone.now()).total_seconds()
        for allowed, data in (device.verify_is_allowed() for device in devices)
        if not allowed and data and "locked_until" in data
    ]
    return math.ceil(max(waits)) if waits else 0


def _refusal(locked_seconds):
    if locked_seconds:
        return _("尝试过于频繁，请 %(seconds)s 秒后再试。") % {
            "seconds": locked_seconds
        }
    return _("动态口令不正确或已过期，请重新输入。")


def _verify(request, token):
    """The device of the signed-in user that accepts `token`, or None. TOTP
    devices throttle repeated failures themselves."""
    for device in devices_for_user(request.user):
        if verify_token(request.user, device.persistent_id, token):
            return device
    return None


def verify(request):
    """The second step of signing in: a code from the authenticator app or a
    recovery code."""
    if not user_has_device(request.user):
        return redirect(step_url("setup", _safe_next(request)))
    form = TokenForm(request.POST or None)
    if form.is_valid():
        locked = _locked_seconds(devices_for_user(request.user))
        device = _verify(request, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            detail = _("使用恢复码") if isinstance(device, StaticDevice) else ""
            SecurityEvent.record(
                SecurityEvent.Kind.OTP_VERIFIED, request, detail=detail
            )
            return redirect(_safe_next(request))
        SecurityEvent.record(SecurityEvent.Kind.OTP_FAILED, request)
        form.add_error("token", _refusal(locked))
    return TemplateResponse(
        request,
        "portal/two_factor/verify.html",
        {"form": form, "next": _safe_next(request)},
    )


def _new_recovery_codes(user):
    """Replace the user's recovery codes with fresh ones and return them; they are
    shown once and stored only as django-otp keeps them."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=code) for code in codes
    )
    return codes


def _qr_svg(url):
    return segno.make(url, error="m").svg_inline(scale=4, title=_("两步验证二维码"))


def setup(request):
    """Bind an authenticator app (QR code and the key for typing in), or, once
    bound, show the status and let the user renew the recovery codes."""
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return TemplateResponse(
            request,
            "portal/two_factor/status.html",
            {
                "recovery_left": StaticToken.objects.filter(
                    device__user=user, device__confirmed=True
                ).count(),
                "verified": user.is_verified(),
            },
        )
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=_("验证器应用"), confirmed=False
        )
    form = TokenForm(request.POST or None)
    if form.is_valid():
        locked = _locked_seconds([device])
        if device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _new_recovery_codes(user)
                SecurityEvent.record(SecurityEvent.Kind.OTP_ADDED, request)
            otp_login(request, device)
            return TemplateResponse(
                request,
                "portal/two_factor/recovery_codes.html",
                {"codes": codes, "next": _safe_next(request)},
            )
        form.add_error("token", _refusal(locked))
    secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
    return TemplateResponse(
        request,
        "portal/two_factor/setup.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "secret": secret,
            "next": _safe_next(request),
        },
    )


@require_POST
def renew_recovery_codes(request):
    if not request.user.is_verified():
        raise PermissionDenied
    codes = _new_recovery_codes(request.user)
    SecurityEvent.record(SecurityEvent.Kind.RECOVERY_CODES, request)
    return TemplateResponse(
        request,
        "portal/two_factor/recovery_codes.html",
        {"codes": codes, "next": reverse("portal_two_factor_setup")},
    )


def reset(request, user_id):
    """An administrator removes a user's authenticator and recovery codes (lost
    phone); the user binds a new one at their next sign-in."""
    if not request.user.is_superuser:
        raise PermissionDenied
    target = get_object_or_404(User, pk=user_id)
    if request.method == "POST":
        with transaction.atomic():
            TOTPDevice.objects.filter(user=target).delete()
            StaticDevice.objects.filter(user=target).delete()
            SecurityEvent.record(SecurityEvent.Kind.OTP_RESET, request, user=target)
        messages.success(
            request,
            _("已重置 %(user)s 的两步验证，该用户下次登录时需重新绑定。")
            % {"user": target.get_username()},
        )
        return redirect("wagtailusers_users:index")
    return TemplateResponse(
        request,
        "portal/two_factor/reset.html",
        {"target": target, "has_device": user_has_device(target)},
    )


urlpatterns = [
    path("two-factor/", verify, name="portal_two_factor_verify"),
    path("two-factor/setup/", setup, name="portal_two_factor_setup"),
    path(
        "two-factor/recovery-codes/",
        renew_recovery_codes,
        name="portal_two_factor_recovery_codes",
    ),
    path("two-factor/reset/<int:user_id>/", reset, name="portal_two_factor_reset"),
]


class TwoFactorMiddleware:
    """Keeps a user who still owes the second factor on the two-factor pages.
    Installed after django-otp's `OTPMiddleware`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            request.path.startswith(ADMIN_PREFIXES)
            and user.is_authenticated
            and not user.is_verified()
            and request.path not in self._open_paths()
            and (user_has_device(user) or two_factor_required(user))
        ):
            step = "verify" if user_has_device(user) else "setup"
            return redirect(step_url(step, request.get_full_path()))
        return self.get_response(request)

    @staticmethod
    @functools.cache
    def _open_paths():
        return {
            reverse("portal_two_factor_verify"),
            reverse("portal_two_factor_setup"),
            reverse("wagtailadmin_logout"),
            reverse("wagtailadmin_login"),
            # The icon sprite every admin page fetches, the verify page included:
            # redirected, it would become the page a verified user returns to.
            reverse("wagtailadmin_sprite"),
        }
