"""Issue 17 in a real browser, as the people who use it, each in Chinese and in
English: the applicant downloads the issued result and its notice from the lookup
and gives a bad rating; the inspection office meets the overdue follow-up on its
start panel and dashboard and closes it with a reply; the applicant reads the
reply and downloads the result again; a citizen reads the department's public
rating statistics (chart and table), downloads them and subscribes to its notices
and measures (RSS, Atom, JSON); the elderly-friendly mode is switched on and off
from the header in both languages; the provincial office reads its overview and
exports it. axe on every screen; no console errors."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from portal.models import PersonalDataAccess
from services_catalog.inbox.models import RatingFollowUp
from tests.browser.axe import assert_accessible
from tests.browser.test_consultations import switch_language
from tests.browser.test_intake import clerk_page
from tests.browser.test_supervision import checked, watch_console
from tests.conftest import lift_rate_limits
from tests.factories import ContentPageFactory
from tests.inbox.builders import Office


@pytest.fixture
def issued(home_page, settings):
    lift_rate_limits(settings)
    office = Office(home_page)
    office.filing = office.issued("许可决定书.pdf")
    return office


def look_up(tab, filing):
    tab.goto("/banjian/chaxun/")
    tab.get_by_label("受理编号").fill(filing.tracking_number)
    tab.get_by_label("查询码").fill(filing.access_code)
    tab.get_by_role("button", name="查询").click()
    expect(tab.locator("[data-state]")).to_have_text("已发文")


def test_result_download_bad_rating_and_its_follow_up(browser, live_server, issued):
    filing = issued.filing

    # The applicant looks the filing up and downloads the result and its notice.
    citizen = browser.new_context(base_url=live_server.url, locale="zh-CN")
    citizen.set_default_timeout(10_000)
    tab = citizen.new_page()
    errors = watch_console(tab)
    look_up(tab, filing)
    section = tab.locator("[data-result-download]")
    expect(section).to_contain_text(filing.outgoing_number)
    assert_accessible(tab)
    with tab.expect_download() as download:
        section.get_by_role("link", name="下载办理结果文书").click()
    assert download.value.suggested_filename == "许可决定书.pdf"
    with tab.expect_download() as download:
        section.get_by_role("link", name="下载办理结果通知书（PDF）").click()
    assert download.value.suggested_filename.endswith("result-notice.pdf")
    assert (
        PersonalDataAccess.objects.filter(
            object_id=str(filing.pk), action=PersonalDataAccess.Action.DOWNLOAD
        ).count()
        == 2
    )

    # A bad rating: the page says the inspection office will call back.
    tab.get_by_label("2 不满意").check()
    tab.get_by_label("评价内容").fill("窗口等待时间太长。")
    tab.get_by_role("button", name="提交评价").click()
    expect(tab.locator("[data-follow-up=open]")).to_contain_text("转监察室")
    assert_accessible(tab)
    assert not errors, errors

    # Three days later nobody has called: the dashboard flags it.
    follow_up = RatingFollowUp.objects.get(rating__filing=filing)
    RatingFollowUp.objects.filter(pk=follow_up.pk).update(
        contact_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    context, desk = clerk_page(browser, live_server, issued.supervisor)
    desk_errors = watch_console(desk)
    overdue = desk.locator("#inbox-supervision-section").get_by_role(
        "link", name="差评回访已超期：1"
    )
    checked(desk, desk_errors)
    overdue.click()
    expect(
        desk.get_by_role("link", name=f"差评整改 {filing.tracking_number}")
    ).to_be_visible()
    checked(desk, desk_errors)
    desk.goto("/admin/jiancha/")
    expect(desk.locator("[data-count=follow_up_overdue]")).to_have_text("1")
    expect(desk.locator("[data-list=follow_up_overdue]")).to_contain_text(
        filing.tracking_number
    )
    checked(desk, desk_errors)
    desk.locator("[data-list=follow_up_overdue]").get_by_role(
        "link", name=filing.tracking_number
    ).click()
    checked(desk, desk_errors)

    # Closing without the reply is refused with the input kept; then closed.
    desk.locator("#id_status").select_option("closed")
    desk.locator("#id_contact_note").fill("已电话联系申请人。")
    desk.locator("#id_findings").fill("取号后等待超过四十分钟。")
    desk.locator("#id_rectification").fill("高峰时段增开一个窗口。")
    desk.get_by_role("button", name="保存整改情况").click()
    expect(
        desk.get_by_text("办结前请填写核查情况、整改措施和答复申请人的内容。").first
    ).to_be_visible()
    expect(desk.locator("#id_findings")).to_have_value("取号后等待超过四十分钟。")
    checked(desk, desk_errors)

    # The same form in English (what was refused was not saved), then closed.
    switch_language(desk, "en")
    desk.locator("#id_status").select_option("closed")
    desk.locator("#id_contact_note").fill("已电话联系申请人。")
    desk.locator("#id_findings").fill("取号后等待超过四十分钟。")
    desk.locator("#id_rectification").fill("高峰时段增开一个窗口。")
    desk.locator("#id_reply").fill("您反映的等待时间过长问题属实，高峰时段已增开窗口。")
    checked(desk, desk_errors)
    desk.get_by_role("button", name="Save the follow-up").click()
    expect(
        desk.get_by_text("The follow-up of the poor rating has been saved.")
    ).to_be_visible()
    checked(desk, desk_errors)
    desk.goto("/admin/")
    expect(
        desk.get_by_role("link", name="Poor-rating follow-ups overdue: 0")
    ).to_be_visible()
    desk.goto("/admin/jiancha/")
    expect(desk.locator("[data-count=follow_up_overdue]")).to_have_text("0")
    checked(desk, desk_errors)
    context.close()

    # The applicant reads the reply on the lookup page and in the history, and
    # downloads the result again, in English.
    tab.reload()
    expect(tab.locator("[data-follow-up=closed]")).to_contain_text("高峰时段已增开窗口")
    assert_accessible(tab)
    switch_language(tab, "en")
    expect(tab.locator("[data-state]")).to_have_text("Issued")
    expect(tab.locator("[data-follow-up=closed]")).to_contain_text("高峰时段已增开窗口")
    assert_accessible(tab)
    with tab.expect_download() as download:
        tab.locator("[data-result-download]").get_by_role(
            "link", name="Download the result document"
        ).click()
    assert download.value.suggested_filename == "许可决定书.pdf"
    assert not errors, errors
    citizen.close()


def test_public_rating_statistics_and_care_mode(page, issued):
    filing = issued.filing
    issued.rated(1, "很慢", filing=filing)
    errors = watch_console(page)
    department = issued.department
    month = timezone.localdate().strftime("%Y-%m")

    # The department page offers its notices and measures as a feed.
    ContentPageFactory(parent=department, kind="measures", title="窗口办公实施办法")
    page.goto(department.url)
    for name, content_type in (
        ("RSS", "application/rss+xml"),
        ("Atom", "application/atom+xml"),
        ("JSON", "application/json"),
    ):
        feed = page.locator(".feed-links").get_by_role("link", name=name, exact=True)
        feed = feed.get_attribute("href")
        response = page.request.get(feed)
        assert response.headers["content-type"].startswith(content_type)
        text = str(response.json()) if name == "JSON" else response.text()
        assert "窗口办公实施办法" in text

    # From the department page to its rating statistics.
    page.get_by_role("link", name="好差评统计").click()
    expect(page.locator("h1")).to_contain_text("好差评统计")
    row = page.locator(f"tr[data-month='{month}']")
    expect(row.locator("[data-field=count]")).to_have_text("1")
    expect(row.locator("[data-field=bad]")).to_have_text("1")
    expect(row.locator("[data-field=followed_up]")).to_have_text("0")
    expect(page.locator("svg.ratings-chart g")).to_have_count(12)
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 CSV").click()
    assert download.value.suggested_filename == f"haochaping-{department.code}.csv"
    assert "很慢" not in page.content()

    # The elderly-friendly mode from the header, remembered across pages.
    page.get_by_role("link", name="关怀模式（大字体、高对比）").click()
    expect(page.locator("html")).to_have_class("care-mode")
    expect(page.locator("h1")).to_contain_text("好差评统计")
    # Waits for care.css to apply (the class is in the HTML before the sheet loads).
    expect(page.locator("html")).to_have_css("font-size", "20px")
    assert_accessible(page)
    page.goto(department.url)
    expect(page.locator("html")).to_have_class("care-mode")
    assert_accessible(page)
    page.goto("/")
    assert_accessible(page)

    # In English, in both modes: the statistics, their download, the feed.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("html")).to_have_class("care-mode")
    assert_accessible(page)
    page.goto(f"/banjian/pingjia/{department.code}/")
    expect(page.locator("h1")).to_contain_text("Service ratings")
    expect(row.locator("[data-field=bad]")).to_have_text("1")
    assert_accessible(page)
    page.locator("[data-care-switch=off]").click()
    expect(page.locator("html")).not_to_have_class("care-mode")
    size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert size == "16px"
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename == f"haochaping-{department.code}.csv"
    page.goto(department.url)
    feed = page.locator(".feed-links").get_by_role("link", name="RSS", exact=True)
    feed = feed.get_attribute("href")
    assert "Notices and implementation measures" in page.request.get(feed).text()
    page.get_by_role("link", name="Accessible mode (large text, high contrast)").click()
    expect(page.locator("html")).to_have_class("care-mode")
    expect(page.locator("html")).to_have_css("font-size", "20px")
    assert_accessible(page)

    # And off again in Chinese.
    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    page.get_by_role("link", name="退出关怀模式").click()
    expect(page.locator("html")).not_to_have_class("care-mode")
    expect(page.locator("html")).to_have_css("font-size", "16px")
    assert_accessible(page)
    assert not errors, errors


def test_the_provincial_office_overview(browser, live_server, issued):
    from django.contrib.auth.models import Group

    from portal import roles
    from tests.factories import UserFactory

    issued.rated(4, filing=issued.filing)
    provincial = UserFactory(username="provincial-office")
    provincial.groups.add(
        Group.objects.get(name=roles.group_name(roles.Role.PROVINCIAL))
    )
    context, tab = clerk_page(browser, live_server, provincial)
    errors = watch_console(tab)
    tab.get_by_role("link", name="各部门总览").first.click()
    row = tab.locator(f"tr[data-department='{issued.department.code}']")
    expect(row.locator("[data-field=completed]")).to_have_text("1")
    expect(row.locator("[data-field=rating_average]")).to_have_text("4.0")
    expect(
        tab.locator(f"tr[data-department='{issued.outsider_department.code}']")
    ).to_be_visible()
    checked(tab, errors)
    last = tab.locator("#overview-month option").nth(1).get_attribute("value")
    tab.locator("#overview-month").select_option(last)
    tab.get_by_role("button", name="查看").click()
    expect(row.locator("[data-field=completed]")).to_have_text("0")
    checked(tab, errors)
    with tab.expect_download() as download:
        tab.get_by_role("link", name="导出最近 12 个月（XLSX）").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    # In English: the overview and its export, headings in English.
    switch_language(tab, "en")
    expect(tab.locator("h1")).to_contain_text("Departments' overview")
    checked(tab, errors)
    with tab.expect_download() as download:
        tab.get_by_role("link", name="Export the last 12 months (XLSX)").click()
    with open(download.value.path(), "rb") as workbook:
        sheet = load_workbook(io.BytesIO(workbook.read())).active
    headings = [cell.value for cell in sheet[1]]
    assert "Month" in headings and "Department" in headings, headings
    codes = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert issued.department.code in codes

    # Read-only: the case list is not theirs, and no case number shows anywhere.
    tab.goto("/admin/chuangkou/cases/")
    expect(tab.get_by_text(issued.filing.tracking_number)).to_have_count(0)
    context.close()
