"""The inspection office in a real browser: the dashboard's clocks (pre-review,
handling, issuing) and extended cases, a complaint handled, an urging notice issued
and answered by its division, an accountability record kept; axe and the console on
every screen visited."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from services_catalog.inbox import records, workflow
from services_catalog.inbox.models import Filing
from tests.browser.axe import assert_accessible
from tests.browser.test_intake import clerk_page
from tests.factories import PostFactory
from tests.inbox.builders import Office


def watch_console(tab):
    """Console errors of `tab` from now on (a list of texts, each with the address
    it came from) and the requests the server answered with an error."""
    errors = []
    tab.on(
        "console",
        lambda m: (
            errors.append(f"{m.text} ({m.location.get('url')})")
            if m.type == "error"
            else None
        ),
    )
    tab.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.request.method} {r.url}")
            if r.status >= 400
            else None
        ),
    )
    return errors


def checked(tab, errors):
    """axe on the page as shown (after Wagtail's messages have faded in: axe reads
    colours half-way through the fade otherwise), and no console errors."""
    messages = tab.locator(".messages > ul")
    if messages.count():
        expect(messages).to_have_css("opacity", "1")
    assert_accessible(tab)
    assert not errors, errors


@pytest.fixture
def office(home_page):
    office = Office(home_page)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    late = office.submit()
    Filing.objects.filter(pk=late.pk).update(pre_review_due_date=yesterday)
    office.late_review = late
    office.extended = office.assigned()
    workflow.extend_filing(office.extended, office.director, "需组织专家论证")
    office.complaint = records.file_complaint(
        office.department,
        filing=office.extended,
        division=office.lead,
        name="刘女士",
        contact="13900139000",
        text="电话询问无人答复。",
    )
    office.post = PostFactory(division=office.lead, title="审批岗")
    return office


def test_inspection_office_at_work(browser, live_server, office):
    context, tab = clerk_page(browser, live_server, office.supervisor)
    errors = watch_console(tab)

    # The dashboard flags the overdue pre-review and lists the extended case.
    tab.goto("/admin/jiancha/")
    expect(tab.locator("[data-count=pre_review_overdue]")).to_have_text("1")
    expect(tab.locator("[data-count=extended]")).to_have_text("1")
    checked(tab, errors)
    tab.get_by_role("link", name="1 预审已超期").click()
    expect(tab.locator("[data-list=pre_review_overdue]")).to_contain_text(
        office.late_review.tracking_number
    )
    expect(tab.locator("[data-list=extended]")).to_contain_text(
        office.extended.tracking_number
    )

    # A complaint, from the listing to its handling.
    tab.goto("/admin/jiancha/tousu/")
    expect(tab.get_by_text("139****9000")).to_be_visible()
    checked(tab, errors)
    tab.get_by_role("link", name=str(office.complaint)).click()
    checked(tab, errors)
    tab.locator("#id_status").select_option("closed")
    tab.locator("#id_handling").fill("经核实属实，已督促处室答复申请人。")
    tab.get_by_role("button", name="保存处理情况").click()
    expect(tab.get_by_text("投诉处理情况已保存。")).to_be_visible()
    checked(tab, errors)

    # An urging notice to the lead division.
    tab.goto("/admin/jiancha/duban/new/")
    tab.locator("#id_division").select_option(str(office.lead.pk))
    tab.locator("#id_tracking_number").fill(office.extended.tracking_number)
    tab.locator("#id_text").fill("请报告专家论证进度。")
    tab.locator("#id_reply_by").fill("2030-01-10")
    checked(tab, errors)
    tab.get_by_role("button", name="发出督办单").click()
    expect(tab.get_by_text("督办单已发出。")).to_be_visible()
    checked(tab, errors)

    # An accountability record on a post, from the complaint.
    tab.goto(f"/admin/jiancha/zeren/new/?complaint={office.complaint.pk}")
    tab.locator("#id_post").select_option(str(office.post.pk))
    tab.locator("#id_finding").fill("未及时答复申请人询问。")
    tab.locator("#id_measure").fill("批评教育。")
    checked(tab, errors)
    tab.get_by_role("button", name="保存").click()
    expect(tab.get_by_text("责任追究记录已保存。")).to_be_visible()
    checked(tab, errors)
    context.close()

    # The lead division answers the urging notice.
    context, tab = clerk_page(browser, live_server, office.lead_handler)
    errors = watch_console(tab)
    tab.goto("/admin/jiancha/duban/")
    checked(tab, errors)
    tab.get_by_role("link", name=f"→ {office.lead.title}").click()
    tab.locator("#id_answer").fill("专家论证已安排，下周完成。")
    checked(tab, errors)
    tab.get_by_role("button", name="提交答复").click()
    expect(tab.get_by_text("督办单已答复。")).to_be_visible()
    checked(tab, errors)
    context.close()
