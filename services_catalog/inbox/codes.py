"""Tracking numbers and access codes of filings (受理编号, 查询码; DESIGN §5).

A tracking number `{DEPT}-{YYYYMMDD}-{NNNNN}` is issued from `TrackingCounter` inside
the transaction that creates the filing (`workflow.create_filing`, as late in it as it
can: the counter row stays locked until that transaction ends); the access code is
random, read off a paper receipt, and only its keyed hash is stored. `find_filing` is
the look-up by both, used by the lookup page, the API and the complaint form;
consultations (`consultations`) get their numbers and codes the same way and are
looked up by `find_by_code` too.
"""

import secrets

from django.db import connection
from django.utils.crypto import constant_time_compare, salted_hmac

from services_catalog.inbox.models import Filing, TrackingCounter

ACCESS_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""No 0/O, 1/I/L: an access code is read off paper and typed in again."""
ACCESS_CODE_LENGTH = 8


def generate_access_code():
    return "".join(
        secrets.choice(ACCESS_CODE_ALPHABET) for _ in range(ACCESS_CODE_LENGTH)
    )


def normalise_access_code(code):
    return "".join(str(code or "").split()).replace("-", "").upper()


def hash_access_code(tracking_number, code):
    """A keyed hash of the code (HMAC with SECRET_KEY), bound to its filing."""
    value = f"{tracking_number}:{normalise_access_code(code)}"
    return salted_hmac(
        "chuangkou.inbox.access_code", value, algorithm="sha256"
    ).hexdigest()


def find_by_code(model, tracking_number, code):
    """The `model` object (a filing or a consultation) with this number and access
    code, else None — the same answer for an unknown number and a wrong code."""
    number = str(tracking_number or "").strip().upper()
    found = model.objects.filter(tracking_number=number).first()
    expected = hash_access_code(number, code)
    if found is None or not constant_time_compare(found.access_code_hash, expected):
        return None
    return found


def find_filing(tracking_number, code):
    """The filing with this number and access code, else None."""
    return find_by_code(Filing, tracking_number, code)


def next_tracking_number(department_code, day):
    """`{DEPT}-{YYYYMMDD}-{NNNNN}`: the next number of the department for the day.

    Must run inside the transaction that creates the filing: the counter row stays
    locked until it commits (PostgreSQL's row lock; SQLite's IMMEDIATE transactions
    serialise writers), so no two filings share a number and a rolled-back filing
    leaves no gap. One statement, an upsert that returns the new value (PostgreSQL
    and SQLite ≥ 3.35): the ORM's get-or-create, lock, increment and re-read take
    four round trips while the lock is held."""
    quote = connection.ops.quote_name
    table = quote(TrackingCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({quote('department_code')}, {quote('day')}, "
            f"{quote('last_number')}) VALUES (%s, %s, 1) "
            f"ON CONFLICT ({quote('department_code')}, {quote('day')}) DO UPDATE "
            f"SET {quote('last_number')} = {table}.{quote('last_number')} + 1 "
            f"RETURNING {quote('last_number')}",
            [department_code, day],
        )
        number = cursor.fetchone()[0]
    return f"{department_code}-{day:%Y%m%d}-{number:05d}"
