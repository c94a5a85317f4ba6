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
        from disclosure.models import Person
        from disclosure.permissions import PersonPermissionPolicy

        register_permission_policy(Person, PersonPermissionPolicy(Person))
