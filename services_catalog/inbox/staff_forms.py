"""Forms of the window's back office (staff only): walk-in intake, the pre-review
checklist and decision, the handling actions on a case (each carrying the version of
the filing the user saw)."""

from django import forms
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services_catalog.inbox.forms import FilingForm
from services_catalog.inbox.models import (
    AppointmentKind,
    Decision,
    Delivery,
    MaterialStatus,
    SpecialProcedureKind,
    UploadSource,
)
from services_catalog.inbox.workflow import MAX_PROCEDURE_WORKDAYS


class WalkInFilingForm(FilingForm):
    """The same form at the counter: the clerk types it in and scans the papers."""

    upload_source = UploadSource.WINDOW
    use_captcha = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["website"]
        self.fields["consent"].label = _("申请人已签字确认个人信息保护告知。")


class MaterialVerdict(models.TextChoices):
    """What the clerk may find of a material: every `MaterialStatus` but pending."""

    RECEIVED = MaterialStatus.RECEIVED.value, MaterialStatus.RECEIVED.label
    MISSING = MaterialStatus.MISSING.value, MaterialStatus.MISSING.label
    NOT_ACCEPTABLE = (
        MaterialStatus.NOT_ACCEPTABLE.value,
        MaterialStatus.NOT_ACCEPTABLE.label,
    )


class MaterialCheckForm(forms.Form):
    """The clerk's verdict on one material (a row of the pre-review checklist)."""

    status = forms.ChoiceField(
        label=gettext_lazy("预审结果"),
        choices=MaterialVerdict.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=gettext_lazy("说明"), required=False, max_length=500)


class VersionedForm(forms.Form):
    """A form acting on a filing as the user saw it (`version`)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class PreReviewForm(VersionedForm):
    """The clerk's decision after pre-review, on the filing as the page showed it.

    One form holds what every decision needs; the action view that receives it
    (accept, one-time notice, refusal, or for 即办件 accept and complete) says which
    decision it is, and only that decision's fields are required."""

    comment = forms.CharField(
        label=gettext_lazy("受理意见"), required=False, max_length=1000
    )
    notice_note = forms.CharField(
        label=gettext_lazy("一次性告知书补充说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    refusal_reason = forms.CharField(
        label=gettext_lazy("不予受理理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    refusal_basis = forms.CharField(
        label=gettext_lazy("不予受理的法律依据"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    decision = forms.ChoiceField(
        label=gettext_lazy("当场办理决定"),
        choices=Decision.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    decision_reason = forms.CharField(
        label=gettext_lazy("不予批准的理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action

    def clean(self):
        cleaned = super().clean()
        if self.action == "refuse":
            for name in ("refusal_reason", "refusal_basis"):
                if not cleaned.get(name, "").strip():
                    self.add_error(name, _("不予受理须写明理由和法律依据。"))
        if self.action == "accept_and_complete":
            if not cleaned.get("decision"):
                self.add_error("decision", _("请选择办理决定。"))
            elif cleaned["decision"] == Decision.DENIED and not (
                cleaned.get("decision_reason", "").strip()
            ):
                self.add_error("decision_reason", _("不予批准须写明理由。"))
        return cleaned


class InstructionForm(VersionedForm):
    lead_division = forms.ModelChoiceField(
        label=gettext_lazy("牵头主办处室"), queryset=None
    )
    co_divisions = forms.ModelMultipleChoiceField(
        label=gettext_lazy("协办处室"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    instruction = forms.CharField(
        label=gettext_lazy("批办意见"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, divisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_division"].queryset = divisions
        self.fields["co_divisions"].queryset = divisions


class NoteForm(VersionedForm):
    text = forms.CharField(
        label=gettext_lazy("内容"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AppointmentRequestForm(VersionedForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("类型"), choices=AppointmentKind.choices
    )
    purpose = forms.CharField(
        label=gettext_lazy("事由"), widget=forms.Textarea(attrs={"rows": 2})
    )


class AppointmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_kind_display()}：{obj.purpose}"


class AppointmentScheduleForm(VersionedForm):
    """The window fixes the time and place of one requested meeting or inspection."""

    appointment = AppointmentChoiceField(
        label=gettext_lazy("约见或勘查申请"),
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
    )
    starts_at = forms.DateTimeField(
        label=gettext_lazy("时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=gettext_lazy("地点"), max_length=200)

    def __init__(self, *args, appointments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["appointment"].queryset = appointments
        first = appointments.first()
        if first is not None and not self.is_bound:
            self.initial.setdefault("appointment", first.pk)


class SuspendForm(VersionedForm):
    """A special procedure and its expected duration, told to the applicant in
    writing (行政许可法第四十五条)."""

    kind = forms.ChoiceField(
        label=gettext_lazy("特别程序"), choices=SpecialProcedureKind.choices
    )
    reason = forms.CharField(
        label=gettext_lazy("事由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("所需时间不计入办理期限；将书面告知申请人。"),
    )
    expected_days = forms.IntegerField(
        label=gettext_lazy("预计所需时间（工作日）"),
        min_value=1,
        max_value=MAX_PROCEDURE_WORKDAYS,
        error_messages={
            "invalid": gettext_lazy("请填写整数工作日数。"),
            "min_value": gettext_lazy("预计所需时间至少为 1 个工作日。"),
            "max_value": gettext_lazy(
                "预计所需时间不能超过 %(limit_value)s 个工作日。"
            ),
        },
    )


class ExtensionForm(VersionedForm):
    """The director's approval of one extension (行政许可法第四十二条)."""

    reason = forms.CharField(
        label=gettext_lazy("延长理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("理由将告知申请人。依法只能延长一次。"),
    )


class CompletionForm(VersionedForm):
    decision = forms.ChoiceField(
        label=gettext_lazy("办理决定"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
    )
    decision_reason = forms.CharField(
        label=gettext_lazy("理由（不予批准时必填）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    document = forms.FileField(label=gettext_lazy("办理结果文书"), required=False)


class IssueForm(VersionedForm):
    """Issuing the result: the register gives the number of the chosen type."""

    document_type = forms.ModelChoiceField(
        label=gettext_lazy("发文文种"),
        queryset=None,
        empty_label=None,
        help_text=gettext_lazy("发文字号由发文登记簿按文种和年度顺序编号。"),
        error_messages={
            "required": gettext_lazy(
                "本部门尚未设置发文文种，请先在“发文登记”中添加文种和机关代字。"
            )
        },
    )
    delivery = forms.ChoiceField(
        label=gettext_lazy("送达方式"),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
    )
    mail_carrier = forms.CharField(
        label=gettext_lazy("寄递单位"), required=False, max_length=60
    )
    mail_tracking_number = forms.CharField(
        label=gettext_lazy("邮件单号"), required=False, max_length=60
    )

    def __init__(self, *args, document_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_type"].queryset = document_types
