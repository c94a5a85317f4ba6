"""Appointment requests: the citizen's form, capacity, the lookup, and the clerk's
decision with its notice."""

import datetime
import re

import pytest
from captcha.models import CaptchaStore
from django.core import mail
from django.urls import reverse

from reception import appointments
from reception.models import AppointmentRequest
from reception.models.roster import Slot
from tests.reception.conftest import (
    PASSWORD,
    make_leader,
    make_period,
    make_reception_page,
)

pytestmark = pytest.mark.django_db


def form_url(page, entry):
    return f"{page.url}appointment/{entry.pk}/"


def solved_form(client, url, **fields):
    """The appointment form's POST data with the captcha solved, as a person would."""
    html = client.get(url).content.decode()
    key = re.search(r'name="captcha_0" value="(\w+)"', html).group(1)
    data = {
        "name": "孙立新",
        "phone": "13611112222",
        "email": "sun@example.com",
        "matter": "想当面反映名称变更登记中遇到的问题。",
        "consent": "on",
        "captcha_0": key,
        "captcha_1": CaptchaStore.objects.get(hashkey=key).response,
    }
    data.update(fields)
    return data


def submit(client, page, entry, **fields):
    url = form_url(page, entry)
    return client.post(url, solved_form(client, url, **fields))


def test_a_citizen_requests_an_appointment_and_gets_a_number_and_code(
    client, reception_page, duty
):
    response = submit(client, reception_page, duty)

    assert response.status_code == 302
    assert response["Location"] == reception_page.url + "appointment/submitted/"
    request = AppointmentRequest.objects.get()
    assert request.status == AppointmentRequest.Status.PENDING
    assert (request.entry, request.date, request.slot) == (duty, duty.date, duty.slot)
    assert request.leader == duty.leader
    assert re.fullmatch(r"AA-JF-\d{8}-0001", request.number)
    page = client.get(response["Location"]).content.decode()
    code = re.search(r'class="appointment-code">(\w+)<', page).group(1)
    assert len(code) == 8
    assert request.number in page
    assert code not in request.code_digest
    assert appointments.find_request(request.number, code) == request


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"phone": "1361111222"}, "11 位中国大陆手机号码"),
        ({"phone": "23611112222"}, "11 位中国大陆手机号码"),
        ({"captcha_1": "wrong"}, "验证码不正确"),
        ({"consent": ""}, "请勾选同意"),
        ({"matter": ""}, "必需字段"),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(
    client, reception_page, duty, fields, message
):
    response = submit(client, reception_page, duty, **fields)

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "孙立新" in html
    assert not AppointmentRequest.objects.exists()


def test_a_full_slot_stops_taking_requests(client, department, duty):
    page = make_reception_page(department, appointment_capacity=2)
    assert submit(client, page, duty).status_code == 302
    assert submit(client, page, duty, phone="13622223333").status_code == 302

    listing = client.get(page.url).content.decode()
    response = client.get(form_url(page, duty))

    assert "已约满" in listing
    assert form_url(page, duty) not in listing
    assert "预约已满" in response.content.decode()
    assert 'name="captcha_1"' not in response.content.decode()
    with pytest.raises(appointments.AppointmentUnavailable):
        appointments.submit_request(
            page, duty.pk, name="甲", phone="13600000000", matter="x"
        )
    assert AppointmentRequest.objects.count() == 2


def test_declined_requests_free_their_place(client, department, duty, clerk):
    page = make_reception_page(department, appointment_capacity=1)
    request, _code = appointments.submit_request(
        page, duty.pk, name="甲", phone="13600000000", matter="x"
    )
    appointments.decide(
        request, AppointmentRequest.Status.DECLINED, "已另行安排", clerk
    )
    request.save()

    assert submit(client, page, duty).status_code == 302


def test_only_published_upcoming_duties_take_requests(
    client, department, leaders, reception_page
):
    past_day = datetime.date(2026, 10, 9)
    past = make_period(
        department, past_day, past_day, entries=[(past_day, Slot.MORNING, leaders[0])]
    ).entries.get()
    from tests.reception.conftest import next_workday

    future_day = next_workday(n=3)
    draft = make_period(
        department,
        future_day,
        future_day,
        entries=[(future_day, Slot.MORNING, leaders[1])],
        live=False,
    ).entries.get()

    assert "已经结束" in client.get(form_url(reception_page, past)).content.decode()
    assert client.get(form_url(reception_page, draft)).status_code == 404


def test_another_departments_duty_is_not_found_here(
    client, other_department, reception_page
):
    from tests.reception.conftest import next_workday

    day = next_workday()
    foreign = make_period(
        other_department,
        day,
        day,
        entries=[(day, Slot.MORNING, make_leader(other_department, "乙"))],
    ).entries.get()

    assert client.get(form_url(reception_page, foreign)).status_code == 404


def test_requests_are_rate_limited_per_address(client, department, duty, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "appointment": "3/d"}
    page = make_reception_page(department, appointment_capacity=50)
    statuses = [
        submit(client, page, duty, phone=f"136{n:08d}").status_code for n in range(4)
    ]

    assert statuses == [302, 302, 302, 429]
    assert AppointmentRequest.objects.count() == 3


# Lookup -----------------------------------------------------------------------------


def lookup(client, page, number, code):
    response = client.post(page.url + "lookup/", {"number": number, "code": code})
    assert response.status_code == 200
    return response.content.decode()


def without_tokens(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html).replace(
        "AA-JF", ""
    )


def test_the_lookup_answers_the_same_for_a_wrong_code_and_an_unknown_number(
    client, reception_page, duty
):
    request, code = appointments.submit_request(
        reception_page, duty.pk, name="孙立新", phone="13611112222", matter="问题"
    )
    wrong_code = "A" * 8 if code != "A" * 8 else "B" * 8
    unknown = request.number[:-4] + "9999"

    found = lookup(client, reception_page, request.number, code.lower())
    wrong = lookup(client, reception_page, request.number, wrong_code)
    missing = lookup(client, reception_page, unknown, wrong_code)

    assert "待确认" in found and "136****2222" in found
    assert "13611112222" not in found
    assert "没有找到" in wrong and "没有找到" in missing
    assert "待确认" not in wrong
    wrong = wrong.replace(request.number, "")
    missing = missing.replace(unknown, "")
    assert without_tokens(wrong) == without_tokens(missing)


def test_the_lookup_is_rate_limited(client, reception_page, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "appointment_lookup": "3/d"}
    statuses = [
        client.post(
            reception_page.url + "lookup/", {"number": "x", "code": "y"}
        ).status_code
        for _ in range(4)
    ]

    assert statuses == [200, 200, 200, 429]


# The clerk's decision ---------------------------------------------------------------


def decision_form(status, reply=""):
    return {"status": status, "reply": reply}


@pytest.fixture
def pending(reception_page, duty):
    return appointments.submit_request(
        reception_page,
        duty.pk,
        name="孙立新",
        phone="13611112222",
        email="sun@example.com",
        matter="问题",
    )


def test_the_clerk_confirms_and_the_citizen_is_told(
    client, reception_page, clerk, pending, django_capture_on_commit_callbacks
):
    request, code = pending
    assert client.login(username=clerk.username, password=PASSWORD)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("appointmentrequest:edit", args=[request.pk]),
            decision_form("confirmed", "请提前 10 分钟到一楼接访室。"),
        )

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == AppointmentRequest.Status.CONFIRMED
    assert request.decided_by == clerk and request.decided_at
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sun@example.com"]
    assert request.number in message.subject and "已确认" in message.subject
    assert "请提前 10 分钟" in message.body
    assert reception_page.url + "lookup/" in message.body
    html = lookup(client, reception_page, request.number, code)
    assert "已确认" in html and "请提前 10 分钟到一楼接访室。" in html


def test_declining_needs_a_reason(client, clerk, pending):
    request, _code = pending
    assert client.login(username=clerk.username, password=PASSWORD)
    url = reverse("appointmentrequest:edit", args=[request.pk])

    response = client.post(url, decision_form("declined"))

    assert response.status_code == 200
    assert "请写明原因" in response.content.decode()
    request.refresh_from_db()
    assert request.status == AppointmentRequest.Status.PENDING

    client.post(url, decision_form("declined", "该事项已进入复议程序。"))
    request.refresh_from_db()
    assert request.status == AppointmentRequest.Status.DECLINED


def test_clerks_of_other_departments_cannot_see_the_request(
    client, other_clerk, pending
):
    request, _code = pending
    assert client.login(username=other_clerk.username, password=PASSWORD)

    listing = client.get(reverse("appointmentrequest:index")).content.decode()
    response = client.post(
        reverse("appointmentrequest:edit", args=[request.pk]),
        decision_form("confirmed"),
    )

    assert request.number not in listing
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == AppointmentRequest.Status.PENDING


def test_nobody_adds_requests_in_the_admin(admin_client):
    add_url = reverse("appointmentrequest:add")

    listing = admin_client.get(reverse("appointmentrequest:index")).content.decode()
    response = admin_client.get(add_url)

    assert add_url not in listing
    assert response.status_code == 302  # Wagtail's answer to PermissionDenied
    assert response["Location"] == reverse("wagtailadmin_home")
