"""The public forms' captcha in a real browser: a citizen fills the online filing
form, asks for a new image and then for the text question, and nothing typed or
chosen is lost; the question's answer files the application. axe-core checks the
form in each state; the page's CSP reports nothing."""

import re

import pytest
from captcha.models import CaptchaStore
from playwright.sync_api import expect

from services_catalog.inbox.models import Filing
from tests.browser.axe import assert_accessible
from tests.conftest import lift_rate_limits
from tests.inbox.builders import PDF, VALID_ID, make_item


@pytest.fixture
def pdf_file(tmp_path):
    path = tmp_path / "申请书.pdf"
    path.write_bytes(PDF)
    return path


def captcha_key(page):
    return page.locator('input[name="captcha_0"]').input_value()


def test_a_new_captcha_keeps_the_form_and_the_question_files_it(
    page, live_server, home_page, settings, pdf_file, csp_violations
):
    lift_rate_limits(settings)
    item = make_item(home_page)
    required = item.materials.first()

    page.goto(item.url + "apply/")
    page.get_by_label("申请人姓名或单位名称").fill("张三")
    page.get_by_label("证件号码").fill(VALID_ID)
    page.get_by_label("手机号码").fill("13800138000")
    page.get_by_label("通讯地址").fill("长春市人民大街 100 号")
    page.set_input_files(f"#id_material_{required.pk}", str(pdf_file))
    page.locator("#id_consent").check()
    page.get_by_label("验证码").fill("XXXX")

    image = page.get_by_role("img", name="验证码图片：4 个英文字母")
    expect(image).to_be_visible()
    first_key, first_src = captcha_key(page), image.get_attribute("src")
    page.get_by_role("button", name="换一张").click()

    expect(image).not_to_have_attribute("src", first_src)
    assert captcha_key(page) not in ("", first_key)
    expect(page.locator("[data-captcha-status]")).to_have_text(
        "已换一张新的验证码图片。"
    )
    expect(page.get_by_label("验证码")).to_have_value("")
    expect(page.get_by_label("验证码")).to_be_focused()
    expect(page.get_by_label("申请人姓名或单位名称")).to_have_value("张三")
    expect(page.get_by_label("通讯地址")).to_have_value("长春市人民大街 100 号")
    expect(page.locator("#id_consent")).to_be_checked()
    chosen = page.locator(f"#id_material_{required.pk}")
    assert chosen.evaluate("input => input.files[0].name") == "申请书.pdf"
    assert_accessible(page)

    page.get_by_role("button", name="改用文字题").click()
    question = page.locator("[data-captcha-question]")
    expect(question).to_have_text(
        re.compile("^[零一二三四五六七八九十]+[加减].+等于几？$")
    )
    expect(image).to_be_hidden()
    expect(page.get_by_role("button", name="改用图片验证码")).to_be_visible()
    expect(page.get_by_label("验证码")).to_have_accessible_description(
        re.compile(re.escape(question.inner_text()))
    )
    expect(page.get_by_label("申请人姓名或单位名称")).to_have_value("张三")
    assert_accessible(page)

    honeypot = page.locator("#id_website")
    expect(honeypot).to_be_hidden()
    assert honeypot.evaluate("input => input.tabIndex") == -1

    answer = CaptchaStore.objects.get(hashkey=captcha_key(page)).response
    page.get_by_label("验证码").fill(answer)
    page.get_by_role("button", name="提交申请").click()

    expect(page.locator("h1")).to_have_text("收件回执")
    filing = Filing.objects.get()
    assert filing.applicant_name == "张三" and filing.uploads.count() == 1
    assert csp_violations == []
