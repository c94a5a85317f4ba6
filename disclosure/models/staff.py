"""Who belongs where: staff membership and each department's own staff groups.

Every staff user belongs to one department, and handlers to one division (DESIGN §3).
Other apps scope their querysets with `department_of(user)` / `division_of(user)`.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from portal import roles


class StaffMembership(models.Model):
    """The department (and, for handlers, the division) a staff user works in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="staff_membership",
    )
    department = models.ForeignKey(
        "disclosure.DepartmentPage",
        verbose_name=_("所属部门"),
        on_delete=models.CASCADE,
        related_name="staff_memberships",
    )
    division = models.ForeignKey(
        "disclosure.DivisionPage",
        verbose_name=_("所属处室"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_memberships",
        help_text=_("承办处室的工作人员必须选择处室；只能选择所属部门下的处室。"),
    )

    panels = [FieldPanel("user"), FieldPanel("department"), FieldPanel("division")]

    class Meta:
        verbose_name = _("工作人员归属")
        verbose_name_plural = _("工作人员归属")

    def __str__(self):
        place = self.department.title
        if self.division_id:
            place = f"{place} / {self.division.title}"
        return f"{self.user.get_username()} · {place}"

    def clean(self):
        super().clean()
        if (
            self.division_id
            and self.department_id
            and not self.division.path.startswith(self.department.path)
        ):
            raise ValidationError({"division": _("所选处室不属于所选部门。")})


def membership_of(user):
    """The user's `StaffMembership`, or None (anonymous users and non-members)."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.staff_membership
    except StaffMembership.DoesNotExist:
        return None


def department_of(user):
    """The `DepartmentPage` the user works in, or None."""
    membership = membership_of(user)
    return membership.department if membership else None


def division_of(user):
    """The `DivisionPage` the user works in, or None."""
    membership = membership_of(user)
    return membership.division if membership else None


# The roles that get a group of their own in every department.
DEPARTMENT_GROUP_ROLES = (roles.Role.EDITOR, roles.Role.MODERATOR)


class DepartmentGroup(models.Model):
    """Links a department to its own group for one role, e.g. 内容编辑 · 省生态环境厅.

    The group carries the page permissions on the department's subtree; keeping the
    link (not the name) lets a department be renamed without losing its groups.
    """

    department = models.ForeignKey(
        "disclosure.DepartmentPage",
        verbose_name=_("部门"),
        on_delete=models.CASCADE,
        related_name="staff_groups",
    )
    role = models.CharField(_("角色"), max_length=20, choices=roles.Role.choices)
    group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("用户组"),
        on_delete=models.CASCADE,
        related_name="department_link",
    )

    class Meta:
        verbose_name = _("部门用户组")
        verbose_name_plural = _("部门用户组")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "role"], name="unique_department_role_group"
            )
        ]

    def __str__(self):
        return self.group.name


def department_group_name(department, role):
    """The name of a department's own group for `role`, e.g.
    "内容编辑 · 省市场监督管理局（SJ）". The code makes it unique (two departments may
    share a name after a reorganisation); the title follows renames."""
    return f"{roles.GROUP_NAMES[role]} · {department.title}（{department.code}）"


def check_group_names(department):
    """Refuse names `department`'s groups would take that belong to a group it does
    not own (made by hand, or another department's): a real clash an administrator
    must resolve, rather than that group silently given the department's page
    permissions. Raises a ValidationError on the code field."""
    names = [department_group_name(department, role) for role in DEPARTMENT_GROUP_ROLES]
    taken = Group.objects.filter(name__in=names)
    if department.pk is not None:
        taken = taken.exclude(department_link__department=department)
    clashes = sorted(taken.values_list("name", flat=True))
    if clashes:
        raise ValidationError(
            {
                "code": _(
                    "已有不属于本部门的用户组「%(names)s」，"
                    "请先在“设置 › 用户组”中将其改名或删除。"
                )
                % {"names": "」「".join(clashes)}
            }
        )
