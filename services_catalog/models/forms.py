"""`ServiceItemPageForm`, the admin edit form of `ServiceItemPage` (its
`base_form_class`, kept beside the page as Wagtail's page forms are): audience as
checkboxes, co-divisions chosen among the department's own divisions, and the division
checks for a page that is not in the tree yet (its department is only known through
the parent page the editor chose). The public catalog's filter form is in
`services_catalog.filters`.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from disclosure.models import DivisionPage
from services_catalog.models.choices import Audience


class ServiceItemPageForm(WagtailAdminPageForm):
    audience = forms.MultipleChoiceField(
        label=_("服务对象"),
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("可多选。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        page = self.instance
        if not page.path and self.parent_page is not None:
            # Lets the model's clean() check the divisions of a page being created.
            page.department = page.department_of(self.parent_page)
        department = page.department
        if department is not None and "co_divisions" in self.fields:
            self.fields["co_divisions"].queryset = DivisionPage.objects.child_of(
                department
            ).order_by("path")

    def clean(self):
        cleaned_data = super().clean()
        # The model's clean() checks the co-divisions, but a many-to-many field only
        # reaches the instance on save: hand it the edited ones now.
        if "co_divisions" in cleaned_data:
            self.instance.co_divisions = cleaned_data["co_divisions"]
        return cleaned_data
