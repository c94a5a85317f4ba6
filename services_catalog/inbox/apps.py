from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.quick_links import QuickLink


class InboxConfig(AppConfig):
    """The filing inbox (收发文窗口, DESIGN §5): filings and their timeline."""

    name = "services_catalog.inbox"
    label = "inbox"
    verbose_name = _("窗口办件")
    default_auto_field = "django.db.models.BigAutoField"
    # Demo builders `load_demo` runs, in INSTALLED_APPS order (`portal.demo`).
    demo_steps = (
        "services_catalog.inbox.demo.load_inbox_demo",
        "services_catalog.inbox.consultation_demo.load_consultation_demo",
    )
    quick_links = (
        QuickLink(_("办件查询"), "lookup", url_names=("inbox:lookup",), order=40),
        QuickLink(
            _("咨询问答"),
            "phone",
            url_names=("inbox:consultations",),
            order=45,
        ),
        QuickLink(
            _("投诉建议"),
            "complaint",
            url_names=("inbox:complaint", "complaint"),
            fallback="#site-contact",
            order=50,
        ),
    )

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from disclosure.scope import filing_policy
        from services_catalog.inbox import (  # noqa: F401 (notify, records: receivers)
            notify,
            permissions,
            print_views,
            records,
            register_admin,
            retention,
        )
        from services_catalog.inbox.models import Filing

        retention.register()
        # Registered before Wagtail looks any policy up (`portal.scope`).
        register_permission_policy(Filing, filing_policy(Filing))
        register_admin.register_policies()
        print_views.register_policies()
        permissions.register_policies()

        from services_catalog.inbox.views import apply_online
        from services_catalog.models import ServiceItemPage

        ServiceItemPage.register_route_views(apply=apply_online)
