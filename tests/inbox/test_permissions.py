"""The permission matrix of filing handling: every role against every filing view
and action view of the case page. A role out of scope gets 404 (never a hint that
the filing exists), a role in scope but without the right gets the case page back
with a refusal and nothing changes."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from services_catalog.inbox import workflow
from services_catalog.inbox.models import (
    AppointmentKind,
    Complaint,
    Filing,
    FilingState,
    UrgingNotice,
)
from tests.inbox.builders import PDF, Office

pytestmark = pytest.mark.django_db

ROLES = [
    "clerk",
    "director",
    "lead_handler",
    "co_handler",
    "other_handler",
    "supervisor",
    "outsider",
    "outsider_supervisor",
    "anonymous",
]
IN_SCOPE = {"clerk", "director", "lead_handler", "co_handler", "supervisor"}


@pytest.fixture
def office(home_page):
    return Office(home_page)


def client_for(client, office, role):
    client.logout()
    if role != "anonymous":
        client.force_login(getattr(office, role))
    return client


def completed(office):
    filing = office.assigned()
    workflow.complete_filing(
        filing,
        office.lead_handler,
        "approved",
        document=SimpleUploadedFile("结果.pdf", PDF),
    )
    return filing


def test_views_of_one_filing(client, office):
    filing = completed(office)
    upload_pk = None
    from services_catalog.inbox.models import FilingUpload

    upload = FilingUpload.objects.create(
        filing=filing,
        file=SimpleUploadedFile("a.pdf", PDF),
        original_name="a.pdf",
        content_type="application/pdf",
        size=len(PDF),
        source="online",
    )
    upload_pk = upload.pk
    urls = {
        "case": reverse("inbox_cases:inspect", args=[filing.pk]),
        "result": reverse("inbox_cases:result", args=[filing.pk]),
        "status": reverse("inbox:status", args=[filing.tracking_number]),
        "download": reverse("inbox:download", args=[upload_pk]),
    }
    for role in ROLES:
        c = client_for(client, office, role)
        visible = role in IN_SCOPE
        answers = {name: c.get(url).status_code for name, url in urls.items()}
        if visible:
            assert answers == {
                "case": 200,
                "result": 200,
                "status": 200,
                "download": 200,
            }, role
        elif role == "anonymous":
            assert answers["case"] == 302 and answers["result"] == 302, role
            assert answers["status"] == 302 and answers["download"] == 403, role
        else:
            assert answers == {
                "case": 404,
                "result": 404,
                "status": 302,
                "download": 404,
            }, role
        listing = c.get(reverse("inbox_cases:index"))
        shown = listing.status_code == 200 and filing.tracking_number in (
            listing.content.decode()
        )
        assert shown == visible, role
        export = c.get(reverse("inbox_cases:index"), {"export": "xlsx"})
        if export.status_code == 200:
            from io import BytesIO

            from openpyxl import load_workbook

            content = b"".join(export.streaming_content)
            sheet = load_workbook(BytesIO(content)).active
            numbers = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
            assert (filing.tracking_number in numbers) == visible, role


def _prepare(office, action):
    if action in ("instruct", "extend"):
        return office.accepted()
    filing = office.assigned()
    if action == "schedule_appointment":
        workflow.request_appointment(
            filing, office.lead_handler, AppointmentKind.MEETING, "当面说明"
        )
    if action in ("suspend", "resume", "complete"):
        workflow.start_handling(filing, office.lead_handler)
    if action == "resume":
        workflow.suspend_filing(
            filing, office.lead_handler, "expert_review", "专家评审", 10
        )
    if action in ("issue", "collect"):
        workflow.complete_filing(filing, office.lead_handler, "approved")
    if action == "collect":
        workflow.issue_result(filing, office.clerk, "pickup")
    return Filing.objects.get(pk=filing.pk)


def _data(office, action, filing):
    data = {"version": filing.version}
    extra = {
        "instruct": {"lead_division": office.lead.pk, "instruction": "请办理"},
        "extend": {"reason": "需要现场核查"},
        "start": {},
        "progress": {"text": "进展"},
        "opinion": {"text": "同意"},
        "request_appointment": {"kind": "inspection", "purpose": "勘查"},
        "schedule_appointment": {
            "appointment": filing.appointments.first().pk
            if filing.appointments.exists()
            else 0,
            "starts_at": "2030-05-06T09:30",
            "place": "三楼会议室",
        },
        "suspend": {"kind": "testing", "reason": "检验检测", "expected_days": 5},
        "resume": {},
        "complete": {
            "decision": "denied",
            "decision_reason": "不符合条件",
        },
        "issue": {"delivery": "pickup", "document_type": office.document_type.pk},
        "collect": {},
    }[action]
    return {**data, **extra}


def _fingerprint(filing):
    filing = Filing.objects.get(pk=filing.pk)
    return (
        filing.state,
        filing.version,
        filing.extended_days,
        filing.notes.count(),
        filing.appointments.filter(status="scheduled").count(),
        filing.appointments.count(),
    )


ALLOWED = {
    "instruct": "director",
    "extend": "director",
    "start": "lead_handler",
    "progress": "lead_handler",
    "opinion": "co_handler",
    "request_appointment": "lead_handler",
    "schedule_appointment": "clerk",
    "suspend": "lead_handler",
    "resume": "lead_handler",
    "complete": "lead_handler",
    "issue": "clerk",
    "collect": "clerk",
}


@pytest.mark.parametrize("action", list(ALLOWED))
def test_actions_only_by_their_role(client, office, action):
    filing = _prepare(office, action)
    url = reverse(f"inbox_cases:{action}", args=[filing.pk])
    case = reverse("inbox_cases:inspect", args=[filing.pk])
    before = _fingerprint(filing)
    in_scope = set(IN_SCOPE)
    if action in ("instruct", "extend"):  # not yet assigned: no division's case yet
        in_scope -= {"lead_handler", "co_handler"}
    for role in ROLES:
        if role == ALLOWED[action]:
            continue
        c = client_for(client, office, role)
        response = c.post(url, _data(office, action, filing))
        if role in in_scope:
            assert response.status_code == 302, (role, action)
            assert response.url == case
        elif role == "anonymous":
            assert response.status_code == 302 and "login" in response.url
        else:
            assert response.status_code == 404, (role, action)
        assert _fingerprint(filing) == before, (role, action)
    c = client_for(client, office, ALLOWED[action])
    response = c.post(url, _data(office, action, filing))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response.url == case
    assert _fingerprint(filing) != before


def test_stale_page_is_refused_with_clear_message(client, office):
    filing = office.accepted()
    url = reverse("inbox_cases:instruct", args=[filing.pk])
    case = reverse("inbox_cases:inspect", args=[filing.pk])
    seen = filing.version
    client.force_login(office.director)
    first = client.post(
        url, {"version": seen, "lead_division": office.lead.pk, "instruction": "甲"}
    )
    assert first.status_code == 302
    other = office.director.__class__.objects.create_user("director2")
    from disclosure.permissions import assign_staff
    from portal import roles

    assign_staff(other, office.department, staff_roles=[roles.Role.DIRECTOR])
    client.force_login(other)
    # The filing is assigned now; the second director's form, rendered before, is
    # refused with the message on the case page and changes nothing.
    second = client.post(
        url,
        {"version": seen, "lead_division": office.other.pk, "instruction": "乙"},
        follow=True,
    )
    assert second.redirect_chain == [(case, 302)]
    assert "本件已被他人处理，请刷新后重试。" in second.content.decode()
    filing.refresh_from_db()
    assert filing.lead_division == office.lead and filing.instruction == "甲"


def test_stale_version_on_an_allowed_action(client, office):
    filing = office.assigned()
    url = reverse("inbox_cases:suspend", args=[filing.pk])
    seen = filing.version
    workflow.add_note(filing, office.lead_handler, office.lead, "开始")  # starts it
    client.force_login(office.lead_handler)
    response = client.post(
        url,
        {
            "version": seen,
            "kind": "expert_review",
            "reason": "专家评审",
            "expected_days": 5,
        },
        follow=True,
    )
    assert response.redirect_chain == [
        (reverse("inbox_cases:inspect", args=[filing.pk]), 302)
    ]
    assert "本件已被他人处理，请刷新后重试。" in response.content.decode()
    assert Filing.objects.get(pk=filing.pk).state == FilingState.IN_PROGRESS


def test_supervision_views_scope(client, office):
    filing = office.assigned()
    complaint = Complaint.objects.create(
        department=office.department, filing=filing, name="甲", contact="1", text="慢"
    )
    dashboard = reverse("supervision:dashboard")
    for role in ROLES:
        c = client_for(client, office, role)
        code = c.get(dashboard).status_code
        complaint_codes = {
            c.get(reverse(f"complaints:{view}", args=[complaint.pk])).status_code
            for view in ("inspect", "edit", "history")
        }
        stats = c.get(reverse("supervision:statistics")).status_code
        if role == "supervisor":
            assert (code, complaint_codes, stats) == (200, {200}, 200)
        elif role == "outsider_supervisor":
            assert code == 200 and complaint_codes == {404}
        elif role == "outsider":
            # Another department's clerk: refused, or not found where Wagtail looks
            # the object up before it checks the permission.
            assert (code, stats) == (302, 302) and complaint_codes <= {302, 404}
        else:
            # Wagtail answers PermissionDenied in the admin with a redirect (to the
            # dashboard, or to the login page for anonymous users).
            assert (code, complaint_codes, stats) == (302, {302}, 302), role
    # Urging: the supervisor issues, only the addressed division answers.
    client.force_login(office.supervisor)
    response = client.post(
        reverse("urging_notices:add"),
        {
            "division": office.lead.pk,
            "tracking_number": filing.tracking_number,
            "text": "请加快办理",
            "reply_by": "2030-01-10",
        },
    )
    assert response.status_code == 302
    notice = UrgingNotice.objects.get()
    answer = reverse("urging_notices:edit", args=[notice.pk])
    for role, refused in [
        ("co_handler", 404),
        ("other_handler", 404),
        ("outsider", 302),
        ("supervisor", 302),
        ("clerk", 302),
    ]:
        c = client_for(client, office, role)
        response = c.post(answer, {"version": notice.version, "answer": "冒答"})
        assert response.status_code == refused, role
        notice.refresh_from_db()
        assert notice.answered_at is None, role
    c = client_for(client, office, "lead_handler")
    c.post(answer, {"version": notice.version, "answer": "已加快"})
    notice.refresh_from_db()
    assert notice.answer == "已加快" and notice.answered_by == office.lead_handler
    assert notice.answered_at.date() <= datetime.date.today() + datetime.timedelta(1)


DESK_POSTS = ("accept", "request_supplement", "refuse", "accept_and_complete")


def test_desk_views_only_for_the_departments_clerk(client, office):
    """The window desk's pages and decisions: only the clerk of the filing's
    department; other staff of the department are refused, everyone else gets 404,
    and nothing changes."""
    filing = office.submit()
    material = filing.materials.first()
    data = {
        "version": filing.version,
        f"m{material.pk}-status": "missing",
        f"m{material.pk}-note": "",
        "refusal_reason": "不属于本机关职权",
        "refusal_basis": "行政许可法第三十二条",
        "decision": "approved",
    }
    for other in filing.materials.exclude(pk=material.pk):
        data[f"m{other.pk}-status"] = "received"
    pages = ("inspect", "receipt", "receipt_pdf", "notice")
    # Not instructed yet, so no division's handler has the filing in scope.
    in_scope = IN_SCOPE - {"clerk", "lead_handler", "co_handler"}
    for role in ROLES:
        if role == "clerk":
            continue
        c = client_for(client, office, role)
        for name in pages:
            code = c.get(reverse(f"desk:{name}", args=[filing.pk])).status_code
            if role in in_scope:
                assert code == 302, (role, name)  # Wagtail's refusal: a redirect
            elif role == "anonymous":
                assert code == 302, (role, name)
            else:
                assert code == 404, (role, name)
        for name in (*DESK_POSTS, "reveal"):
            response = c.post(reverse(f"desk:{name}", args=[filing.pk]), data)
            expected = 302 if role in in_scope | {"anonymous"} else 404
            assert response.status_code == expected, (role, name)
        assert Filing.objects.get(pk=filing.pk).version == filing.version, role
        index = c.get(reverse("desk:index"))
        assert index.status_code == 302 or (
            filing.tracking_number not in index.content.decode()
        ), role
    c = client_for(client, office, "clerk")
    assert c.get(reverse("desk:inspect", args=[filing.pk])).status_code == 200
    assert filing.tracking_number in c.get(reverse("desk:index")).content.decode()
    response = c.post(reverse("desk:request_supplement", args=[filing.pk]), data)
    assert response.status_code == 302
    assert Filing.objects.get(pk=filing.pk).state == FilingState.SUPPLEMENT_REQUESTED
