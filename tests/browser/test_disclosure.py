"""Disclosure pages in a real browser: a citizen finds a division's posts from the home
page on a desktop and on a phone, and an editor's change goes live only once a
moderator of the same department approves it in the admin."""

import re

import pytest
from playwright.sync_api import expect
from wagtail.models import Site

from disclosure.permissions import assign_staff
from portal import roles
from tests.browser.axe import assert_accessible
from tests.factories import (
    ContentPageFactory,
    DepartmentPageFactory,
    DisclosureGuidePageFactory,
    DivisionPageFactory,
    PersonFactory,
    PostFactory,
    UserFactory,
)

PASSWORD = "Test-Passw0rd!"


@pytest.fixture
def division(transactional_db):
    home = Site.objects.get(is_default_site=True).root_page
    department = DepartmentPageFactory(parent=home, title="省市场监督管理局", code="SJ")
    PersonFactory(name="王建国", title="局长", department=department, is_leader=True)
    division = DivisionPageFactory(
        parent=department, title="食品生产安全监督管理处", code="SJ-SPSC"
    )
    PostFactory(
        division=division,
        title="食品生产许可审查岗",
        authority="审查申请材料，提出是否准予许可的意见。",
        time_limit="受理后 5 个工作日内完成书面审查",
    )
    PostFactory(division=division, title="现场核查岗")
    division.head = PersonFactory(name="张海涛", title="处长", division=division)
    division.save_revision().publish()
    return division


def walk_from_home_to_posts(tab):
    tab.goto("/")
    assert_accessible(tab)

    tab.locator("main").get_by_role("link", name="省市场监督管理局").click()
    expect(tab.locator("h1")).to_have_text("省市场监督管理局")
    expect(tab.get_by_text("首问负责制")).to_be_visible()
    assert_accessible(tab)

    tab.get_by_role("link", name="食品生产安全监督管理处").click()
    expect(tab.locator("h1")).to_have_text("食品生产安全监督管理处")
    posts = tab.get_by_role("table", name=re.compile("岗位职责一览"))
    expect(posts.get_by_text("食品生产许可审查岗")).to_be_visible()
    expect(posts.get_by_text("受理后 5 个工作日内完成书面审查")).to_be_visible()
    expect(tab.get_by_role("heading", name="张海涛")).to_be_visible()
    assert_accessible(tab)


def test_citizen_finds_a_divisions_posts_on_a_desktop(page, division):
    walk_from_home_to_posts(page)

    # On a desktop the posts are a table with a visible header row.
    expect(page.get_by_role("columnheader", name="完成时限")).to_be_visible()


def test_citizen_finds_a_divisions_posts_on_a_phone(phone_page, division):
    walk_from_home_to_posts(phone_page)

    # On a phone each post is a card: the header row is hidden from view (kept for
    # screen readers), every cell is a block, and nothing is wider than the screen.
    header = phone_page.locator(".posts thead").bounding_box()
    assert header["width"] <= 1 and header["height"] <= 1
    cell = phone_page.locator(".posts td[data-label=完成时限]").first
    assert cell.evaluate("td => getComputedStyle(td).display") == "block"
    assert phone_page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_guide_and_notice_pages_are_accessible_and_print_without_controls(
    page, division
):
    department = division.get_parent()
    guide = DisclosureGuidePageFactory(parent=department, title="政务公开指南")
    notice = ContentPageFactory(parent=department, title="关于实行窗口办公制度的公告")

    page.goto(notice.url)
    assert_accessible(page)
    page.goto(guide.url)
    expect(page.get_by_role("heading", name="食品生产安全监督管理处")).to_be_visible()
    assert_accessible(page)

    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="打印公开指南")).to_be_hidden()
    expect(page.get_by_text("食品生产许可审查岗")).to_be_visible()


def log_in(tab, username):
    tab.context.clear_cookies()
    tab.goto("/admin/login/")
    tab.fill("#id_username", username)
    tab.fill("#id_password", PASSWORD)
    tab.locator("form button[type=submit]").click()
    expect(tab).not_to_have_url(re.compile("/admin/login/"))


def test_editor_change_goes_live_only_after_a_moderator_approves(page, division):
    department = division.get_parent().specific
    editor = UserFactory(username="editor_sj")
    moderator = UserFactory(username="moderator_sj")
    assign_staff(editor, department, staff_roles=[roles.Role.EDITOR])
    assign_staff(moderator, department, staff_roles=[roles.Role.MODERATOR])
    edit_url = f"/admin/pages/{division.pk}/edit/"

    log_in(page, "editor_sj")
    page.goto(edit_url)
    page.fill("#id_room", "主楼 999 室")
    page.get_by_role("button", name="更多动作").click()
    page.get_by_role("button", name="提交给省市场监督管理局（SJ）审核流程").click()
    expect(page.locator(".messages")).to_contain_text("已经提交进行审核")

    page.goto(division.url)
    expect(page.locator("main")).to_contain_text("主楼 301 室")
    expect(page.locator("main")).not_to_contain_text("主楼 999 室")

    log_in(page, "moderator_sj")
    page.goto(edit_url)
    page.get_by_role("button", name="更多动作").click()
    with page.expect_navigation():
        page.locator(
            "button[data-workflow-action-name=approve]"
            ":not([data-workflow-action-modal-url])"
        ).click()

    page.goto(division.url)
    expect(page.locator("main")).to_contain_text("主楼 999 室")
