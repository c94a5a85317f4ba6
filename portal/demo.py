"""The demo site: contact settings, one login per role (the provincial government
office's `provincial` above the departments), and each app's demo content.

`load_demo` calls `load_portal_demo`; every step is idempotent so the command can run
again after an upgrade. The apps' own demo builders live in their `demo.py` modules
and are declared in their `AppConfig.demo_steps`.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from portal import roles
from portal.models import ContactSettings

DEMO_PASSWORD = "Chuangkou@2026"


def demo_content_exists():
    """True once there are pages below the home page, i.e. `load_demo` (or real
    content) ran."""
    from wagtail.models import Page

    return Page.objects.filter(depth__gt=2).exists()


def demo_users_enabled():
    """Demo logins exist only under the development (and test) settings."""
    return getattr(settings, "DEMO_USERS_ENABLED", False)


def ensure_user(username, role, **extra):
    """Create or refresh one demo login; returns the user."""
    User = get_user_model()
    user, _created = User.objects.get_or_create(username=username)
    user.is_staff = True
    user.is_superuser = role is None
    user.is_active = True
    for field, value in extra.items():
        setattr(user, field, value)
    user.set_password(DEMO_PASSWORD)
    user.save()
    if role is not None:
        user.groups.add(Group.objects.get(name=roles.group_name(role)))
    return user


@transaction.atomic
def load_portal_demo(site, home, stdout):
    contact = ContactSettings.for_site(site)
    contact.organisation = "窗口办公政务公开平台"
    contact.address = "吉林省长春市人民大街 1 号 政务服务中心一楼"
    contact.postcode = "130051"
    contact.public_hours = "工作日 上午 8:30—11:30，下午 13:30—17:00（法定节假日除外）"
    contact.hotline = "0431-12345"
    contact.complaint_channel = "监察室投诉电话 0431-88880000，或在线投诉"
    contact.save()

    home.title = "首页"
    home.intro = "一个窗口进出，一次告知材料，限时办结回复。"
    home.save_revision().publish()
    site.site_name = "窗口办公政务公开平台"
    site.save()

    if demo_users_enabled():
        ensure_user("admin", None, first_name="管理员")
        # Above the departments: no department of its own, every one's figures.
        ensure_user(
            "provincial", roles.Role.PROVINCIAL, first_name="省政府办公厅政务公开办"
        )
    for step in demo_steps():
        step(home, stdout)
    stdout.write("演示内容已载入。")


def demo_steps():
    """The demo builders the installed apps declare in their `AppConfig.demo_steps`
    (dotted paths), in the order of `INSTALLED_APPS`; the portal names none."""
    from django.apps import apps
    from django.utils.module_loading import import_string

    return [
        import_string(path)
        for config in apps.get_app_configs()
        for path in getattr(config, "demo_steps", ())
    ]


def demo_logins():
    """(username, what the login is for) of the demo users, read from the database so
    that a later `make run` prints them too."""
    User = get_user_model()
    role_names = {name: role for role, name in roles.GROUP_NAMES.items()}
    users = (
        User.objects.filter(is_active=True, is_staff=True)
        .select_related("staff_membership__department", "staff_membership__division")
        .prefetch_related("groups")
        .order_by("pk")
    )
    rows = []
    for user in users:
        if user.is_superuser:
            rows.append((user.username, "超级管理员（全部权限）"))
            continue
        membership = getattr(user, "staff_membership", None)
        place = membership.department.title if membership else ""
        if membership and membership.division_id:
            place = f"{place} · {membership.division.title}"
        labels = [
            str(roles.Role(role_names[group.name]).label)
            for group in user.groups.all()
            if group.name in role_names
        ]
        rows.append((user.username, f"{place} {'、'.join(labels)}".strip()))
    return rows
