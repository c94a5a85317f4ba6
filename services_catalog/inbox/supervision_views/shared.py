"""What the inspection office's record viewsets share: the division filter limited
to the user's department, create and edit views that save through `records`, and
`RecordViewSet`, the scoped viewset of one kind of record."""

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic import CreateView, EditView
from wagtail.admin.viewsets.model import ModelViewSet

from portal.scope import ScopedViewSetMixin
from services_catalog.inbox import records
from services_catalog.inbox.case_admin import divisions_for


class DivisionFilterSet(WagtailFilterSet):
    """A filter set whose `division` choices are the user's department's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "division" in self.filters and self.request is not None:
            self.filters["division"].queryset = divisions_for(self.request.user)


class RecordWriteMixin:
    """Create and edit views whose save is a `records` function (`write`); a stale
    or refused change comes back on the form with its message, the input kept."""

    def write(self, form):
        raise NotImplementedError

    def save_instance(self):
        return self.write(self.form)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except records.RecordError as error:
            form.add_error(None, str(error))
            self.produced_error_message = str(error)
            return self.form_invalid(form)


class RecordCreateView(RecordWriteMixin, CreateView):
    pass


class RecordEditView(RecordWriteMixin, EditView):
    pass


class RecordViewSet(ScopedViewSetMixin, ModelViewSet):
    """A supervision record's viewset: scoped, inspectable, never copied and never
    deleted (the policy refuses "delete", `inbox.permissions`; no delete URL is
    registered); its listing joins `select_related` (one query, not one per row)
    and its export has the columns of `export_columns`."""

    select_related = []
    export_columns = ()
    """(field, heading) of each column of the spreadsheet export, in order."""
    inspect_view_enabled = True
    copy_view_enabled = False
    search_backend_name = None

    @property
    def list_export(self):
        return [field for field, _heading in self.export_columns]

    @property
    def export_headings(self):
        return dict(self.export_columns)

    def get_queryset(self, request):
        return self.model.objects.select_related(*self.select_related)

    def get_common_view_kwargs(self, **kwargs):
        return {**super().get_common_view_kwargs(**kwargs), "delete_url_name": None}

    def get_urlpatterns(self):
        return [url for url in super().get_urlpatterns() if url.name != "delete"]

    def panel(self, fields, form_class):
        return ObjectList(
            [FieldPanel(name) for name in fields], base_form_class=form_class
        ).bind_to_model(self.model)
