"""The public intake pages and the window desk, through Django's test client."""

import subprocess
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from services_catalog.inbox import workflow
from services_catalog.inbox.codes import find_filing
from services_catalog.inbox.models import Filing, FilingState, FilingUpload
from tests.inbox.builders import (
    EXE,
    PDF,
    PNG,
    VALID_USCC,
    applicant,
    make_clerk,
    make_item,
)

pytestmark = pytest.mark.django_db


def form_data(item, token=None, **overrides):
    materials = list(item.materials.all())
    data = {
        **applicant(),
        "consent": "on",
        "captcha_0": "x",
        "captcha_1": "PASSED",
        "form_token": str(token or uuid.uuid4()),
        f"material_{materials[0].pk}": SimpleUploadedFile("申请书.pdf", PDF),
        f"material_{materials[1].pk}": SimpleUploadedFile("身份证.png", PNG),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def apply_url(item):
    return item.url + "apply/"


def test_online_filing_gives_receipt_and_pdf(client, item):
    response = client.post(apply_url(item), form_data(item))
    filing = Filing.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("inbox:receipt", args=[filing.tracking_number])
    assert filing.uploads.count() == 2
    assert filing.materials.get(name="申请书").uploads.count() == 1
    page = client.get(response.url).content.decode()
    assert filing.tracking_number in page and "<svg" in page
    code = page.split("data-access-code>")[1].split("<")[0]
    assert find_filing(filing.tracking_number, code) == filing

    pdf = client.get(reverse("inbox:receipt_pdf", args=[filing.tracking_number]))
    assert pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    assert filing.tracking_number in text
    assert "收件回执" in text  # the CJK font is embedded


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"id_number": "110105194912310021"}, "id_number", "校验位不正确"),
        (
            {"applicant_type": "organisation", "id_number": VALID_USCC[:-1] + "4"},
            "id_number",
            "校验码不正确",
        ),
        ({"mobile": "12345"}, "mobile", "11 位中国大陆手机号码"),
        ({"website": "http://spam"}, "website", "提交未通过校验"),
        ({"consent": None}, "consent", "请阅读并同意《个人信息保护声明》"),
    ],
)
def test_bad_input_keeps_text_and_files(client, item, overrides, field, message):
    token = uuid.uuid4()
    response = client.post(apply_url(item), form_data(item, token, **overrides))
    assert response.status_code == 400
    assert not Filing.objects.exists()
    page = response.content.decode()
    assert message in page
    assert "长春市朝阳区人民大街 100 号" in page  # typed text stays
    assert "已上传：申请书.pdf" in page  # accepted files stay
    assert str(token) in page
    # Fixing the mistake without choosing the files again files the application.
    fixed = form_data(item, token)
    for name in list(fixed):
        if name.startswith("material_"):
            del fixed[name]
    response = client.post(apply_url(item), fixed)
    assert response.status_code == 302
    assert Filing.objects.get().uploads.count() == 2


def test_executable_renamed_pdf_is_refused(client, item):
    material = item.materials.first()
    data = form_data(
        item, **{f"material_{material.pk}": SimpleUploadedFile("申请书.pdf", EXE)}
    )
    response = client.post(apply_url(item), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "实际格式不在允许范围内" in page
    assert "已上传：身份证.png" in page  # the good file of the other slot stays
    assert not FilingUpload.objects.filter(original_name__startswith="申请书").exists()


def test_oversized_file_is_refused(client, item, settings):
    settings.UPLOAD_MAX_FILE_SIZE = 1024
    material = item.materials.first()
    big = SimpleUploadedFile("申请书.pdf", PDF + b"0" * 2048)
    response = client.post(
        apply_url(item), form_data(item, **{f"material_{material.pk}": big})
    )
    assert response.status_code == 400
    assert "超过单个文件" in response.content.decode()


def test_missing_required_material(client, item):
    material = item.materials.first()
    response = client.post(
        apply_url(item), form_data(item, **{f"material_{material.pk}": None})
    )
    assert response.status_code == 400
    assert "请上传必需材料“申请书”" in response.content.decode()
    assert not Filing.objects.exists()


def test_replayed_submission_creates_one_filing(client, item):
    token = uuid.uuid4()
    first = client.post(apply_url(item), form_data(item, token))
    second = client.post(apply_url(item), form_data(item, token))
    assert Filing.objects.count() == 1
    assert second.status_code == 302 and second.url == first.url
    assert "未重复提交" in client.get(second.url).content.decode()


def test_captcha_required(client, item, monkeypatch):
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", False)
    response = client.post(apply_url(item), form_data(item))
    assert response.status_code == 400
    assert not Filing.objects.exists()


def test_apply_is_rate_limited(client, item, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "filing": "1/d"}
    client.post(apply_url(item), form_data(item))
    assert client.post(apply_url(item), form_data(item)).status_code == 429


def _filed(item):
    return workflow.create_filing(item, applicant(), form_token=uuid.uuid4())


def test_lookup_wrong_code_and_unknown_number_get_the_same_answer(client, item):
    filing, code = _filed(item)
    url = reverse("inbox:lookup")
    wrong = client.post(
        url, {"tracking_number": filing.tracking_number, "access_code": "ZZZZZZZZ"}
    )
    unknown = client.post(
        url, {"tracking_number": "XX-20260101-00009", "access_code": code}
    )
    assert wrong.status_code == unknown.status_code == 400
    message = "受理编号或查询码不正确"
    assert message in wrong.content.decode() and message in unknown.content.decode()
    assert filing.tracking_number in wrong.content.decode()  # what was typed stays
    status_url = reverse("inbox:status", args=[filing.tracking_number])
    assert client.get(status_url).status_code == 302  # no access yet
    right = client.post(
        url, {"tracking_number": filing.tracking_number, "access_code": code.lower()}
    )
    assert right.status_code == 302 and right.url == status_url
    page = client.get(status_url).content.decode()
    assert "已提交，待预审" in page and "窗口正在预审" in page


def test_lookup_is_rate_limited(client, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "lookup": "2/d"}
    url = reverse("inbox:lookup")
    for _ in range(2):
        client.post(url, {"tracking_number": "X", "access_code": "Y"})
    assert (
        client.post(url, {"tracking_number": "X", "access_code": "Y"}).status_code
        == 429
    )


def test_api_lookup(client, item):
    filing, code = _filed(item)
    url = f"/api/v1/filings/{filing.tracking_number}/"
    assert (
        client.get(url, {"code": "WRONGCOD"}).json()
        == client.get("/api/v1/filings/XX-20260101-00001/", {"code": code}).json()
    )
    assert client.get(url, {"code": "WRONGCOD"}).status_code == 404
    data = client.get(url, {"code": code}).json()
    assert data["state_label"] == "已提交，待预审"
    assert data["promised_due_date"] is None
    assert [event["action"] for event in data["timeline"]] == ["submit"]


def test_materials_are_served_only_to_those_entitled(client, item, home_page):
    filing, code = _filed(item)
    upload = FilingUpload.objects.create(
        filing=filing,
        file=SimpleUploadedFile("a.pdf", PDF),
        original_name="申请书.pdf",
        content_type="application/pdf",
        size=len(PDF),
        source="online",
    )
    url = reverse("inbox:download", args=[upload.pk])
    assert client.get(url).status_code == 403  # anonymous
    other_clerk = make_clerk(make_item(home_page).department)
    client.force_login(other_clerk)
    assert client.get(url).status_code == 404  # another department's clerk
    client.force_login(make_clerk(item.department))
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    client.logout()
    client.post(
        reverse("inbox:lookup"),
        {"tracking_number": filing.tracking_number, "access_code": code},
    )
    assert client.get(url).status_code == 200  # the applicant after a lookup


def test_supplement_and_withdraw_from_the_status_page(client, item, clerk):
    filing, code = _filed(item)
    entries = [
        workflow.ChecklistEntry(m, "missing" if m.required else "received", "请补签字")
        for m in filing.materials.all()
    ]
    workflow.request_supplement(filing, clerk, entries)
    client.post(
        reverse("inbox:lookup"),
        {"tracking_number": filing.tracking_number, "access_code": code},
    )
    status_url = reverse("inbox:status", args=[filing.tracking_number])
    page = client.get(status_url).content.decode()
    assert "一次性告知书" in page and "请补签字" in page
    material = filing.materials.get(required=True)
    response = client.post(
        reverse("inbox:supplement", args=[filing.tracking_number]),
        {
            "form_token": str(uuid.uuid4()),
            f"material_{material.item_material_id}": SimpleUploadedFile(
                "签字版.pdf", PDF
            ),
        },
    )
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.state == FilingState.SUBMITTED and filing.supplemented_at
    assert filing.uploads.filter(source="supplement").count() == 1
    response = client.post(
        reverse("inbox:withdraw", args=[filing.tracking_number]), {"confirm": "on"}
    )
    filing.refresh_from_db()
    assert filing.state == FilingState.WITHDRAWN


# ------------------------------------------------------------------ the window desk


def desk(name, filing=None):
    return reverse(f"desk:{name}", args=[filing.pk] if filing else [])


def test_desk_is_scoped_to_the_clerks_department(client, item, clerk, home_page):
    filing, _code = _filed(item)
    other, _code = _filed(make_item(home_page))
    workflow.request_supplement(
        other,
        None,
        [workflow.ChecklistEntry(other.materials.first(), "missing")],
    )
    other.refresh_from_db()
    client.force_login(clerk)
    page = client.get(desk("index")).content.decode()
    assert filing.tracking_number in page and other.tracking_number not in page
    assert client.get(desk("inspect", filing)).status_code == 200
    for name in ("inspect", "receipt", "receipt_pdf", "notice"):
        assert client.get(desk(name, other)).status_code == 404, name
    for name in (
        "accept",
        "request_supplement",
        "refuse",
        "accept_and_complete",
        "reveal",
    ):
        response = client.post(desk(name, other), _decision(other, {}))
        assert response.status_code == 404, name
    other.refresh_from_db()
    assert other.state == FilingState.SUPPLEMENT_REQUESTED and other.version == 1


def _decision(filing, statuses, **extra):
    data = {"version": filing.version, **extra}
    for material in filing.materials.all():
        data[f"m{material.pk}-status"] = statuses.get(material.name, "received")
        data[f"m{material.pk}-note"] = ""
    return data


def _received(filing):
    return [
        workflow.ChecklistEntry(material, "received")
        for material in filing.materials.all()
    ]


def test_desk_tabs_show_each_kind_of_work_with_its_deadline(client, item, clerk):
    import datetime

    from django.utils import timezone

    from disclosure.models import DivisionPage
    from services_catalog.inbox import clock

    new, _code = _filed(item)
    soon, _code = _filed(item)
    late, _code = _filed(item)
    today = timezone.localdate()
    Filing.objects.filter(pk=soon.pk).update(pre_review_due_date=today)
    Filing.objects.filter(pk=late.pk).update(
        pre_review_due_date=today - datetime.timedelta(days=1)
    )
    waiting, _code = _filed(item)
    workflow.request_supplement(
        waiting, clerk, [workflow.ChecklistEntry(waiting.materials.first(), "missing")]
    )
    meeting, _code = _filed(item)
    workflow.accept_filing(meeting, clerk, _received(meeting))
    division = DivisionPage.objects.child_of(item.department).first()
    workflow.instruct_filing(meeting, clerk, division, [], "请办理")
    workflow.request_appointment(meeting, None, "meeting", "当面说明")
    issue, _code = _filed(item)
    item.kind, item.promised_days = "immediate", 0
    item.save()
    workflow.accept_and_complete(issue, clerk, "approved", checklist=_received(issue))

    client.force_login(clerk)
    tabs = {
        "new": {new, soon, late},
        "supplement": {waiting},
        "schedule": {meeting},
        "issue": {issue},
    }
    everyone = {f for shown in tabs.values() for f in shown}
    for queue, shown in tabs.items():
        page = client.get(desk("index"), {"queue": queue}).content.decode()
        for filing in everyone:
            assert (filing.tracking_number in page) == (filing in shown), queue
    page = client.get(desk("index")).content.decode()
    assert "待预审（3）" in page and "待补正（1）" in page
    assert "待安排约见勘查（1）" in page and "待发文送达（1）" in page
    assert page.count('data-clock="overdue"') == 1
    assert page.count('data-clock="due_soon"') == 1
    assert str(clock.CLOCK_NAMES[clock.PRE_REVIEW]) in page
    assert desk("inspect", new) in page
    overdue = client.get(desk("index"), {"due": "overdue"}).content.decode()
    assert late.tracking_number in overdue and new.tracking_number not in overdue
    issue_tab = client.get(desk("index"), {"queue": "issue"}).content.decode()
    assert reverse("inbox_cases:inspect", args=[issue.pk]) in issue_tab
    assert str(clock.CLOCK_NAMES[clock.ISSUE]) in issue_tab
    bad = client.get(desk("index"), {"queue": "nonsense", "due": "x"})
    assert bad.status_code == 200 and new.tracking_number in bad.content.decode()
    assert waiting.tracking_number not in bad.content.decode()


def test_pre_review_actions(client, item, clerk):
    filing, _code = _filed(item)
    client.force_login(clerk)
    page = client.get(desk("inspect", filing)).content.decode()
    assert f'formaction="{desk("refuse", filing)}"' in page
    assert desk("accept_and_complete", filing) not in page  # not an immediate item
    refused = client.post(desk("refuse", filing), _decision(filing, {}))
    assert refused.status_code == 400
    assert "不予受理须写明理由和法律依据" in refused.content.decode()
    blocked = client.post(
        desk("accept", filing),
        _decision(filing, {"申请书": "missing"}, comment="材料齐全"),
    )
    assert blocked.status_code == 409
    assert "必需材料未收齐" in blocked.content.decode()
    assert 'value="材料齐全"' in blocked.content.decode()
    response = client.post(
        desk("request_supplement", filing),
        _decision(filing, {"申请书": "missing"}, notice_note="须本人签字"),
    )
    assert response.status_code == 302 and response.url == desk("inspect", filing)
    filing.refresh_from_db()
    assert filing.state == FilingState.SUPPLEMENT_REQUESTED
    notice = filing.supplement_requests.get()
    assert notice.note == "须本人签字"
    printed = client.get(desk("notice", filing), {"notice": notice.pk})
    assert "申请书" in printed.content.decode()
    assert client.get(desk("notice", filing)).status_code == 200  # the latest
    assert client.get(desk("notice", filing), {"notice": "x"}).status_code == 404
    workflow.record_supplement(filing, uuid.uuid4())
    filing.refresh_from_db()
    response = client.post(desk("accept", filing), _decision(filing, {}))
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.state == FilingState.ACCEPTED and filing.promised_due_date
    page = client.get(desk("inspect", filing)).content.decode()
    assert "已受理，办结时限开始计算。" in page
    assert desk("accept", filing) not in page  # decided: no more decisions here


def test_a_stale_page_comes_back_with_the_message(client, item, clerk):
    from services_catalog.inbox.wording import STALE

    filing, _code = _filed(item)
    seen = _decision(filing, {"申请书": "missing"})
    workflow.request_supplement(
        filing, clerk, [workflow.ChecklistEntry(filing.materials.first(), "missing")]
    )
    workflow.record_supplement(filing, uuid.uuid4())  # back in the queue, moved on
    client.force_login(clerk)
    response = client.post(desk("request_supplement", filing), seen)
    assert response.status_code == 409
    assert str(STALE) in response.content.decode()
    filing.refresh_from_db()
    assert filing.state == FilingState.SUBMITTED
    assert filing.supplement_requests.count() == 1


def test_immediate_item_is_accepted_and_completed_at_the_window(client, item, clerk):
    item.kind, item.promised_days = "immediate", 0
    item.save()
    filing, _code = _filed(item)
    client.force_login(clerk)
    url = desk("accept_and_complete", filing)
    assert f'formaction="{url}"' in client.get(desk("inspect", filing)).content.decode()
    missing = client.post(url, _decision(filing, {}))
    assert missing.status_code == 400 and "请选择办理决定" in missing.content.decode()
    denied = client.post(url, _decision(filing, {}, decision="denied"))
    assert denied.status_code == 400 and "不予批准须写明理由" in denied.content.decode()
    response = client.post(url, _decision(filing, {}, decision="approved"))
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.state == FilingState.COMPLETED and filing.decision == "approved"
    assert filing.accepted_on == filing.completed_on and filing.issue_due_date
    assert filing.events.filter(action="complete_at_window", actor=clerk).exists()


def test_accept_and_complete_is_refused_for_an_item_with_a_time_limit(
    client, item, clerk
):
    filing, _code = _filed(item)
    client.force_login(clerk)
    response = client.post(
        desk("accept_and_complete", filing), _decision(filing, {}, decision="approved")
    )
    assert response.status_code == 409
    assert "只有即办件可以当场受理并办结" in response.content.decode()
    assert Filing.objects.get(pk=filing.pk).state == FilingState.SUBMITTED


def test_walk_in_filing_ends_on_the_receipt_in_the_admin(
    client, item, clerk, home_page
):
    other_item = make_item(home_page, title="食品经营许可")
    client.force_login(clerk)
    choose = client.get(desk("add")).content.decode()
    assert item.title in choose and f"?item={item.pk}" in choose
    assert other_item.title not in choose
    assert client.get(desk("add"), {"item": other_item.pk}).status_code == 404
    assert client.get(desk("add"), {"item": "x"}).status_code == 404
    url = desk("add") + f"?item={item.pk}"
    assert "申请人已签字确认" in client.get(url).content.decode()

    data = form_data(item, captcha_1=None, captcha_0=None, mobile="12345")
    wrong = client.post(url, data)
    assert wrong.status_code == 400 and not Filing.objects.exists()
    assert 'value="长春市朝阳区人民大街 100 号"' in wrong.content.decode()
    assert "已上传：申请书.pdf" in wrong.content.decode()

    data = form_data(item, token=data["form_token"], captcha_1=None, captcha_0=None)
    response = client.post(url, data)
    filing = Filing.objects.get()
    assert response.status_code == 302 and response.url == desk("receipt", filing)
    assert filing.channel == "window" and filing.received_by == clerk
    assert filing.events.get().action == "receive"
    assert filing.uploads.filter(source="window").count() == 2
    receipt = client.get(response.url).content.decode()
    assert filing.tracking_number in receipt and "<svg" in receipt
    code = receipt.split("data-access-code>")[1].split("<")[0]
    assert find_filing(filing.tracking_number, code) == filing
    assert desk("receipt_pdf", filing) in receipt
    pdf = client.get(desk("receipt_pdf", filing))
    assert pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    assert filing.tracking_number in text and code in text

    again = client.post(url, data)  # the same form sent twice: one filing
    assert again.url == desk("receipt", filing) and Filing.objects.count() == 1
    outsider = make_clerk(other_item.department)
    client.force_login(outsider)
    assert client.get(desk("receipt", filing)).status_code == 404


def test_desk_refuses_people_without_the_clerk_role(client, item):
    from tests.factories import UserFactory

    filing, _code = _filed(item)
    client.force_login(UserFactory())
    for url in (desk("index"), desk("add"), desk("inspect", filing)):
        assert client.get(url).status_code in (302, 403), url
    response = client.post(desk("accept", filing), _decision(filing, {}))
    assert response.status_code in (302, 403, 404)
    assert Filing.objects.get(pk=filing.pk).state == FilingState.SUBMITTED


def _trail(html):
    """The breadcrumb trail of a page: [(title, linked?)]."""
    import re

    nav = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S)
    assert nav, "no breadcrumbs"
    return [
        (title.strip(), href is not None and href != "")
        for href, title in re.findall(
            r'<li>(?:<a href="([^"]*)">|<span aria-current="page">)([^<]*)',
            nav.group(0),
        )
    ]


def test_lookup_receipt_and_status_pages_have_breadcrumbs(client, item):
    assert _trail(client.get(reverse("inbox:lookup")).content.decode()) == [
        ("首页", True),
        ("办件查询", False),
    ]

    response = client.post(apply_url(item), form_data(item))
    receipt = _trail(client.get(response.url).content.decode())
    assert receipt[-2:] == [(item.title, True), ("收件回执", False)]
    assert receipt[0] == ("首页", True)

    filing = Filing.objects.get()
    status = _trail(
        client.get(
            reverse("inbox:status", args=[filing.tracking_number])
        ).content.decode()
    )
    assert status[-2:] == [(item.title, True), ("办理进度", False)]


def test_the_form_posts_to_its_own_address_and_files_there(client, item):
    page = client.get(apply_url(item)).content.decode()
    action = reverse("inbox:apply", args=[item.pk])
    assert f'action="{action}"' in page
    response = client.post(action, form_data(item))
    filing = Filing.objects.get()
    assert response.url == reverse("inbox:receipt", args=[filing.tracking_number])
    assert filing.uploads.count() == 2 and filing.item == item.specific

    bad = client.post(action, form_data(item, id_number="110105194912310021"))
    assert bad.status_code == 400 and "校验位不正确" in bad.content.decode()


def test_the_forms_address_serves_only_live_unrestricted_items(client, item):
    from wagtail.models import PageViewRestriction

    action = reverse("inbox:apply", args=[item.pk])
    PageViewRestriction.objects.create(
        page=item, restriction_type=PageViewRestriction.LOGIN
    )
    assert client.post(action, form_data(item)).status_code == 404
    PageViewRestriction.objects.all().delete()
    item.unpublish()
    assert client.post(action, form_data(item)).status_code == 404
    assert not Filing.objects.exists()


def test_tracking_numbers_count_up_per_department_and_day(client, item):
    numbers = [
        client.post(apply_url(item), form_data(item)).url.split("/")[-3]
        for _ in range(3)
    ]
    prefix = f"{item.department.code}-"
    assert [number.rsplit("-", 1)[1] for number in numbers] == [
        "00001",
        "00002",
        "00003",
    ]
    assert all(number.startswith(prefix) for number in numbers)
    assert sorted(Filing.objects.values_list("tracking_number", flat=True)) == numbers


def _hidden(page, name):
    return page.split(f'name="{name}" value="')[1].split('"')[0]


def test_every_visitor_of_the_shared_form_page_gets_tokens_of_their_own(
    item, settings, monkeypatch
):
    from captcha.conf import settings as captcha_settings
    from captcha.models import CaptchaStore
    from django.test import Client

    settings.SHARED_FRAGMENTS_ENABLED = True
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", False)
    visitors = [Client(enforce_csrf_checks=True) for _ in range(3)]
    pages = [visitor.get(apply_url(item)).content.decode() for visitor in visitors]
    names = ("csrfmiddlewaretoken", "form_token", "captcha_0")
    values = [[_hidden(page, name) for name in names] for page in pages]
    for column in zip(*values, strict=True):
        assert len(set(column)) == len(visitors)
    first, *others = pages
    for page, own in zip(others, values[1:], strict=True):
        for theirs, mine in zip(values[0], own, strict=True):
            page = page.replace(mine, theirs)
        assert page == first  # the same page but for the three values
    assert f"/captcha/image/{values[1][2]}/" in pages[1]
    assert set(CaptchaStore.objects.values_list("hashkey", flat=True)) == {
        key for _csrf, _token, key in values
    }

    for visitor, (csrf, token, key) in zip(visitors, values, strict=True):
        answer = CaptchaStore.objects.get(hashkey=key).response
        data = form_data(
            item, token, csrfmiddlewaretoken=csrf, captcha_0=key, captcha_1=answer
        )
        response = visitor.post(reverse("inbox:apply", args=[item.pk]), data)
        assert response.status_code == 302
    assert Filing.objects.count() == len(visitors)


def test_the_shared_form_page_is_renewed_when_the_item_changes(
    client, item, settings, django_capture_on_commit_callbacks
):
    settings.SHARED_FRAGMENTS_ENABLED = True
    action = reverse("inbox:apply", args=[item.pk])
    assert client.post(action, form_data(item)).status_code == 302
    item.title = "新的事项名称"
    with django_capture_on_commit_callbacks(execute=True):
        item.save_revision().publish()
    assert "新的事项名称" in client.get(apply_url(item)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        item.unpublish()
    assert client.post(action, form_data(item)).status_code == 404
    assert Filing.objects.count() == 1
