"""Admin building blocks for records holding personal data (DESIGN §10):

- `PersonalDataExportMixin` for a viewset's index view: its spreadsheet export
  writes the fields named in `export_masks` masked (`portal.masking`) and every
  export is written to the personal-data access log;
- `RevealView`: the logged "show" action that displays one field of one record in
  full, on that record's own page, for users its permission check lets through.
"""

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
    """POST: show the record's `fields` ((attribute, label) pairs) in full, on a page
    of their own that leads back to the record, and log the view. Subclasses
    implement `get_object(request, pk)`, answering 404 (or PermissionDenied) for a
    record the user may not reach or whose full values their role does not need,
    and `back_url(record)`."""

    fields = ()
    template_name = "portal/reveal.html"

    def get_object(self, request, pk):
        raise NotImplementedError

    def back_url(self, record):
        raise NotImplementedError

    def post(self, request, pk):
        record = self.get_object(request, pk)
        values = [(label, getattr(record, name)) for name, label in self.fields]
        PersonalDataAccess.record(
            request,
            PersonalDataAccess.Action.REVEAL,
            record,
            detail="、".join(str(label) for label, _value in values),
        )
        return TemplateResponse(
            request,
            self.template_name,
            {
                "record": record,
                "values": values,
                "back_url": self.back_url(record),
                "page_title": _("完整个人信息"),
            },
        )
