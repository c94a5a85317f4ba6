"""What the reception admin viewsets share: the department scope with joined
listings, and a filter set offering only the user's department's leaders."""

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.viewsets.model import ModelViewSet

from disclosure.models.staff import department_of
from portal.scope import ScopedViewSetMixin
from reception.forms import leader_choices


class ScopedLeaderFilterSet(WagtailFilterSet):
    """A filter set whose `leader` choices are the user's department's leaders."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "leader" in self.filters and self.request is not None:
            user = self.request.user
            department = None if user.is_superuser else department_of(user)
            self.filters["leader"].queryset = leader_choices(department)


class ScopedModelViewSet(ScopedViewSetMixin, ModelViewSet):
    """A model viewset limited to the user's department, whose listing joins the
    relations named in `select_related` (one query, not one per row)."""

    select_related = []

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=self.model.objects.select_related(*self.select_related),
            **kwargs,
        )
