"""`Person`: a named member of staff shown to the public (人员).

Division pages show their people and name a head and deputy; the duty roster
(reception) picks its leaders from the people marked `is_leader`. Edited as a snippet
with drafts and revisions, so a change is public only once published.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    PreviewableMixin,
    RevisionMixin,
)
from wagtail.search import index


class PersonQuerySet(models.QuerySet):
    def live(self):
        """People whose current version is published."""
        return self.filter(live=True)


class Person(
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    models.Model,
):
    """A person with a name, title, department and division, portrait and duties."""

    name = models.CharField(_("姓名"), max_length=40)
    title = models.CharField(
        _("职务"), max_length=80, help_text=_("例如：局长、处长、副处长、科员。")
    )
    department = models.ForeignKey(
        "disclosure.DepartmentPage",
        verbose_name=_("所属部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        help_text=_("选择了处室时可不填，保存时自动取处室所在部门。"),
    )
    division = models.ForeignKey(
        "disclosure.DivisionPage",
        verbose_name=_("所属处室"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        help_text=_("部门领导不填处室。"),
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("照片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("证件照或头像，竖版为宜。"),
    )
    duties = models.TextField(
        _("分工"), blank=True, help_text=_("分管或负责的工作，公开显示。")
    )
    is_leader = models.BooleanField(
        _("部门或处室负责人"),
        default=False,
        help_text=_("勾选后可排入领导接访值班表。"),
    )
    sort_order = models.IntegerField(
        _("排序"), default=0, help_text=_("数字小的排在前面。")
    )

    objects = PersonQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("title")]),
        MultiFieldPanel(
            [FieldPanel("department"), FieldPanel("division")],
            heading=_("所属单位"),
        ),
        FieldPanel("photo"),
        FieldPanel("duties"),
        FieldRowPanel([FieldPanel("is_leader"), FieldPanel("sort_order")]),
    ]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.SearchField("duties"),
        # The admin's department scope filters the searched people by id
        # (`portal.scope`).
        index.FilterField("id"),
        index.FilterField("department"),
        index.FilterField("division"),
        index.FilterField("is_leader"),
        index.FilterField("live"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        # Declared here (Wagtail would add them after migrating) so that data
        # migrations can grant them to the role groups.
        permissions = [
            ("publish_person", "可以发布人员"),
            ("lock_person", "可以锁定人员"),
            ("unlock_person", "可以解锁人员"),
        ]

    def __str__(self):
        return f"{self.name}（{self.title}）" if self.title else self.name

    def save(self, *args, **kwargs):
        if self.division_id and not self.department_id:
            self.department = self.division_department()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        division_department = self.division_department()
        if division_department is None:
            return
        if self.department_id and self.department_id != division_department.pk:
            raise ValidationError({"division": _("所选处室不属于所选部门。")})
        self.department = division_department

    def division_department(self):
        """The department the chosen division belongs to, or None."""
        if not self.division_id:
            return None
        departments = self._meta.get_field("department").related_model.objects
        return departments.parent_of(self.division).first()

    def get_preview_template(self, request, mode_name):
        return "disclosure/person_preview.html"
