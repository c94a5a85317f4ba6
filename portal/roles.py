"""Staff roles (DESIGN §1) as Django groups, and the permissions each one holds.

The provincial government office (省政府办公厅政务公开办, issue 17 point 5) stands
above the departments: its people belong to no department and read every
department's figures side by side, without any case.

Groups are created by data migrations through `sync_role_permissions`; later apps call
it again from their own migrations to add the permissions of the models they bring.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EDITOR = "editor", _("内容编辑")
    MODERATOR = "moderator", _("内容审核")
    CLERK = "clerk", _("窗口收发文")
    DIRECTOR = "director", _("办公室主任")
    HANDLER = "handler", _("承办处室")
    SUPERVISOR = "supervisor", _("监察室")
    PROVINCIAL = "provincial", _("省政府办公厅（政务公开办）")


# Group names are what an administrator sees in the admin, so they are in Chinese.
GROUP_NAMES = {
    Role.EDITOR: "内容编辑",
    Role.MODERATOR: "内容审核",
    Role.CLERK: "窗口收发文",
    Role.DIRECTOR: "办公室主任",
    Role.HANDLER: "承办处室",
    Role.SUPERVISOR: "监察室",
    Role.PROVINCIAL: "省政府办公厅政务公开办",
}

# (app_label, codename) pairs per role, beyond admin access which every role has.
BASE_PERMISSIONS = {
    Role.EDITOR: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
    ],
    Role.MODERATOR: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
        ("portal", "add_workdayoverride"),
        ("portal", "change_workdayoverride"),
        ("portal", "delete_workdayoverride"),
        ("portal", "add_workdayyear"),
        ("portal", "change_workdayyear"),
    ],
    Role.CLERK: [],
    Role.DIRECTOR: [],
    Role.HANDLER: [],
    Role.SUPERVISOR: [],
    Role.PROVINCIAL: [],
}


def group_name(role):
    return GROUP_NAMES[role]


def sync_role_permissions(apps, permissions):
    """Create the role groups if missing and grant `permissions`
    ({role: [(app_label, codename), ...]}). Safe to run again."""
    from django.contrib.auth.management import create_permissions

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    for role, name in GROUP_NAMES.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        for app_label, codename in permissions.get(role, []):
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )
