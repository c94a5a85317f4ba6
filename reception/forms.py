"""Forms of the reception app: the public appointment and lookup forms, and the admin
forms that keep every clerk inside their own department."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from disclosure.models import DepartmentPage, Person
from disclosure.models.staff import department_of
from portal.forms import PublicFormMixin
from portal.masking import keep_masked_mobiles, mask_id_number, mask_personal_text
from portal.validators import normalise_id_number, normalise_mobile
from portal.workdays import WorkdayError, is_workday
from reception.appointments import decide
from reception.models import AppointmentRequest, RosterPeriod
from reception.models.roster import MAX_PERIOD_DAYS
from reception.roster import Pattern, find_conflicts, unavailable_leaders

# Public forms -----------------------------------------------------------------------


class AppointmentForm(PublicFormMixin, forms.Form):
    """A citizen's appointment request for one duty slot (with the site's honeypot
    and captcha)."""

    name = forms.CharField(label=_("姓名"), max_length=40)
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        help_text=_("用于接访前联系您，不公开。"),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "tel-national"}
        ),
    )
    email = forms.EmailField(
        label=_("电子邮箱（选填）"),
        required=False,
        help_text=_("填写后，预约处理结果会发到这个邮箱。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    matter = forms.CharField(
        label=_("反映事项"),
        max_length=1000,
        help_text=_("简要说明想反映的问题或咨询的事项，1000 字以内。"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    consent = forms.BooleanField(
        label=_(
            "我已阅读《个人信息保护声明》，同意本部门为安排接访使用以上信息，"
            "这些信息不会公开。"
        ),
        error_messages={"required": _("请勾选同意后再提交。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"

    def clean_phone(self):
        return normalise_mobile(self.cleaned_data["phone"])


class LookupForm(PublicFormMixin, forms.Form):
    """Appointment lookup by number and access code."""

    use_captcha = False  # the per-address rate limit stops guessing

    number = forms.CharField(
        label=_("预约编号"),
        max_length=40,
        help_text=_("例如：SJ-JF-20261012-0001"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    code = forms.CharField(
        label=_("查询码"),
        max_length=20,
        help_text=_("提交预约时显示的 8 位查询码。"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


# Admin forms ------------------------------------------------------------------------


def leader_choices(department):
    """The leaders a form may pick: the department's published leaders, or every
    published leader for a superuser working across departments."""
    people = Person.objects.live().filter(is_leader=True)
    if department is not None:
        people = people.filter(department=department)
    return people.select_related("department").order_by(
        "department__path", "sort_order", "name"
    )


class DepartmentScopedForm(WagtailAdminModelForm):
    """An admin form for staff of one department: their department is fixed (the
    field is hidden), and the people fields list only its leaders."""

    person_fields = ("leader",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        self.user_department = (
            department_of(user) if user and not user.is_superuser else None
        )
        if self.user_department is not None:
            self.fields.pop("department", None)
            if hasattr(self.instance, "department_id"):
                self.instance.department = self.user_department
        for name in self.person_fields:
            if name in self.fields:
                self.fields[name].queryset = leader_choices(self.user_department)

    def chosen_department(self):
        if self.user_department is not None:
            return self.user_department
        return self.cleaned_data.get("department")

    def clean(self):
        cleaned_data = super().clean()
        department = self.chosen_department()
        for name in self.person_fields:
            person = cleaned_data.get(name)
            if person and department and person.department_id != department.pk:
                self.add_error(name, _("所选领导不属于该部门。"))
        return cleaned_data


def _entry_form_class(base, leaders):
    class RosterEntryForm(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["leader"].queryset = leaders

        def _get_validation_exclusions(self):
            # The one-duty-per-slot constraint is checked for the whole roster at
            # once (RosterPeriodForm), which knows which stored rows it replaces.
            exclusions = super()._get_validation_exclusions()
            exclusions.add("leader")
            return exclusions

    return RosterEntryForm


class RosterPeriodForm(DepartmentScopedForm):
    """The roster snippet form; checks every entry against the period, the working-
    day calendar and the one-leader-one-slot rule before anything is saved."""

    person_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        formset = self.formsets.get("entries")
        if formset is not None:
            formset.form = _entry_form_class(
                formset.form, leader_choices(self.user_department)
            )

    def is_valid(self):
        return super().is_valid() and self._entries_are_valid()

    def _kept_entry_forms(self):
        formset = self.formsets["entries"]
        return [
            form
            for form in formset.forms
            if getattr(form, "cleaned_data", None)
            and not formset._should_delete_form(form)
        ]

    def _entries_are_valid(self):
        period = self.instance
        forms_ = self._kept_entry_forms()
        for form in forms_:
            entry = form.instance
            if not period.start_date <= entry.date <= period.end_date:
                form.add_error("date", _("日期不在值班表的起止日期之内。"))
            else:
                try:
                    if not is_workday(entry.date):
                        form.add_error("date", _("这一天不是工作日。"))
                except WorkdayError as error:
                    form.add_error("date", str(error))
            if entry.leader.department_id != period.department_id:
                form.add_error("leader", _("所选领导不属于本部门。"))
        entries = [form.instance for form in forms_]
        absences = unavailable_leaders(entries)
        for form in forms_:
            reason = absences.get((form.instance.leader_id, form.instance.date))
            if reason is not None:
                form.add_error(
                    "leader",
                    _("该领导这一天登记为不能值班（%(reason)s）。")
                    % {"reason": reason or _("未写原因")},
                )
        for conflict in find_conflicts(entries, period=period):
            forms_[conflict.index].add_error("leader", conflict.message)
        if any(form.errors for form in forms_):
            self.add_error(None, _("值班安排有误，请按提示修改标红的条目。"))
            return False
        return True


class ReceptionRecordForm(DepartmentScopedForm):
    """A reception record, entered by the clerk of the department.

    The visitor's ID number is write-only here: the form shows the stored number
    masked and keeps it when the field is left empty (the full number is shown
    only by the record's logged "show" action). Mobile numbers in the free text
    (contact, matter, result) are shown masked too, and each masked number sent
    back is saved as the number it stands for."""

    MASKED_TEXT_FIELDS = ("visitor_contact", "matter", "result")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            for name in self.MASKED_TEXT_FIELDS:
                stored_text = getattr(self.instance, name, "")
                if name in self.fields and mask_personal_text(stored_text) != (
                    stored_text
                ):
                    self.initial[name] = mask_personal_text(stored_text)
                    self.fields[name].help_text = _(
                        "手机号码以掩码显示，保留掩码则原号码不变；"
                        "如需查看完整号码，请在记录页使用“显示”。"
                    )
        field = self.fields.get("visitor_id_number")
        stored = self.instance.visitor_id_number
        if field is not None and stored:
            self.initial["visitor_id_number"] = ""
            field.widget.attrs["placeholder"] = mask_id_number(stored)
            field.help_text = _(
                "已登记：%(masked)s。留空则保持不变；填写新号码将替换原号码。"
            ) % {"masked": mask_id_number(stored)}

    def _clean_masked_text(self, name):
        typed = self.cleaned_data.get(name, "")
        if self.instance.pk is None:
            return typed
        return keep_masked_mobiles(typed, getattr(self.instance, name, ""))

    def clean_visitor_contact(self):
        return self._clean_masked_text("visitor_contact")

    def clean_matter(self):
        return self._clean_masked_text("matter")

    def clean_result(self):
        return self._clean_masked_text("result")

    def clean_visitor_id_number(self):
        value = self.cleaned_data.get("visitor_id_number", "")
        if not value.strip():
            return self.instance.visitor_id_number or ""
        return normalise_id_number(value)

    def save(self, commit=True):
        if self.instance.pk is None and self.for_user is not None:
            self.instance.created_by = self.for_user
        return super().save(commit=commit)


class LeaderUnavailabilityForm(DepartmentScopedForm):
    person_fields = ("person",)

    def chosen_department(self):
        return self.user_department


class AppointmentDecisionForm(WagtailAdminModelForm):
    """The clerk confirms or declines an appointment request, with a reply."""

    def clean(self):
        cleaned_data = super().clean()
        status = cleaned_data.get("status")
        if status == AppointmentRequest.Status.DECLINED and not cleaned_data.get(
            "reply"
        ):
            self.add_error("reply", _("不能安排时，请写明原因。"))
        if (
            status == AppointmentRequest.Status.PENDING
            and self.initial.get("status") != AppointmentRequest.Status.PENDING
        ):
            self.add_error("status", _("已处理的预约不能改回待确认。"))
        return cleaned_data

    def save(self, commit=True):
        request = super().save(commit=False)
        if self.has_changed() and request.status != AppointmentRequest.Status.PENDING:
            decide(request, request.status, request.reply, self.for_user)
        if commit:
            request.save()
        return request


class GenerateRosterForm(forms.Form):
    """What the rotation generator needs to propose a roster for a period."""

    department = forms.ModelChoiceField(
        label=_("部门"), queryset=DepartmentPage.objects.live()
    )
    start_date = forms.DateField(label=_("开始日期"), widget=AdminDateInput)
    end_date = forms.DateField(label=_("结束日期"), widget=AdminDateInput)
    pattern = forms.ChoiceField(
        label=_("排班方式"),
        choices=Pattern.choices,
        initial=Pattern.HALF_DAYS,
        widget=forms.RadioSelect,
    )
    location = forms.CharField(
        label=_("接访地点"),
        max_length=120,
        required=False,
        help_text=_("填入每条值班安排，生成后可逐条修改。"),
    )
    scope = forms.CharField(
        label=_("接访范围"),
        max_length=255,
        required=False,
        initial=_("业务办理来访，咨询、意见和建议，群众来访"),
    )

    def __init__(self, *args, user_department=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user_department = user_department
        if user_department is not None:
            del self.fields["department"]
            self.fields["location"].initial = user_department.address
        first = (timezone.localdate().replace(day=1) + datetime.timedelta(32)).replace(
            day=1
        )
        self.fields["start_date"].initial = first
        self.fields["end_date"].initial = (first + datetime.timedelta(32)).replace(
            day=1
        ) - datetime.timedelta(1)

    def clean(self):
        cleaned_data = super().clean()
        department = self.user_department or cleaned_data.get("department")
        start, end = cleaned_data.get("start_date"), cleaned_data.get("end_date")
        cleaned_data["department"] = department
        if not (department and start and end):
            return cleaned_data
        probe = RosterPeriod(department=department, start_date=start, end_date=end)
        if end < start:
            self.add_error("end_date", _("结束日期不能早于开始日期。"))
        elif (end - start).days >= MAX_PERIOD_DAYS:
            self.add_error(
                "end_date",
                _("一个值班表最多覆盖 %(days)s 天。") % {"days": MAX_PERIOD_DAYS},
            )
        elif probe.overlapping_periods().exists():
            self.add_error(
                None,
                _("本部门已有与这段日期重叠的值班表：%(title)s。")
                % {"title": probe.overlapping_periods().first()},
            )
        if not leader_choices(department).exists():
            self.add_error(None, _("本部门还没有已发布、标为负责人的人员，无法排班。"))
        return cleaned_data
