"""Forms of consultations (咨询): the public question form and the window's admin
forms (logging a phone or walk-in question, forwarding, answering, publishing).

The public form goes through `portal.forms.PublicFormMixin` (honeypot and captcha)
like every form a visitor submits without an account. The admin forms build on the
inspection office's `RecordForm` (the department's divisions only, the `version`
the user saw); `consultations` writes what they collect.
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.forms import PublicFormMixin
from portal.validators import normalise_mobile
from services_catalog.inbox.models import ConsultationChannel
from services_catalog.inbox.supervision_forms import RecordForm

QUESTION_MAX_LENGTH = 2000


class ConsultationForm(PublicFormMixin, forms.Form):
    """The citizen's question (网上咨询), about an item or a department."""

    department = forms.ModelChoiceField(
        label=gettext_lazy("咨询部门"), queryset=None, empty_label=None
    )
    item = forms.ModelChoiceField(
        label=gettext_lazy("咨询事项（选填）"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("（部门的一般问题）"),
    )
    name = forms.CharField(
        label=gettext_lazy("您的姓名"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    mobile = forms.CharField(
        label=gettext_lazy("手机号码"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=gettext_lazy("答复后以短信通知您。"),
    )
    email = forms.EmailField(
        label=gettext_lazy("电子邮箱（选填）"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    question = forms.CharField(
        label=gettext_lazy("咨询内容"),
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "请勿在问题中填写身份证号码等个人信息；答复公开时将去除姓名和联系方式。"
        ),
    )

    def __init__(self, *args, **kwargs):
        from disclosure.models import DepartmentPage
        from services_catalog.models import ServiceItemPage

        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = DepartmentPage.objects.live().order_by(
            "path"
        )
        self.fields["item"].queryset = ServiceItemPage.objects.live().order_by("path")

    def clean_mobile(self):
        return normalise_mobile(self.cleaned_data["mobile"])

    def clean(self):
        cleaned = super().clean()
        department, item = cleaned.get("department"), cleaned.get("item")
        if department and item and not item.path.startswith(department.path):
            self.add_error("item", _("所选事项不属于所选部门。"))
        return cleaned


class ConsultationRecordForm(RecordForm):
    """A consultation form in the admin; an item chosen from the department's."""

    def __init__(self, *args, **kwargs):
        from services_catalog.models import ServiceItemPage

        super().__init__(*args, **kwargs)
        if "item" in self.fields:
            field = self.fields["item"]
            items = ServiceItemPage.objects.none()
            if self.department is not None:
                items = ServiceItemPage.objects.descendant_of(self.department)
            field.queryset = items.order_by("path")
            field.widget = forms.Select(choices=field.choices)


class ConsultationLogForm(ConsultationRecordForm):
    """The window logs a question asked by phone or at the counter."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [
            (value, label)
            for value, label in ConsultationChannel.choices
            if value != ConsultationChannel.ONLINE
        ]
        self.fields["channel"].initial = ConsultationChannel.PHONE

    def clean_mobile(self):
        mobile = self.cleaned_data["mobile"]
        return normalise_mobile(mobile) if mobile else ""


class ConsultationForwardForm(ConsultationRecordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].required = True


class ConsultationAnswerForm(ConsultationRecordForm):
    """The answer (and, for the window, whether it is public)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].required = True


class ConsultationPublishForm(ConsultationRecordForm):
    pass
