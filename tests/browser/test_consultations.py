"""Consultations (咨询) in a real browser, as the people who use them, each in
Chinese and in English: a citizen asks about an item from its page and keeps the
number and code; the window logs a phone question, forwards it to a division and
answers the citizen's, publishing it; the division's handler answers the
forwarded one; the citizen reads the answer on the lookup page; the published
answer appears redacted on the item page and in the searchable list; the
inspection office sees the overdue one on its dashboard. axe and the console on
every screen."""

import datetime
import re
from urllib.parse import urlencode, urlsplit

import pytest
from captcha.conf import settings as captcha_settings
from django.utils import timezone
from playwright.sync_api import expect

from services_catalog.inbox import consultations
from services_catalog.inbox.models import Consultation
from tests.browser.axe import assert_accessible
from tests.browser.test_intake import clerk_page
from tests.browser.test_supervision import checked, watch_console
from tests.conftest import lift_rate_limits
from tests.inbox.builders import Office


def switch_language(tab, language):
    """Switch `tab` to `language` ("en" or "zh-hans") and back to the page it shows,
    through the header's switcher (on the admin, which has none, its address: staff
    without a preferred language get the admin in the language of the cookie)."""
    tab.goto(f"/i18n/switch/?{urlencode({'language': language, 'next': _path(tab)})}")
    expect(tab.locator("html")).to_have_attribute(
        "lang", "en" if language == "en" else re.compile("^zh")
    )


def _path(tab):
    url = urlsplit(tab.url)
    return f"{url.path}?{url.query}" if url.query else url.path


@pytest.fixture
def office(home_page, monkeypatch, settings):
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    lift_rate_limits(settings)
    office = Office(home_page)
    office.item.save_revision().publish()
    office.department.save_revision().publish()
    late, _code = consultations.ask(
        office.department, name="钱七", question="窗口几点开始办公？"
    )
    Consultation.objects.filter(pk=late.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=2)
    )
    office.late = late
    return office


def test_a_consultation_from_question_to_published_answer(
    page, browser, live_server, office
):
    errors = watch_console(page)

    # The citizen asks from the item's page.
    page.goto(office.item.url)
    page.get_by_role("link", name="我要咨询").first.click()
    expect(page.get_by_label("咨询事项（选填）")).to_have_value(str(office.item.pk))
    page.get_by_label("您的姓名").fill("赵六")
    page.get_by_label("手机号码").fill("12345")
    page.get_by_label("咨询内容").fill(
        "我叫赵六，电话 13912345678。排污许可证延续需要提交哪些材料？"
    )
    page.fill("#id_captcha_1", "PASSED")
    checked(page, errors)
    page.get_by_role("button", name="提交咨询").click()
    expect(page.locator(".error-summary")).to_contain_text("11 位中国大陆手机号码")
    expect(page.get_by_label("咨询内容")).to_have_value(
        "我叫赵六，电话 13912345678。排污许可证延续需要提交哪些材料？"
    )
    errors.clear()  # the 400 of the refused form

    # The same form in English: the refusal in English, then the question sent.
    switch_language(page, "en")
    expect(page.get_by_label("Item consulted about (optional)")).to_have_value(
        str(office.item.pk)
    )
    page.get_by_label("Your name").fill("赵六")
    page.get_by_label("Mobile phone number").fill("1391234567")
    page.get_by_label("Question").fill(
        "我叫赵六，电话 13912345678。排污许可证延续需要提交哪些材料？"
    )
    page.fill("#id_captcha_1", "PASSED")
    page.get_by_role("button", name="Submit the question").click()
    expect(page.locator(".error-summary")).to_contain_text(
        "11-digit mainland China mobile number"
    )
    assert_accessible(page)
    errors.clear()  # the 400 of the refused form
    page.get_by_label("Mobile phone number").fill("13912345678")
    page.fill("#id_captcha_1", "PASSED")
    page.get_by_role("button", name="Submit the question").click()
    expect(page.locator("h1")).to_have_text("My question")
    number = page.locator("[data-tracking-number]").inner_text().strip()
    code = page.locator("[data-access-code]").inner_text().strip()
    expect(page.locator("[data-state]")).to_have_text("Awaiting reply")
    checked(page, errors)

    # The window logs a phone question, forwards it, and answers the citizen's.
    context, desk = clerk_page(browser, live_server, office.clerk)
    staff_errors = watch_console(desk)
    desk.goto("/admin/zixun/")
    expect(desk.get_by_role("link", name=number)).to_be_visible()
    checked(desk, staff_errors)
    desk.goto("/admin/zixun/new/")
    desk.locator("#id_name").fill("来电群众")
    desk.locator("#id_question").fill("办理时限是多少个工作日？")
    checked(desk, staff_errors)
    desk.get_by_role("button", name="登记", exact=True).click()
    expect(desk.get_by_text("已登记咨询")).to_be_visible()
    checked(desk, staff_errors)
    desk.get_by_role("link", name="转处室办理", exact=True).click()
    desk.locator("#id_division").select_option(str(office.lead.pk))
    desk.locator("#id_forward_note").fill("请业务处室答复。")
    checked(desk, staff_errors)
    desk.get_by_role("button", name="转办", exact=True).click()
    expect(desk.get_by_text("已转处室办理。")).to_be_visible()

    phone_question = Consultation.objects.get(question="办理时限是多少个工作日？")

    # The window answers the citizen's question in English.
    consultation = Consultation.objects.get(tracking_number=number)
    desk.goto(f"/admin/zixun/inspect/{consultation.pk}/")
    switch_language(desk, "en")
    expect(desk.locator("main")).not_to_contain_text("13912345678")
    checked(desk, staff_errors)
    desk.get_by_role("link", name="Reply", exact=True).click()
    desk.locator("#id_answer").fill(
        "需提交延续申请书和近一年的监测报告，可在网上提交。"
    )
    desk.locator("#id_public").check()
    checked(desk, staff_errors)
    desk.get_by_role("button", name="Submit reply").click()
    expect(desk.get_by_text("Answered; the asker will be notified.")).to_be_visible()
    checked(desk, staff_errors)
    context.close()

    # The division's handler finds only the question forwarded to it, and answers
    # it; then reads its list in English.
    context, handler = clerk_page(browser, live_server, office.lead_handler)
    handler_errors = watch_console(handler)
    handler.goto("/admin/zixun/")
    expect(
        handler.get_by_role("link", name=phone_question.tracking_number)
    ).to_be_visible()
    expect(handler.get_by_role("link", name=number)).to_have_count(0)
    checked(handler, handler_errors)
    # Its number leads straight to the answer form (it may answer it).
    handler.get_by_role("link", name=phone_question.tracking_number).click()
    expect(handler.locator("h1")).to_contain_text("答复咨询")
    handler.locator("#id_answer").fill("承诺办结时限为 10 个工作日，自受理次日起计算。")
    checked(handler, handler_errors)
    handler.get_by_role("button", name="提交答复").click()
    expect(handler.get_by_text("已答复，咨询人将收到通知。")).to_be_visible()
    checked(handler, handler_errors)
    handler.goto("/admin/zixun/")
    switch_language(handler, "en")
    expect(
        handler.get_by_role("row").filter(has_text=phone_question.tracking_number)
    ).to_contain_text("Answered")
    checked(handler, handler_errors)
    context.close()

    # The citizen reads the answer on the lookup page, in English and in Chinese.
    page.goto("/banjian/chaxun/")
    page.get_by_label("Tracking number").fill(number)
    page.get_by_label("Access code").fill(code)
    page.get_by_role("button", name="Look up", exact=True).click()
    expect(page.locator("[data-state]")).to_have_text("Answered")
    expect(page.locator("[data-answer]")).to_contain_text("监测报告")
    checked(page, errors)
    switch_language(page, "zh-hans")
    expect(page.locator("[data-state]")).to_have_text("已答复")
    checked(page, errors)

    # Published, redacted, on the item page and in the searchable list.
    page.goto(office.item.url)
    questions = page.locator("#questions")
    expect(questions).to_contain_text("排污许可证延续需要提交哪些材料")
    expect(questions).not_to_contain_text("13912345678")
    expect(questions).not_to_contain_text("赵六")
    checked(page, errors)
    page.goto("/banjian/zixun/")
    page.get_by_label("问答关键词").fill("监测报告")
    page.locator(".qa-search").get_by_role("button").click()
    expect(page.locator(".qa")).to_have_count(1)
    checked(page, errors)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".qa")).to_have_count(1)
    expect(page.locator("h1")).to_have_text("Questions and answers")
    checked(page, errors)
    page.goto(office.item.url)
    expect(page.locator("#questions")).to_contain_text("A:")
    checked(page, errors)


def test_the_inspection_office_sees_open_and_overdue_consultations(
    browser, live_server, office
):
    context, tab = clerk_page(browser, live_server, office.supervisor)
    errors = watch_console(tab)
    tab.goto("/admin/jiancha/")
    expect(tab.locator("[data-count=consultations_open]")).to_have_text("1")
    expect(tab.locator("[data-count=consultations_overdue]")).to_have_text("1")
    expect(tab.locator("[data-list=consultations_overdue]")).to_contain_text(
        office.late.tracking_number
    )
    checked(tab, errors)
    tab.get_by_role("link", name="1 条已超期").click()
    expect(tab.get_by_role("link", name=office.late.tracking_number)).to_be_visible()
    checked(tab, errors)
    tab.goto("/admin/jiancha/")
    switch_language(tab, "en")
    expect(tab.locator("#consultations-title")).to_have_text("Consultation answers")
    tab.get_by_role("link", name="1 overdue").click()
    expect(tab.get_by_role("link", name=office.late.tracking_number)).to_be_visible()
    checked(tab, errors)
    context.close()
