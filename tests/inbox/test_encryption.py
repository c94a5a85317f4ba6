"""ID numbers are stored encrypted with a keyed hash beside them: the database
column never holds the number, exact look-up works, keys rotate."""

import uuid

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from portal.encryption import lookup_hash
from services_catalog.inbox import workflow
from services_catalog.inbox.models import Filing
from tests.inbox.builders import VALID_ID, applicant

pytestmark = pytest.mark.django_db


def stored(filing):
    """The id_number column as a database dump would show it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, id_number_hash FROM inbox_filing WHERE id = %s",
            [filing.pk],
        )
        return cursor.fetchone()


def submit(item):
    filing, _code = workflow.create_filing(item, applicant(), form_token=uuid.uuid4())
    return filing


def test_the_database_holds_no_id_number_but_the_model_reads_it(item):
    filing = submit(item)
    column, digest = stored(filing)
    assert VALID_ID not in column and "19491231" not in column
    assert Filing.objects.get(pk=filing.pk).id_number == VALID_ID
    assert digest == lookup_hash(VALID_ID)
    assert Filing.objects.get(id_number_hash=lookup_hash(VALID_ID.lower())) == filing


def test_rotating_keys_keeps_every_number_readable(item, settings):
    old_key = Fernet.generate_key()
    settings.PERSONAL_DATA_KEYS = [old_key]
    filing = submit(item)
    before, _digest = stored(filing)

    settings.PERSONAL_DATA_KEYS = [Fernet.generate_key(), old_key]
    settings.PERSONAL_DATA_HASH_KEY = "a-new-hash-key"
    call_command("rotate_personal_data_keys", stdout=open("/dev/null", "w"))
    after, digest = stored(filing)

    assert after != before
    settings.PERSONAL_DATA_KEYS = settings.PERSONAL_DATA_KEYS[:1]  # old key dropped
    assert Filing.objects.get(pk=filing.pk).id_number == VALID_ID
    assert digest == lookup_hash(VALID_ID)


def test_rows_written_before_encryption_are_still_read(item):
    filing = submit(item)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE inbox_filing SET id_number = %s WHERE id = %s",
            [VALID_ID, filing.pk],
        )
    assert Filing.objects.get(pk=filing.pk).id_number == VALID_ID
    call_command("rotate_personal_data_keys", stdout=open("/dev/null", "w"))
    assert VALID_ID not in stored(filing)[0]
