"""The pre-review form holds four decisions, each with its own button. Enter typed
in one of its fields must take none of them: a browser submits a form on Enter
through its first button, which was 受理, and now is an invisible one that only
brings the page back as typed."""

import uuid

from playwright.sync_api import expect

from services_catalog.inbox import workflow
from services_catalog.inbox.models import Filing
from tests.browser.axe import assert_accessible
from tests.browser.test_intake import clerk_page
from tests.inbox.builders import applicant, make_clerk, make_item


def test_enter_in_a_pre_review_field_decides_nothing(browser, live_server, home_page):
    item = make_item(home_page)
    filing, _code = workflow.create_filing(item, applicant(), form_token=uuid.uuid4())
    context, desk = clerk_page(browser, live_server, make_clerk(item.department))
    desk.goto(f"/admin/chuangkou/desk/inspect/{filing.pk}/")
    requests = []
    desk.on("request", lambda r: requests.append(r) if r.method == "POST" else None)

    desk.locator("#id_comment").fill("材料齐全")
    desk.locator("#id_comment").press("Enter")
    note = desk.locator("input[name$='-note']").first
    note.fill("复印件不清晰")
    note.press("Enter")
    desk.locator("input[name$='-status']").first.press("Enter")

    expect(desk.get_by_text("按回车键不会作出决定")).to_be_visible()
    expect(desk.locator("input[name$='-note']").first).to_have_value("复印件不清晰")
    expect(desk.locator("#id_comment")).to_have_value("材料齐全")
    assert requests and all("implicit_submit=1" in r.post_data for r in requests)
    assert_accessible(desk)
    assert Filing.objects.get(pk=filing.pk).state == "submitted"
    # Its own button still decides.
    required = filing.materials.first()
    desk.locator(f"input[name='m{required.pk}-status'][value='missing']").check()
    desk.get_by_role("button", name="发出一次性告知书").click()
    expect(desk.get_by_text("一次性告知书已发出")).to_be_visible()
    assert Filing.objects.get(pk=filing.pk).state == "supplement_requested"
    context.close()
