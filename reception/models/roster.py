"""The leaders' duty roster (领导接访值班表, DESIGN §6).

A `RosterPeriod` is one department's roster for a stretch of dates (usually a month),
edited as a snippet with drafts and revisions: the window clerk generates it
(`reception.roster.generate_roster`), adjusts the `RosterEntry` rows inline and saves a
draft; a moderator or the director publishes it. Entries are public only while their
period is live, and the database rows always hold the published version, so the
public pages, the iCal feed and the API read `RosterEntry.objects.published()`.
`LeaderUnavailability` records when a leader cannot be put on duty.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin


class Slot(models.TextChoices):
    """The part of a working day a leader is on duty."""

    MORNING = "morning", _("上午")
    AFTERNOON = "afternoon", _("下午")
    FULL_DAY = "full_day", _("全天")


SLOT_HOURS = {
    Slot.MORNING: (datetime.time(8, 30), datetime.time(11, 30)),
    Slot.AFTERNOON: (datetime.time(13, 30), datetime.time(17, 0)),
    Slot.FULL_DAY: (datetime.time(8, 30), datetime.time(17, 0)),
}
"""Reception hours of each slot, Beijing time."""

# The half days each slot occupies: a full-day duty conflicts with both half days.
SLOT_HALVES = {
    Slot.MORNING: {Slot.MORNING},
    Slot.AFTERNOON: {Slot.AFTERNOON},
    Slot.FULL_DAY: {Slot.MORNING, Slot.AFTERNOON},
}
_SLOT_RANK = {Slot.FULL_DAY: 0, Slot.MORNING: 1, Slot.AFTERNOON: 2}

# Written to the rows being rewritten while a period is published, so that two entries
# trading places never meet the one-duty-per-half-day constraint halfway through.
SLOT_IN_TRANSIT = "in_transit"

MAX_PERIOD_DAYS = 92
"""The longest period one roster may cover (about a quarter)."""


def slots_overlap(first, second):
    return bool(SLOT_HALVES.get(first, set()) & SLOT_HALVES.get(second, set()))


def slot_rank(slot):
    """Display order of the slots on one day: full day, morning, afternoon."""
    return _SLOT_RANK.get(slot, 9)


class RosterPeriod(DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel):
    """One department's duty roster for a stretch of dates, published as a whole."""

    department = models.ForeignKey(
        "disclosure.DepartmentPage",
        verbose_name=_("部门"),
        on_delete=models.CASCADE,
        related_name="roster_periods",
    )
    title = models.CharField(
        _("名称"),
        max_length=80,
        blank=True,
        help_text=_("不填则按日期生成，例如“2026年10月领导接访值班表”。"),
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    note = models.TextField(
        _("说明"),
        blank=True,
        help_text=_("在公开的值班表下方显示，例如临时调整的原因。"),
    )

    panels = [
        FieldPanel("department"),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("note"),
        InlinePanel("entries", heading=_("值班安排"), label=_("值班")),
    ]

    class Meta:
        ordering = ["-start_date", "department"]
        verbose_name = _("接访值班表")
        verbose_name_plural = _("接访值班表")
        # Declared here (Wagtail would add them after migrating) so that the data
        # migration can grant them to the role groups.
        permissions = [
            ("publish_rosterperiod", "可以发布接访值班表"),
            ("lock_rosterperiod", "可以锁定接访值班表"),
            ("unlock_rosterperiod", "可以解锁接访值班表"),
        ]

    def __str__(self):
        return self.title or self.default_title()

    def default_title(self):
        start, end = self.start_date, self.end_date
        if start and end and start.day == 1 and (end + datetime.timedelta(1)).day == 1:
            if start.year == end.year and start.month == end.month:
                return gettext("%(year)s年%(month)s月领导接访值班表") % {
                    "year": start.year,
                    "month": start.month,
                }
        if start and end:
            return gettext("领导接访值班表（%(start)s 至 %(end)s）") % {
                "start": f"{start:%Y-%m-%d}",
                "end": f"{end:%Y-%m-%d}",
            }
        return gettext("领导接访值班表")

    def clean(self):
        super().clean()
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                raise ValidationError({"end_date": _("结束日期不能早于开始日期。")})
            if (self.end_date - self.start_date).days >= MAX_PERIOD_DAYS:
                raise ValidationError(
                    {
                        "end_date": _("一个值班表最多覆盖 %(days)s 天。")
                        % {"days": MAX_PERIOD_DAYS}
                    }
                )
            if self.department_id and self.overlapping_periods().exists():
                raise ValidationError(
                    _("本部门已有与这段日期重叠的值班表，请调整日期或编辑原值班表。")
                )

    def overlapping_periods(self):
        """Other periods of the same department sharing at least one date."""
        return (
            RosterPeriod.objects.filter(
                department_id=self.department_id,
                start_date__lte=self.end_date,
                end_date__gte=self.start_date,
            )
            .exclude(pk=self.pk)
            .order_by("start_date")
        )

    def save(self, **kwargs):
        update_fields = kwargs.get("update_fields")
        if self.pk and (update_fields is None or "entries" in update_fields):
            self._park_moving_entries()
        super().save(**kwargs)

    def _park_moving_entries(self):
        """Before modelcluster writes the entries row by row, move the stored rows
        whose leader, date or slot changes out of every slot (`SLOT_IN_TRANSIT`).
        Only for saves that write the entries, not for a draft's bookkeeping."""
        pending = getattr(self, "_cluster_related_objects", {}).get("entries")
        if pending is None:
            return
        wanted = {e.pk: (e.leader_id, e.date, e.slot) for e in pending if e.pk}
        stored = RosterEntry.objects.filter(pk__in=wanted).values_list(
            "pk", "leader_id", "date", "slot"
        )
        moving = [pk for pk, *now in stored if tuple(now) != wanted[pk]]
        if moving:
            RosterEntry.objects.filter(pk__in=moving).update(slot=SLOT_IN_TRANSIT)


class RosterEntryQuerySet(models.QuerySet):
    def published(self):
        """Entries of live periods: what the public may see."""
        return self.filter(period__live=True)

    def of_department(self, department):
        return self.filter(period__department=department)

    def between(self, start, end):
        return self.filter(date__gte=start, date__lte=end)

    def in_display_order(self):
        rank = Case(
            *(When(slot=slot, then=Value(r)) for slot, r in _SLOT_RANK.items()),
            default=Value(9),
            output_field=models.IntegerField(),
        )
        return self.select_related("leader", "period__department").order_by(
            "date", rank, "leader__sort_order", "pk"
        )


class RosterEntry(models.Model):
    """One leader on duty (值班接访) in one slot of one working day."""

    period = ParentalKey(
        RosterPeriod,
        verbose_name=_("值班表"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    date = models.DateField(_("日期"))
    slot = models.CharField(
        _("时段"), max_length=10, choices=Slot.choices, default=Slot.MORNING
    )
    leader = models.ForeignKey(
        "disclosure.Person",
        verbose_name=_("接访领导"),
        on_delete=models.PROTECT,
        related_name="roster_entries",
        limit_choices_to={"is_leader": True},
    )
    location = models.CharField(
        _("接访地点"),
        max_length=120,
        blank=True,
        help_text=_("例如：政务服务中心一楼接访室"),
    )
    scope = models.CharField(
        _("接访范围"),
        max_length=255,
        blank=True,
        help_text=_("重点接待的事项，例如：业务办理来访、咨询、意见和建议。"),
    )

    panels = [
        FieldRowPanel(
            [
                FieldPanel("date"),
                FieldPanel("slot"),
                FieldPanel("leader", widget=forms.Select),
            ]
        ),
        FieldRowPanel([FieldPanel("location"), FieldPanel("scope")]),
    ]

    objects = RosterEntryQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("值班安排")
        verbose_name_plural = _("值班安排")
        constraints = [
            # One leader holds at most one entry per half day; a full-day entry
            # occupies both halves, so it conflicts with either half-day entry.
            models.UniqueConstraint(
                fields=["leader", "date"],
                condition=Q(slot__in=[Slot.MORNING, Slot.FULL_DAY]),
                name="reception_leader_one_duty_per_morning",
                violation_error_message=_("该领导在这一天上午已有值班安排。"),
            ),
            models.UniqueConstraint(
                fields=["leader", "date"],
                condition=Q(slot__in=[Slot.AFTERNOON, Slot.FULL_DAY]),
                name="reception_leader_one_duty_per_afternoon",
                violation_error_message=_("该领导在这一天下午已有值班安排。"),
            ),
        ]
        indexes = [models.Index(fields=["date", "slot"])]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_slot_display()} {self.leader.name}"

    @property
    def hours(self):
        """(start, end) times of the slot, Beijing time."""
        return SLOT_HOURS[self.slot]


class LeaderUnavailability(models.Model):
    """Dates on which a leader cannot receive visitors (出差、会议、休假); the roster
    generator skips them."""

    person = models.ForeignKey(
        "disclosure.Person",
        verbose_name=_("领导"),
        on_delete=models.CASCADE,
        related_name="unavailabilities",
        limit_choices_to={"is_leader": True},
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    reason = models.CharField(
        _("原因"), max_length=120, blank=True, help_text=_("例如：外出学习、出差。")
    )

    panels = [
        FieldPanel("person", widget=forms.Select),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("reason"),
    ]

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("领导不能值班")
        verbose_name_plural = _("领导不能值班")

    def __str__(self):
        return f"{self.person.name} {self.start_date:%Y-%m-%d}—{self.end_date:%Y-%m-%d}"

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("结束日期不能早于开始日期。")})
