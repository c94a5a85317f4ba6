"""The honeypot and the captcha every public form shares (`portal.forms`,
`portal.captcha`): what a visitor sees, what a robot gets, and the new-challenge
endpoint behind the “换一张” and “改用文字题” buttons."""

import datetime
import io
import random
import re

import pytest
from captcha.conf import settings as captcha_settings
from captcha.models import CaptchaStore
from captcha.views import _captcha_image
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from portal.captcha import chinese_numeral, question_challenge
from reception.models import AppointmentRequest
from reception.models.roster import Slot
from services_catalog.inbox.models import Complaint
from tests.conftest import lift_rate_limits
from tests.factories import DepartmentPageFactory
from tests.inbox.builders import make_item
from tests.reception.conftest import (
    make_department,
    make_leader,
    make_period,
    make_reception_page,
    next_workday,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_limits(settings):
    lift_rate_limits(settings)


@pytest.fixture
def department(home_page):
    department = DepartmentPageFactory(parent=home_page, title="省市场监督管理局")
    department.save_revision().publish()
    return department


def key_of(html):
    return re.search(r'name="captcha_0" value="(\w+)"', html).group(1)


def complaint_data(html, department, **fields):
    key = key_of(html)
    return {
        "department": department.pk,
        "name": "王五",
        "contact": "13800138000",
        "text": "窗口未按承诺时限答复。",
        "captcha_0": key,
        "captcha_1": CaptchaStore.objects.get(hashkey=key).response,
        **fields,
    }


@pytest.fixture
def form_pages(home_page):
    """{name: URL} of the public forms, each with whether it has a captcha."""
    item = make_item(home_page)
    reception_department = make_department(home_page, "PF")
    day = next_workday()
    entry = make_period(
        reception_department,
        day,
        day,
        entries=[(day, Slot.MORNING, make_leader(reception_department, "甲"))],
    ).entries.get()
    reception = make_reception_page(reception_department)
    return {
        "filing": (item.url + "apply/", True),
        "complaint": (reverse("inbox:complaint"), True),
        "appointment": (f"{reception.url}appointment/{entry.pk}/", True),
        "lookup": (reverse("inbox:lookup"), False),
        "appointment_lookup": (reception.url + "lookup/", False),
    }


@pytest.mark.parametrize(
    "name", ["filing", "complaint", "appointment", "lookup", "appointment_lookup"]
)
def test_every_public_form_has_the_hidden_honeypot(client, form_pages, name):
    url, has_captcha = form_pages[name]
    html = client.get(url).content.decode()

    honeypot = re.search(r'<div class="form-honeypot">(.*?)</div>', html, re.S)
    assert honeypot, "no honeypot"
    assert 'name="website"' in honeypot.group(1)
    assert 'tabindex="-1"' in honeypot.group(1)
    assert 'autocomplete="off"' in honeypot.group(1)
    assert html.count('name="website"') == 1
    assert ('name="captcha_1"' in html) is has_captcha


@pytest.mark.parametrize("name", ["filing", "complaint", "appointment"])
def test_the_captcha_speaks_chinese_and_offers_a_new_challenge(
    client, form_pages, name
):
    html = client.get(form_pages[name][0]).content.decode()

    assert 'alt="验证码图片：4 个英文字母"' in html
    assert 'alt="captcha"' not in html
    assert 'data-captcha-url="/captcha/new/"' in html
    assert "换一张" in html and "改用文字题" in html
    assert re.search(r'<label class="form-label" for="id_captcha_1">验证码', html)


def test_the_honeypot_is_never_shown_and_never_focused(client):
    css = b"".join(client.get("/static/portal/css/site.css").streaming_content)

    rule = re.search(rb"\.form-honeypot \{(.*?)\}", css, re.S).group(1)
    assert b"display: none" in rule


def test_a_filled_honeypot_is_refused_and_nothing_is_kept(client, department):
    url = reverse("inbox:complaint")
    data = complaint_data(client.get(url).content.decode(), department)

    response = client.post(url, {**data, "website": "http://spam.example"})

    assert response.status_code == 400
    assert "提交未通过校验，请刷新页面后重试。" in response.content.decode()
    assert "窗口未按承诺时限答复。" in response.content.decode()  # kept for a person
    assert not Complaint.objects.exists()


def test_a_wrong_captcha_is_refused_with_a_chinese_message(client, department):
    url = reverse("inbox:complaint")
    data = complaint_data(client.get(url).content.decode(), department)

    response = client.post(url, {**data, "captcha_1": "nope"})

    assert response.status_code == 400
    assert "验证码不正确，请重新输入新的验证码。" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_new_image_challenge_replaces_the_old_one(client):
    first = client.get("/captcha/new/", {"kind": "image"}).json()
    second = client.get("/captcha/new/", {"kind": "image"}).json()

    assert first["key"] != second["key"] and first["kind"] == "image"
    image = client.get(second["image_url"])
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(image.content)).size == tuple(
        captcha_settings.CAPTCHA_IMAGE_SIZE
    )


def test_the_text_alternative_is_a_question_in_chinese_that_the_form_accepts(
    client, department
):
    url = reverse("inbox:complaint")
    data = complaint_data(client.get(url).content.decode(), department)
    challenge = client.get("/captcha/new/", {"kind": "question"}).json()

    assert challenge["image_url"] is None
    assert re.fullmatch(
        r"[零一二三四五六七八九十]+[加减][零一二三四五六七八九十]+等于几？",
        challenge["question"],
    )
    answer = CaptchaStore.objects.get(hashkey=challenge["key"]).response
    response = client.post(
        url, {**data, "captcha_0": challenge["key"], "captcha_1": answer}
    )

    assert response.status_code == 200 and Complaint.objects.count() == 1


@pytest.mark.parametrize(
    ("typed", "stored"), [("12", "12"), ("１２", "12"), ("十二", "12"), ("七", "7")]
)
def test_an_answer_typed_with_an_input_method_counts(client, department, typed, stored):
    url = reverse("inbox:complaint")
    data = complaint_data(client.get(url).content.decode(), department)
    key = CaptchaStore.objects.create(challenge="问题", response=stored).hashkey

    response = client.post(url, {**data, "captcha_0": key, "captcha_1": typed})

    assert response.status_code == 200 and Complaint.objects.count() == 1


def test_an_unknown_kind_gets_an_image(client):
    assert client.get("/captcha/new/", {"kind": "audio"}).json()["kind"] == "image"


def test_a_challenge_is_answered_once(client, department):
    url = reverse("inbox:complaint")
    data = complaint_data(client.get(url).content.decode(), department)
    client.post(url, data)

    again = client.post(url, {**data, "text": "再投诉一次。"})

    assert again.status_code == 400 and Complaint.objects.count() == 1


def test_a_wrong_answer_uses_the_challenge_up_and_a_late_one_is_refused(
    client, department
):
    url = reverse("inbox:complaint")
    data = complaint_data(client.get(url).content.decode(), department)
    client.post(url, {**data, "captcha_1": "nope"})
    assert client.post(url, data).status_code == 400  # the right answer, too late

    data = complaint_data(client.get(url).content.decode(), department)
    CaptchaStore.objects.filter(hashkey=data["captcha_0"]).update(
        expiration=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert (
        client.post(url, {**data, "captcha_1": data["captcha_1"].upper()}).status_code
        == 400
    )
    assert not Complaint.objects.exists()


def test_questions_add_or_subtract_small_numbers():
    for _ in range(200):
        question, answer = question_challenge()
        first, operation, second = re.fullmatch(
            r"(.+?)([加减])(.+)等于几？", question
        ).groups()
        numbers = {chinese_numeral(n): n for n in range(11)}
        a, b = numbers[first], numbers[second]
        assert 1 <= a <= 10 and 1 <= b <= 10
        assert int(answer) == (a + b if operation == "加" else a - b) >= 0


def test_chinese_numerals():
    assert [chinese_numeral(n) for n in (0, 7, 10, 12, 20, 99)] == [
        "零",
        "七",
        "十",
        "十二",
        "二十",
        "九十九",
    ]


@pytest.mark.parametrize("text", ["WWWW", "MMMM", "WMWM", "QJWX", "HMNW"])
def test_no_letter_of_the_image_reaches_its_edge(monkeypatch, text):
    """The issue was a last letter cut off at the right edge: every rotated letter
    must stay clear of all four edges."""
    monkeypatch.setattr(captcha_settings, "CAPTCHA_NOISE_FUNCTIONS", ())
    monkeypatch.setattr(captcha_settings, "CAPTCHA_FILTER_FUNCTIONS", ())

    class Store:
        challenge = text

    for seed in range(25):
        random.seed(seed)
        image = Image.open(io.BytesIO(_captcha_image(Store, 1).content)).convert("L")
        width, height = image.size
        ink = image.point(lambda level: 255 if level < 128 else 0).getbbox()
        left, top, right, bottom = ink
        assert left >= 4 and top >= 4, (text, seed, ink)
        assert right <= width - 4 and bottom <= height - 4, (text, seed, ink)


def test_an_appointment_with_the_honeypot_filled_is_not_booked(client, form_pages):
    url = form_pages["appointment"][0]
    key = key_of(client.get(url).content.decode())
    data = {
        "name": "孙立新",
        "phone": "13611112222",
        "matter": "问题。",
        "consent": "on",
        "captcha_0": key,
        "captcha_1": CaptchaStore.objects.get(hashkey=key).response,
        "website": "x",
    }

    response = client.post(url, data)

    assert "提交未通过校验" in response.content.decode()
    assert not AppointmentRequest.objects.exists()
