"""The case page (办件) and its action views: what the page shows, one form view
per workflow function, bad input kept with its message, a stale form refused with
「本件已被他人处理，请刷新后重试。」 on the case page it gives back — also when 20
people act at the same moment (PostgreSQL) — and the logged result download."""

import threading

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from portal import roles
from portal.models import PersonalDataAccess
from services_catalog.inbox import workflow
from services_catalog.inbox.models import AppointmentKind, Filing, FilingState
from tests.inbox.builders import PDF, Office, make_staff

pytestmark = pytest.mark.django_db

STALE = "本件已被他人处理，请刷新后重试。"


@pytest.fixture
def office(home_page):
    return Office(home_page)


def case_url(filing):
    return reverse("inbox_cases:inspect", args=[filing.pk])


def action_url(action, filing):
    return reverse(f"inbox_cases:{action}", args=[filing.pk])


def shown_messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def offered(client, filing):
    page = client.get(case_url(filing)).content.decode()
    return {
        name
        for name in (
            "instruct",
            "extend",
            "start",
            "progress",
            "opinion",
            "request_appointment",
            "schedule_appointment",
            "suspend",
            "resume",
            "complete",
            "issue",
            "collect",
        )
        if f'data-case-action="{name}"' in page
    }


def test_case_page_offers_each_role_its_actions(client, office):
    filing = office.accepted()
    client.force_login(office.director)
    assert offered(client, filing) == {"instruct", "extend"}
    client.force_login(office.clerk)
    assert offered(client, filing) == set()
    workflow.instruct_filing(filing, office.director, office.lead, [office.co], "办")
    client.force_login(office.lead_handler)
    assert offered(client, filing) == {
        "start",
        "progress",
        "request_appointment",
        "complete",
    }
    client.force_login(office.co_handler)
    assert offered(client, filing) == {"opinion"}
    workflow.start_handling(filing, office.lead_handler)
    workflow.request_appointment(
        filing, office.lead_handler, AppointmentKind.MEETING, "当面说明"
    )
    client.force_login(office.lead_handler)
    assert "suspend" in offered(client, filing)
    client.force_login(office.clerk)
    assert offered(client, filing) == {"schedule_appointment"}
    client.force_login(office.supervisor)
    assert offered(client, filing) == set()


def test_case_page_shows_clocks_materials_and_timeline(client, office):
    filing = office.assigned()
    client.force_login(office.supervisor)
    page = client.get(case_url(filing)).content.decode()
    filing.refresh_from_db()
    assert filing.tracking_number in page and office.item.title in page
    assert f'datetime="{filing.promised_due_date:%Y-%m-%d}"' in page
    assert 'data-clock-name="handling" data-clock="on_track"' in page
    assert 'data-clock-name="pre_review"' in page  # its due date, no longer running
    assert "申请书" in page and "已收取" in page  # the pre-review checklist
    assert "批办" in page and "请牵头办理" in page  # timeline and instruction
    assert reverse("inbox_cases:history", args=[filing.pk]) in page


def test_an_action_is_a_form_view_that_calls_the_workflow(client, office):
    filing = office.accepted()
    client.force_login(office.director)
    url = action_url("instruct", filing)
    form = client.get(url)
    assert form.status_code == 200
    body = form.content.decode()
    assert 'name="version"' in body and f'value="{filing.version}"' in body
    assert office.lead.title in body and office.outsider_department.title not in body
    response = client.post(
        url,
        {
            "version": filing.version,
            "lead_division": office.lead.pk,
            "co_divisions": [office.co.pk],
            "instruction": "请办理",
        },
    )
    assert response.status_code == 302 and response.url == case_url(filing)
    assert shown_messages(response) == ["已批办，已通知承办处室。"]
    filing.refresh_from_db()
    assert filing.state == FilingState.ASSIGNED and filing.lead_division == office.lead
    assert filing.events.filter(action="instruct").count() == 1


def test_bad_input_keeps_what_was_typed(client, office):
    filing = office.assigned()
    workflow.start_handling(filing, office.lead_handler)
    client.force_login(office.lead_handler)
    response = client.post(
        action_url("suspend", filing),
        {
            "version": filing.version,
            "kind": "testing",
            "reason": "委托检验检测",
            "expected_days": "abc",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "请填写整数工作日数。" in body and "委托检验检测" in body
    # A refusal of the workflow (mail without tracking number) is shown on the form.
    done = office.assigned()
    workflow.complete_filing(done, office.lead_handler, "approved")
    client.force_login(office.clerk)
    response = client.post(
        action_url("issue", done),
        {
            "version": Filing.objects.get(pk=done.pk).version,
            "document_type": office.document_type.pk,
            "delivery": "mail",
            "mail_carrier": "EMS",
        },
    )
    assert response.status_code == 400
    assert "邮寄送达须填写寄递单位和邮件单号。" in response.content.decode()
    assert Filing.objects.get(pk=done.pk).state == FilingState.COMPLETED


def test_a_stale_form_gets_the_case_page_with_the_message(client, office):
    filing = office.assigned()
    seen = filing.version
    workflow.start_handling(filing, office.lead_handler)
    client.force_login(office.lead_handler)
    response = client.post(
        action_url("complete", filing),
        {"version": seen, "decision": "denied", "decision_reason": "不符合条件"},
        follow=True,
    )
    assert response.redirect_chain == [(case_url(filing), 302)]
    assert STALE in response.content.decode()
    assert Filing.objects.get(pk=filing.pk).state == FilingState.IN_PROGRESS


def test_an_action_not_allowed_now_gets_the_case_page_with_a_message(client, office):
    filing = office.assigned()
    client.force_login(office.lead_handler)
    for method in (client.get, client.post):
        response = method(
            action_url("resume", filing), {"version": filing.version}, follow=True
        )
        assert response.redirect_chain == [(case_url(filing), 302)]
        assert "您无权执行此操作，或本件当前状态不允许。" in response.content.decode()
    assert Filing.objects.get(pk=filing.pk).state == FilingState.ASSIGNED


def test_a_second_extension_is_refused_with_its_reason(client, office):
    filing = office.accepted()
    client.force_login(office.director)
    url = action_url("extend", filing)
    first = client.post(url, {"version": filing.version, "reason": "需要现场核查"})
    assert first.status_code == 302
    filing.refresh_from_db()
    assert filing.extended_days == office.item.extension_days
    second = client.post(url, {"version": filing.version, "reason": "再延长"})
    assert second.status_code == 400
    assert "依法只能延长一次" in second.content.decode()


def test_result_download_is_scoped_and_logged(client, office):
    filing = office.assigned()
    workflow.complete_filing(
        filing,
        office.lead_handler,
        "approved",
        document=SimpleUploadedFile("结果.pdf", PDF),
    )
    url = reverse("inbox_cases:result", args=[filing.pk])
    client.force_login(office.outsider)
    assert client.get(url).status_code == 404
    client.force_login(office.other_handler)
    assert client.get(url).status_code == 404
    client.force_login(office.clerk)
    response = client.get(url)
    assert b"".join(response.streaming_content) == PDF
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    logged = PersonalDataAccess.objects.get()
    assert logged.action == PersonalDataAccess.Action.DOWNLOAD
    assert logged.user == office.clerk


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_directors_at_once_one_wins_and_nineteen_are_told(home_page):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    office = Office(home_page)
    filing = office.accepted()
    directors = [office.director] + [
        make_staff(office.department, roles.Role.DIRECTOR) for _ in range(19)
    ]
    clients = []
    for director in directors:
        client = Client()
        client.force_login(director)
        clients.append(client)
    url = action_url("instruct", filing)
    data = {
        "version": filing.version,
        "lead_division": office.lead.pk,
        "instruction": "请办理",
    }
    barrier = threading.Barrier(len(clients))
    pages = []

    def act(client):
        try:
            barrier.wait()
            response = client.post(url, data, follow=True)
            pages.append(response.content.decode())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(pages) == 20
    assert sum("已批办，已通知承办处室。" in page for page in pages) == 1
    assert sum(STALE in page for page in pages) == 19
    filing.refresh_from_db()
    assert filing.state == FilingState.ASSIGNED
    assert filing.events.filter(action="instruct").count() == 1
