"""Admin of citizens' appointment requests (接访预约): the clerk confirms or
declines each one; nobody adds them here (`reception.permissions.AppointmentPolicy`).
The request's own page (inspect view) and the decision form show the mobile number
masked; the clerk's logged "show" action reveals it."""

import django_filters
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column, DateColumn

from portal.columns import CalendarDateColumn
from portal.masking import MaskedColumn, mask_mobile, mask_personal_text
from portal.personal_data import PersonalDataViewSetMixin
from reception.forms import AppointmentDecisionForm
from reception.models import AppointmentRequest
from reception.views.admin_shared import ScopedLeaderFilterSet, ScopedModelViewSet


class AppointmentRequestFilterSet(ScopedLeaderFilterSet):
    date = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("预约日期"), widget=DateRangePickerWidget
    )

    class Meta:
        model = AppointmentRequest
        fields = ["status", "date", "leader"]


class AppointmentRequestViewSet(PersonalDataViewSetMixin, ScopedModelViewSet):
    """Citizens' appointment requests: the clerk confirms or declines each one."""

    model = AppointmentRequest
    icon = "mail"
    menu_label = gettext_lazy("接访预约")
    menu_name = "appointment-requests"
    select_related = ["leader"]
    list_display = [
        "number",
        CalendarDateColumn("date", label=gettext_lazy("预约日期")),
        "slot",
        Column("leader", label=gettext_lazy("接访领导")),
        MaskedColumn("name", label=gettext_lazy("姓名")),
        "status",
        DateColumn("created_at", label=gettext_lazy("提交时间")),
    ]
    filterset_class = AppointmentRequestFilterSet
    search_fields = ["number", "name", "phone", "matter"]
    ordering = ["-created_at"]
    copy_view_enabled = False
    inspect_view_fields = [
        "number",
        "date",
        "slot",
        "leader",
        "location",
        "name",
        "phone",
        "email",
        "matter",
        "status",
        "reply",
        "created_at",
        "decided_at",
        "decided_by",
    ]
    inspect_masks = {
        "name": mask_personal_text,
        "phone": mask_mobile,
        "matter": mask_personal_text,
        "reply": mask_personal_text,
    }
    reveal_fields = (
        ("phone", gettext_lazy("手机号码")),
        ("matter", gettext_lazy("反映事项")),
    )
    edit_handler = ObjectList(
        AppointmentRequest.panels, base_form_class=AppointmentDecisionForm
    )
