"""Admin forms of the inspection office's records (`supervision_views`,
`followup_views`): issuing and answering urging notices, handling complaints,
recording accountability, following a bad rating up.

Every form knows the department it works in (the record's, or for a new record the
user's) and offers only that department's divisions, posts, people and complaints; a
filing is named by its tracking number. A form on an existing record carries the
`version` the user saw, which `records` checks when it writes.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from disclosure.models import DivisionPage, Person, Post
from disclosure.models.staff import department_of
from services_catalog.inbox.models import Complaint, Filing


class RecordForm(WagtailAdminModelForm):
    """A form on a supervision record of one department."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.department = self.instance.department
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True
        else:
            self.department = department_of(self.for_user) if self.for_user else None
        divisions = DivisionPage.objects.none()
        if self.department is not None:
            divisions = DivisionPage.objects.child_of(self.department).order_by("path")
        self.divisions = divisions
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                # The browser's own date input: Wagtail's picker has unlabelled
                # buttons (axe: button-name).
                field.widget = forms.DateInput(
                    attrs={"type": "date"}, format="%Y-%m-%d"
                )
        if "division" in self.fields:
            # A list of the department's divisions, not Wagtail's page chooser
            # (which would browse the whole site).
            field = self.fields["division"]
            field.queryset = divisions
            field.widget = forms.Select(choices=field.choices)

    def clean(self):
        cleaned = super().clean()
        if self.department is None:
            raise forms.ValidationError(_("只有部门的工作人员才能登记。"))
        return cleaned


class TrackingNumberMixin(forms.Form):
    """A filing named by its tracking number (optional), of the form's department."""

    tracking_number = forms.CharField(
        label=gettext_lazy("相关办件受理编号"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.filing_id:
            self.fields[
                "tracking_number"
            ].initial = self.instance.filing.tracking_number
        self.filing = None

    def clean_tracking_number(self):
        number = self.cleaned_data["tracking_number"].strip()
        if number and self.department is not None:
            self.filing = Filing.objects.filter(
                department=self.department, tracking_number=number
            ).first()
            if self.filing is None:
                raise forms.ValidationError(_("本部门没有这个受理编号。"))
        return number


class UrgingIssueForm(TrackingNumberMixin, RecordForm):
    def clean_reply_by(self):
        reply_by = self.cleaned_data["reply_by"]
        if reply_by < timezone.localdate():
            raise forms.ValidationError(_("答复期限不能早于今天。"))
        return reply_by


class UrgingAnswerForm(RecordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].required = True


class ComplaintHandlingForm(RecordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handling"].required = True


class AccountabilityForm(TrackingNumberMixin, RecordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        department = self.department
        self.fields["post"].queryset = Post.objects.filter(
            division__in=self.divisions
        ).select_related("division")
        self.fields["person"].queryset = Person.objects.filter(
            department=department
        ).order_by("name")
        self.fields["complaint"].queryset = Complaint.objects.filter(
            department=department
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("post") and not cleaned.get("person"):
            raise forms.ValidationError(_("责任追究须指明岗位或人员。"))
        return cleaned


class FollowUpForm(RecordForm):
    """The follow-up of a bad rating: a closed one needs every text (also checked
    by `records.handle_follow_up`, which words the message)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("contact_note", "findings", "rectification", "reply"):
            self.fields[name].widget.attrs["rows"] = 3
