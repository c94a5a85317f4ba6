"""The intake path in a real browser: a citizen files online with uploads, the clerk
finds it in the desk's queue and sends a one-time notice, the citizen supplements
through the lookup, the clerk accepts; the lookup shows each step and the due date;
the receipt PDF holds the tracking number. A walk-in filing is logged at the desk
and ends on its receipt in the admin; a 即办件 is accepted and completed at the desk
in one step. axe runs on every screen, after Wagtail's messages have finished
animating in."""

import subprocess
import uuid

import pytest
from captcha.conf import settings as captcha_settings
from playwright.sync_api import expect

from services_catalog.inbox import workflow
from services_catalog.inbox.models import Filing
from tests.browser.axe import assert_accessible
from tests.conftest import lift_rate_limits
from tests.inbox.builders import (
    PDF,
    PNG,
    VALID_ID,
    applicant,
    make_clerk,
    make_item,
)


@pytest.fixture
def files(tmp_path):
    pdf, png = tmp_path / "申请书.pdf", tmp_path / "身份证.png"
    pdf.write_bytes(PDF)
    png.write_bytes(PNG)
    return pdf, png


def clerk_page(browser, live_server, clerk):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.goto("/admin/login/")
    tab.fill("#id_username", clerk.username)
    tab.fill("#id_password", "Test-Passw0rd!")
    tab.locator("form").get_by_role("button").first.click()
    tab.wait_for_url("**/admin/")
    return context, tab


def test_online_filing_to_acceptance(
    page, browser, live_server, home_page, files, monkeypatch, settings
):
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    lift_rate_limits(settings)
    item = make_item(home_page)
    clerk = make_clerk(item.department)
    required, optional = item.materials.all()

    # The citizen files online; a wrong ID number first, which loses nothing.
    page.goto(item.url + "apply/")
    page.get_by_label("申请人姓名或单位名称").fill("张三")
    page.get_by_label("证件号码").fill("110105194912310021")
    page.get_by_label("手机号码").fill("13800138000")
    page.get_by_label("通讯地址").fill("长春市人民大街 100 号")
    page.set_input_files(f"#id_material_{required.pk}", str(files[0]))
    page.set_input_files(f"#id_material_{optional.pk}", str(files[1]))
    page.fill("#id_captcha_1", "PASSED")
    page.locator("#id_consent").check()
    assert_accessible(page)
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator(".error-summary")).to_contain_text("校验位不正确")
    expect(page.get_by_text("已上传：申请书.pdf")).to_be_visible()
    expect(page.get_by_label("通讯地址")).to_have_value("长春市人民大街 100 号")
    page.get_by_label("证件号码").fill(VALID_ID)
    page.fill("#id_captcha_1", "PASSED")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="提交申请").click()

    expect(page.locator("h1")).to_have_text("收件回执")
    number = page.locator("[data-tracking-number]").inner_text().strip()
    code = page.locator("[data-access-code]").inner_text().strip()
    filing = Filing.objects.get()
    assert number == filing.tracking_number and filing.uploads.count() == 2
    assert_accessible(page)
    pdf = page.request.get(f"/banjian/{number}/huizhi.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.body(), capture_output=True, check=True
    ).stdout.decode()
    assert number in text

    # The clerk finds it in the desk's queue, with its pre-review deadline, and
    # sends the one-time notice.
    context, desk = clerk_page(browser, live_server, clerk)
    desk.get_by_role("link", name="窗口办公").first.click()
    expect(desk.locator("[data-desk-queues] [aria-current=page]")).to_have_text(
        "待预审（1）"
    )
    due = f"{filing.pre_review_due_date:%Y-%m-%d}"
    expect(desk.locator(f"#listing-results time[datetime='{due}']")).to_be_visible()
    assert_accessible(desk)
    desk.get_by_role("link", name=number).first.click()
    expect(desk.locator("h1")).to_contain_text("预审")
    assert_accessible(desk)
    desk.locator(
        f"input[name='m{filing.materials.get(required=True).pk}-status']"
        "[value='missing']"
    ).check()
    desk.get_by_label("一次性告知书补充说明").fill("申请书须本人签字。")
    desk.get_by_role("button", name="发出一次性告知书").click()
    expect(desk.get_by_text("一次性告知书已发出")).to_be_visible()
    assert_accessible(desk)
    desk.get_by_role("link", name="打印告知书").first.click()
    expect(desk.locator("main")).to_contain_text("申请书须本人签字")
    assert_accessible(desk)

    # The citizen looks the filing up and supplements.
    page.goto("/banjian/chaxun/")
    page.get_by_label("受理编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("[data-state]")).to_have_text("待补正材料")
    expect(page.locator(".one-time-notice")).to_contain_text("申请书")
    assert_accessible(page)
    page.set_input_files(f"#id_material_{required.pk}", str(files[0]))
    page.get_by_role("button", name="提交补正材料").click()
    expect(page.locator("[data-state]")).to_have_text("已提交，待预审")

    # The clerk accepts.
    desk.goto("/admin/chuangkou/desk/")
    expect(desk.get_by_text("已补正").first).to_be_visible()
    desk.get_by_role("link", name=number).first.click()
    desk.locator(
        f"input[name='m{filing.materials.get(required=True).pk}-status']"
        "[value='received']"
    ).check()
    desk.get_by_role("button", name="受理（开始计时）").click()
    expect(desk.get_by_text("已受理，办结时限开始计算。")).to_be_visible()
    assert_accessible(desk)
    context.close()

    # The lookup shows every step and the promised due date.
    page.reload()
    expect(page.locator("[data-state]")).to_have_text("已受理")
    filing.refresh_from_db()
    expect(page.locator("[data-due-date] time")).to_have_attribute(
        "datetime", f"{filing.promised_due_date:%Y-%m-%d}"
    )
    timeline = page.locator(".timeline")
    for step in ("提交申请", "一次性告知补正材料", "补正材料", "受理"):
        expect(timeline).to_contain_text(step)
    assert_accessible(page)


def test_walk_in_filing_ends_on_its_receipt_in_the_admin(
    browser, live_server, home_page, files
):
    item = make_item(home_page)
    clerk = make_clerk(item.department)
    required, _optional = item.materials.all()
    context, desk = clerk_page(browser, live_server, clerk)
    desk.goto("/admin/chuangkou/desk/")
    desk.get_by_role("link", name="窗口收件").first.click()
    assert_accessible(desk)
    desk.get_by_role("link", name=item.title).click()

    # A wrong mobile number first: the form comes back with the scan kept.
    desk.get_by_label("申请人姓名或单位名称").fill("李四")
    desk.get_by_label("证件号码").fill(VALID_ID)
    desk.get_by_label("手机号码").fill("1380013")
    desk.get_by_label("通讯地址").fill("长春市南关区大马路 8 号")
    desk.set_input_files(f"#id_material_{required.pk}", str(files[0]))
    desk.get_by_label("申请人已签字确认个人信息保护告知").check()
    desk.get_by_role("button", name="登记收件并打印回执").click()
    expect(desk.locator("[data-kept-upload]")).to_contain_text("申请书.pdf")
    expect(desk.get_by_label("通讯地址")).to_have_value("长春市南关区大马路 8 号")
    assert_accessible(desk)
    desk.get_by_label("手机号码").fill("13800138000")
    desk.get_by_role("button", name="登记收件并打印回执").click()

    # The receipt, in the admin, with the access code once and the PDF to print.
    filing = Filing.objects.get()
    expect(desk.locator("[data-tracking-number]")).to_have_text(filing.tracking_number)
    expect(desk.get_by_text("请打印回执交申请人")).to_be_visible()
    assert "/admin/chuangkou/desk/receipt/" in desk.url
    assert filing.channel == "window" and filing.uploads.count() == 1
    assert_accessible(desk)
    pdf_url = desk.get_by_role("link", name="下载回执（PDF）").get_attribute("href")
    pdf = desk.request.get(pdf_url)
    assert pdf.headers["content-type"] == "application/pdf"
    code = desk.locator("[data-access-code]").inner_text().strip()
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.body(), capture_output=True, check=True
    ).stdout.decode()
    assert filing.tracking_number in text and code in text
    context.close()


def test_immediate_item_is_accepted_and_completed_at_the_desk(
    browser, live_server, home_page
):
    item = make_item(home_page)
    item.kind, item.promised_days = "immediate", 0
    item.save()
    clerk = make_clerk(item.department)
    filing, _code = workflow.create_filing(item, applicant(), form_token=uuid.uuid4())
    context, desk = clerk_page(browser, live_server, clerk)
    desk.goto(f"/admin/chuangkou/desk/inspect/{filing.pk}/")
    for material in filing.materials.all():  # handed in on paper at the counter
        desk.locator(f"input[name='m{material.pk}-status'][value='received']").check()
    desk.get_by_label("准予").check()
    desk.get_by_role("button", name="当场受理并办结").click()
    expect(desk.get_by_text("即办件已当场受理并办结")).to_be_visible()
    assert_accessible(desk)
    filing.refresh_from_db()
    assert filing.state == "completed" and filing.decision == "approved"
    desk.goto("/admin/chuangkou/desk/?queue=issue")
    expect(desk.locator("#listing-results")).to_contain_text(filing.tracking_number)
    assert_accessible(desk)
    context.close()
