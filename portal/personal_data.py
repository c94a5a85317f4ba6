"""Admin building blocks for records holding personal data (DESIGN §10):

- `PersonalDataExportMixin` for a viewset's index view: its spreadsheet export
  writes the fields named in `export_masks` masked (`portal.masking`) and every
  export is written to the personal-data access log;
- `RevealView`: the logged "show" action that displays one field of one record in
  full, on that record's own page, for users its permission check lets through.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View

from portal.masking import masked_export
from portal.models import PersonalDataAccess


class PersonalDataExportMixin:
    """Index view mixin: masked, logged spreadsheet exports."""

    export_masks = {}

    @property
    def custom_field_preprocess(self):
        return masked_export(**self.export_masks)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        query = self.request.GET.copy()
        query.pop("export", None)
        PersonalDataAccess.record(
            self.request,
            PersonalDataAccess.Action.EXPORT,
            detail=_("%(records)s,%(count)s 条,%(format)s,条件:%(query)s")
            % {
                "records": self.model._meta.verbose_name_plural,
                "count": queryset.count(),
                "format": spreadsheet_format.upper(),
                "query": query.urlencode() or _("全部"),
            },
        )
        return super().as_spreadsheet(queryset, spreadsheet_format)


class RevealView(View):
    """POST: show `field` of the record in full and log it. Subclasses set `field`,
    `label` and implement `get_object(request, pk)`, which answers 404 for a record
    the user may not reach and PermissionDenied for one whose full value the
    user's role does not need."""

    field = None
    label = ""
    template_name = "portal/reveal.html"

    def get_object(self, request, pk):
        raise NotImplementedError

    def post(self, request, pk):
        record = self.get_object(request, pk)
        if record is None:
            raise Http404
        value = getattr(record, self.field)
        if not value:
            raise PermissionDenied
        PersonalDataAccess.record(
            request,
            PersonalDataAccess.Action.REVEAL,
            record,
            detail=str(self.label),
        )
        return TemplateResponse(
            request,
            self.template_name,
            {"record": record, "label": self.label, "value": value},
        )
