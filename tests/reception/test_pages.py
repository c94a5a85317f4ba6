"""The public reception page, month and print views, and the "leader on duty today"
cards on the home and department pages."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from reception.models.roster import Slot
from reception.roster import week_bounds
from tests.reception.conftest import make_leader, make_period

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def today_duty(department, leaders):
    """Published duties today (whatever day it is) and on Monday next week."""
    today = timezone.localdate()
    next_monday = week_bounds(today)[0] + datetime.timedelta(days=7)
    return make_period(
        department,
        today,
        next_monday,
        entries=[
            (today, Slot.MORNING, leaders[0]),
            (today, Slot.AFTERNOON, leaders[1]),
            (next_monday, Slot.FULL_DAY, leaders[2]),
        ],
        note="因节假日调整，下周一由孙三全天接访。",
    )


def test_the_reception_page_shows_today_this_week_and_next_week(
    client, reception_page, today_duty, leaders
):
    response = client.get(reception_page.url)

    html = response.content.decode()
    assert response.status_code == 200
    today_section = html[
        html.index('id="today-title"') : html.index('id="this-week-title"')
    ]
    assert leaders[0].name in today_section and leaders[1].name in today_section
    next_week = html[
        html.index('id="next-week-title"') : html.index('id="records-title"')
    ]
    assert leaders[2].name in next_week and "全天" in next_week
    assert "因节假日调整" in html
    published = timezone.localtime(today_duty.last_published_at)
    assert f"{published:%Y-%m-%d %H:%M}" in html
    assert 'type="text/calendar"' in html


def test_nothing_is_shown_before_the_roster_is_published(
    client, department, leaders, reception_page
):
    today = timezone.localdate()
    make_period(
        department,
        today,
        today,
        entries=[(today, Slot.MORNING, leaders[0])],
        live=False,
    )

    html = client.get(reception_page.url).content.decode()

    assert leaders[0].name not in html
    assert "值班表尚未公布" in html


def test_the_month_view_lists_working_days_of_the_month(
    client, department, leaders, reception_page
):
    make_period(
        department,
        D(2026, 10, 1),
        D(2026, 10, 31),
        entries=[
            (D(2026, 10, 9), Slot.MORNING, leaders[0]),
            (D(2026, 10, 10), Slot.MORNING, leaders[1]),
        ],
    )

    html = client.get(reception_page.url + "month/?month=2026-10").content.decode()

    assert "2026年10月领导接访值班表" in html
    assert 'datetime="2026-10-10"' in html  # the make-up Saturday
    assert 'datetime="2026-10-03"' not in html  # National Day holiday
    assert 'datetime="2026-10-11"' not in html  # an ordinary Sunday
    assert "?month=2026-09" in html and "?month=2026-11" in html
    assert leaders[0].name in html and leaders[1].name in html


def test_a_bad_month_falls_back_to_this_month(client, reception_page):
    response = client.get(reception_page.url + "month/?month=2026-13")

    assert response.status_code == 200
    today = timezone.localdate()
    assert f"{today.year}年{today.month}月领导接访值班表" in response.content.decode()


def test_the_print_view(client, department, leaders, reception_page):
    make_period(
        department,
        D(2026, 10, 9),
        D(2026, 10, 9),
        [(D(2026, 10, 9), Slot.MORNING, leaders[0])],
    )

    html = client.get(reception_page.url + "print/?month=2026-10").content.decode()

    assert "data-print" in html
    assert leaders[0].name in html
    assert "/appointment/" not in html  # no booking links on paper


@pytest.mark.parametrize("suffix", ["", "month/", "print/", "lookup/"])
def test_reception_pages_keep_the_strict_csp(
    client, reception_page, today_duty, suffix
):
    response = client.get(reception_page.url + suffix)

    html = response.content.decode()
    assert " style=" not in html and "<style" not in html
    assert "<script>" not in html
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_the_appointment_form_keeps_the_strict_csp(client, reception_page, duty):
    html = client.get(f"{reception_page.url}appointment/{duty.pk}/").content.decode()

    assert 'name="captcha_1"' in html
    assert 'alt="验证码图片：4 个英文字母"' in html
    assert " style=" not in html and "<script>" not in html


# "Leader on duty today" outside the reception page ----------------------------------


def render_tag(source, **context):
    request = RequestFactory().get("/")
    return Template("{% load reception_tags %}" + source).render(
        Context({"request": request, **context})
    )


def test_duty_leader_today_tag_renders_the_departments_card(
    department, reception_page, today_duty, leaders
):
    html = render_tag("{% duty_leader_today department %}", department=department)

    assert leaders[0].name in html and leaders[1].name in html
    assert reception_page.url in html
    assert leaders[2].name not in html


def test_duty_leader_today_tag_is_empty_without_a_roster_or_page(department):
    assert render_tag("{% duty_leader_today department %}", department=department) == ""
    assert render_tag("{% duty_leader_today None %}") == ""


def test_home_and_department_pages_show_todays_leader(
    client, department, other_department, reception_page, today_duty, leaders
):
    from tests.reception.conftest import make_reception_page

    make_reception_page(other_department)

    home = client.get("/").content.decode()
    department_html = client.get(department.url).content.decode()

    assert "今日接访领导" in home
    assert leaders[0].name in home and reception_page.url in home
    assert other_department.title in home  # its card says nobody is on duty
    assert leaders[0].name in department_html
    assert "今日接访安排尚未公布" not in department_html


def test_the_department_page_keeps_its_fallback_without_a_roster(
    client, other_department
):
    make_leader(other_department, "乙局领导")

    html = client.get(other_department.url).content.decode()

    assert "今日接访安排尚未公布" in html


@pytest.mark.parametrize(
    "suffix", ["month/?month=abc", "print/?month=0000-01", "?page=x", "?page=-1"]
)
def test_bad_query_parameters_fall_back_instead_of_failing(
    client, reception_page, suffix
):
    response = client.get(reception_page.url + suffix)

    assert response.status_code == 200


def test_an_out_of_range_appointment_id_is_not_found(client, reception_page):
    response = client.get(reception_page.url + "appointment/99999999999999999999999/")

    assert response.status_code == 404
