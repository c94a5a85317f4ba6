"""Staff sessions (会话管理, 等保 2.0): they end after `STAFF_SESSION_IDLE_TIMEOUT`
seconds without a request and when the browser closes, and their owner sees where
else they are signed in and can end those sessions.

`StaffSessionMiddleware` enforces both limits on every request (Wagtail's "remember
me" is overridden) and keeps the `StaffSession` registry's last activity; the
registry rows are created and removed on sign-in and sign-out.
"""

import datetime
import time
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.models import SecurityEvent, StaffSession
from portal.ratelimits import client_address

LAST_ACTIVITY_KEY = "portal_last_activity"
REGISTRY_UPDATE_INTERVAL = 60
"""Seconds between two writes of a session's last activity (to the session and to
the registry)."""


def _address(request):
    return client_address(request) or None


@receiver(user_logged_in)
def _register(sender, request, user, **kwargs):
    if request is None or not request.session.session_key:
        return
    request.session[LAST_ACTIVITY_KEY] = int(time.time())
    StaffSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "address": _address(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:255],
        },
    )


@receiver(user_logged_out)
def _unregister(sender, request, user, **kwargs):
    if request is not None and request.session.session_key:
        StaffSession.objects.filter(session_key=request.session.session_key).delete()


class StaffSessionMiddleware:
    """Signs out a user idle for longer than the limit, and makes every signed-in
    session end with the browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._check_idle(request)
        response = self.get_response(request)
        if request.user.is_authenticated and (
            not request.session.get_expire_at_browser_close()
        ):
            request.session.set_expiry(0)
        return response

    def _check_idle(self, request):
        now = int(time.time())
        last = request.session.get(LAST_ACTIVITY_KEY, now)
        if now - last > settings.STAFF_SESSION_IDLE_TIMEOUT:
            user = request.user
            request.session_expired = True
            logout(request)
            SecurityEvent.record(SecurityEvent.Kind.SESSION_EXPIRED, request, user=user)
            messages.info(
                request,
                _("您已 %(minutes)s 分钟未操作，为保护数据已自动退出，请重新登录。")
                % {"minutes": settings.STAFF_SESSION_IDLE_TIMEOUT // 60},
            )
            return
        if LAST_ACTIVITY_KEY not in request.session:
            request.session[LAST_ACTIVITY_KEY] = now
        elif now - last >= REGISTRY_UPDATE_INTERVAL:
            # Recorded once a minute, not on every request: a request within the
            # minute would otherwise rewrite the session row each time. The idle
            # limit counts from the recorded activity, so a session ends at most a
            # minute early, never late.
            request.session[LAST_ACTIVITY_KEY] = now
            StaffSession.objects.filter(session_key=request.session.session_key).update(
                last_seen_at=timezone.now()
            )


def _end(session):
    store = import_module(settings.SESSION_ENGINE).SessionStore
    store(session_key=session.session_key).delete()
    session.delete()


def session_list(request):
    """The signed-in user's sessions, this one marked, the others endable."""
    cutoff = timezone.now() - datetime.timedelta(
        seconds=settings.STAFF_SESSION_IDLE_TIMEOUT
    )
    sessions = request.user.staff_sessions.all()
    for stale in sessions.filter(last_seen_at__lt=cutoff):
        _end(stale)
    return TemplateResponse(
        request,
        "portal/staff_sessions.html",
        {
            "sessions": request.user.staff_sessions.all(),
            "current_key": request.session.session_key,
        },
    )


@require_POST
def end_session(request, pk):
    session = get_object_or_404(request.user.staff_sessions, pk=pk)
    if session.session_key == request.session.session_key:
        messages.error(request, _("不能在这里结束当前会话，请使用“退出登录”。"))
    else:
        _end(session)
        SecurityEvent.record(
            SecurityEvent.Kind.SESSION_ENDED,
            request,
            detail=f"{session.address or ''} {session.user_agent}"[:500],
        )
        messages.success(request, _("已结束该会话。"))
    return redirect("portal_staff_sessions")


urlpatterns = [
    path("sessions/", session_list, name="portal_staff_sessions"),
    path("sessions/<int:pk>/end/", end_session, name="portal_staff_session_end"),
]
