"""Permission policies of the reception models (DESIGN §3): a clerk never sees
another department's roster, records, unavailability or appointment requests.

Each model gets a `disclosure.scope.DepartmentPermissionPolicy` naming how it
reaches its department; `register_policies` runs from `ReceptionConfig.ready()`,
before Wagtail looks any policy up, and the viewsets in `reception.views` apply
them to every view through `portal.scope.ScopedViewSetMixin`.
"""

from wagtail.permissions import register_permission_policy

from disclosure.scope import DepartmentPermissionPolicy


class AppointmentPolicy(DepartmentPermissionPolicy):
    """Appointment requests come from citizens only: nobody adds them in the admin."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(
            user, [action for action in actions if action != "add"]
        )


def register_policies():
    from reception.models import (
        AppointmentRequest,
        LeaderUnavailability,
        ReceptionRecord,
        RosterPeriod,
    )

    for model in (RosterPeriod, ReceptionRecord):
        register_permission_policy(model, DepartmentPermissionPolicy(model))
    register_permission_policy(
        LeaderUnavailability,
        DepartmentPermissionPolicy(
            LeaderUnavailability, department_field="person__department"
        ),
    )
    register_permission_policy(
        AppointmentRequest, AppointmentPolicy(AppointmentRequest)
    )
