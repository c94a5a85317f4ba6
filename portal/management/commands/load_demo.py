"""`python manage.py load_demo`: build the Chinese demo site and one login per role.

Idempotent: running it again updates what it created and adds what is missing. Demo
users are created only where the settings allow it (`DEMO_USERS_ENABLED`, dev and test).
"""

import logging
from contextlib import ExitStack, contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from wagtail.models import Site

from portal.bulk import bulk_changes
from portal.demo import DEMO_PASSWORD, load_portal_demo
from portal.sites import sync_default_site


@contextmanager
def quiet_notifications():
    """The demo's applicants are fictional: keep the notices its filings trigger
    (e-mail, and the text messages the logging SMS backend writes when they are
    sent at once) out of the console."""
    with ExitStack() as stack:
        for name in ("services_catalog.inbox.notify", "portal.outbox"):
            stack.enter_context(logger_level(logging.getLogger(name), logging.WARNING))
        stack.enter_context(
            override_settings(
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
            )
        )
        yield


@contextmanager
def logger_level(logger, level):
    """`logger` at `level` for the block, then at its own level again."""
    previous = logger.level
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(previous)


class Command(BaseCommand):
    help = "载入演示内容（部门、处室、事项、值班表、办件）并创建各角色的演示账号。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="仅当数据库中还没有部门时才载入（供 make run 使用）。",
        )

    def handle(self, *args, if_empty=False, **options):
        site = (
            Site.objects.filter(is_default_site=True)
            .select_related("root_page")
            .first()
        )
        if site is None:
            raise CommandError("没有默认站点，请先运行 python manage.py migrate。")
        site = sync_default_site(settings.WAGTAILADMIN_BASE_URL)
        self.stdout.write(f"站点地址：{site.root_url}")
        home = site.root_page.specific
        from portal.demo import demo_content_exists

        if if_empty and demo_content_exists():
            self.stdout.write("数据库中已有演示内容，跳过载入。")
        else:
            # One pass over the search indexes and the reference index at the
            # end, as for a catalog import, not a task per saved object.
            with quiet_notifications(), bulk_changes():
                load_portal_demo(site, home, self.stdout)
        if getattr(settings, "DEMO_USERS_ENABLED", False):
            self.print_logins(site)
        else:
            self.stdout.write("当前设置不创建演示账号。")

    def print_logins(self, site):
        from portal.demo import demo_logins

        rows = demo_logins()
        if not rows:
            return
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"演示账号（登录地址 {site.root_url}/admin/）：")
        )
        width = max(len(username) for username, _label in rows)
        for username, label in rows:
            self.stdout.write(
                f"  {username.ljust(width)}  密码 {DEMO_PASSWORD}  {label}"
            )
