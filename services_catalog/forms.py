"""Forms of the service catalog.

`ServiceItemPageForm` is the admin edit form of `ServiceItemPage`: audience as
checkboxes, and the division checks for a page that is not in the tree yet (its
department is only known through the parent page the editor chose).
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from services_catalog.models.choices import Audience


class ServiceItemPageForm(WagtailAdminPageForm):
    audience = forms.MultipleChoiceField(
        label=_("服务对象"),
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("可多选。"),
    )

    def clean(self):
        cleaned_data = super().clean()
        page = self.instance
        # The model's clean() checks the divisions against the department and each
        # other; it runs after this, so hand it the edited co-divisions (a many-to-many
        # field is only copied to the instance on save) and, for a new page, the
        # department of the catalog it is being created in.
        if "co_divisions" in cleaned_data:
            page.co_divisions = cleaned_data["co_divisions"]
        if not page.path and self.parent_page is not None:
            page.department = page.department_of(self.parent_page)
        return cleaned_data
