"""One filing walked through handling in a real browser: acceptance, the director's
instruction, a co-division's opinion, a site inspection the window schedules, a
suspension and its resumption, completion, issuing and collection; then the
applicant rates it. The applicant's lookup shows the right due date at each step
(computed here with portal.workdays)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.workdays import add_workdays
from services_catalog.inbox.models import Filing
from tests.browser.axe import assert_accessible
from tests.browser.test_intake import clerk_page
from tests.inbox.builders import Office


@pytest.fixture
def files(tmp_path):
    from tests.inbox.builders import PDF

    result = tmp_path / "许可决定书.pdf"
    result.write_bytes(PDF)
    return result


def expect_due(page, due):
    expect(page.locator("[data-due-date] time")).to_have_attribute(
        "datetime", f"{due:%Y-%m-%d}"
    )


def act(tab, action, fields=(), submit=None):
    form = tab.locator(f"form[data-action={action}]").first
    for label, value in fields:
        form.get_by_label(label).fill(value)
    form.get_by_role("button", name=submit).click() if submit else form.locator(
        "button[type=submit]"
    ).click()


def test_filing_from_acceptance_to_rating(page, browser, live_server, home_page, files):
    office = Office(home_page)
    filing = office.accepted()
    today = timezone.localdate()
    accepted_due = add_workdays(today, office.item.promised_days).due
    assert filing.promised_due_date == accepted_due

    # The applicant looks the filing up: accepted, due in ten working days.
    page.goto("/banjian/chaxun/")
    page.get_by_label("受理编号").fill(filing.tracking_number)
    page.get_by_label("查询码").fill(filing.access_code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("[data-state]")).to_have_text("已受理")
    expect_due(page, accepted_due)
    expect(page.locator("[data-clock]")).to_contain_text("10 个工作日")
    case_url = f"/admin/chuangkou/cases/{filing.pk}/"

    # The director instructs: lead division and a co-division.
    context, desk = clerk_page(browser, live_server, office.director)
    desk.goto(case_url)
    form = desk.locator("form[data-action=instruct]")
    form.get_by_label("牵头主办处室").select_option(str(office.lead.pk))
    form.get_by_label(office.co.title).check()
    form.get_by_label("批办意见").fill("请登记注册处牵头办理。")
    form.get_by_role("button", name="批办").click()
    expect(desk.get_by_text("已批办,已通知承办处室")).to_be_visible()
    context.close()
    page.reload()
    expect(page.locator("[data-state]")).to_have_text("已批办")
    expect_due(page, accepted_due)

    # The co-division gives its opinion; another division's handler gets a 404.
    context, desk = clerk_page(browser, live_server, office.co_handler)
    desk.goto(case_url)
    act(desk, "opinion", [("内容", "经核,同意。")])
    expect(desk.get_by_text("协办意见已送牵头处室")).to_be_visible()
    context.close()
    context, desk = clerk_page(browser, live_server, office.other_handler)
    assert desk.goto(case_url).status == 404
    context.close()

    # The lead asks for a site inspection; the window fixes time and place.
    lead_context, lead = clerk_page(browser, live_server, office.lead_handler)
    lead.goto(case_url)
    form = lead.locator("form[data-action=request_appointment]")
    form.get_by_label("类型").select_option("inspection")
    form.get_by_label("事由").fill("核实经营场所。")
    form.locator("button[type=submit]").click()
    expect(lead.get_by_text("已向窗口提出约见或勘查申请")).to_be_visible()
    clerk_context, window = clerk_page(browser, live_server, office.clerk)
    window.goto(case_url)
    form = window.locator("form[data-action=schedule_appointment]")
    form.get_by_label("时间").fill("2030-05-06T09:30")
    form.get_by_label("地点").fill("申请人经营场所")
    form.locator("button[type=submit]").click()
    expect(window.get_by_text("已安排,申请人可在查询页看到")).to_be_visible()
    page.reload()
    expect(page.locator("[data-state]")).to_have_text("办理中")
    expect(page.locator("[data-appointment=inspection]")).to_contain_text(
        "申请人经营场所"
    )
    expect_due(page, accepted_due)
    assert_accessible(page)

    # A special procedure stops the clock; resuming moves the due date.
    lead.reload()
    form = lead.locator("form[data-action=suspend]")
    form.locator("select[name=kind]").select_option("testing")
    form.get_by_label("事由").fill("委托检验检测。")
    form.get_by_label("预计所需时间（工作日）").fill("5")
    form.locator("button[type=submit]").click()
    expect(lead.get_by_text("已启动特别程序")).to_be_visible()
    page.reload()
    expect(page.locator("[data-state]")).to_have_text("特别程序中(暂停计时)")
    expect(page.locator("[data-due-date]")).to_have_count(0)
    expect(page.locator("[data-clock=paused]")).to_be_visible()
    expect(page.locator("[data-special-procedure=testing]")).to_contain_text(
        "预计需要 5 个工作日"
    )
    lead.reload()
    act(lead, "resume")
    expect(lead.get_by_text("已恢复计时")).to_be_visible()
    resumed_due = add_workdays(today, office.item.promised_days, [(today, today)]).due
    page.reload()
    expect(page.locator("[data-state]")).to_have_text("办理中")
    expect_due(page, resumed_due)
    assert Filing.objects.get(pk=filing.pk).promised_due_date == resumed_due

    # Completion with the result document.
    lead.reload()
    form = lead.locator("form[data-action=complete]")
    form.get_by_label("准予").check()
    form.get_by_label("办理结果文书").set_input_files(str(files))
    form.locator("button[type=submit]").click()
    expect(lead.get_by_text("已办结,转窗口发文")).to_be_visible()
    lead_context.close()
    page.reload()
    expect(page.locator("[data-state]")).to_have_text("已办结")
    expect(page.locator("[data-clock-name=issue]")).to_be_visible()

    # The window issues it for pickup under the register's next number and
    # records the collection.
    window.reload()
    form = window.locator("form[data-action=issue]")
    form.get_by_label("窗口领取").check()
    form.locator("button[type=submit]").click()
    expect(window.get_by_text("已发文。")).to_be_visible()
    number = f"吉市监许〔{today:%Y}〕1号"
    page.reload()
    expect(page.locator("[data-decision]")).to_contain_text(number)
    act(window, "collect")
    expect(window.get_by_text("已登记领取")).to_be_visible()
    clerk_context.close()

    # The applicant sees it collected and rates the service once.
    page.reload()
    expect(page.locator("[data-state]")).to_have_text("已领取")
    page.get_by_label("5 非常满意").check()
    page.get_by_label("评价内容").fill("办理高效。")
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator("[data-rating]")).to_have_attribute("data-rating", "5")
    expect(page.get_by_role("button", name="提交评价")).to_have_count(0)
    assert_accessible(page)
    timeline = page.locator(".timeline")
    for step in ("受理", "批办", "安排约见或现场勘查", "发文", "领取/签收"):
        expect(timeline).to_contain_text(step)
    assert Filing.objects.get(pk=filing.pk).rating.score == 5
    assert datetime.date.today() >= today
