"""Visitors' personal data in reception (issue 18): the ID number is stored encrypted
with its keyed hash, ID numbers typed into free text are kept only masked, the
record's and the request's own pages mask ID and mobile numbers behind a logged
"show" action for the clerk, and feeds, notices and retention keep to the same."""

import datetime
import importlib
import io

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from disclosure.permissions import assign_staff
from portal import roles
from portal.encryption import lookup_hash
from portal.models import PersonalDataAccess
from reception import appointments
from reception.models import ReceptionRecord, RosterEntry
from reception.models.roster import Slot
from reception.retention import anonymise_record
from tests.inbox.builders import VALID_ID
from tests.reception.conftest import PASSWORD, make_clerk, make_period
from tests.reception.test_records_admin import record_form

pytestmark = pytest.mark.django_db

MASKED_ID = "110105********002X"
MOBILE = "13612344321"
MASKED_MOBILE = "136****4321"
OTHER_ID = "220102198805061234"
NEW_ID = "110101199003077774"


def stored(table, columns, pk):
    """Columns of one row as a database dump would show them."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def make_record(department, leader, **fields):
    values = {
        "date": datetime.date(2026, 11, 3),
        "visitor_name": "王小明",
        "visitor_contact": f"手机 {MOBILE}",
        "matter": "反映许可未办结",
        "result": "已答复",
        **fields,
    }
    return ReceptionRecord.objects.create(
        department=department, leader=leader, **values
    )


@pytest.fixture
def director(department):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username="director_aa", password=PASSWORD, is_staff=True
    )
    assign_staff(user, department, staff_roles=[roles.Role.DIRECTOR])
    return user


# Stored with care --------------------------------------------------------------------


def test_the_clerk_enters_an_id_number_that_is_stored_encrypted_with_its_hash(
    client, department, leaders, clerk
):
    login(client, clerk)
    response = client.post(
        reverse("receptionrecord:add"),
        record_form(leaders[0], visitor_id_number=VALID_ID.lower()),
    )

    assert response.status_code == 302
    record = ReceptionRecord.objects.get()
    column, digest = stored(
        "reception_receptionrecord",
        ["visitor_id_number", "visitor_id_number_hash"],
        record.pk,
    )
    assert VALID_ID not in column and "19491231" not in column
    assert column.startswith("gAAAAA")
    assert record.visitor_id_number == VALID_ID
    assert digest == lookup_hash(VALID_ID)
    assert ReceptionRecord.objects.get(visitor_id_number_hash=lookup_hash(VALID_ID))


def test_a_wrong_id_number_is_refused_in_chinese_and_the_input_kept(
    client, department, leaders, clerk
):
    login(client, clerk)
    response = client.post(
        reverse("receptionrecord:add"),
        record_form(leaders[0], visitor_id_number="110105194912310021"),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "身份证号码校验位不正确" in html
    assert 'value="110105194912310021"' in html
    assert not ReceptionRecord.objects.exists()


def test_id_numbers_typed_into_free_text_are_kept_only_masked(department, leaders):
    record = make_record(
        department,
        leaders[0],
        visitor_name=f"王小明（身份证{VALID_ID}）",
        matter=f"代亲属反映，亲属身份证 {OTHER_ID}，回电 {MOBILE}。",
    )

    name, matter = stored(
        "reception_receptionrecord", ["visitor_name", "matter"], record.pk
    )
    assert name == f"王小明（身份证{MASKED_ID}）"
    assert matter == f"代亲属反映，亲属身份证 220102********1234，回电 {MOBILE}。"
    record.refresh_from_db()
    assert record.visitor_id_number == VALID_ID  # the first one found


def test_the_migration_moves_stored_id_numbers_out_of_the_text(department, leaders):
    record = make_record(department, leaders[0])
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reception_receptionrecord SET visitor_contact = %s, "
            "visitor_id_number = '', visitor_id_number_hash = '' WHERE id = %s",
            [f"{MOBILE}，身份证 {VALID_ID}", record.pk],
        )
    migration = importlib.import_module(
        "reception.migrations.0004_visitor_id_number_encrypted"
    )

    migration.separate_stored_id_numbers(apps, None)

    contact, column, digest = stored(
        "reception_receptionrecord",
        ["visitor_contact", "visitor_id_number", "visitor_id_number_hash"],
        record.pk,
    )
    assert contact == f"{MOBILE}，身份证 {MASKED_ID}"
    assert VALID_ID not in column and digest == lookup_hash(VALID_ID)
    assert ReceptionRecord.objects.get(pk=record.pk).visitor_id_number == VALID_ID


def test_the_migration_masks_id_numbers_in_stored_appointment_requests(
    reception_page, duty
):
    request, _code = appointments.submit_request(
        reception_page, duty.pk, name="孙立新", phone=MOBILE, matter="问题"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reception_appointmentrequest SET matter = %s WHERE id = %s",
            [f"我的身份证号 {VALID_ID}", request.pk],
        )
    migration = importlib.import_module(
        "reception.migrations.0004_visitor_id_number_encrypted"
    )

    migration.separate_stored_id_numbers(apps, None)

    (matter,) = stored("reception_appointmentrequest", ["matter"], request.pk)
    assert matter == f"我的身份证号 {MASKED_ID}"


def test_key_rotation_rewrites_reception_records_too(department, leaders, settings):
    old_key = Fernet.generate_key()
    settings.PERSONAL_DATA_KEYS = [old_key]
    record = make_record(department, leaders[0], visitor_id_number=VALID_ID)
    columns = ["visitor_id_number", "visitor_id_number_hash"]
    before, _digest = stored("reception_receptionrecord", columns, record.pk)

    settings.PERSONAL_DATA_KEYS = [Fernet.generate_key(), old_key]
    settings.PERSONAL_DATA_HASH_KEY = "another-hash-key"
    out = io.StringIO()
    call_command("rotate_personal_data_keys", stdout=out)
    after, digest = stored("reception_receptionrecord", columns, record.pk)

    assert after != before
    settings.PERSONAL_DATA_KEYS = settings.PERSONAL_DATA_KEYS[:1]  # old key dropped
    assert ReceptionRecord.objects.get(pk=record.pk).visitor_id_number == VALID_ID
    assert digest == lookup_hash(VALID_ID)
    assert "reception.ReceptionRecord" in out.getvalue()


def test_retention_removes_the_id_number(department, leaders):
    record = make_record(department, leaders[0], visitor_id_number=VALID_ID)

    anonymise_record(record)

    record.refresh_from_db()
    assert record.visitor_id_number == "" and record.visitor_id_number_hash == ""
    assert MOBILE not in record.visitor_contact


# The record's own page and its "show" action ------------------------------------


def test_the_edit_form_never_shows_the_full_id_number_and_keeps_it_when_empty(
    client, department, leaders, clerk
):
    record = make_record(department, leaders[0], visitor_id_number=VALID_ID)
    login(client, clerk)
    url = reverse("receptionrecord:edit", args=[record.pk])

    html = client.get(url).content.decode()
    assert VALID_ID not in html and MASKED_ID in html

    data = record_form(leaders[0], visitor_id_number="", matter="改过的事项")
    assert client.post(url, data).status_code == 302
    record.refresh_from_db()
    assert record.matter == "改过的事项" and record.visitor_id_number == VALID_ID

    data["visitor_id_number"] = "110105194912310021"  # wrong check digit
    assert client.post(url, data).status_code == 200
    record.refresh_from_db()
    assert record.visitor_id_number == VALID_ID
    data["visitor_id_number"] = NEW_ID
    assert client.post(url, data).status_code == 302
    record.refresh_from_db()
    assert record.visitor_id_number == NEW_ID


def test_the_edit_form_shows_mobiles_masked_and_saving_keeps_them(
    client, department, leaders, clerk
):
    other = "13904310001"
    record = make_record(
        department,
        leaders[0],
        visitor_contact=f"手机 {MOBILE}，家属 {other}",
        matter=f"来电 {MOBILE} 反映许可未办结",
    )
    login(client, clerk)
    url = reverse("receptionrecord:edit", args=[record.pk])

    html = client.get(url).content.decode()
    assert MOBILE not in html and other not in html
    assert MASKED_MOBILE in html and "139****0001" in html

    # Sent back as shown, with one number changed in full and the matter edited.
    data = record_form(
        leaders[0],
        visitor_contact=f"手机 {MASKED_MOBILE}，家属 13700001111",
        matter=f"来电 {MASKED_MOBILE} 反映许可未办结，已转处室",
        result="已答复",
    )
    assert client.post(url, data).status_code == 302
    record.refresh_from_db()
    assert record.visitor_contact == f"手机 {MOBILE}，家属 13700001111"
    assert record.matter == f"来电 {MOBILE} 反映许可未办结，已转处室"

    # A masked number that stands for no stored one is kept as typed, masked.
    data["result"] = "回电 158****0000"
    assert client.post(url, data).status_code == 302
    record.refresh_from_db()
    assert record.result == "回电 158****0000"


def test_the_inspect_page_masks_and_the_clerks_show_action_is_logged(
    client, department, leaders, clerk
):
    record = make_record(department, leaders[0], visitor_id_number=VALID_ID)
    login(client, clerk)

    page = client.get(reverse("receptionrecord:inspect", args=[record.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert MASKED_ID in html and MASKED_MOBILE in html
    assert VALID_ID not in html and MOBILE not in html
    reveal_url = reverse("receptionrecord:reveal", args=[record.pk])
    assert reveal_url in html
    assert not PersonalDataAccess.objects.exists()

    shown = client.post(reveal_url).content.decode()

    assert VALID_ID in shown and MOBILE in shown
    entry = PersonalDataAccess.objects.get()
    assert (entry.user, entry.action) == (clerk, "reveal")
    assert entry.object_id == str(record.pk)
    assert "来访人身份证号码" in entry.detail
    assert client.get(reveal_url).status_code == 405


def test_roles_that_only_read_records_and_other_departments_get_no_show(
    client, department, other_department, leaders, director
):
    record = make_record(department, leaders[0], visitor_id_number=VALID_ID)
    reveal_url = reverse("receptionrecord:reveal", args=[record.pk])

    login(client, director)
    page = client.get(reverse("receptionrecord:inspect", args=[record.pk]))
    assert page.status_code == 200 and MASKED_ID in page.content.decode()
    assert reveal_url not in page.content.decode()
    assert client.post(reveal_url).status_code == 404

    client.logout()
    login(client, make_clerk(other_department))
    assert client.post(reveal_url).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_log_entries_and_titles_name_the_record_masked(department, leaders):
    record = make_record(department, leaders[0], matter=f"请回电{MOBILE}")

    assert MOBILE not in str(record) and "136****" in str(record)


# Appointment requests -------------------------------------------------------------


@pytest.fixture
def pending(reception_page, duty):
    request, _code = appointments.submit_request(
        reception_page,
        duty.pk,
        name="孙立新",
        phone=MOBILE,
        email="sun@example.com",
        matter=f"身份证 {VALID_ID}，想反映问题",
    )
    return request


def test_an_id_number_in_an_appointment_request_is_kept_masked(pending):
    (matter,) = stored("reception_appointmentrequest", ["matter"], pending.pk)
    assert matter == f"身份证 {MASKED_ID}，想反映问题"


def test_the_decision_form_and_the_requests_page_mask_the_mobile(
    client, clerk, pending
):
    login(client, clerk)

    edit = client.get(reverse("appointmentrequest:edit", args=[pending.pk]))
    inspect = client.get(reverse("appointmentrequest:inspect", args=[pending.pk]))
    listing = client.get(reverse("appointmentrequest:index"), {"q": "孙立新"})

    for response in (edit, inspect, listing):
        assert response.status_code == 200
        assert MOBILE not in response.content.decode()
    assert MASKED_MOBILE in edit.content.decode()
    assert MASKED_MOBILE in inspect.content.decode()
    assert pending.number in listing.content.decode()

    reveal_url = reverse("appointmentrequest:reveal", args=[pending.pk])
    assert reveal_url in inspect.content.decode()
    assert MOBILE in client.post(reveal_url).content.decode()
    entry = PersonalDataAccess.objects.get()
    assert (entry.action, entry.object_id) == ("reveal", str(pending.pk))


def test_the_notice_to_the_citizen_masks_numbers_in_the_reply(
    client, clerk, pending, django_capture_on_commit_callbacks
):
    login(client, clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("appointmentrequest:edit", args=[pending.pk]),
            {"status": "confirmed", "reply": f"请联系 {MOBILE}（身份证 {OTHER_ID}）"},
        )

    (message,) = mail.outbox
    assert MOBILE not in message.body and OTHER_ID not in message.body
    assert MASKED_MOBILE in message.body and "220102********1234" in message.body


def test_the_ical_feed_masks_numbers_typed_into_a_duty(
    client, department, leaders, reception_page, duty_day
):
    period = make_period(
        department, duty_day, duty_day, entries=[(duty_day, Slot.MORNING, leaders[1])]
    )
    RosterEntry.objects.filter(period=period).update(
        location=f"一楼接访室（值班手机 {MOBILE}）"
    )

    feed = client.get(reception_page.url + "ical/").content.decode()

    assert MOBILE not in feed and MASKED_MOBILE in feed
