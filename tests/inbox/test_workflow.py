import threading
import uuid

import pytest
from django.db import connection, connections
from wagtail.models import ModelLogEntry

from portal.workdays import add_workdays
from services_catalog.inbox import workflow
from services_catalog.inbox.codes import find_filing
from services_catalog.inbox.models import (
    Filing,
    FilingEvent,
    FilingState,
    MaterialStatus,
)
from tests.inbox.builders import applicant, checklist, make_item

pytestmark = pytest.mark.django_db


def submit(item):
    return workflow.create_filing(item, applicant(), form_token=uuid.uuid4())


def test_tracking_numbers_count_per_department_and_day(item):
    first, code = submit(item)
    second, _code = submit(item)
    prefix = f"{item.department.code}-{first.submitted_at.astimezone():%Y%m%d}"
    assert first.tracking_number == f"{prefix}-00001"
    assert second.tracking_number == f"{prefix}-00002"
    assert len(code) == 8 and not set(code) & set("01OIL")
    assert code not in first.access_code_hash
    assert find_filing(first.tracking_number, code.lower()) == first
    assert find_filing(first.tracking_number, "AAAAAAAA") is None
    assert find_filing("XX-20260101-00001", code) is None


def test_intake_snapshots_materials_and_logs(item, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        filing, _code = submit(item)
    assert [m.name for m in filing.materials.all()] == ["申请书", "身份证明复印件"]
    event = filing.events.get()
    assert (event.action, event.to_state, event.actor_label) == (
        "submit",
        FilingState.SUBMITTED,
        "申请人",
    )
    assert ModelLogEntry.objects.filter(action="inbox.submit").exists()


def test_supplement_then_accept_sets_due_dates(
    item, clerk, mailoutbox, django_capture_on_commit_callbacks
):
    filing, _code = submit(item)
    with django_capture_on_commit_callbacks(execute=True):
        notice = workflow.request_supplement(
            filing, clerk, checklist(filing, 申请书=MaterialStatus.MISSING), "请签字"
        )
    assert filing.state == FilingState.SUPPLEMENT_REQUESTED
    assert [entry["name"] for entry in notice.items] == ["申请书"]
    assert "一次性告知" in mailoutbox[-1].subject
    with pytest.raises(workflow.TransitionError):
        workflow.accept_filing(filing, clerk, checklist(filing))
    workflow.record_supplement(filing, uuid.uuid4())
    filing.refresh_from_db()
    assert filing.state == FilingState.SUBMITTED and filing.supplemented_at
    with pytest.raises(workflow.TransitionError, match="必需材料未收齐"):
        workflow.accept_filing(
            filing, clerk, checklist(filing, 申请书=MaterialStatus.NOT_ACCEPTABLE)
        )
    workflow.accept_filing(filing, clerk, checklist(filing))
    filing.refresh_from_db()
    assert filing.state == FilingState.ACCEPTED
    today = filing.accepted_on
    assert filing.promised_due_date == add_workdays(today, 10).due
    assert filing.statutory_due_date == add_workdays(today, 20).due
    actions = list(filing.events.values_list("action", flat=True))
    assert actions == ["submit", "request_supplement", "supplement", "accept"]
    assert set(
        ModelLogEntry.objects.filter(object_id=str(filing.pk)).values_list(
            "action", flat=True
        )
    ) == {f"inbox.{a}" for a in actions}


def test_refusal_needs_reason_and_basis(item, clerk):
    filing, _code = submit(item)
    with pytest.raises(workflow.TransitionError, match="理由和法律依据"):
        workflow.refuse_filing(filing, clerk, "不属于本机关职权", "")
    workflow.refuse_filing(
        filing, clerk, "不属于本机关职权", "《行政许可法》第三十二条"
    )
    assert Filing.objects.get(pk=filing.pk).state == FilingState.REFUSED
    with pytest.raises(workflow.TransitionError, match="不能执行"):
        workflow.withdraw_filing(filing)


def test_stale_actor_loses(item, clerk):
    filing, _code = submit(item)
    stale = Filing.objects.get(pk=filing.pk)
    workflow.accept_filing(filing, clerk, checklist(filing))
    with pytest.raises(
        workflow.TransitionError, match="本件已被他人处理，请刷新后重试"
    ):
        workflow.refuse_filing(stale, clerk, "理由", "依据")
    assert FilingEvent.objects.filter(filing=filing, action="refuse").count() == 0


def test_withdraw_before_completion(item):
    filing, _code = submit(item)
    workflow.withdraw_filing(filing, "不再需要")
    assert Filing.objects.get(pk=filing.pk).state == FilingState.WITHDRAWN


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_concurrent_submissions_get_distinct_numbers(home_page):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    item = make_item(home_page)
    errors, barrier = [], threading.Barrier(50)

    def file_one():
        try:
            barrier.wait()
            workflow.create_filing(item, applicant(), form_token=uuid.uuid4())
        except Exception as error:  # collected for the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=file_one) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = set(Filing.objects.values_list("tracking_number", flat=True))
    assert len(numbers) == 50 and Filing.objects.count() == 50


def test_demo_filings_cover_every_intake_state(item, clerk, home_page):
    import io

    from services_catalog.inbox.demo import load_inbox_demo

    load_inbox_demo(home_page, io.StringIO())
    states = set(Filing.objects.values_list("state", flat=True))
    assert states == set(FilingState.values)
    assert Filing.objects.filter(supplemented_at__isnull=False).exists()
    count = Filing.objects.count()
    load_inbox_demo(home_page, io.StringIO())  # idempotent
    assert Filing.objects.count() == count
