"""A clerk signs in with a TOTP code, sees a masked reception list, reveals one ID
number on the pre-review page and one on a reception record's own page (both views
are logged), and an applicant downloads their own-data copy as JSON and as PDF; axe
runs on the new screens."""

import datetime
import json
import uuid

from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import PersonalDataAccess
from reception.models import ReceptionRecord
from services_catalog.inbox import workflow
from tests.browser.axe import assert_accessible
from tests.inbox.builders import VALID_ID, applicant, make_clerk, make_item
from tests.portal.accounts import totp_code
from tests.reception.conftest import make_leader

PASSWORD = "Test-Passw0rd!"


@override_settings(TWO_FACTOR_REQUIRED_ROLES=["clerk"])
def test_totp_sign_in_masked_list_logged_reveal_and_own_data(
    page, browser, live_server, home_page
):
    item = make_item(home_page)
    clerk = make_clerk(item.department)
    device = TOTPDevice.objects.create(user=clerk, name="phone", confirmed=True)
    filing, code = workflow.create_filing(item, applicant(), form_token=uuid.uuid4())
    record = ReceptionRecord.objects.create(
        department=item.department,
        leader=make_leader(item.department, "李处长"),
        date=datetime.date.today(),
        visitor_name="王小明",
        visitor_contact="13612344321",
        matter="反映问题，身份证号 22010219880506123X。",
    )

    page.set_default_timeout(60_000)  # the admin dashboard is slow on a busy machine
    page.goto("/admin/login/")
    page.fill("#id_username", clerk.username)
    page.fill("#id_password", PASSWORD)
    page.click("form.login-form button[type=submit]")
    page.wait_for_url("**/admin/two-factor/**")
    assert_accessible(page)
    page.fill("#id_token", totp_code(device))
    page.click("form.login-form button[type=submit]")
    page.wait_for_url("**/admin/")

    page.goto("/admin/receptionrecord/")
    listing = page.content()
    assert "220102********123X" in listing and "22010219880506123X" not in listing

    page.goto(f"/admin/receptionrecord/inspect/{record.pk}/")
    assert "220102********123X" in page.content() and "136****4321" in page.content()
    assert "13612344321" not in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="显示完整个人信息").click()
    page.wait_for_selector(".revealed-values")
    assert "22010219880506123X" in page.content() and "13612344321" in page.content()
    entry = PersonalDataAccess.objects.get(action="reveal")
    assert entry.user == clerk and entry.object_id == str(record.pk)

    page.goto(f"/admin/chuangkou/desk/inspect/{filing.pk}/")
    assert "110105********002X" in page.content() and VALID_ID not in page.content()
    page.get_by_role("button", name="显示完整证件号码和手机号码").click()
    page.wait_for_selector(".revealed-values")
    assert VALID_ID in page.content()
    assert_accessible(page)
    entry = PersonalDataAccess.objects.filter(action="reveal").first()
    assert entry.user == clerk and entry.object_id == str(filing.pk)

    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    applicant_tab = context.new_page()
    applicant_tab.set_default_timeout(60_000)
    applicant_tab.goto("/banjian/chaxun/")
    applicant_tab.fill("#id_tracking_number", filing.tracking_number)
    applicant_tab.fill("#id_access_code", code)
    applicant_tab.locator("main form button[type=submit]").click()
    applicant_tab.wait_for_url(f"**/banjian/{filing.tracking_number}/")
    with applicant_tab.expect_download() as download:
        applicant_tab.get_by_role("link", name="下载本人信息副本（JSON）").click()
    with open(download.value.path(), encoding="utf-8") as copy:
        data = json.load(copy)
    assert data["tracking_number"] == filing.tracking_number
    assert data["applicant"]["id_number"] == VALID_ID
    with applicant_tab.expect_download() as download:
        applicant_tab.get_by_role("link", name="下载本人信息副本（PDF）").click()
    with open(download.value.path(), "rb") as copy:
        assert copy.read(5) == b"%PDF-"
    copies = PersonalDataAccess.objects.filter(action="own_copy")
    assert sorted(copies.values_list("detail", flat=True)) == ["JSON", "PDF"]
    context.close()
