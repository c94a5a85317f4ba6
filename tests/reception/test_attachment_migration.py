"""reception 0003: attachments stored under the visitor's file name move to a random
name in the private storage, keeping that name for the download."""

import importlib
import re

import pytest
from django.apps import apps
from django.core.files.base import ContentFile

from portal.uploads import private_storage
from reception.models import ReceptionRecordAttachment
from tests.reception.test_records_admin import PDF, make_record

pytestmark = pytest.mark.django_db

migration = importlib.import_module("reception.migrations.0003_private_attachments")


def test_stored_attachments_get_random_names_and_keep_their_own(
    department, leaders, django_capture_on_commit_callbacks
):
    storage = private_storage()
    old = storage.save("reception/2025/03/张三来信.pdf", ContentFile(PDF))
    record = make_record(department, leaders[0])
    attachment = ReceptionRecordAttachment.objects.create(record=record, title="来信")
    ReceptionRecordAttachment.objects.filter(pk=attachment.pk).update(file=old)

    with django_capture_on_commit_callbacks(execute=True):
        migration.rename_stored_files(apps, None)

    attachment.refresh_from_db()
    assert re.fullmatch(
        r"reception/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", attachment.file.name
    )
    assert attachment.original_name == "张三来信.pdf"
    assert attachment.download_name == "张三来信.pdf"
    assert storage.open(attachment.file.name).read() == PDF
    assert not storage.exists(old)


def test_a_missing_file_keeps_its_row_and_name(department, leaders):
    record = make_record(department, leaders[0])
    attachment = ReceptionRecordAttachment.objects.create(record=record)
    ReceptionRecordAttachment.objects.filter(pk=attachment.pk).update(
        file="reception/2025/03/gone.pdf"
    )

    migration.rename_stored_files(apps, None)

    attachment.refresh_from_db()
    assert attachment.file.name == "reception/2025/03/gone.pdf"
    assert attachment.original_name == "gone.pdf"
