"""Admin of duty rosters (接访值班表): the snippet with its rotation generator and
the safe publish, and leaders' unavailability, which the generator respects."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import (
    Column,
    LiveStatusTagColumn,
    UpdatedAtColumn,
)
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import log
from wagtail.snippets.views.snippets import (
    EditView as SnippetEditView,
)
from wagtail.snippets.views.snippets import (
    IndexView as SnippetIndexView,
)
from wagtail.snippets.views.snippets import SnippetViewSet

from disclosure.models.staff import department_of
from portal.columns import CalendarDateColumn
from portal.scope import ScopedViewSetMixin
from reception.forms import (
    GenerateRosterForm,
    LeaderUnavailabilityForm,
    RosterPeriodForm,
)
from reception.models import LeaderUnavailability, RosterPeriod
from reception.roster import generate_roster
from reception.views.admin_shared import ScopedModelViewSet


class RosterPeriodIndexView(SnippetIndexView):
    generate_url_name = None

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.generate_url_name and self.user_has_permission("add"):
            buttons.append(
                HeaderButton(
                    _("按轮值自动排班"),
                    url=reverse(self.generate_url_name),
                    icon_name="calendar-alt",
                )
            )
        return buttons


class RosterPeriodEditView(SnippetEditView):
    def publish_action(self):
        """Publishing writes the draft's entries; if a leader's slot was taken
        meanwhile the database refuses it. Keep the draft and say so on the form."""
        try:
            with transaction.atomic():
                return super().publish_action()
        except IntegrityError:
            self.form.add_error(
                None,
                _(
                    "发布失败：草稿中有领导的值班时段已被其他值班安排占用，"
                    "请核对调整后重新发布。草稿已保存。"
                ),
            )
            self.produced_error_message = _("值班表未能发布，请按提示修改。")
            return self.form_invalid(self.form)


class GenerateRosterView(WagtailAdminTemplateMixin, FormView):
    """Create a draft roster for a period by rotation, for the clerk to adjust."""

    template_name = "wagtailadmin/generic/form.html"
    form_class = GenerateRosterForm
    page_title = gettext_lazy("按轮值自动排班")
    header_icon = "calendar-alt"
    viewset = None

    def dispatch(self, request, *args, **kwargs):
        policy = self.viewset.permission_policy
        if not policy.user_has_permission(request.user, "add"):
            raise PermissionDenied
        self.user_department = (
            None if request.user.is_superuser else department_of(request.user)
        )
        if not request.user.is_superuser and self.user_department is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user_department": self.user_department}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse(self.viewset.get_url_name("list")),
                "label": RosterPeriod._meta.verbose_name_plural,
            },
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=self.request.path,
            submit_button_label=_("生成草稿"),
            submit_button_active_label=_("正在生成…"),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        period = RosterPeriod(
            department=data["department"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            live=False,
        )
        proposal = generate_roster(
            period.department,
            period.start_date,
            period.end_date,
            pattern=data["pattern"],
            location=data["location"],
            scope=data["scope"],
        )
        period.title = period.default_title()
        period.entries = proposal.entries
        period.save()
        revision = period.save_revision(user=self.request.user, log_action=False)
        log(period, "wagtail.create", user=self.request.user, revision=revision)
        messages.success(
            self.request,
            _("已生成“%(title)s”草稿，共 %(count)s 条值班安排。请核对调整后提交发布。")
            % {"title": period, "count": len(proposal.entries)},
        )
        if proposal.unfilled:
            days = "、".join(f"{day:%m-%d}" for day, _slot in proposal.unfilled[:10])
            messages.warning(
                self.request,
                _("有 %(count)s 个时段没有可安排的领导（%(days)s），请手动补充。")
                % {"count": len(proposal.unfilled), "days": days},
            )
        return redirect(self.viewset.get_url_name("edit"), period.pk)


class RosterPeriodViewSet(ScopedViewSetMixin, SnippetViewSet):
    """Duty rosters (接访值班表): generated by rotation, adjusted, then published."""

    model = RosterPeriod
    icon = "date"
    menu_label = gettext_lazy("接访值班表")
    menu_name = "roster-periods"
    index_view_class = RosterPeriodIndexView
    edit_view_class = RosterPeriodEditView
    list_display = [
        "__str__",
        Column("department", label=gettext_lazy("部门")),
        CalendarDateColumn("start_date", label=gettext_lazy("开始日期")),
        CalendarDateColumn("end_date", label=gettext_lazy("结束日期")),
        LiveStatusTagColumn(),
        UpdatedAtColumn(),
    ]
    list_filter = ["live"]
    ordering = "-start_date"
    copy_view_enabled = False
    edit_handler = ObjectList(RosterPeriod.panels, base_form_class=RosterPeriodForm)

    def get_queryset(self, request):
        return RosterPeriod.objects.select_related("department")

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            generate_url_name=self.get_url_name("generate"), **kwargs
        )

    @property
    def generate_view(self):
        return GenerateRosterView.as_view(viewset=self)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("generate/", self.generate_view, name="generate")
        ]


class LeaderUnavailabilityViewSet(ScopedModelViewSet):
    """When leaders cannot be on duty; the generator skips those dates."""

    model = LeaderUnavailability
    icon = "calendar-check"
    menu_label = gettext_lazy("领导不能值班")
    menu_name = "leader-unavailability"
    select_related = ["person"]
    list_display = [
        Column("person", label=gettext_lazy("领导")),
        CalendarDateColumn("start_date", label=gettext_lazy("开始日期")),
        CalendarDateColumn("end_date", label=gettext_lazy("结束日期")),
        "reason",
    ]
    ordering = "-start_date"
    copy_view_enabled = False
    edit_handler = ObjectList(
        LeaderUnavailability.panels, base_form_class=LeaderUnavailabilityForm
    )
