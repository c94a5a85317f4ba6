"""The security audit log's writers (安全审计, 等保 2.0): sign-in success and failure,
sign-out, and changes of group membership and permissions, from Django's signals.
Two-factor, session and password events are written where they happen
(`portal.two_factor`, `portal.staff_sessions`, `portal.passwords`).

Group and permission changes arrive without a request; `SecurityAuditMiddleware`
keeps the current one in a context variable so that the entry names who made the
change and from which address.
"""

import contextvars

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.models import SecurityEvent, User

current_request = contextvars.ContextVar("current_request", default=None)


class SecurityAuditMiddleware:
    """Makes the request available to signal receivers that get none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    SecurityEvent.record(SecurityEvent.Kind.LOGIN, request, user=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    SecurityEvent.record(
        SecurityEvent.Kind.LOGIN_FAILED,
        request,
        user=User.objects.filter(username=username).first(),
        username=username,
    )


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None and not getattr(request, "session_expired", False):
        SecurityEvent.record(SecurityEvent.Kind.LOGOUT, request, user=user)


_CHANGES = {
    "post_add": gettext_lazy("增加"),
    "post_remove": gettext_lazy("移除"),
    "post_clear": gettext_lazy("清空"),
}


def _names(model, pk_set):
    if not pk_set:
        return ""
    if model is Permission:
        rows = model.objects.filter(pk__in=pk_set).select_related("content_type")
        return "、".join(f"{row.content_type.app_label}.{row.codename}" for row in rows)
    return "、".join(str(row) for row in model.objects.filter(pk__in=pk_set))


def _record_change(kind, action, user, model, pk_set, subject=""):
    SecurityEvent.record(
        kind,
        current_request.get(),
        user=user,
        username=user.get_username() if user else "",
        detail=f"{subject}{_CHANGES[action]}：{_names(model, pk_set)}",
    )


@receiver(m2m_changed, sender=User.groups.through)
def _groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in _CHANGES:
        return
    if reverse:  # group.user_set changed: one entry per user concerned
        for user in User.objects.filter(pk__in=pk_set or ()):
            _record_change(
                SecurityEvent.Kind.GROUPS_CHANGED, action, user, Group, {instance.pk}
            )
    else:
        _record_change(
            SecurityEvent.Kind.GROUPS_CHANGED, action, instance, model, pk_set
        )


@receiver(m2m_changed, sender=User.user_permissions.through)
def _user_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action in _CHANGES and not reverse:
        _record_change(
            SecurityEvent.Kind.PERMISSIONS_CHANGED,
            action,
            instance,
            Permission,
            pk_set,
        )


@receiver(m2m_changed, sender=Group.permissions.through)
def _group_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action in _CHANGES and not reverse:
        _record_change(
            SecurityEvent.Kind.PERMISSIONS_CHANGED,
            action,
            None,
            Permission,
            pk_set,
            subject=_("用户组“%(group)s”") % {"group": instance},
        )
