"""Admin building blocks for records holding personal data (DESIGN §10):

- `PersonalDataExportMixin` for a viewset's index view: its spreadsheet export
  writes the fields named in `export_masks` masked (`portal.masking`) and every
  export is written to the personal-data access log;
- `RevealView`: the logged "show" action that displays one field of one record in
  full, on that record's own page, for users its permission check lets through;
- `PersonalDataViewSetMixin` for a scoped `ModelViewSet`: the record's own page
  (its inspect view) shows the fields named in `inspect_masks` masked, with a
  "show" button to the logged reveal of `reveal_fields` for users holding
  `reveal_permission` on that record.
"""

from django.contrib.admin.utils import quote
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.views.generic import InspectView

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
            detail=_("%(records)s，%(count)s 条，%(format)s，条件：%(query)s")
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


class ViewSetRevealView(RevealView):
    """The reveal of a viewset's record, for users holding `permission` on it
    (through the model's registered, scoped permission policy); back to the
    record's inspect view."""

    viewset = None
    model = None
    permission = "change"

    def get_object(self, request, pk):
        policy = self.viewset.permission_policy
        records = policy.instances_user_has_permission_for(
            request.user, self.permission
        )
        return get_object_or_404(records, pk=pk)

    def back_url(self, record):
        return reverse(self.viewset.get_url_name("inspect"), args=[quote(record.pk)])


class MaskedInspectView(InspectView):
    """An inspect view showing the fields named in `masks` through their mask, and
    a "show" button to `reveal_url` for users holding `reveal_permission`."""

    template_name = "portal/masked_inspect.html"
    masks = {}
    reveal_url_name = None
    reveal_permission = "change"
    reveal_label = gettext_lazy("显示完整个人信息")

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        mask = self.masks.get(field_name)
        return mask(value) if mask is not None else value

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.reveal_url_name and self.user_has_permission_for_instance(
            self.reveal_permission, self.object
        ):
            context["reveal_url"] = reverse(
                self.reveal_url_name, args=[quote(self.object.pk)]
            )
            context["reveal_label"] = self.reveal_label
        return context


class PersonalDataViewSetMixin:
    """Mix into a `ModelViewSet` (with `portal.scope.ScopedViewSetMixin`) whose
    records hold personal data: an inspect view with `inspect_masks` applied, and
    the logged reveal of `reveal_fields` ((attribute, label) pairs) at
    ``reveal/<pk>/`` for users holding `reveal_permission` on the record."""

    inspect_view_enabled = True
    inspect_view_class = MaskedInspectView
    inspect_masks = {}
    reveal_fields = ()
    reveal_permission = "change"
    reveal_view_class = ViewSetRevealView

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            masks=self.inspect_masks,
            reveal_url_name=self.get_url_name("reveal"),
            reveal_permission=self.reveal_permission,
            **kwargs,
        )

    @property
    def reveal_view(self):
        return self.reveal_view_class.as_view(
            viewset=self,
            model=self.model,
            fields=self.reveal_fields,
            permission=self.reveal_permission,
        )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("reveal/<int:pk>/", self.reveal_view, name="reveal")
        ]
