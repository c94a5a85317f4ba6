"""One filing walked through handling in a real browser, on the case list and the
case page with one form view per action: acceptance, the director's instruction, a
co-division's opinion, a site inspection the window schedules, a suspension and
its resumption, the director's extension, completion, issuing and collection;
then the applicant rates it. axe checks the list, the case page and each form.
The applicant's lookup shows the right due date at each step (computed here with
portal.workdays)."""

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


def act(tab, action, fields=(), checks=(), selects=()):
    """On the case page: open the action's form view, fill it in, submit it; the
    case page comes back. The case page and the form are checked with axe."""
    tab.locator(f"[data-case-action={action}]").click()
    form = tab.locator("#w-editor-form")
    expect(form.locator("button[type=submit]")).to_be_visible()
    for name, value in selects:
        form.locator(f"select[name={name}]").select_option(value)
    for label, value in fields:
        form.get_by_label(label).fill(value)
    for label in checks:
        form.get_by_label(label, exact=True).check()
    assert_accessible(tab)
    form.locator("button[type=submit]").click()
    expect(tab.locator("[data-actions], [data-state]").first).to_be_visible()


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
    case_url = f"/admin/chuangkou/cases/inspect/{filing.pk}/"

    # The director finds it in the case list and instructs: lead division and a
    # co-division.
    context, desk = clerk_page(browser, live_server, office.director)
    desk.goto("/admin/chuangkou/cases/?state=accepted")
    desk.get_by_role("link", name=filing.tracking_number).click()
    desk.wait_for_url(f"**{case_url}")
    assert_accessible(desk)
    act(
        desk,
        "instruct",
        [("批办意见", "请登记注册处牵头办理。")],
        checks=[office.co.title],
        selects=[("lead_division", str(office.lead.pk))],
    )
    expect(desk.get_by_text("已批办，已通知承办处室。")).to_be_visible()
    context.close()
    page.reload()
    expect(page.locator("[data-state]")).to_have_text("已批办")
    expect_due(page, accepted_due)

    # The co-division gives its opinion; another division's handler gets a 404.
    context, desk = clerk_page(browser, live_server, office.co_handler)
    desk.goto(case_url)
    act(desk, "opinion", [("内容", "经核，同意。")])
    expect(desk.get_by_text("协办意见已送牵头处室。")).to_be_visible()
    context.close()
    context, desk = clerk_page(browser, live_server, office.other_handler)
    assert desk.goto(case_url).status == 404
    context.close()

    # The lead asks for a site inspection; the window fixes time and place.
    lead_context, lead = clerk_page(browser, live_server, office.lead_handler)
    lead.goto(case_url)
    act(
        lead,
        "request_appointment",
        [("事由", "核实经营场所。")],
        selects=[("kind", "inspection")],
    )
    expect(lead.get_by_text("已向窗口提出约见或勘查申请。")).to_be_visible()
    clerk_context, window = clerk_page(browser, live_server, office.clerk)
    window.goto(case_url)
    act(
        window,
        "schedule_appointment",
        [("时间", "2030-05-06T09:30"), ("地点", "申请人经营场所")],
    )
    expect(window.get_by_text("已安排，申请人可在查询页看到")).to_be_visible()
    page.reload()
    expect(page.locator("[data-state]")).to_have_text("办理中")
    expect(page.locator("[data-appointment=inspection]")).to_contain_text(
        "申请人经营场所"
    )
    expect_due(page, accepted_due)
    assert_accessible(page)

    # A special procedure stops the clock; resuming moves the due date.
    lead.goto(case_url)
    act(
        lead,
        "suspend",
        [("事由", "委托检验检测。"), ("预计所需时间（工作日）", "5")],
        selects=[("kind", "testing")],
    )
    expect(lead.get_by_text("已启动特别程序")).to_be_visible()
    expect(lead.locator("[data-special-procedure=testing]")).to_contain_text(
        "预计需要 5 个工作日"
    )
    page.reload()
    expect(page.locator("[data-state]")).to_have_text("特别程序中（暂停计时）")
    expect(page.locator("[data-due-date]")).to_have_count(0)
    expect(page.locator("[data-clock=paused]")).to_be_visible()
    expect(page.locator("[data-special-procedure=testing]")).to_contain_text(
        "预计需要 5 个工作日"
    )
    act(lead, "resume")
    expect(lead.get_by_text("已恢复计时")).to_be_visible()
    resumed_due = add_workdays(today, office.item.promised_days, [(today, today)]).due
    page.reload()
    expect(page.locator("[data-state]")).to_have_text("办理中")
    expect_due(page, resumed_due)
    assert Filing.objects.get(pk=filing.pk).promised_due_date == resumed_due

    # The director extends the statutory limit once; the applicant is told why.
    context, desk = clerk_page(browser, live_server, office.director)
    desk.goto(case_url)
    act(desk, "extend", [("延长理由", "需要组织专家现场核查。")])
    expect(desk.get_by_text("已批准延长办理期限，已告知申请人。")).to_be_visible()
    expect(desk.locator("[data-case-action=extend]")).to_have_count(1)
    context.close()
    page.reload()
    expect(page.locator("[data-extended]")).to_contain_text("需要组织专家现场核查")

    # Completion with the result document.
    lead.goto(case_url)
    lead.locator("[data-case-action=complete]").click()
    form = lead.locator("#w-editor-form")
    form.get_by_label("准予").check()
    form.get_by_label("办理结果文书").set_input_files(str(files))
    assert_accessible(lead)
    form.locator("button[type=submit]").click()
    expect(lead.get_by_text("已办结，转窗口发文。")).to_be_visible()
    lead_context.close()
    page.reload()
    expect(page.locator("[data-state]")).to_have_text("已办结")
    expect(page.locator("[data-clock-name=issue]")).to_be_visible()

    # The window issues it for pickup under the register's next number and
    # records the collection.
    window.goto(case_url)
    act(window, "issue", checks=["窗口领取"])
    expect(window.get_by_text("已发文。")).to_be_visible()
    number = f"吉市监许〔{today:%Y}〕1号"
    expect(window.locator("[data-outgoing-number]")).to_have_text(number)
    page.reload()
    expect(page.locator("[data-decision]")).to_contain_text(number)
    act(window, "collect")
    expect(window.get_by_text("已登记领取。")).to_be_visible()
    window.goto("/admin/chuangkou/cases/")
    expect(window.get_by_role("link", name=filing.tracking_number)).to_be_visible()
    assert_accessible(window)
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
