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
  of them;
- a model whose roles work on its objects without Django's `view` permission
  names those roles' permissions in `view_permissions`: each of them lets the
  user view (list and inspect) the objects in scope;
- the actions a model's objects never undergo in the admin (`refused_actions`,
  e.g. deleting a record that is kept for accountability) are refused to
  everyone, superusers included, so no view or button offers them.

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

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q

from disclosure.models.staff import membership_of
from portal.scope import ScopedPermissionPolicy

FILING_DEPARTMENT_WIDE_PERMISSIONS = (
    "inbox.change_filing",  # window clerk
    "inbox.instruct_filing",  # director
    "inbox.supervise_filing",  # inspection office
)
FILING_ROLE_PERMISSIONS = (
    *FILING_DEPARTMENT_WIDE_PERMISSIONS,
    "inbox.handle_filing",  # handler of a division
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
        view_permissions=(),
        refused_actions=(),
    ):
        super().__init__(model, auth_model=auth_model)
        self.refused_actions = frozenset(refused_actions)
        self.department_field = department_field
        self.division_fields = tuple(division_fields)
        self.department_wide_permissions = tuple(department_wide_permissions)
        self.view_permissions = tuple(view_permissions)

    def _may_view(self, user):
        return any(user.has_perm(perm) for perm in self.view_permissions)

    def user_has_permission(self, user, action):
        if action in self.refused_actions:
            return False
        if action == "view" and self._may_view(user):
            return True
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        allowed = [action for action in actions if action not in self.refused_actions]
        return bool(allowed) and super().user_has_any_permission(user, allowed)

    def users_with_any_permission(self, actions):
        condition = self._get_users_with_any_permission_codenames_filter(
            self._get_permission_codenames(actions)
        )
        if "view" in actions and self.view_permissions:
            viewing = Q()
            for perm in self.view_permissions:
                app_label, codename = perm.split(".", 1)
                viewing |= Q(content_type__app_label=app_label, codename=codename)
            permissions = Permission.objects.filter(viewing)
            condition |= Q(is_active=True) & (
                Q(user_permissions__in=permissions)
                | Q(groups__permissions__in=permissions)
            )
        return get_user_model().objects.filter(condition).distinct()

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
    a filing, name the relation: `filing_policy(UrgingNotice, through="filing")`.
    Every role of the inbox may view what is in its scope."""
    prefix = f"{through}__" if through else ""
    return DepartmentPermissionPolicy(
        model,
        department_field=f"{prefix}department",
        division_fields=(f"{prefix}lead_division", f"{prefix}co_divisions"),
        department_wide_permissions=FILING_DEPARTMENT_WIDE_PERMISSIONS,
        view_permissions=FILING_ROLE_PERMISSIONS,
    )
