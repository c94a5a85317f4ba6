"""The window's consultations (咨询) in the admin, on a Wagtail `ModelViewSet`.

- listing with filters (state, channel, division, the answer clock: due soon or
  overdue, public), sorting, pagination and a masked, logged export;
- the add view: the clerk logs a question asked by phone or at the counter and
  reads the tracking number and access code out to the asker;
- the edit view answers an open consultation (the window also decides whether the
  answer is public) or, once answered, changes whether it is public;
- `forward/<pk>/`: the window forwards it to a division;
- inspect, with the asker's mobile masked and a logged "show".

Every view is limited to the user's scope by `portal.scope.ScopedViewSetMixin`
with the policy of `inbox.permissions` (the window, the director and the inspection
office see the department's; a handler those forwarded to their division); every
write goes through `consultations`, which checks scope and version again.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.generic import IndexView

from portal.masking import (
    MaskedColumn,
    MaskedFieldPanel,
    mask_mobile,
    mask_personal_text,
)
from portal.personal_data import (
    MaskedInspectView,
    PersonalDataExportMixin,
    PersonalDataViewSetMixin,
)
from services_catalog.inbox import clock, consultations
from services_catalog.inbox.consultation_forms import (
    ConsultationAnswerForm,
    ConsultationForwardForm,
    ConsultationLogForm,
    ConsultationPublishForm,
)
from services_catalog.inbox.models import (
    OPEN_CONSULTATION_STATES,
    Consultation,
    ConsultationState,
)
from services_catalog.inbox.supervision_views import (
    DivisionFilterSet,
    RecordCreateView,
    RecordEditView,
    RecordViewSet,
)

DUE_CHOICES = (
    (clock.DUE_SOON, gettext_lazy("即将到期")),
    (clock.OVERDUE, gettext_lazy("已超期")),
)


class ConsultationFilterSet(DivisionFilterSet):
    state = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("状态"),
        choices=ConsultationState.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    due = django_filters.ChoiceFilter(
        label=gettext_lazy("答复期限"),
        choices=DUE_CHOICES,
        method="filter_due",
        empty_label=gettext_lazy("全部"),
    )
    asked_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("咨询时间"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Consultation
        fields = ["state", "channel", "division", "due", "public", "asked_at"]

    def filter_due(self, queryset, name, value):
        today = timezone.localdate()
        queryset = queryset.filter(state__in=OPEN_CONSULTATION_STATES)
        if value == clock.OVERDUE:
            return queryset.filter(due_date__lt=today)
        return queryset.filter(
            due_date__gte=today, due_date__lte=clock.due_soon_until(today)
        )


class ConsultationIndexView(PersonalDataExportMixin, IndexView):
    export_masks = {
        "mobile": mask_mobile,
        "question": mask_personal_text,
        "answer": mask_personal_text,
    }


class ConsultationInspectView(MaskedInspectView):
    """The consultation with its clock and what the user may do with it next."""

    template_name = "inbox/admin/consultation_inspect.html"
    viewset = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, consultation = self.request.user, self.object
        status = consultations.clock_status(consultation)
        actions = []
        if consultations.may_answer(user, consultation):
            actions.append((_("答复"), self.viewset.get_url_name("edit")))
        if consultations.may_forward(user, consultation):
            actions.append((_("转处室办理"), self.viewset.get_url_name("forward")))
        if consultations.may_publish(user, consultation):
            actions.append((_("公开设置"), self.viewset.get_url_name("edit")))
        context.update(
            clock_label=clock.LABELS[status[0]] if status else "",
            clock_status=status[0] if status else "",
            days_left=status[1] if status else None,
            actions=[
                (label, reverse(name, args=[consultation.pk]))
                for label, name in actions
            ],
        )
        return context


class ConsultationCreateView(RecordCreateView):
    page_title = gettext_lazy("登记电话或现场咨询")
    submit_button_label = gettext_lazy("登记")
    viewset = None

    def write(self, form):
        data = form.cleaned_data
        consultation, code = consultations.ask(
            form.department,
            name=data["name"],
            mobile=data["mobile"],
            email=data["email"],
            question=data["question"],
            item=data["item"],
            channel=data["channel"],
            actor=self.request.user,
        )
        self.access_code = code
        return consultation

    def get_success_message(self, instance):
        return _(
            "已登记咨询，咨询编号 %(number)s，查询码 %(code)s；"
            "请告知咨询人凭编号和查询码查询答复。"
        ) % {"number": instance.tracking_number, "code": self.access_code}

    def get_success_url(self):
        return reverse(self.viewset.get_url_name("inspect"), args=[self.object.pk])


class ConsultationEditView(RecordEditView):
    """Answer an open consultation; once answered, whether it is public."""

    viewset = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = self.get_object()
        self.answering = self.object.is_open
        if self.answering:
            publishes = consultations.publishes(request.user)
            self.panel = self.viewset.answer_panel(with_public=publishes)
            self.page_title = _("答复咨询")
            self.submit_button_label = _("提交答复")
        else:
            self.panel = self.viewset.publish_panel
            self.page_title = _("公开设置")
            self.submit_button_label = _("保存")
        self.form_class = self.panel.get_form_class()

    def dispatch(self, request, *args, **kwargs):
        if not self.answering and not consultations.may_publish(
            request.user, self.object
        ):
            messages.info(request, _("这条咨询已经答复。"))
            return redirect(self.get_inspect_url())
        return super().dispatch(request, *args, **kwargs)

    def get_success_message(self):
        if self.answering:
            return _("已答复，咨询人将收到通知。")
        return _("公开设置已保存。")

    def get_success_url(self):
        return self.get_inspect_url()

    def write(self, form):
        data = form.cleaned_data
        if self.answering:
            return consultations.answer(
                self.object,
                self.request.user,
                data["version"],
                text=data["answer"],
                public=data.get("public", False),
            )
        return consultations.set_public(
            self.object, self.request.user, data["version"], public=data["public"]
        )


class ConsultationForwardView(RecordEditView):
    page_title = gettext_lazy("转处室办理")
    viewset = None
    submit_button_label = gettext_lazy("转办")
    success_message = gettext_lazy("已转处室办理。")

    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not consultations.may_forward(request.user, self.object):
            messages.info(request, _("这条咨询不能再转办。"))
            return redirect(self.get_inspect_url())
        return super().dispatch(request, *args, **kwargs)

    def get_success_message(self):
        return self.success_message

    def get_edit_url(self):
        # The form posts back here, not to the answer form (the edit view).
        return reverse(self.viewset.get_url_name("forward"), args=[self.object.pk])

    def get_success_url(self):
        return self.get_inspect_url()

    def write(self, form):
        data = form.cleaned_data
        return consultations.forward(
            self.object,
            self.request.user,
            data["version"],
            division=data["division"],
            note=data["forward_note"],
        )


class ConsultationViewSet(PersonalDataViewSetMixin, RecordViewSet):
    """Consultations (咨询) of the department: logged, forwarded, answered,
    published."""

    model = Consultation
    name = "consultations"
    url_prefix = "zixun"
    icon = "help"
    menu_label = gettext_lazy("咨询")
    menu_order = 151
    add_to_admin_menu = True
    select_related = ["department", "item", "division"]
    list_display = [
        "tracking_number",
        DateColumn("asked_at", label=gettext_lazy("咨询时间"), sort_key="asked_at"),
        Column("channel", label=gettext_lazy("方式"), accessor="get_channel_display"),
        Column("item", label=gettext_lazy("咨询事项")),
        MaskedColumn("question", label=gettext_lazy("咨询内容")),
        Column("division", label=gettext_lazy("转办处室")),
        Column("state", label=gettext_lazy("状态"), accessor="get_state_display"),
        DateColumn("due_date", label=gettext_lazy("答复期限"), sort_key="due_date"),
        BooleanColumn("public", label=gettext_lazy("公开")),
    ]
    filterset_class = ConsultationFilterSet
    search_fields = ["tracking_number", "question", "answer", "name"]
    ordering = ["-asked_at", "-pk"]
    index_view_class = ConsultationIndexView
    add_view_class = ConsultationCreateView
    edit_view_class = ConsultationEditView
    inspect_view_class = ConsultationInspectView
    inspect_view_fields = [
        "tracking_number",
        "channel",
        "item",
        "asked_at",
        "due_date",
        "name",
        "mobile",
        "email",
        "question",
        "state",
        "division",
        "forward_note",
        "forwarded_by",
        "answer",
        "answered_by",
        "answered_at",
        "answered_on_time",
        "public",
        "logged_by",
    ]
    inspect_masks = {
        "mobile": mask_mobile,
        "email": mask_personal_text,
        "question": mask_personal_text,
        "answer": mask_personal_text,
    }
    reveal_fields = (
        ("mobile", gettext_lazy("手机号码")),
        ("email", gettext_lazy("电子邮箱")),
        ("question", gettext_lazy("咨询内容")),
    )
    reveal_permission = "view"
    list_export = [
        "tracking_number",
        "asked_at",
        "get_channel_display",
        "item",
        "name",
        "mobile",
        "question",
        "division",
        "get_state_display",
        "due_date",
        "answer",
        "answered_at",
        "answered_on_time",
        "public",
    ]
    export_headings = {
        "tracking_number": gettext_lazy("咨询编号"),
        "asked_at": gettext_lazy("咨询时间"),
        "get_channel_display": gettext_lazy("咨询方式"),
        "item": gettext_lazy("咨询事项"),
        "name": gettext_lazy("咨询人"),
        "mobile": gettext_lazy("手机号码"),
        "question": gettext_lazy("咨询内容"),
        "division": gettext_lazy("转办处室"),
        "get_state_display": gettext_lazy("状态"),
        "due_date": gettext_lazy("答复期限"),
        "answer": gettext_lazy("答复内容"),
        "answered_at": gettext_lazy("答复时间"),
        "answered_on_time": gettext_lazy("按期答复"),
        "public": gettext_lazy("公开答复"),
    }
    export_filename = "zixun"

    @cached_property
    def _edit_handler(self):
        return self.answer_panel(with_public=True)

    def panel(self, fields, form_class):
        """The form's fields after the question, shown masked and read-only."""
        return ObjectList(
            [
                MaskedFieldPanel("question", heading=gettext_lazy("咨询内容")),
                *(FieldPanel(name) for name in fields),
            ],
            base_form_class=form_class,
        ).bind_to_model(self.model)

    def answer_panel(self, with_public):
        fields = ["answer", "public"] if with_public else ["answer"]
        return self.panel(fields, ConsultationAnswerForm)

    @cached_property
    def publish_panel(self):
        return self.panel(["public"], ConsultationPublishForm)

    def get_add_view_kwargs(self, **kwargs):
        panel = super().panel(
            ["channel", "item", "name", "mobile", "email", "question"],
            ConsultationLogForm,
        )
        return super().get_add_view_kwargs(
            panel=panel, form_class=panel.get_form_class(), viewset=self, **kwargs
        )

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(viewset=self, **kwargs)

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(viewset=self, **kwargs)

    @property
    def forward_view(self):
        panel = self.panel(["division", "forward_note"], ConsultationForwardForm)
        return self.construct_view(
            ConsultationForwardView,
            **self.get_edit_view_kwargs(panel=panel, form_class=panel.get_form_class()),
        )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("forward/<int:pk>/", self.forward_view, name="forward")
        ]
