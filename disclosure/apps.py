from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    """Departments, divisions, posts, people and commitments published at the window."""

    name = "disclosure"
    verbose_name = _("政务公开")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from disclosure import signals  # noqa: F401
        from disclosure.models import Person, StaffMembership
        from disclosure.scope import DepartmentPermissionPolicy

        # Registered before Wagtail looks any policy up (`portal.scope`).
        for model in (Person, StaffMembership):
            register_permission_policy(model, DepartmentPermissionPolicy(model))
