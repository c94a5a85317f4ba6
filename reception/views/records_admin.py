"""Admin of reception records (接访记录): the archive with filters, attachments, a
masked, logged XLSX/CSV export, and the record's own page (inspect view) with the
visitor's ID number and contact masked behind a logged "show" action for the
clerks who keep the records."""

import django_filters
from django.urls import path
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView

from portal.columns import CalendarDateColumn, YesNoColumn
from portal.masking import MaskedColumn, mask_id_number, mask_personal_text
from portal.personal_data import PersonalDataExportMixin, PersonalDataViewSetMixin
from reception.forms import ReceptionRecordForm
from reception.models import ReceptionRecord
from reception.views.admin_shared import ScopedLeaderFilterSet, ScopedModelViewSet
from reception.views.downloads import AttachmentView


class ReceptionRecordFilterSet(ScopedLeaderFilterSet):
    date = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("接访日期"), widget=DateRangePickerWidget
    )

    class Meta:
        model = ReceptionRecord
        fields = [
            "date",
            "leader",
            "visitor_type",
            "follow_up_status",
            "is_public",
            "is_archived",
        ]


class ReceptionRecordIndexView(PersonalDataExportMixin, IndexView):
    """The records listing; its export masks ID and mobile numbers and is logged."""

    export_masks = dict.fromkeys(
        ("visitor_name", "visitor_contact", "matter", "result"), mask_personal_text
    )


class ReceptionRecordViewSet(PersonalDataViewSetMixin, ScopedModelViewSet):
    """Reception records (接访记录): the archive, with filters and XLSX export."""

    model = ReceptionRecord
    icon = "doc-full"
    menu_label = gettext_lazy("接访记录")
    menu_name = "reception-records"
    select_related = ["leader"]
    list_display = [
        CalendarDateColumn("date", label=gettext_lazy("接访日期")),
        Column("leader", label=gettext_lazy("接访领导")),
        "visitor_type",
        MaskedColumn("matter", label=gettext_lazy("来访事项")),
        "follow_up_status",
        CalendarDateColumn("follow_up_deadline", label=gettext_lazy("跟进期限")),
        YesNoColumn("is_public", label=gettext_lazy("公开")),
        YesNoColumn("is_archived", label=gettext_lazy("归档")),
    ]
    filterset_class = ReceptionRecordFilterSet
    search_fields = ["matter", "result", "visitor_name"]
    ordering = ["-date", "-pk"]
    copy_view_enabled = False
    inspect_view_fields = [
        "department",
        "date",
        "leader",
        "visitor_name",
        "visitor_type",
        "visitor_id_number",
        "visitor_contact",
        "matter",
        "result",
        "follow_up_deadline",
        "follow_up_status",
        "is_public",
        "is_archived",
        "created_by",
        "created_at",
    ]
    inspect_masks = {
        "visitor_name": mask_personal_text,
        "visitor_id_number": mask_id_number,
        "visitor_contact": mask_personal_text,
        "matter": mask_personal_text,
        "result": mask_personal_text,
    }
    reveal_fields = (
        ("visitor_id_number", gettext_lazy("来访人身份证号码")),
        ("visitor_contact", gettext_lazy("来访人联系方式")),
        ("matter", gettext_lazy("来访事项")),
        ("result", gettext_lazy("处理结果")),
    )
    list_export = [
        "date",
        "leader.name",
        "visitor_name",
        "visitor_contact",
        "get_visitor_type_display",
        "matter",
        "result",
        "follow_up_deadline",
        "get_follow_up_status_display",
        "is_public",
        "is_archived",
    ]
    export_headings = {
        "date": gettext_lazy("接访日期"),
        "leader.name": gettext_lazy("接访领导"),
        "visitor_name": gettext_lazy("来访人姓名"),
        "visitor_contact": gettext_lazy("来访人联系方式"),
        "get_visitor_type_display": gettext_lazy("来访人类别"),
        "matter": gettext_lazy("来访事项"),
        "result": gettext_lazy("处理结果"),
        "follow_up_deadline": gettext_lazy("跟进期限"),
        "get_follow_up_status_display": gettext_lazy("跟进状态"),
        "is_public": gettext_lazy("公开摘要"),
        "is_archived": gettext_lazy("已归档"),
    }
    export_filename = "reception-records"
    index_view_class = ReceptionRecordIndexView
    edit_handler = ObjectList(
        ReceptionRecord.panels, base_form_class=ReceptionRecordForm
    )

    @property
    def attachment_view(self):
        return AttachmentView.as_view(viewset=self)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("attachment/<int:pk>/", self.attachment_view, name="attachment")
        ]
