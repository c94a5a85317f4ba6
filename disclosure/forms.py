"""Admin forms of the disclosure app."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from disclosure.models import DepartmentPage, DivisionPage
from disclosure.models.staff import department_of


class PersonForm(WagtailAdminModelForm):
    """The `Person` snippet form: staff who are not superusers may place people
    only in their own department and its divisions."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None or user.is_superuser:
            return
        department = department_of(user)
        departments = DepartmentPage.objects.filter(pk=getattr(department, "pk", None))
        self.fields["department"].queryset = departments
        self.fields["department"].required = True
        self.fields["department"].help_text = _("只能选择本人所在部门。")
        self.fields["division"].queryset = (
            DivisionPage.objects.child_of(department)
            if department
            else DivisionPage.objects.none()
        )
