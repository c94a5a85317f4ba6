"""The writers of supervision records (`services_catalog.inbox.records`): each
change is checked against the user's scope and the version they saw, and lands
with its audit-log entry or not at all."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from wagtail.models import ModelLogEntry

from services_catalog.inbox import records
from services_catalog.inbox.models import (
    AccountabilityRecord,
    Complaint,
    ComplaintStatus,
    DivisionNotice,
    UrgingNotice,
)
from tests.factories import DivisionPageFactory, PostFactory
from tests.inbox.builders import Office

pytestmark = pytest.mark.django_db

STALE = "本件已被他人处理"
REPLY_BY = datetime.date(2030, 1, 10)


@pytest.fixture
def office(home_page):
    return Office(home_page)


def logged(obj, action):
    return ModelLogEntry.objects.filter(
        object_id=str(obj.pk), action=action
    ).select_related("user")


def complaint_of(office):
    return records.file_complaint(
        office.department,
        filing=office.assigned(),
        name="李四",
        contact="13900000000",
        text="办理太慢",
    )


def urging_of(office, **fields):
    return records.issue_urging(
        office.supervisor,
        office.department,
        division=office.lead,
        text="请加快办理",
        reply_by=REPLY_BY,
        **fields,
    )


def test_public_complaint_is_logged_without_a_user(office):
    complaint = complaint_of(office)
    entry = logged(complaint, "inbox.complaint.file").get()
    assert entry.user is None and complaint.version == 1


def test_handling_a_complaint_is_logged_and_versioned(office):
    complaint = complaint_of(office)
    records.handle_complaint(
        complaint,
        office.supervisor,
        complaint.version,
        status=ComplaintStatus.HANDLING,
        handling="已转处室核实",
    )
    stored = Complaint.objects.get(pk=complaint.pk)
    assert (stored.status, stored.handling, stored.version) == (
        "handling",
        "已转处室核实",
        2,
    )
    assert stored.handled_by == office.supervisor
    entry = logged(complaint, "inbox.complaint.handle").get()
    assert entry.user == office.supervisor
    assert entry.data["from"] == "received" and entry.data["to"] == "handling"


def test_a_stale_version_is_refused_and_changes_nothing(office):
    complaint = complaint_of(office)
    seen = complaint.version
    records.handle_complaint(
        complaint, office.supervisor, seen, status="handling", handling="第一次"
    )
    with pytest.raises(records.StaleRecord, match=STALE):
        records.handle_complaint(
            Complaint.objects.get(pk=complaint.pk),
            office.supervisor,
            seen,
            status="closed",
            handling="第二次",
        )
    stored = Complaint.objects.get(pk=complaint.pk)
    assert (stored.status, stored.handling) == ("handling", "第一次")
    assert logged(complaint, "inbox.complaint.handle").count() == 1


@pytest.mark.parametrize("role", ["outsider_supervisor", "lead_handler", "clerk"])
def test_handling_out_of_scope_or_without_the_right_is_refused(office, role):
    complaint = complaint_of(office)
    with pytest.raises(PermissionDenied):
        records.handle_complaint(
            complaint,
            getattr(office, role),
            complaint.version,
            status="closed",
            handling="冒处理",
        )
    assert Complaint.objects.get(pk=complaint.pk).status == "received"
    assert not logged(complaint, "inbox.complaint.handle").exists()


def test_issuing_urging_tells_the_division_and_is_logged(office):
    notice = urging_of(office)
    assert logged(notice, "inbox.urging.issue").get().user == office.supervisor
    assert DivisionNotice.objects.filter(
        division=office.lead, text__contains="请加快办理"
    ).exists()


def test_issuing_urging_in_another_department_is_refused(office):
    with pytest.raises(PermissionDenied):
        records.issue_urging(
            office.outsider_supervisor,
            office.department,
            division=office.lead,
            text="越权督办",
            reply_by=REPLY_BY,
        )
    assert not UrgingNotice.objects.exists()
    assert not ModelLogEntry.objects.filter(action="inbox.urging.issue").exists()


def test_urging_names_only_the_departments_divisions(office):
    foreign = DivisionPageFactory(parent=office.outsider_department)
    with pytest.raises(records.RecordError, match="不属于"):
        records.issue_urging(
            office.supervisor,
            office.department,
            division=foreign,
            text="督办",
            reply_by=REPLY_BY,
        )
    assert not UrgingNotice.objects.exists()


def test_only_the_addressed_division_answers_once(office):
    notice = urging_of(office)
    for role in ("co_handler", "other_handler", "supervisor", "director"):
        with pytest.raises(PermissionDenied):
            records.answer_urging(
                notice, getattr(office, role), notice.version, answer="冒答"
            )
    records.answer_urging(notice, office.lead_handler, notice.version, answer="已加快")
    stored = UrgingNotice.objects.get(pk=notice.pk)
    assert (stored.answer, stored.answered_by) == ("已加快", office.lead_handler)
    assert logged(notice, "inbox.urging.answer").get().user == office.lead_handler
    with pytest.raises(records.RecordError, match="已经答复"):
        records.answer_urging(
            stored, office.lead_handler, stored.version, answer="再答"
        )


def test_accountability_recorded_and_corrected(office):
    complaint = complaint_of(office)
    with pytest.raises(records.RecordError, match="岗位或人员"):
        records.record_accountability(
            office.supervisor,
            office.department,
            finding="未按期办结",
            measure="批评教育",
            decided_on=datetime.date(2026, 11, 30),
        )
    record = records.record_accountability(
        office.supervisor,
        office.department,
        post=PostFactory(division=office.lead),
        complaint=complaint,
        finding="未按期办结",
        measure="批评教育",
        decided_on=datetime.date(2026, 11, 30),
    )
    assert logged(record, "inbox.accountability.record").get().user == office.supervisor
    seen = record.version
    records.correct_accountability(
        record, office.supervisor, seen, measure="责令书面检查"
    )
    with pytest.raises(records.StaleRecord):
        records.correct_accountability(
            record, office.supervisor, seen, measure="通报批评"
        )
    assert AccountabilityRecord.objects.get(pk=record.pk).measure == "责令书面检查"
    with pytest.raises(PermissionDenied):
        records.correct_accountability(
            record, office.outsider_supervisor, record.version, measure="越权"
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_supervisors_at_once_one_wins(home_page):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    office = Office(home_page)
    complaint = complaint_of(office)
    barrier = threading.Barrier(2)
    results = []

    def handle(text):
        try:
            mine = Complaint.objects.get(pk=complaint.pk)
            barrier.wait()
            records.handle_complaint(
                mine, office.supervisor, mine.version, status="closed", handling=text
            )
            results.append("ok")
        except records.StaleRecord as error:
            results.append(str(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=handle, args=(t,)) for t in ("甲", "乙")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "本件已被他人处理，请刷新后重试。"]
    stored = Complaint.objects.get(pk=complaint.pk)
    assert stored.version == 2 and stored.handling in ("甲", "乙")
    assert logged(complaint, "inbox.complaint.handle").count() == 1
