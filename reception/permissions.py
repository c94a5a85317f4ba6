"""Department scope of the reception admin (DESIGN §3): a clerk never sees another
department's roster, records, unavailability or appointment requests.

`DepartmentScopedPolicy` limits Wagtail's model permissions to objects of the user's
department (`disclosure.models.staff.department_of`); superusers see everything and
staff without a department see nothing. The viewsets in `reception.views` use
`scope_queryset` for their listings and `scoped_view` on every URL that names an
object, so an object of another department answers 404.
"""

import functools

from django.contrib.admin.utils import unquote
from django.http import Http404
from wagtail.permission_policies import ModelPermissionPolicy

from disclosure.models.staff import department_of

# How each reception model reaches its department.
DEPARTMENT_PATHS = {
    "rosterperiod": "department",
    "rosterentry": "period__department",
    "leaderunavailability": "person__department",
    "receptionrecord": "department",
    "receptionrecordattachment": "record__department",
    "appointmentrequest": "department",
}


def department_path(model):
    return DEPARTMENT_PATHS[model._meta.model_name]


def scope_queryset(queryset, user):
    """`queryset` limited to the user's department."""
    if user.is_superuser:
        return queryset
    department = department_of(user)
    if department is None:
        return queryset.none()
    return queryset.filter(**{department_path(queryset.model): department})


def in_scope(user, instance):
    if user.is_superuser:
        return True
    return scope_queryset(
        type(instance)._default_manager.filter(pk=instance.pk), user
    ).exists()


class DepartmentScopedPolicy(ModelPermissionPolicy):
    """Model permissions, limited to the objects of the user's own department."""

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and (
            instance.pk is None or in_scope(user, instance)
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and (
            instance.pk is None or in_scope(user, instance)
        )

    def instances_user_has_any_permission_for(self, user, actions):
        return scope_queryset(
            super().instances_user_has_any_permission_for(user, actions), user
        )


def scoped_view(view, model):
    """Wrap an admin view whose URL names an object (`pk`) so that an object outside
    the user's department is not found."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None:
            objects = model._default_manager.filter(pk=unquote(str(pk)))
            if not scope_queryset(objects, request.user).exists():
                raise Http404
        return view(request, *args, **kwargs)

    return wrapped


class AppointmentPolicy(DepartmentScopedPolicy):
    """Appointment requests come from citizens only: nobody adds them in the admin."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(
            user, [action for action in actions if action != "add"]
        )
