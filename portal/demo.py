"""The demo site: contact settings, one login per role, and each app's demo content.

`load_demo` calls `load_portal_demo`; every step is idempotent so the command can run
again after an upgrade. The apps' own demo builders live in their `demo.py` modules.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from portal import roles
from portal.models import ContactSettings

DEMO_PASSWORD = "Chuangkou@2026"

# username -> (role or None for the superuser, what the login is for)
DEMO_USERS = {
    "admin": (None, "超级管理员(全部权限)"),
}


def demo_content_exists():
    """True once a department exists, i.e. `load_demo` (or real content) ran."""
    from django.apps import apps

    try:
        department_model = apps.get_model("disclosure", "DepartmentPage")
    except LookupError:
        return False
    return department_model.objects.exists()


def ensure_user(username, role, label, **extra):
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
    DEMO_USERS.setdefault(username, (role, label))
    return user


@transaction.atomic
def load_portal_demo(site, home, stdout):
    contact = ContactSettings.for_site(site)
    contact.organisation = "窗口办公政务公开平台"
    contact.address = "吉林省长春市人民大街 1 号 政务服务中心一楼"
    contact.postcode = "130051"
    contact.public_hours = "工作日 上午 8:30—11:30,下午 13:30—17:00(法定节假日除外)"
    contact.hotline = "0431-12345"
    contact.complaint_channel = "监察室投诉电话 0431-88880000,或在线投诉"
    contact.save()

    home.title = "首页"
    home.intro = "一个窗口进出,一次告知材料,限时办结回复。"
    home.save_revision().publish()
    site.site_name = "窗口办公政务公开平台"
    site.save()

    ensure_user("admin", None, DEMO_USERS["admin"][1], first_name="管理员")
    for step in demo_steps():
        step(home, stdout)
    stdout.write("演示内容已载入。")


def demo_steps():
    """Each app's demo builder, in dependency order."""
    return []


def demo_logins():
    User = get_user_model()
    existing = set(
        User.objects.filter(username__in=DEMO_USERS).values_list("username", flat=True)
    )
    return [
        (name, label) for name, (_role, label) in DEMO_USERS.items() if name in existing
    ]
