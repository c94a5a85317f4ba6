"""Object scope for admin viewsets: which objects of a model a user may reach at all.

Wagtail's `ModelPermissionPolicy` answers "may this user change people?"; it does
not answer "may this user change *this* person?". `ScopedPermissionPolicy` adds
that second question, the way Wagtail's `OwnershipPermissionPolicy` adds ownership:
a subclass says which objects are in a user's scope (`scope_filter`), and every
instance check and every "instances the user may …" queryset is limited to them.
The policy knows nothing about departments; `disclosure.scope` supplies the
department/division rule.

`ScopedViewSetMixin` applies the registered policy to every view a viewset
generates, so no view can be forgotten: listings, exports and choosers show only
objects in scope, and every object lookup (edit, inspect, delete, copy, history,
usage, revisions view/compare/revert/unschedule, unpublish, lock/unlock, workflow
views, preview, chosen) answers 404 for an object out of scope. Bulk actions and
menu items go through the policy itself (Wagtail looks it up in the registry);
`ScopedBulkActionMixin` keeps their confirmation page from naming objects out of
scope (registered for Wagtail's bulk actions in `portal.wagtail_hooks`).

How a viewset uses it::

    # apps.py, AppConfig.ready() — before Wagtail looks a policy up
    register_permission_policy(Thing, SomeScopedPolicy(Thing, ...))

    # views.py
    class ThingViewSet(ScopedViewSetMixin, ModelViewSet):  # or SnippetViewSet
        model = Thing

The mixin refuses to register a viewset whose model has no scoped policy, so a
forgotten registration fails at start-up rather than leaking.
"""

from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry


class ScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, limited to the objects in the user's scope.

    Subclasses implement `scope_filter(user)`: a `Q` selecting the objects the user
    may reach, or None when the user's scope is unrestricted (superusers)."""

    def scope_filter(self, user):
        raise NotImplementedError

    def scope_queryset(self, user, queryset):
        """`queryset` limited to the user's scope."""
        condition = self.scope_filter(user)
        if condition is None:
            return queryset
        # A subquery, so that conditions across many-to-many relations cannot
        # repeat rows of the outer queryset.
        in_scope = self.model._default_manager.filter(condition).values("pk")
        return queryset.filter(pk__in=in_scope)

    def user_can_reach(self, user, instance):
        """Whether `instance` (or, for a revision, the stored object it belongs to)
        is in the user's scope; a new, unsaved object always is."""
        if instance.pk is None:
            return True
        condition = self.scope_filter(user)
        if condition is None:
            return True
        return self.model._default_manager.filter(condition, pk=instance.pk).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self.user_can_reach(
            user, instance
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and self.user_can_reach(
            user, instance
        )

    def instances_user_has_any_permission_for(self, user, actions):
        return self.scope_queryset(
            user, super().instances_user_has_any_permission_for(user, actions)
        )


class ScopedViewMixin:
    """Limits one generated view to the objects in the user's scope (see
    `ScopedViewSetMixin`, which mixes it into every view of a viewset)."""

    scope_policy = None

    def _scoped(self, queryset):
        # History and usage views list log entries and references of the object
        # (already checked by `get_object`), not objects of the model.
        if not issubclass(queryset.model, self.scope_policy.model):
            return queryset
        return self.scope_policy.scope_queryset(self.request.user, queryset)

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if obj is not None and not self.scope_policy.user_can_reach(
            self.request.user, obj
        ):
            raise Http404
        return obj

    # Listings and exports (generic IndexView).
    def get_base_queryset(self):
        return self._scoped(super().get_base_queryset())

    # Choosers: the browse/results listing and the chosen-multiple lookup.
    def get_object_list(self, *args, **kwargs):
        return self._scoped(super().get_object_list(*args, **kwargs))

    def get_objects(self, *args, **kwargs):
        return self._scoped(super().get_objects(*args, **kwargs))


@cache
def scoped_view_class(view_class):
    """`view_class` with `ScopedViewMixin` in front (one class per view class)."""
    return type(view_class.__name__, (ScopedViewMixin, view_class), {})


class ScopedViewSetMixin:
    """Mix into a `ModelViewSet`, `SnippetViewSet` or `ChooserViewSet` whose model
    has a `ScopedPermissionPolicy` registered: every view the viewset constructs,
    and the snippet chooser's views, are limited to the user's scope."""

    @property
    def scope_policy(self):
        policy = policy_registry.get_by_type(self.model, fallback=False)
        if not isinstance(policy, ScopedPermissionPolicy):
            raise ImproperlyConfigured(
                f"{type(self).__name__}: register a ScopedPermissionPolicy for "
                f"{self.model._meta.label} before its viewset."
            )
        return policy

    def on_register(self):
        self.scope_policy  # noqa: B018 (fail at start-up, not on the first request)
        super().on_register()

    def construct_view(self, view_class, **kwargs):
        return super().construct_view(
            scoped_view_class(view_class), scope_policy=self.scope_policy, **kwargs
        )

    @property
    def chooser_viewset_class(self):
        base = super().chooser_viewset_class
        return scoped_viewset_class(base)


@cache
def scoped_viewset_class(viewset_class):
    return type(viewset_class.__name__, (ScopedViewSetMixin, viewset_class), {})


def user_can_reach(user, obj):
    """Whether `obj` is in the user's scope: by its model's scoped policy, or for
    pages, Wagtail's explorable pages; objects of other models always are."""
    policy = policy_registry.get(obj)
    if isinstance(policy, ScopedPermissionPolicy):
        return policy.user_can_reach(user, obj)
    if isinstance(obj, Page):
        pages = policy_registry.get_by_type(Page).explorable_instances(user)
        return pages.filter(pk=obj.pk).exists()
    return True


class ScopedBulkActionMixin:
    """Wagtail's bulk-action confirmation lists the chosen objects the user may not
    act on by name; objects out of the user's scope are left out of that list."""

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        extra["items_with_no_access"] = [
            obj
            for obj in extra.get("items_with_no_access", [])
            if user_can_reach(self.request.user, obj)
        ]
        return objects, extra


def scoped_bulk_action(action_class):
    """`action_class` with `ScopedBulkActionMixin`; register it with a later hook
    order than Wagtail's so that it replaces the original."""
    return type(action_class.__name__, (ScopedBulkActionMixin, action_class), {})
