"""The admin's catalog import in a real browser: the upload queues a background
task and leads to the status page, whose bar follows the task's progress and which
shows the report once the worker has run it; axe on each state."""

from importlib import import_module

from django.conf import settings as django_settings
from django.core.management import call_command
from playwright.sync_api import expect

from services_catalog.admin_views import SESSION_KEY
from services_catalog.demo import DEMO_CATALOG
from services_catalog.importing.tasks import CHECK, RUNNING, ImportStatus
from tests.browser.axe import assert_accessible
from tests.browser.test_intake import clerk_page
from tests.services_catalog.test_admin_import import DATABASE_QUEUE, user_with


def test_the_status_page_follows_the_background_import(
    browser, live_server, home_page, settings
):
    settings.TASKS = DATABASE_QUEUE  # a worker runs the import, not the request
    editor = user_with("add_serviceitempage", "change_serviceitempage")
    context, tab = clerk_page(browser, live_server, editor)

    tab.goto("/admin/catalog-import/")
    tab.locator("#id_file").set_input_files(str(DEMO_CATALOG))
    tab.get_by_role("button", name="检查文件").click()

    # Queued: the page says so and offers a way to come back.
    expect(tab.get_by_role("heading", name="正在检查：catalog.json")).to_be_visible()
    status = tab.locator("[data-progress-text]")
    expect(status).to_have_text("排队等候中，马上开始……")
    assert_accessible(tab)

    # Running: the page's script moves the bar without a reload.
    ImportStatus(pending_token(context)).write(CHECK, RUNNING, done=12, total=34)
    expect(tab.get_by_role("progressbar")).to_have_attribute("value", "12")
    expect(status).to_have_text("已处理 12 / 34 个事项")
    assert_accessible(tab)

    # Done: the worker runs the dry run and the page turns into its report (at the
    # script's next poll, which reloads it).
    call_command("worker", batch=True)
    report = tab.get_by_role("heading", name="试运行报告：catalog.json")
    expect(report).to_be_visible(timeout=30_000)
    expect(tab.get_by_role("button", name="确认导入")).to_be_visible()
    assert_accessible(tab)
    context.close()


def pending_token(context):
    """The token of the import kept in the browser's session."""
    key = next(
        cookie["value"]
        for cookie in context.cookies()
        if cookie["name"] == django_settings.SESSION_COOKIE_NAME
    )
    session = import_module(django_settings.SESSION_ENGINE).SessionStore(key)
    return session[SESSION_KEY]["token"]
