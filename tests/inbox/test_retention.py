"""Retention: five years after closure a filing loses its applicant's data and its
uploads, keeping its number, decision and dates; reception records and
appointments lose the visitor's data; a dry run changes nothing."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from portal.retention import ANONYMISED_NAME, apply_retention
from reception.models import ReceptionRecord
from services_catalog.inbox.models import Filing, FilingState, FilingUpload
from tests.inbox.builders import PDF, Office
from tests.reception.conftest import make_leader

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def five_years_ago():
    now = timezone.now()
    return now.replace(year=now.year - 5)


def completed(office, at):
    filing = office.accepted()
    Filing.objects.filter(pk=filing.pk).update(
        state=FilingState.COMPLETED,
        decision="approved",
        outgoing_number="吉环许〔2021〕8 号",
        completed_at=at,
    )
    upload = FilingUpload(
        filing=filing, original_name="申请书.pdf", content_type="application/pdf"
    )
    upload.size = len(PDF)
    upload.source = "online"
    upload.file.save("shenqing.pdf", ContentFile(PDF), save=True)
    return Filing.objects.get(pk=filing.pk), upload


def run(*args):
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_filings_past_the_limit_lose_personal_data_and_uploads(home_page):
    office = Office(home_page)
    old, old_upload = completed(office, five_years_ago() - DAY)
    recent, recent_upload = completed(office, five_years_ago() + DAY)
    open_filing = office.accepted()
    Filing.objects.filter(pk=open_filing.pk).update(submitted_at=five_years_ago() - DAY)

    report = run("--dry-run")
    assert "办件申请人信息（保存 5 年）：将处理 1 条" in report
    assert "办件上传材料（保存 5 年）：将处理 1 条" in report
    assert Filing.objects.get(pk=old.pk).mobile == old.mobile

    report = run()
    assert "办件申请人信息（保存 5 年）：已处理 1 条" in report

    old.refresh_from_db()
    assert old.applicant_name == str(ANONYMISED_NAME)
    assert (old.id_number, old.mobile, old.address, old.email) == ("", "", "", "")
    assert old.tracking_number and old.decision == "approved"
    assert old.outgoing_number == "吉环许〔2021〕8 号" and old.completed_at
    assert not FilingUpload.objects.filter(pk=old_upload.pk).exists()
    assert not old_upload.file.storage.exists(old_upload.file.name)

    recent.refresh_from_db()
    assert recent.mobile and recent.id_number
    assert FilingUpload.objects.filter(pk=recent_upload.pk).exists()
    assert Filing.objects.get(pk=open_filing.pk).mobile  # still being handled
    assert "已处理 0 条" in run()  # a second run finds nothing left


def test_reception_records_past_the_limit_lose_the_visitor(home_page, settings):
    settings.RETENTION_YEARS = {**settings.RETENTION_YEARS, "reception_records": 3}
    office = Office(home_page)
    leader = make_leader(office.department, "李处长")
    today = timezone.localdate()
    cutoff = today.replace(year=today.year - 3)

    def record(date):
        return ReceptionRecord.objects.create(
            department=office.department,
            leader=leader,
            date=date,
            visitor_name="王建华",
            visitor_contact="13904310001",
            matter="王建华反映许可未办结，电话 13904310001。",
            result="已答复王建华。",
        )

    old, recent = record(cutoff - DAY), record(cutoff + DAY)
    assert "接访记录（保存 3 年）：已处理 1 条" in run()

    old.refresh_from_db()
    assert old.visitor_name == str(ANONYMISED_NAME) and old.visitor_contact == ""
    assert "王建华" not in old.matter and "13904310001" not in old.matter
    assert "未办结" in old.matter
    recent.refresh_from_db()
    assert recent.visitor_name == "王建华"


def test_a_reception_day_is_compared_with_the_local_date(home_page, settings):
    """At 01:00 in Beijing it is still the day before in UTC: the cutoff is the
    local date three years back, so the record of the day before it has expired."""
    settings.RETENTION_YEARS = {**settings.RETENTION_YEARS, "reception_records": 3}
    office = Office(home_page)
    leader = make_leader(office.department, "李处长")
    beijing = datetime.timezone(datetime.timedelta(hours=8))
    now = datetime.datetime(2026, 12, 2, 1, 0, tzinfo=beijing)
    assert now.astimezone(datetime.UTC).date() == datetime.date(2026, 12, 1)
    expired, kept = (
        ReceptionRecord.objects.create(
            department=office.department,
            leader=leader,
            date=date,
            visitor_name="王建华",
            visitor_contact="13904310001",
            matter="反映许可未办结",
        )
        for date in (datetime.date(2023, 12, 1), datetime.date(2023, 12, 2))
    )

    report = dict(apply_retention(now=now.astimezone(datetime.UTC)))

    assert [
        count for policy, count in report.items() if policy.key == "reception_records"
    ] == [1]
    expired.refresh_from_db()
    kept.refresh_from_db()
    assert expired.visitor_name == str(ANONYMISED_NAME)
    assert kept.visitor_name == "王建华"
