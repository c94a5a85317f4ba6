"""`purge_pending_uploads`: files of forms never submitted go after the set limit;
younger ones and those of filings stay."""

import datetime
import io
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from services_catalog.inbox import workflow
from services_catalog.inbox.models import FilingUpload
from tests.inbox.builders import PDF, applicant

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def pending(age, filing=None):
    upload = FilingUpload(
        form_token=uuid.uuid4(),
        filing=filing,
        original_name="申请书.pdf",
        content_type="application/pdf",
        size=len(PDF),
        source="online",
        uploaded_at=timezone.now() - age,
    )
    upload.file.save("shenqing.pdf", ContentFile(PDF), save=True)
    return upload


def run(*args):
    out = io.StringIO()
    call_command("purge_pending_uploads", *args, stdout=out)
    return out.getvalue()


def test_pending_uploads_past_the_limit_are_purged(item, settings):
    settings.INBOX_PENDING_UPLOAD_HOURS = 24
    filing, _code = workflow.create_filing(item, applicant(), form_token=uuid.uuid4())
    stale = pending(25 * HOUR)
    fresh = pending(23 * HOUR)
    submitted = pending(30 * HOUR, filing=filing)
    storage = stale.file.storage

    assert "试运行：将清除 1 份" in run("--dry-run")
    assert FilingUpload.objects.filter(pk=stale.pk).exists()

    assert "已清除 1 份" in run()
    assert not FilingUpload.objects.filter(pk=stale.pk).exists()
    assert not storage.exists(stale.file.name)
    for kept in (fresh, submitted):
        assert FilingUpload.objects.filter(pk=kept.pk).exists()
        assert storage.exists(kept.file.name)

    settings.INBOX_PENDING_UPLOAD_HOURS = 12
    assert "已清除 1 份" in run()
    assert not FilingUpload.objects.filter(pk=fresh.pk).exists()
