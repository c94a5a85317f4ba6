"""Leaders' reception in a real browser: a citizen finds today's leader from the home
page, requests an appointment on the reception page, the window clerk confirms it in
the admin, and the citizen sees the confirmation in the lookup. axe-core checks the
reception page, the appointment form and the lookup."""

import re

import pytest
from captcha.models import CaptchaStore
from django.utils import timezone
from playwright.sync_api import expect

from reception.models.roster import Slot
from tests.browser.axe import assert_accessible
from tests.reception.conftest import (
    PASSWORD,
    make_clerk,
    make_department,
    make_leader,
    make_period,
    make_reception_page,
    next_workday,
)


@pytest.fixture
def reception(home_page):
    """A department whose published roster has a leader on duty today and one on
    the next working day, with its reception page and window clerk."""
    department = make_department(home_page, "SJ", "省市场监督管理局")
    today_leader = make_leader(department, "罗静", title="副局长", order=1)
    next_leader = make_leader(department, "冯立新", title="处长", order=2)
    today, later = timezone.localdate(), next_workday()
    make_period(
        department,
        today,
        later,
        entries=[
            (today, Slot.MORNING, today_leader),
            (later, Slot.AFTERNOON, next_leader),
        ],
    )
    page = make_reception_page(department, appointment_notice="请携带身份证件。")
    make_clerk(department, username="clerk_sj")
    return page


def solve_captcha(page):
    key = page.locator('input[name="captcha_0"]').input_value()
    return CaptchaStore.objects.get(hashkey=key).response


def test_citizen_books_clerk_confirms_citizen_sees_it(
    page, browser, live_server, reception
):
    # The citizen finds today's leader on the home page.
    page.goto("/")
    duty_today = page.get_by_role("region", name="今日接访领导")
    expect(duty_today).to_contain_text("罗静")
    duty_today.get_by_role(
        "link", name=re.compile("值班表和预约.*省市场监督管理局")
    ).click()

    expect(page.locator("h1")).to_have_text("领导接访")
    expect(page.get_by_role("region", name="今日接访领导")).to_contain_text("罗静")
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"^预约 .*冯立新")).first.click()
    expect(page.locator("h1")).to_have_text("预约接访")
    expect(page.locator(".appointment-summary")).to_contain_text("冯立新")
    assert_accessible(page)

    page.get_by_label("姓名").fill("孙立新")
    page.get_by_label("手机号码").fill("1361111222")  # one digit short
    page.get_by_label("电子邮箱（选填）").fill("sun@example.com")
    page.get_by_label("反映事项").fill("想当面反映名称变更登记中遇到的问题。")
    page.get_by_label(re.compile("我已阅读《个人信息保护声明》")).check()
    page.get_by_label("验证码").fill(solve_captcha(page))
    page.get_by_role("button", name="提交预约").click()

    expect(page.locator(".error-summary")).to_contain_text("11 位中国大陆手机号码")
    expect(page.get_by_label("反映事项")).to_have_value(
        "想当面反映名称变更登记中遇到的问题。"
    )
    page.get_by_label("手机号码").fill("13611112222")
    page.get_by_label("验证码").fill(solve_captcha(page))
    page.get_by_role("button", name="提交预约").click()

    expect(page.locator("h1")).to_have_text("预约已提交")
    number = page.locator(".facts dd").first.inner_text()
    code = page.locator(".appointment-code").inner_text()
    assert re.fullmatch(r"SJ-JF-\d{8}-0001", number)

    # The window clerk confirms it in the admin.
    clerk_context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    clerk_context.set_default_timeout(10_000)
    admin = clerk_context.new_page()
    admin.goto("/admin/login/")
    admin.locator("#id_username").fill("clerk_sj")
    admin.locator("#id_password").fill(PASSWORD)
    admin.locator("form button[type=submit]").click()
    admin.goto("/admin/appointmentrequest/")
    admin.get_by_role("link", name=number).click()
    admin.locator("#id_status").select_option("confirmed")
    admin.locator("#id_reply").fill("请提前 10 分钟到一楼接访室。")
    admin.locator("#w-editor-form button[type=submit]").first.click()
    expect(admin.locator(".messages")).to_contain_text(number)
    clerk_context.close()

    # The citizen looks the request up.
    page.get_by_role("link", name="查询预约").click()
    page.get_by_label("预约编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()

    result = page.get_by_role("region", name="查询结果")
    expect(result).to_contain_text("已确认")
    expect(result).to_contain_text("请提前 10 分钟到一楼接访室。")
    expect(result).to_contain_text("136****2222")
    assert_accessible(page)


def test_a_wrong_code_is_refused_accessibly(page, reception):
    page.goto(reception.url + "lookup/")
    assert_accessible(page)

    page.get_by_label("预约编号").fill("SJ-JF-20260101-0001")
    page.get_by_label("查询码").fill("ABCDEFGH")
    page.get_by_role("button", name="查询").click()

    expect(page.get_by_role("alert")).to_contain_text("没有找到")
    assert_accessible(page)


def test_the_reception_page_fits_a_phone(phone_page, reception):
    phone_page.goto(reception.url)

    assert phone_page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert_accessible(phone_page)
