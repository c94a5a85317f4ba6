"""The inspection office's admin screens (监察室): the dashboard's clocks and
extended cases, and the complaint, urging and accountability viewsets — their
listings, exports and handling forms, a stale page refused with its message and the
user's input kept."""

import datetime

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry
from wagtail.permissions import policy_registry

from portal.models import PersonalDataAccess
from portal.workdays import add_workdays
from services_catalog.inbox import records, supervision, workflow
from services_catalog.inbox.models import (
    AccountabilityRecord,
    Complaint,
    Filing,
    UrgingNotice,
)
from tests.factories import PostFactory, UserFactory
from tests.inbox.builders import Office

pytestmark = pytest.mark.django_db

STALE = "本件已被他人处理，请刷新后重试。"


@pytest.fixture
def office(home_page):
    return Office(home_page)


def complaint_of(office, **fields):
    return records.file_complaint(
        office.department,
        name="李四",
        contact="13912345678",
        text="办理太慢",
        **fields,
    )


def set_dates(filing, **fields):
    Filing.objects.filter(pk=filing.pk).update(**fields)


def test_dashboard_flags_every_clock_and_lists_extended_cases(office, client):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    late_review = office.submit()
    set_dates(late_review, pre_review_due_date=yesterday)
    near_review = office.submit()
    set_dates(near_review, pre_review_due_date=add_workdays(today, 1).due)
    late_issue = office.assigned()
    workflow.complete_filing(late_issue, office.lead_handler, "approved")
    set_dates(late_issue, issue_due_date=yesterday)
    extended = office.assigned()
    workflow.extend_filing(extended, office.director, "需专家论证")

    board = supervision.dashboard(office.department, today)
    counts = {section["key"]: section["count"] for section in board["sections"]}
    assert counts["pre_review_overdue"] == 1
    assert counts["pre_review_due_soon"] == 1
    assert counts["issue_overdue"] == 1 and counts["issue_due_soon"] == 0
    assert counts["extended"] == 1

    client.force_login(office.supervisor)
    page = client.get(reverse("supervision:dashboard")).content.decode()
    assert 'data-count="pre_review_overdue">1<' in page
    assert 'href="#list-issue_overdue"' in page
    listed = page.split('data-list="extended"')[1].split("</ul>")[0]
    assert extended.tracking_number in listed and "延长 10 个工作日" in listed
    review = page.split('data-list="pre_review_overdue"')[1].split("</ul>")[0]
    assert late_review.tracking_number in review
    assert near_review.tracking_number not in review


def test_dashboard_list_items_link_the_case_and_escape_titles(office, client):
    """The board's lists (built by `board_tags.board_list`): each filing links to its
    case, shows its item, division and due date with the titles escaped; an empty
    list says so; the English admin gets the English wording."""
    today = timezone.localdate()
    office.item.title = "<b>食品经营许可</b>"
    office.item.save_revision().publish()
    late = office.assigned()
    set_dates(late, promised_due_date=today - datetime.timedelta(days=3))
    extended = office.assigned()
    workflow.extend_filing(extended, office.director, "需专家论证")
    client.force_login(office.supervisor)

    page = client.get(reverse("supervision:dashboard")).content.decode()
    listed = page.split('data-list="handling_overdue"')[1].split("</ul>")[0]
    case_url = reverse("inbox_cases:inspect", args=[late.pk])
    assert f'<a href="{case_url}">{late.tracking_number}</a>' in listed
    assert "&lt;b&gt;食品经营许可&lt;/b&gt;" in listed and "<b>" not in listed
    assert office.lead.title in listed
    due = (today - datetime.timedelta(days=3)).isoformat()
    assert f'<time datetime="{due}">{due}</time>' in listed
    empty = page.split('data-list="issue_due_soon"')[1].split("</ul>")[0]
    assert empty == ">" + "<li>无</li>"

    english = client.get(reverse("supervision:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    page = english.content.decode()
    listed = page.split('data-list="extended"')[1].split("</ul>")[0]
    assert "extended by 10 working days" in listed
    assert "<li>None</li>" in page.split('data-list="issue_due_soon"')[1]


def test_supervisor_issues_urging_and_a_bad_number_keeps_the_input(office, client):
    filing = office.assigned()
    client.force_login(office.supervisor)
    data = {
        "division": office.lead.pk,
        "tracking_number": "SJ-20300101-99999",
        "text": "请说明超期原因",
        "reply_by": "2030-01-10",
    }
    response = client.post(reverse("urging_notices:add"), data)
    body = response.content.decode()
    assert response.status_code == 200 and "本部门没有这个受理编号" in body
    assert "请说明超期原因" in body and not UrgingNotice.objects.exists()
    response = client.post(
        reverse("urging_notices:add"),
        {**data, "tracking_number": filing.tracking_number},
    )
    assert response.status_code == 302
    notice = UrgingNotice.objects.get()
    assert notice.filing == filing and notice.issued_by == office.supervisor
    assert ModelLogEntry.objects.filter(
        action="inbox.urging.issue", object_id=str(notice.pk)
    ).exists()
    listing = client.get(reverse("urging_notices:index")).content.decode()
    assert reverse("urging_notices:inspect", args=[notice.pk]) in listing


def test_a_stale_complaint_page_gets_the_message_and_keeps_the_input(office, client):
    complaint = complaint_of(office)
    client.force_login(office.supervisor)
    url = reverse("complaints:edit", args=[complaint.pk])
    assert client.get(url).status_code == 200
    seen = complaint.version
    records.handle_complaint(
        complaint, office.supervisor, seen, status="handling", handling="先到者"
    )
    response = client.post(
        url, {"version": seen, "status": "closed", "handling": "后到者的处理"}
    )
    body = response.content.decode()
    assert STALE in body and "后到者的处理" in body
    stored = Complaint.objects.get(pk=complaint.pk)
    assert (stored.status, stored.handling) == ("handling", "先到者")
    response = client.post(
        url, {"version": stored.version, "status": "closed", "handling": "已办结"}
    )
    assert response.status_code == 302
    assert Complaint.objects.get(pk=complaint.pk).status == "closed"


def test_answered_urging_is_not_offered_again(office, client):
    notice = records.issue_urging(
        office.supervisor,
        office.department,
        division=office.lead,
        text="请加快",
        reply_by=datetime.date(2030, 1, 10),
    )
    client.force_login(office.lead_handler)
    url = reverse("urging_notices:edit", args=[notice.pk])
    seen = notice.version
    assert client.post(url, {"version": seen, "answer": "已加快"}).status_code == 302
    response = client.post(url, {"version": seen, "answer": "再答一次"})
    assert STALE in response.content.decode()
    assert UrgingNotice.objects.get(pk=notice.pk).answer == "已加快"
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == reverse("urging_notices:inspect", args=[notice.pk])


def test_complaint_listing_filters_and_masked_logged_export(office, client):
    open_one = complaint_of(office)
    closed = complaint_of(office, division=office.lead)
    records.handle_complaint(
        closed, office.supervisor, closed.version, status="closed", handling="已办结"
    )
    complaint_of_other = records.file_complaint(
        office.outsider_department, name="王五", contact="1", text="别处"
    )
    client.force_login(office.supervisor)
    index = reverse("complaints:index")
    listing = client.get(index, {"status": "received"}).content.decode()
    edit = reverse("complaints:edit", args=[open_one.pk])
    assert edit in listing
    assert reverse("complaints:edit", args=[closed.pk]) not in listing
    assert reverse("complaints:edit", args=[complaint_of_other.pk]) not in listing
    assert "13912345678" not in listing
    export = client.get(index, {"export": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "投诉人" in text and "13912345678" not in text and "139" in text
    assert "别处" not in text
    assert PersonalDataAccess.objects.filter(
        action=PersonalDataAccess.Action.EXPORT
    ).exists()


def test_accountability_needs_a_post_or_person_then_is_recorded(office, client):
    complaint = complaint_of(office)
    post = PostFactory(division=office.lead)
    client.force_login(office.supervisor)
    add = reverse("accountability_records:add")
    assert client.get(add, {"complaint": complaint.pk}).status_code == 200
    data = {
        "complaint": complaint.pk,
        "finding": "未按期办结",
        "measure": "批评教育",
        "decided_on": "2026-11-30",
    }
    response = client.post(add, data)
    body = response.content.decode()
    assert "责任追究须指明岗位或人员" in body and "未按期办结" in body
    assert not AccountabilityRecord.objects.exists()
    assert client.post(add, {**data, "post": post.pk}).status_code == 302
    record = AccountabilityRecord.objects.get()
    assert (record.post, record.complaint) == (post, complaint)
    assert record.recorded_by == office.supervisor
    inspect = client.get(reverse("accountability_records:inspect", args=[record.pk]))
    assert "批评教育" in inspect.content.decode()


def test_urging_listing_is_paginated(office, client):
    for n in range(21):
        records.issue_urging(
            office.supervisor,
            office.department,
            division=office.lead,
            text=f"督办 {n}",
            reply_by=datetime.date(2030, 1, 10),
        )
    client.force_login(office.supervisor)
    index = reverse("urging_notices:index")
    first = client.get(index).context["object_list"]
    second = client.get(index, {"p": 2}).context["object_list"]
    assert len(first) == 20 and len(second) == 1


def test_complaint_contact_masked_and_shown_in_full_by_a_logged_action(office, client):
    complaint = complaint_of(office)
    reveal = reverse("complaints:reveal", args=[complaint.pk])
    client.force_login(office.outsider_supervisor)
    assert client.post(reveal).status_code == 404
    client.force_login(office.supervisor)
    page = client.get(reverse("complaints:inspect", args=[complaint.pk]))
    body = page.content.decode()
    assert "13912345678" not in body and "139****5678" in body
    assert f"{reverse('accountability_records:add')}?complaint={complaint.pk}" in body
    shown = client.post(reveal).content.decode()
    assert "13912345678" in shown
    assert PersonalDataAccess.objects.filter(
        action=PersonalDataAccess.Action.REVEAL, object_id=str(complaint.pk)
    ).exists()


def test_a_superuser_without_a_department_chooses_the_board(office, client):
    office.assigned()
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    dashboard = reverse("supervision:dashboard")

    first = client.get(dashboard)
    assert first.status_code == 200
    page = first.content.decode()
    assert 'name="department"' in page
    assert office.department.title in page and office.outsider_department.title in page

    chosen = client.get(dashboard, {"department": office.department.code})
    assert chosen.context["department"] == office.department
    assert chosen.context["board"]["counts"]["open"] == 1
    case_links = f"department={office.department.pk}&amp;state=open"
    assert case_links in chosen.content.decode()
    other = client.get(dashboard, {"department": office.outsider_department.code})
    assert other.context["board"]["counts"]["open"] == 0
    unknown = client.get(dashboard, {"department": "NOPE"})
    assert unknown.status_code == 200 and unknown.context["department"] is not None

    workbook = client.get(
        reverse("supervision:statistics"), {"department": office.department.code}
    )
    assert workbook.status_code == 200
    assert office.department.code in workbook["Content-Disposition"]

    cases = client.get(
        reverse("inbox_cases:index"),
        {"department": office.outsider_department.pk, "state": "open"},
    )
    assert cases.status_code == 200 and list(cases.context["object_list"]) == []


def test_a_supervisor_has_no_department_choice(office, client):
    client.force_login(office.supervisor)
    response = client.get(
        reverse("supervision:dashboard"),
        {"department": office.outsider_department.code},
    )
    assert response.context["department"] == office.department
    assert 'name="department"' not in response.content.decode()
    assert (
        client.get(reverse("inbox_cases:index"), {"department": 1}).status_code == 200
    )
    client.force_login(office.clerk)
    assert client.get(reverse("supervision:dashboard")).status_code in (302, 403)


@pytest.mark.parametrize(
    "viewset", ["complaints", "urging_notices", "accountability_records"]
)
def test_supervision_records_are_never_deleted(office, client, viewset):
    complaint = complaint_of(office)
    notice = records.issue_urging(
        office.supervisor,
        office.department,
        division=office.lead,
        text="请说明进展",
        reply_by=timezone.localdate(),
    )
    record = records.record_accountability(
        office.supervisor,
        office.department,
        post=PostFactory(division=office.lead),
        person=None,
        filing=None,
        complaint=complaint,
        finding="超期",
        measure="通报",
        decided_on=timezone.localdate(),
    )
    obj = {
        "complaints": complaint,
        "urging_notices": notice,
        "accountability_records": record,
    }[viewset]
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(superuser)

    with pytest.raises(NoReverseMatch):
        reverse(f"{viewset}:delete", args=[obj.pk])
    prefix = reverse(f"{viewset}:index")
    assert client.post(f"{prefix}delete/{obj.pk}/").status_code == 404
    assert type(obj).objects.filter(pk=obj.pk).exists()
    policy = policy_registry.get_by_type(type(obj))
    assert not policy.user_has_permission(superuser, "delete")
    inspect = client.get(reverse(f"{viewset}:inspect", args=[obj.pk]))
    assert inspect.status_code == 200
    assert "delete/" not in inspect.content.decode()
