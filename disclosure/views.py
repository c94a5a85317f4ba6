"""Admin viewsets of the disclosure app, registered in `wagtail_hooks`; each is
limited to the user's department (`portal.scope`, `disclosure.scope`)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column, UpdatedAtColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views import snippets

from disclosure.forms import PersonForm
from disclosure.models import Person, StaffMembership
from portal.columns import YesNoColumn
from portal.scope import ScopedViewSetMixin


class PersonViewSet(ScopedViewSetMixin, snippets.SnippetViewSet):
    """People (人员), listed and editable for staff within their own department."""

    model = Person
    icon = "user"
    menu_label = _("人员")
    menu_name = "people"
    menu_order = 210
    add_to_admin_menu = True
    list_display = [
        "name",
        "title",
        Column("department", label=_("所属部门")),
        Column("division", label=_("所属处室")),
        YesNoColumn("is_leader", label=_("负责人")),
        UpdatedAtColumn(),
    ]
    list_filter = ["department", "is_leader", "live"]
    # No `search_fields`: people are indexed, so the listing autocompletes over the
    # model's AutocompleteFields; the SQLite search backend cannot restrict a
    # search to named fields (it answered the search with a 500).
    edit_handler = ObjectList(Person.panels, base_form_class=PersonForm)

    def get_queryset(self, request):
        return Person.objects.select_related("department", "division")


class StaffMembershipViewSet(ScopedViewSetMixin, ModelViewSet):
    """Which department (and division) each staff user belongs to. Administrators
    edit it under 设置 → 工作人员归属; roles stay in Wagtail's user groups."""

    model = StaffMembership
    icon = "group"
    menu_label = _("工作人员归属")
    menu_name = "staff-memberships"
    add_to_settings_menu = True
    list_display = [
        "user",
        Column("department", label=_("所属部门")),
        Column("division", label=_("所属处室")),
    ]
    list_filter = ["department"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=StaffMembership.objects.select_related(
                "user", "department", "division"
            ),
            **kwargs,
        )
