"""`ReceptionPage`: a department's public reception page (领导接访).

One per department, under its `DepartmentPage`. It shows who receives visitors today,
this week and next week, a month view, the redacted summaries of public reception
records, and takes appointment requests; further routes serve the iCal feed, a print
view and the appointment lookup. The routes hand over to the public views in
`reception.views.public` and `reception.views.booking`.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class ReceptionPage(RoutablePageMixin, Page):
    """The department's leaders' reception page: duty roster, records, appointments."""

    intro = RichTextField(
        _("导语"),
        blank=True,
        features=["bold", "italic", "ol", "ul", "link"],
        help_text=_("接访制度的简要说明:接待对象、接访范围、注意事项。"),
    )
    appointments_open = models.BooleanField(_("接受网上预约"), default=True)
    appointment_capacity = models.PositiveSmallIntegerField(
        _("每个值班时段可预约人数"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("待确认和已确认的预约达到这个人数后,该时段不再接受预约。"),
    )
    appointment_notice = models.TextField(
        _("预约须知"),
        blank=True,
        help_text=_("显示在预约表单上方,例如需要携带的材料。"),
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

    @path("", name="index")
    def index(self, request):
        from reception.views import public

        return public.reception_index(request, self)

    @path("month/", name="month")
    def month(self, request):
        from reception.views import public

        return public.reception_month(request, self)

    @path("print/", name="print")
    def print_view(self, request):
        from reception.views import public

        return public.reception_print(request, self)

    @path("ical/", name="calendar")
    def calendar_feed(self, request):
        from reception.views import public

        return public.reception_calendar(request, self)

    @path("appointment/<int:entry_id>/", name="appointment")
    def appointment(self, request, entry_id):
        from reception.views import booking

        return booking.appointment_request(request, self, entry_id)

    @path("appointment/submitted/", name="appointment_submitted")
    def appointment_submitted(self, request):
        from reception.views import booking

        return booking.appointment_submitted(request, self)

    @path("lookup/", name="lookup")
    def lookup(self, request):
        from reception.views import booking

        return booking.appointment_lookup(request, self)

    def subpage_url(self, name, request=None, **kwargs):
        """The URL of one of the page's routes, e.g. ``subpage_url("lookup")``."""
        return self.get_url(request) + self.reverse_subpage(name, kwargs=kwargs or None)
