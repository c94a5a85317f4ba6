"""`ReceptionPage`: a department's public reception page (领导接访).

One per department, under its `DepartmentPage`. It shows who receives visitors today,
this week and next week, a month view, the redacted summaries of public reception
records, and takes appointment requests; further routes serve the iCal feed, a print
view and the appointment lookup. The routes are served by the public views in
`reception.views.public` and `reception.views.booking`, registered in
`ReceptionConfig.ready()`.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from portal.routing import ViewRoutesMixin, view_route


class ReceptionPage(ViewRoutesMixin, Page):
    """The department's leaders' reception page: duty roster, records, appointments."""

    intro = RichTextField(
        _("导语"),
        blank=True,
        features=["bold", "italic", "ol", "ul", "link"],
        help_text=_("接访制度的简要说明：接待对象、接访范围、注意事项。"),
    )
    appointments_open = models.BooleanField(_("接受网上预约"), default=True)
    appointment_capacity = models.PositiveSmallIntegerField(
        _("每个值班时段可预约人数"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("待确认和已确认的预约达到这个人数后，该时段不再接受预约。"),
    )
    appointment_notice = models.TextField(
        _("预约须知"),
        blank=True,
        help_text=_("显示在预约表单上方，例如需要携带的材料。"),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("appointments_open"),
                FieldPanel("appointment_capacity"),
                FieldPanel("appointment_notice"),
            ],
            heading=_("网上预约"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["disclosure.DepartmentPage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("领导接访页面")
        verbose_name_plural = _("领导接访页面")

    @cached_property
    def department(self):
        from disclosure.models import DepartmentPage

        return DepartmentPage.objects.parent_of(self).first()

    # Routes: their views (`reception.views.public`, `.booking`) import these models,
    # so `ReceptionConfig.ready()` hands them over (`portal.routing`).
    index = view_route("", "index")
    month = view_route("month/", "month")
    print_view = view_route("print/", "print")
    calendar_feed = view_route("ical/", "calendar")
    appointment = view_route("appointment/<int:entry_id>/", "appointment")
    appointment_submitted = view_route(
        "appointment/submitted/", "appointment_submitted"
    )
    lookup = view_route("lookup/", "lookup")

    def subpage_url(self, name, request=None, **kwargs):
        """The URL of one of the page's routes, e.g. ``subpage_url("lookup")``."""
        return self.get_url(request) + self.reverse_subpage(name, kwargs=kwargs or None)
