"""Department and division scope of staff (DESIGN §3), for `portal.scope`.

Every staff user belongs to one department and, for handlers, one division
(`StaffMembership`). `DepartmentPermissionPolicy` is the one rule every admin
viewset of a department-owned model uses:

- a superuser reaches every object;
- staff reach the objects of their own department, and nothing without a
  membership;
- when the model also names the divisions responsible for an object
  (`division_fields`), a user who holds none of the `department_wide_permissions`
  (a division handler) reaches only the objects where their own division is one
  of them.

The model's paths are given like `OwnershipPermissionPolicy`'s `owner_field_name`.
Register the policy in the app's `AppConfig.ready()` and mix
`portal.scope.ScopedViewSetMixin` into the viewset::

    register_permission_policy(
        LeaderUnavailability,
        DepartmentPermissionPolicy(
            LeaderUnavailability, department_field="person__department"
        ),
    )

The filing inbox's rule — clerk, director and supervisor see their whole
department, a handler the filings whose lead division or one of whose co-divisions
is their own, a superuser everything — is `filing_policy(Filing)` below; records
reached through a filing use `filing_policy(Model, through="filing")`.

This lives in `disclosure` because `StaffMembership` and the departments are
disclosure's; `portal.scope` stays free of any domain model.
"""

from django.db.models import Q

from disclosure.models.staff import membership_of
from portal.scope import ScopedPermissionPolicy

FILING_DEPARTMENT_WIDE_PERMISSIONS = (
    "inbox.change_filing",  # window clerk
    "inbox.instruct_filing",  # director
    "inbox.supervise_filing",  # inspection office
)


class DepartmentPermissionPolicy(ScopedPermissionPolicy):
    """Model permissions limited to the user's department (and, for handlers of a
    model with `division_fields`, to their division)."""

    def __init__(
        self,
        model,
        auth_model=None,
        department_field="department",
        division_fields=(),
        department_wide_permissions=(),
    ):
        super().__init__(model, auth_model=auth_model)
        self.department_field = department_field
        self.division_fields = tuple(division_fields)
        self.department_wide_permissions = tuple(department_wide_permissions)

    def scope_filter(self, user):
        if user.is_active and user.is_superuser:
            return None
        membership = membership_of(user)
        if membership is None:
            return Q(pk__in=[])
        condition = Q(**{self.department_field: membership.department_id})
        if not self.division_fields or self._sees_whole_department(user):
            return condition
        if membership.division_id is None:
            return Q(pk__in=[])
        divisions = Q()
        for field in self.division_fields:
            divisions |= Q(**{field: membership.division_id})
        return condition & divisions

    def _sees_whole_department(self, user):
        return any(user.has_perm(perm) for perm in self.department_wide_permissions)


def filing_policy(model, through=""):
    """The scope of filings: `filing_policy(Filing)`. For a record that belongs to
    a filing, name the relation: `filing_policy(UrgingNotice, through="filing")`."""
    prefix = f"{through}__" if through else ""
    return DepartmentPermissionPolicy(
        model,
        department_field=f"{prefix}department",
        division_fields=(f"{prefix}lead_division", f"{prefix}co_divisions"),
        department_wide_permissions=FILING_DEPARTMENT_WIDE_PERMISSIONS,
    )
