"""Consultations as people use them: the citizen's question form, the asker's page
and the lookup, the published questions and answers (item page, list, detail, API,
search), the window's admin (logging a phone question, forwarding, answering,
publishing) and the inspection office's dashboard."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from search.backends import get_backend
from search.backends.base import SearchRequest
from services_catalog.inbox import consultations
from services_catalog.inbox.models import (
    Consultation,
    ConsultationChannel,
    ConsultationState,
)
from tests.inbox.builders import Office

pytestmark = pytest.mark.django_db

QUESTION = "我叫赵六，手机 13912345678。排污许可证延续需要提交哪些材料？"


@pytest.fixture
def office(home_page):
    office = Office(home_page)
    office.item.save_revision().publish()
    office.department.save_revision().publish()
    return office


def question_data(office, **overrides):
    data = {
        "department": office.department.pk,
        "item": office.item.pk,
        "name": "赵六",
        "mobile": "139 1234 5678",
        "email": "",
        "question": QUESTION,
        "captcha_0": "x",
        "captcha_1": "PASSED",
    }
    data.update(overrides)
    return data


def published(office, question=QUESTION, answer="请提交延续申请书和监测报告。"):
    consultation, _code = consultations.ask(
        office.department,
        item=office.item,
        name="赵六",
        mobile="13912345678",
        question=question,
    )
    return consultations.answer(
        consultation, office.clerk, consultation.version, text=answer, public=True
    )


# ------------------------------------------------------------------ citizen


def test_the_form_opened_from_an_item_page_preselects_it(client, office):
    page = client.get(office.item.url).content.decode()
    link = f"{reverse('inbox:consult')}?item={office.item.code}"
    assert f'href="{link}"' in page

    html = client.get(link).content.decode()
    assert re.search(rf'<option value="{office.item.pk}" selected>', html)
    assert "3 个工作日内答复" in html
    assert 'name="captcha_1"' in html and 'name="website"' in html


def test_a_citizen_asks_and_reads_the_number_and_code(client, office):
    response = client.post(reverse("inbox:consult"), question_data(office))
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "inbox:consultation", args=[consultation.tracking_number]
    )
    assert consultation.mobile == "13912345678"
    assert consultation.item == office.item
    assert consultation.channel == ConsultationChannel.ONLINE

    html = client.get(response["Location"]).content.decode()
    code = re.search(r"data-access-code>(\w+)<", html).group(1)
    assert consultations.find_consultation(consultation.tracking_number, code)
    assert "待答复" in html
    assert f"{consultation.due_date:%Y年%-m月%-d日}" in html


def test_bad_input_keeps_what_was_typed(client, office):
    response = client.post(
        reverse("inbox:consult"), question_data(office, mobile="123", captcha_1="")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "请输入 11 位中国大陆手机号码" in html
    assert "请输入验证码。" in html
    assert "排污许可证延续需要提交哪些材料" in html
    assert not Consultation.objects.exists()


def test_an_item_of_another_department_is_refused(client, office, home_page):
    other = Office(home_page)
    other.item.save_revision().publish()
    response = client.post(
        reverse("inbox:consult"), question_data(office, item=other.item.pk)
    )
    assert response.status_code == 400
    assert "所选事项不属于所选部门。" in response.content.decode()


def test_a_robot_filling_the_honeypot_is_refused(client, office):
    response = client.post(
        reverse("inbox:consult"), question_data(office, website="http://spam")
    )
    assert response.status_code == 400
    assert not Consultation.objects.exists()


def test_the_form_is_rate_limited(client, office, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "consultation": "1/h"}
    client.post(reverse("inbox:consult"), question_data(office))
    response = client.post(reverse("inbox:consult"), question_data(office))
    assert response.status_code == 429
    assert Consultation.objects.count() == 1


def test_the_lookup_finds_a_consultation_and_shows_the_answer(client, office):
    consultation, code = consultations.ask(
        office.department, name="赵六", mobile="13912345678", question=QUESTION
    )
    status_url = reverse("inbox:consultation", args=[consultation.tracking_number])
    # Without the code the page leads to the lookup.
    assert client.get(status_url)["Location"].startswith(reverse("inbox:lookup"))

    wrong = client.post(
        reverse("inbox:lookup"),
        {"tracking_number": consultation.tracking_number, "access_code": "WRONG"},
    )
    assert wrong.status_code == 400

    consultations.answer(consultation, office.clerk, 1, text="请提交延续申请书。")
    response = client.post(
        reverse("inbox:lookup"),
        {"tracking_number": consultation.tracking_number, "access_code": code},
    )
    assert response["Location"] == status_url
    html = client.get(status_url).content.decode()
    assert "已答复" in html and "请提交延续申请书。" in html


# ------------------------------------------------------------------ published


def test_public_answers_appear_redacted_on_the_item_page_and_in_the_list(
    client, office
):
    answer = published(office)
    private, _code = consultations.ask(
        office.department, item=office.item, name="钱七", question="私人问题不公开"
    )
    consultations.answer(private, office.clerk, 1, text="已电话答复。")

    for url in (
        office.item.url,
        reverse("inbox:consultations"),
        reverse("inbox:consultation_answer", args=[answer.pk]),
    ):
        html = client.get(url).content.decode()
        assert "排污许可证延续需要提交哪些材料" in html, url
        assert "请提交延续申请书和监测报告。" in html, url
        assert "13912345678" not in html and "赵六" not in html, url
        assert "私人问题不公开" not in html, url
    assert (
        client.get(reverse("inbox:consultation_answer", args=[private.pk])).status_code
        == 404
    )


def test_the_list_is_searchable_and_paginated(client, office):
    for n in range(23):
        published(office, question=f"第{n}个关于延续的问题？")
    published(office, question="营业执照遗失怎么补办？", answer="登报声明后申请补领。")

    html = client.get(reverse("inbox:consultations")).content.decode()
    assert "共 24 条" in html
    assert html.count('class="qa"') == 20
    second = client.get(reverse("inbox:consultations") + "?page=2").content.decode()
    assert second.count('class="qa"') == 4

    found = client.get(reverse("inbox:consultations") + "?q=补办").content.decode()
    assert "营业执照遗失怎么补办" in found and "共 1 条" in found
    none = client.get(reverse("inbox:consultations") + "?q=驾驶证").content.decode()
    assert "没有找到相关的咨询问答。" in none


def test_the_search_indexes_a_published_answer_and_drops_it_when_withdrawn(office):
    answer = published(office, question="排污许可证延续需要提交什么？")

    def hits():
        results = get_backend().search(SearchRequest(text="排污许可证延续"))
        return [hit for hit in results.hits if hit.kind == "qa"]

    found = hits()
    assert [hit.url for hit in found] == [
        reverse("inbox:consultation_answer", args=[answer.pk])
    ]
    consultations.set_public(answer, office.clerk, answer.version, public=False)
    assert hits() == []


def test_the_api_lists_published_answers_and_looks_one_up(client, office):
    published(office)
    consultation, code = consultations.ask(
        office.department, name="赵六", mobile="13912345678", question="还没答复"
    )
    listing = client.get("/api/v1/consultations/?q=延续").json()
    assert listing["total"] == 1
    assert "13912345678" not in listing["results"][0]["question"]

    url = f"/api/v1/consultations/{consultation.tracking_number}/"
    assert client.get(url, {"code": "WRONG"}).status_code == 404
    data = client.get(url, {"code": code}).json()
    assert data["state"] == "submitted"
    assert data["due_date"] == f"{consultation.due_date:%Y-%m-%d}"
    assert data["clock_status"] in {"on_track", "due_soon"}

    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/consultations/" in paths
    assert "/api/v1/consultations/{tracking_number}/" in paths


# ------------------------------------------------------------------ staff


def test_the_clerk_logs_a_phone_question_and_forwards_it(client, office):
    client.force_login(office.clerk)
    form = client.get(reverse("consultations:add")).content.decode()
    assert "网上咨询" not in form.split('name="channel"')[1].split("</select>")[0]
    response = client.post(
        reverse("consultations:add"),
        {
            "channel": ConsultationChannel.PHONE,
            "item": office.item.pk,
            "name": "来电群众",
            "mobile": "",
            "email": "",
            "question": "办理时限是多少天？",
        },
        follow=True,
    )
    consultation = Consultation.objects.get()
    html = response.content.decode()
    assert consultation.logged_by == office.clerk
    assert consultation.tracking_number in html and "查询码" in html

    forward = reverse("consultations:forward", args=[consultation.pk])
    page = client.get(forward).content.decode()
    assert f'action="{forward}"' in page and "办理时限是多少天？" in page
    client.post(
        forward, {"division": office.lead.pk, "forward_note": "请答复", "version": 1}
    )
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.FORWARDED
    assert consultation.division == office.lead


def test_the_division_answers_but_only_the_window_publishes(client, office):
    consultation, _code = consultations.ask(
        office.department, name="赵六", mobile="13912345678", question=QUESTION
    )
    consultations.forward(consultation, office.clerk, 1, division=office.lead)
    edit = reverse("consultations:edit", args=[consultation.pk])

    client.force_login(office.other_handler)
    assert client.get(edit).status_code == 404
    client.force_login(office.lead_handler)
    form = client.get(edit).content.decode()
    assert 'name="answer"' in form and 'name="public"' not in form
    client.post(edit, {"answer": "需提交延续申请书。", "version": 2})
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.ANSWERED
    assert consultation.answered_by == office.lead_handler

    # Stale: the version the page saw is gone.
    client.force_login(office.clerk)
    stale = client.post(edit, {"public": "on", "version": 2})
    assert "本件已被他人处理" in stale.content.decode()
    client.post(edit, {"public": "on", "version": 3})
    consultation.refresh_from_db()
    assert consultation.public is True


def test_the_listing_masks_and_filters_overdue(client, office, monkeypatch):
    late, _code = consultations.ask(
        office.department, name="赵六", mobile="13912345678", question=QUESTION
    )
    Consultation.objects.filter(pk=late.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=3)
    )
    consultations.ask(office.department, name="钱七", question="另一个问题")
    client.force_login(office.supervisor)
    html = client.get(reverse("consultations:index") + "?due=overdue").content.decode()
    assert late.tracking_number in html
    assert "另一个问题" not in html
    assert "13912345678" not in html

    export = client.get(reverse("consultations:index") + "?export=csv")
    body = b"".join(export.streaming_content).decode()
    assert "139****5678" in body and "13912345678" not in body


def test_the_supervision_dashboard_counts_open_and_overdue(client, office):
    late, _code = consultations.ask(
        office.department, name="赵六", mobile="13912345678", question=QUESTION
    )
    Consultation.objects.filter(pk=late.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=3)
    )
    consultations.ask(office.department, name="钱七", question="另一个问题")
    client.force_login(office.supervisor)
    html = client.get(reverse("supervision:dashboard")).content.decode()
    assert re.search(r'data-count="consultations_open">2<', html)
    assert re.search(r'data-count="consultations_overdue">1<', html)
    overdue = html.split('data-list="consultations_overdue"')[1].split("</ul>")[0]
    assert late.tracking_number in overdue
    # The inspection office reads consultations but does not answer them.
    edit = client.get(reverse("consultations:edit", args=[late.pk]))
    assert edit.status_code in (302, 403)
