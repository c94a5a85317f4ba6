"""Public forms of the filing inbox (no account): the online filing form, the
supplement upload, the lookup, withdrawal, the rating and the complaint form. The
staff's forms are in `staff_forms`. Each has the site's honeypot, and the filing
and complaint forms its captcha (`portal.forms.PublicFormMixin`).

Upload slots (one per material plus extra attachments) keep what they accepted: every
file that passes its own checks is stored at once as a pending `FilingUpload` keyed by
the form's token, so when another field is wrong the form comes back with the files
shown as already uploaded (“已上传”, each replaceable) and nothing typed lost.

Pending uploads are written in the caller's transaction and a replaced file leaves
storage only when that transaction commits; `discard_stored` removes the files this
request wrote when its transaction rolled back (a double submit that lost).
"""

from functools import partial

from django import forms
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import uploads
from portal.forms import PublicFormMixin
from portal.validators import normalise_id_number, normalise_mobile, normalise_uscc
from services_catalog.inbox.codes import find_filing
from services_catalog.inbox.models import (
    ApplicantType,
    FilingUpload,
    MaterialStatus,
    Rating,
    UploadSource,
)
from services_catalog.inbox.uploads import check_total


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class UploadSlotsForm(forms.Form):
    """A form with upload slots whose accepted files survive a failed submission.

    Subclasses call `add_slot` for each material slot; `extra` takes any number of
    other attachments. `keep_uploads` stores what passed, `pending` lists it."""

    extra = MultipleFileField(
        label=gettext_lazy("其他附件"),
        required=False,
        help_text=gettext_lazy("可一次选择多个文件。"),
    )
    remove_uploads = forms.MultipleChoiceField(
        label=gettext_lazy("删除已上传的附件"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    upload_source = UploadSource.ONLINE

    def __init__(self, *args, form_token, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.form_token = form_token
        self.user = user
        self.slots = {}  # field name → (item material or None, required)
        self.detected = {}
        self.stored = []  # storage names of the files this request wrote
        self._pending = None
        self.fields["remove_uploads"].choices = [
            (str(upload.pk), upload.original_name)
            for upload in self.pending_uploads()
            if upload.item_material_id is None
        ]
        self.fields["extra"].help_text = _(
            "可一次选择多个文件。允许的格式：%(allowed)s；单个文件不超过 %(size)d MB。"
        ) % {
            "allowed": uploads.ALLOWED_LABEL,
            "size": uploads.max_file_size() // uploads.MB,
        }

    def add_slot(self, item_material, required, label=None):
        name = f"material_{item_material.pk}"
        help_parts = [item_material.format_notes] if item_material.format_notes else []
        self.fields[name] = forms.FileField(
            label=label or item_material.name,
            required=False,
            help_text=" ".join(help_parts),
        )
        self.slots[name] = (item_material, required)

    def pending(self):
        return FilingUpload.objects.filter(form_token=self.form_token, filing=None)

    def pending_uploads(self):
        """The uploads kept under this form's token, read once and then kept in step
        with what this request stores and removes. An unbound form has a new token
        (every view makes one with `uuid4`), so nothing to read."""
        if self._pending is None:
            self._pending = list(self.pending()) if self.is_bound else []
        return self._pending

    def pending_by_slot(self):
        """{field name: pending upload} of the material slots, and the extras."""
        by_material, extras = {}, []
        for upload in self.pending_uploads():
            if upload.item_material_id is None:
                extras.append(upload)
            else:
                by_material[f"material_{upload.item_material_id}"] = upload
        return by_material, extras

    def slot_fields(self):
        """(bound field, pending upload or None, required) for the template."""
        by_material, _extras = self.pending_by_slot()
        return [
            (self[name], by_material.get(name), required)
            for name, (_material, required) in self.slots.items()
        ]

    def upload_field_names(self):
        return [*self.slots, "extra"]

    def clean(self):
        cleaned = super().clean()
        for name in self.upload_field_names():
            value = cleaned.get(name)
            files = value if isinstance(value, list) else [value] if value else []
            try:
                self.detected[name] = [uploads.check_upload(f) for f in files]
            except ValidationError as error:
                self.add_error(name, error)
        return cleaned

    def keep_uploads(self):
        """Store every file that passed its own checks as a pending upload (a file
        in a material slot replaces the one kept there), remove the extras the
        applicant ticked, then enforce the filing's total size. Call after
        `is_valid()`, whatever its answer."""
        removed = set(self.cleaned_data.get("remove_uploads") or [])
        for upload in list(self.pending_uploads()):
            if upload.item_material_id is None and str(upload.pk) in removed:
                self._discard(upload)
        by_material, _extras = self.pending_by_slot()
        total = sum(upload.size for upload in self.pending_uploads())
        for name in self.upload_field_names():
            if name in self.errors or not self.detected.get(name):
                continue
            value = self.cleaned_data.get(name)
            files = value if isinstance(value, list) else [value]
            material = self.slots[name][0] if name in self.slots else None
            replaced = by_material.get(name)
            if replaced is not None:
                total -= replaced.size
            new_size = sum(f.size for f in files)
            try:
                check_total([total, new_size])
            except ValidationError as error:
                self.add_error(name, error)
                continue
            if replaced is not None:
                self._discard(replaced)
            for upload, detected in zip(files, self.detected[name], strict=True):
                self._store(upload, detected, material)
            total += new_size
        self._check_required_slots()

    def _store(self, upload, detected, material):
        name = uploads.sanitise_name(upload.name, detected.extension)
        upload.seek(0)
        kept = FilingUpload.objects.create(
            form_token=self.form_token,
            item_material=material,
            file=File(upload, name=name),
            original_name=name,
            content_type=detected.mime,
            size=upload.size,
            source=self.upload_source,
            uploaded_by=self.user if self.user and self.user.is_authenticated else None,
        )
        self.stored.append(kept.file.name)
        self.pending_uploads().append(kept)

    def _discard(self, upload):
        """Delete a pending upload; its file goes once the deletion is committed."""
        self.pending_uploads().remove(upload)
        name = upload.file.name
        upload.delete()
        transaction.on_commit(partial(uploads.private_storage().delete, name))

    def discard_stored(self):
        """Remove from storage the files this request wrote (after a rollback)."""
        storage = uploads.private_storage()
        for name in self.stored:
            storage.delete(name)
        self.stored = []

    def _check_required_slots(self):
        by_material, _extras = self.pending_by_slot()
        for name, (material, required) in self.slots.items():
            if required and name not in by_material and name not in self.errors:
                self.add_error(
                    name,
                    ValidationError(
                        _("请上传必需材料“%(name)s”。") % {"name": material.name},
                        code="material_required",
                    ),
                )


class FilingForm(PublicFormMixin, UploadSlotsForm):
    """The online application form of a service item (no account needed)."""

    applicant_type = forms.ChoiceField(
        label=gettext_lazy("申请人类型"),
        choices=ApplicantType.choices,
        widget=forms.RadioSelect,
    )
    applicant_name = forms.CharField(
        label=gettext_lazy("申请人姓名或单位名称"), max_length=100
    )
    id_number = forms.CharField(
        label=gettext_lazy("证件号码"),
        max_length=30,
        help_text=gettext_lazy(
            "自然人填写 18 位居民身份证号码；法人或其他组织填写 18 位统一社会信用代码。"
        ),
    )
    mobile = forms.CharField(
        label=gettext_lazy("手机号码"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=gettext_lazy("用于接收办理进度短信。"),
    )
    email = forms.EmailField(
        label=gettext_lazy("电子邮箱"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=gettext_lazy("选填；填写后办理进度也会发到邮箱。"),
    )
    address = forms.CharField(
        label=gettext_lazy("通讯地址"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    statement = forms.CharField(
        label=gettext_lazy("申请事项说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = forms.BooleanField(
        label=gettext_lazy(
            "我已阅读《个人信息保护声明》，同意本机关为办理本申请收集和使用上述信息。"
        ),
        error_messages={"required": gettext_lazy("请阅读并同意《个人信息保护声明》。")},
    )
    field_order = [
        "applicant_type",
        "applicant_name",
        "id_number",
        "mobile",
        "email",
        "address",
        "statement",
    ]
    applicant_fields = (
        "applicant_type",
        "applicant_name",
        "id_number",
        "mobile",
        "email",
        "address",
        "statement",
    )

    def __init__(self, item, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.offer_accepted_applicant_types(item)
        for material in item.materials.all():
            self.add_slot(material, material.required)

    def offer_accepted_applicant_types(self, item):
        """Offer only the applicant types the item's audience (服务对象) accepts, the
        first of them chosen; an item without an audience accepts every type."""
        audience = item.audience if isinstance(item.audience, list) else []
        accepted = [
            choice for choice in ApplicantType.choices if choice[0] in audience
        ] or ApplicantType.choices
        field = self.fields["applicant_type"]
        field.choices = accepted
        field.initial = accepted[0][0]

    def clean_mobile(self):
        return normalise_mobile(self.cleaned_data["mobile"])

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("id_number")
        if number and "id_number" not in self.errors:
            normalise = (
                normalise_uscc
                if cleaned.get("applicant_type") == ApplicantType.ORGANISATION
                else normalise_id_number
            )
            try:
                cleaned["id_number"] = normalise(number)
            except ValidationError as error:
                self.add_error("id_number", error)
        return cleaned

    def applicant_data(self):
        return {name: self.cleaned_data[name] for name in self.applicant_fields}

    def upload_field_names(self):
        return [name for name in super().upload_field_names() if name in self.fields]

    def text_fields(self):
        skip = {*self.slots, "extra", "remove_uploads", "captcha", "website", "consent"}
        return [self[name] for name in self.fields if name not in skip]


class SupplementForm(PublicFormMixin, UploadSlotsForm):
    """The applicant's answer to a one-time notice: a slot for each flagged material."""

    use_captcha = False  # reached only with the tracking number and access code

    upload_source = UploadSource.SUPPLEMENT
    comment = forms.CharField(
        label=gettext_lazy("补正说明"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, filing, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filing = filing
        flagged = filing.materials.filter(
            status__in=[MaterialStatus.MISSING, MaterialStatus.NOT_ACCEPTABLE]
        ).select_related("item_material")
        for material in flagged:
            if material.item_material is not None:
                self.add_slot(
                    material.item_material, required=True, label=material.name
                )

    def keep_uploads(self):
        super().keep_uploads()
        if not self.slots and not self.pending_uploads() and not self.errors:
            self.add_error("extra", _("请至少上传一个补正文件。"))


class LookupForm(PublicFormMixin, forms.Form):
    use_captcha = False  # the per-address rate limit stops guessing

    tracking_number = forms.CharField(
        label=gettext_lazy("受理编号"),
        max_length=40,
        help_text=gettext_lazy("如 SJ-20260105-00001，见回执。"),
    )
    access_code = forms.CharField(
        label=gettext_lazy("查询码"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=gettext_lazy("8 位字母和数字，见回执。"),
    )


class WithdrawForm(PublicFormMixin, forms.Form):
    use_captcha = False  # reached only with the tracking number and access code

    reason = forms.CharField(
        label=gettext_lazy("撤回原因"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("我确认撤回本申请，撤回后本件不再办理。"),
        error_messages={"required": gettext_lazy("请勾选确认后再撤回。")},
    )


class RatingForm(PublicFormMixin, forms.Form):
    use_captcha = False  # reached only with the tracking number and access code

    score = forms.TypedChoiceField(
        label=gettext_lazy("评分"),
        coerce=int,
        choices=Rating.Score.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("评价内容"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ComplaintForm(PublicFormMixin, forms.Form):
    """The public complaint form (投诉): about a filing, a division or a person."""

    department = forms.ModelChoiceField(label=gettext_lazy("被投诉部门"), queryset=None)
    division = forms.ModelChoiceField(
        label=gettext_lazy("被投诉处室（选填）"), queryset=None, required=False
    )
    person = forms.ModelChoiceField(
        label=gettext_lazy("被投诉人员（选填）"), queryset=None, required=False
    )
    tracking_number = forms.CharField(
        label=gettext_lazy("相关办件受理编号（选填）"), required=False, max_length=32
    )
    access_code = forms.CharField(
        label=gettext_lazy("查询码（填写受理编号时必填）"),
        required=False,
        max_length=20,
    )
    name = forms.CharField(label=gettext_lazy("您的姓名"), max_length=100)
    contact = forms.CharField(label=gettext_lazy("联系电话或邮箱"), max_length=100)
    text = forms.CharField(
        label=gettext_lazy("投诉内容"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        from disclosure.models import DepartmentPage, DivisionPage, Person

        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = DepartmentPage.objects.live().order_by(
            "path"
        )
        self.fields["division"].queryset = DivisionPage.objects.live().order_by("path")
        self.fields["person"].queryset = Person.objects.filter(live=True).order_by(
            "name"
        )
        self.filing = None

    def clean(self):
        cleaned = super().clean()
        department = cleaned.get("department")
        division, person = cleaned.get("division"), cleaned.get("person")
        if department and division and not division.path.startswith(department.path):
            self.add_error("division", _("所选处室不属于所选部门。"))
        if department and person and person.department_id != department.pk:
            self.add_error("person", _("所选人员不属于所选部门。"))
        number = (cleaned.get("tracking_number") or "").strip()
        if number:
            self.filing = find_filing(number, cleaned.get("access_code"))
            if self.filing is None:
                self.add_error(
                    "access_code", _("受理编号或查询码不正确，请对照回执核对。")
                )
            elif department and self.filing.department_id != department.pk:
                self.add_error("tracking_number", _("该办件不属于所选部门。"))
        return cleaned
