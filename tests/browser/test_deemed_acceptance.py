"""Deemed acceptance (视为受理, 行政许可法第三十二条) in a real browser: a filing whose
materials arrived seven working days ago was never pre-reviewed. The clerk's desk
flags its pre-review as overdue; the deadline sweep then records it as accepted from
the day the materials were received; the applicant's lookup and the clerk's case page
say so, with the promised due date counted from that day. axe runs on every screen."""

import datetime
import io
import uuid

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from portal.workdays import add_workdays, is_workday
from services_catalog.inbox import clock, workflow
from services_catalog.inbox.models import Filing
from tests.browser.axe import assert_accessible
from tests.browser.test_intake import clerk_page
from tests.inbox.builders import applicant, make_clerk, make_item


def workdays_before(day, count):
    while count:
        day -= datetime.timedelta(days=1)
        count -= is_workday(day)
    return day


@pytest.fixture
def late_filing(home_page):
    """An online filing whose pre-review deadline passed two working days ago."""
    item = make_item(home_page)
    filing, code = workflow.create_filing(item, applicant(), form_token=uuid.uuid4())
    received = workdays_before(timezone.localdate(), clock.PRE_REVIEW_WORKDAYS + 2)
    Filing.objects.filter(pk=filing.pk).update(
        received_on=received,
        pre_review_due_date=clock.pre_review_due(received).due,
    )
    filing.refresh_from_db()
    return filing, code, make_clerk(item.department)


def test_a_late_pre_review_becomes_a_deemed_acceptance(
    page, browser, live_server, late_filing
):
    filing, code, clerk = late_filing
    assert filing.pre_review_due_date < timezone.localdate()

    # The clerk's desk lists it among the new filings, its pre-review overdue.
    context, desk = clerk_page(browser, live_server, clerk)
    desk.goto("/admin/chuangkou/desk/?queue=new")
    row = desk.locator("#listing-results tr", has_text=filing.tracking_number)
    expect(row.locator("[data-clock=overdue]")).to_contain_text("已超期")
    assert_accessible(desk)

    # Nobody decided in time: the sweep records the deemed acceptance.
    call_command("sweep_deadlines", stdout=io.StringIO())
    filing.refresh_from_db()
    assert filing.state == "accepted" and filing.deemed_accepted
    assert filing.accepted_on == filing.received_on
    promised = add_workdays(filing.received_on, filing.item.promised_days).due
    assert filing.promised_due_date == promised

    # The applicant's lookup says it was deemed accepted, and from which day.
    page.goto("/banjian/chaxun/")
    page.get_by_label("受理编号").fill(filing.tracking_number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("[data-state]")).to_have_text("已受理")
    expect(page.locator("[data-deemed-accepted]")).to_contain_text(
        f"{filing.received_on.year}年{filing.received_on.month}月"
        f"{filing.received_on.day}日"
    )
    expect(page.locator("[data-deemed-accepted]")).to_contain_text("第三十二条")
    expect(page.locator("[data-due-date] time")).to_have_attribute(
        "datetime", f"{promised:%Y-%m-%d}"
    )
    assert_accessible(page)

    # The clerk's case page: accepted, the timeline names the system's 视为受理.
    desk.goto(f"/admin/chuangkou/cases/inspect/{filing.pk}/")
    expect(desk.locator("[data-state]")).to_have_text("已受理")
    expect(desk.locator("[data-due-date] time")).to_have_attribute(
        "datetime", f"{promised:%Y-%m-%d}"
    )
    expect(desk.locator(".timeline")).to_contain_text("视为受理")
    assert_accessible(desk)

    # It has left the desk's queue of filings awaiting pre-review.
    desk.goto("/admin/chuangkou/desk/?queue=new")
    expect(desk.locator("body")).not_to_contain_text(filing.tracking_number)
    context.close()
