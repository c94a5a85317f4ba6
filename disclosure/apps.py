from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.quick_links import QuickLink


class DisclosureConfig(AppConfig):
    """Departments, divisions, posts, people and commitments published at the window."""

    name = "disclosure"
    verbose_name = _("政务公开")
    default_auto_field = "django.db.models.BigAutoField"
    # Demo builders `load_demo` runs, in INSTALLED_APPS order (`portal.demo`).
    demo_steps = (
        "disclosure.demo.load_disclosure_demo",
        "disclosure.demo.load_case_staff",
    )
    quick_links = (
        QuickLink(
            _("部门信息"), "department", ("disclosure.departmentpage",), order=20
        ),
    )

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from disclosure import signals  # noqa: F401
        from disclosure.models import Person, StaffMembership
        from disclosure.scope import DepartmentPermissionPolicy

        # Registered before Wagtail looks any policy up (`portal.scope`).
        for model in (Person, StaffMembership):
            register_permission_policy(model, DepartmentPermissionPolicy(model))
