"""Reception records in the admin: entered by the clerk, scoped to the clerk's
department, filtered and exported; attachments stay private."""

import datetime
import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.models import PersonalDataAccess
from portal.uploads import private_storage
from reception.models import ReceptionRecord, ReceptionRecordAttachment
from tests.reception.conftest import PASSWORD, make_leader

pytestmark = pytest.mark.django_db

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def zip_bytes(*names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def record_form(leader, attachments=(), **fields):
    data = {
        "date": "2026-11-03",
        "leader": str(leader.pk),
        "visitor_name": "王建华",
        "visitor_contact": "13904310001",
        "visitor_type": "citizen",
        "matter": "反映许可未办结",
        "result": "已当场答复",
        "follow_up_deadline": "",
        "follow_up_status": "none",
        "attachments-TOTAL_FORMS": str(len(attachments)),
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for index, upload in enumerate(attachments):
        data[f"attachments-{index}-title"] = "来信"
        data[f"attachments-{index}-file"] = upload
        data[f"attachments-{index}-id"] = ""
        data[f"attachments-{index}-DELETE"] = ""
    return data


def make_record(department, leader, **fields):
    values = {
        "date": D(2026, 11, 3),
        "visitor_name": "王建华",
        "matter": "反映许可未办结",
        "result": "已答复",
        **fields,
    }
    return ReceptionRecord.objects.create(
        department=department, leader=leader, **values
    )


@pytest.fixture
def foreign_record(other_department):
    return make_record(
        other_department,
        make_leader(other_department, "乙局领导"),
        matter="乙局的来访事项",
    )


def test_a_clerk_records_a_reception_for_their_department(
    client, department, leaders, clerk
):
    login(client, clerk)

    response = client.post(
        reverse("receptionrecord:add"),
        record_form(
            leaders[0],
            attachments=[SimpleUploadedFile("letter.pdf", PDF, "application/pdf")],
            is_public="on",
        ),
    )

    assert response.status_code == 302
    record = ReceptionRecord.objects.get()
    assert record.department == department
    assert record.created_by == clerk
    assert record.is_public
    attachment = record.attachments.get()
    # The inbox's private storage, under a random name; the sender's name is kept.
    assert attachment.file.storage is private_storage()
    assert re.fullmatch(
        r"reception/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", attachment.file.name
    )
    assert attachment.original_name == "letter.pdf"


def test_a_clerk_cannot_record_another_departments_leader(
    client, other_department, leaders, clerk
):
    stranger = make_leader(other_department, "乙局领导")
    login(client, clerk)

    response = client.post(reverse("receptionrecord:add"), record_form(stranger))

    assert response.status_code == 200
    assert not ReceptionRecord.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("letter.pdf", b"MZ\x90\x00 not a pdf"),
        ("letter.ofd", zip_bytes("readme.txt")),  # any ZIP named .ofd, once accepted
    ],
)
def test_attachments_are_checked_by_content(client, leaders, clerk, name, content):
    login(client, clerk)
    fake = SimpleUploadedFile(name, content)

    response = client.post(
        reverse("receptionrecord:add"), record_form(leaders[0], [fake])
    )

    assert response.status_code == 200
    assert f"文件“{name}”的实际格式不在允许范围内" in response.content.decode()
    assert not ReceptionRecord.objects.exists()


def test_an_ofd_attachment_is_accepted(client, leaders, clerk):
    login(client, clerk)
    ofd = SimpleUploadedFile("决定书.ofd", zip_bytes("OFD.xml", "Doc_0/Document.xml"))

    response = client.post(
        reverse("receptionrecord:add"), record_form(leaders[0], [ofd])
    )

    assert response.status_code == 302
    assert ReceptionRecordAttachment.objects.get().original_name == "决定书.ofd"


def test_a_clerk_sees_and_edits_only_their_departments_records(
    client, department, leaders, clerk, foreign_record
):
    own = make_record(department, leaders[0], matter="本部门的来访事项")
    login(client, clerk)

    listing = client.get(reverse("receptionrecord:index")).content.decode()

    assert "本部门的来访事项" in listing
    assert "乙局的来访事项" not in listing
    assert client.get(reverse("receptionrecord:edit", args=[own.pk])).status_code == 200
    for name in ("edit", "delete", "history", "inspect", "usage"):
        url = reverse(f"receptionrecord:{name}", args=[foreign_record.pk])
        assert client.get(url).status_code == 404, name
    url = reverse("receptionrecord:edit", args=[foreign_record.pk])
    response = client.post(url, record_form(leaders[0], matter="篡改"))
    assert response.status_code == 404
    foreign_record.refresh_from_db()
    assert foreign_record.matter == "乙局的来访事项"


def test_staff_without_a_department_see_no_records(client, department, leaders):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from portal import roles

    make_record(department, leaders[0], matter="本部门的来访事项")
    drifter = get_user_model().objects.create_user("drifter", password=PASSWORD)
    drifter.groups.add(Group.objects.get(name=roles.group_name(roles.Role.CLERK)))
    login(client, drifter)

    listing = client.get(reverse("receptionrecord:index")).content.decode()

    assert "本部门的来访事项" not in listing


def test_attachments_are_served_only_to_the_records_department(
    client, department, leaders, clerk, other_clerk
):
    record = make_record(department, leaders[0])
    attachment = ReceptionRecordAttachment(
        record=record, title="来信", file=SimpleUploadedFile("张三来信.pdf", PDF)
    )
    attachment.save()
    url = reverse("receptionrecord:attachment", args=[attachment.pk])

    assert client.get(url).status_code == 302  # anonymous: to the login page
    login(client, other_clerk)
    assert client.get(url).status_code == 404
    login(client, clerk)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E5%BC%A0%E4%B8%89%E6%9D%A5%E4%BF%A1.pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    # The edit form links to the checked view, not to a media URL.
    form = client.get(
        reverse("receptionrecord:edit", args=[record.pk])
    ).content.decode()
    assert url in form


def test_the_filtered_list_exports_to_xlsx(
    client, department, leaders, clerk, foreign_record
):
    make_record(department, leaders[0], matter="公开的事项", is_public=True)
    make_record(department, leaders[1], matter="不公开的事项", is_public=False)
    make_record(
        department,
        leaders[0],
        matter="上个月的事项",
        is_public=True,
        date=D(2026, 10, 9),
    )
    login(client, clerk)

    response = client.get(
        reverse("receptionrecord:index"),
        {
            "export": "xlsx",
            "is_public": "true",
            "date_from": "2026-11-01",
            "date_to": "2026-11-30",
        },
    )

    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("接访日期", "接访领导", "来访人姓名")
    assert [row[5] for row in rows[1:]] == ["公开的事项"]
    assert rows[1][1] == leaders[0].name
    assert rows[1][4] == "群众"


def test_public_records_appear_redacted_on_the_reception_page_newest_first(
    client, department, leaders, reception_page
):
    make_record(
        department,
        leaders[0],
        date=D(2026, 11, 3),
        visitor_name="王建华",
        visitor_contact="长春市红旗街 88 号",
        matter="王建华（身份证 220102198805061234，电话 139-0431-0001）反映许可未办结",
        result="已告知王建华，邮件 wjh@example.com",
        is_public=True,
    )
    make_record(
        department, leaders[1], date=D(2026, 11, 5), matter="较新的事项", is_public=True
    )
    make_record(department, leaders[1], matter="内部事项不公开", is_public=False)

    html = client.get(reception_page.url).content.decode()

    for secret in ("王建华", "220102198805061234", "139-0431-0001", "wjh@example.com"):
        assert secret not in html
    assert "反映许可未办结" in html
    assert "内部事项不公开" not in html
    assert html.index("较新的事项") < html.index("反映许可未办结")


def test_public_records_are_paginated(client, department, leaders, reception_page):
    for day in range(1, 13):
        make_record(
            department,
            leaders[0],
            date=D(2026, 10, day),
            matter=f"事项{day:02d}号",
            is_public=True,
        )

    first = client.get(reception_page.url).content.decode()
    second = client.get(reception_page.url + "?page=2").content.decode()

    assert "事项12号" in first and "事项03号" in first and "事项02号" not in first
    assert "事项02号" in second and "事项01号" in second and "事项12号" not in second
    assert 'aria-current="page"' in second


def test_lists_and_exports_mask_id_and_mobile_numbers_and_exports_are_logged(
    client, department, leaders, clerk
):
    make_record(
        department,
        leaders[0],
        visitor_contact="手机 13612344321",
        matter="反映问题，身份证号 22010219880506123X，请回电 13612344321。",
    )
    login(client, clerk)

    listing = client.get(reverse("receptionrecord:index")).content.decode()
    assert "220102********123X" in listing and "136****4321" in listing
    assert "22010219880506123X" not in listing and "13612344321" not in listing

    response = client.get(reverse("receptionrecord:index"), {"export": "csv"})
    export = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "手机 136****4321" in export and "220102********123X" in export
    assert "13612344321" not in export and "22010219880506123X" not in export
    entry = PersonalDataAccess.objects.get()
    assert (entry.user, entry.action) == (clerk, "export")
    assert "接访记录" in entry.detail and "1 条" in entry.detail


def test_attachment_downloads_are_logged(client, department, leaders, clerk):
    record = make_record(department, leaders[0])
    attachment = ReceptionRecordAttachment(record=record, title="来信")
    attachment.file.save("letter.pdf", io.BytesIO(PDF))
    login(client, clerk)

    client.get(reverse("receptionrecord:attachment", args=[attachment.pk]))

    entry = PersonalDataAccess.objects.get()
    assert (entry.user, entry.action, entry.detail) == (clerk, "download", "来信")
    assert entry.object_id == str(record.pk)
