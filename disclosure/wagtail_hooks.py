"""Admin registrations of the disclosure app."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from disclosure.views import PersonViewSet, StaffMembershipViewSet

register_snippet(PersonViewSet)


@hooks.register("register_admin_viewset")
def register_staff_membership_viewset():
    return StaffMembershipViewSet("staff_memberships")
