"""The applicant's pages in both languages with each language's punctuation: the
lookup page's list of submitted materials and the page that waits for the receipt
PDF read as English in English (ASCII ", " and "(…)") and as Chinese in Chinese
(full-width "，" and "（…）"); so does the timeline the workflow wrote, which is
recorded in Chinese whatever the language of the request that wrote it."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from portal.settings import env as environment
from services_catalog.inbox import workflow
from services_catalog.inbox.models import Filing, MaterialStatus, ReceiptPdf
from services_catalog.inbox.views import SESSION_KEY
from tests.inbox.builders import Office, checklist, make_clerk
from tests.inbox.test_views import apply_url, form_data

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": environment.DATABASE_TASKS}}


def submitted(client, item):
    """An online filing of this browser (it holds the number and the code)."""
    response = client.post(apply_url(item), form_data(item))
    assert response.status_code == 302
    return Filing.objects.get()


def page(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    return response, response.content.decode()


def test_the_submitted_materials_read_in_each_language(client, item):
    filing = submitted(client, item)
    upload = filing.uploads.get(original_name="申请书.pdf")
    size = upload.size  # filesizeformat keeps the number and unit together
    status = reverse("inbox:status", args=[filing.tracking_number])

    _response, english = page(client, status, "en")
    assert "Materials submitted" in english
    assert f"申请书.pdf</a> (申请书, Submitted online, {size}\xa0bytes)</li>" in english
    assert "（" not in english.split("Materials submitted")[1].split("</ul>")[0]

    _response, chinese = page(client, status, "zh-hans")
    assert "已提交的材料" in chinese
    assert f"申请书.pdf</a>（申请书，网上提交，{size}\xa0字节）</li>" in chinese


def test_the_receipt_names_the_item_and_its_code_in_each_language(client, item):
    filing = submitted(client, item)
    receipt = reverse("inbox:receipt", args=[filing.tracking_number])

    _response, english = page(client, receipt, "en")
    assert f"<dd>{item.title} ({item.code})</dd>" in english
    _response, chinese = page(client, receipt, "zh-hans")
    assert f"<dd>{item.title}（{item.code}）</dd>" in chinese


def test_the_receipt_pdf_wait_page_reads_in_each_language(client, item):
    with override_settings(TASKS=DATABASE_QUEUE):  # queued: the worker has not run
        filing = submitted(client, item)
    assert ReceiptPdf.objects.get(filing=filing).status == ReceiptPdf.Status.PENDING
    url = reverse("inbox:receipt_pdf", args=[filing.tracking_number])

    response, english = page(client, url, "en")
    assert response.status_code == 202
    assert "<h1>The receipt PDF is being generated</h1>" in english
    assert (
        f"The receipt PDF for tracking number {filing.tracking_number} is being "
        "generated." in english
    )
    assert "Download the receipt again (PDF)" in english
    assert "Back to the web receipt" in english
    assert "回执" not in english.split("<main")[1]

    response, chinese = page(client, url, "zh-hans")
    assert response.status_code == 202
    assert "<h1>回执 PDF 正在生成</h1>" in chinese
    assert "重新下载回执（PDF）" in chinese and "返回网页版回执" in chinese


def test_the_timeline_reads_in_each_language_and_is_recorded_in_chinese(
    client, home_page
):
    office = Office(home_page)
    with translation.override("en"):  # written from a request in English
        filing = office.issued()
    assigned = filing.events.get(action="instruct")
    assert (
        assigned.comment == f"牵头主办：{office.lead.title}。协办：{office.co.title}。"
    )
    session = client.session
    session[SESSION_KEY] = {filing.tracking_number: ""}
    session.save()
    status = reverse("inbox:status", args=[filing.tracking_number])

    _response, english = page(client, status, "en")
    history = english.split('id="timeline-title"')[1].split("</ol>")[0]
    assert (
        f"Lead division: {office.lead.title}. Co-handling divisions: {office.co.title}."
        in history
    )
    assert "Completed: Approved." in history
    assert (
        f"Outgoing document number {filing.outgoing_number}. The result is ready"
        in history
    )
    assert not re.search("[，。：；（）]", history), history

    _response, chinese = page(client, status, "zh-hans")
    history = chinese.split('id="timeline-title"')[1].split("</ol>")[0]
    assert f"牵头主办：{office.lead.title}。" in history
    assert "办结：准予。" in history
    assert f"发文字号 {filing.outgoing_number}。办理结果已在发文窗口备妥" in history


def test_the_staff_case_page_shows_the_timeline_in_the_readers_language(
    client, home_page
):
    office = Office(home_page)
    filing = office.issued()
    client.force_login(office.director)
    url = reverse("inbox_cases:inspect", args=[filing.pk])

    _response, english = page(client, url, "en")
    history = english.split('class="timeline"')[1].split("</ol>")[0]
    assert f"Lead division: {office.lead.title}." in history
    assert not re.search("[，。：；（）]", history), history

    _response, chinese = page(client, url, "zh-hans")
    history = chinese.split('class="timeline"')[1].split("</ol>")[0]
    assert f"牵头主办：{office.lead.title}。" in history


def test_the_desk_screens_put_english_punctuation_around_their_data(client, item):
    """The pre-review screen, the desk's queue tabs and the walk-in form read in
    the reader's language, punctuation between data included; what people typed
    and named (material names, the item's title) stays as written."""
    filing = submitted(client, item)
    clerk = make_clerk(item.department)
    workflow.request_supplement(
        filing, clerk, checklist(filing, MaterialStatus.MISSING)
    )
    client.force_login(clerk)
    names = [m.name for m in filing.materials.all()]
    typed = [
        value
        for field in Filing._meta.concrete_fields
        if isinstance(value := getattr(filing, field.attname), str) and len(value) > 1
    ]
    screens = {
        "pre-review": reverse("desk:inspect", args=[filing.pk]),
        "queues": reverse("desk:index"),
        "walk-in": reverse("desk:add") + f"?item={item.pk}",
    }
    for screen, url in screens.items():
        _response, english = page(client, url, "en")
        main = english.split("<main", 1)[1].split("</main>", 1)[0]
        for name in [*names, item.title, *typed]:
            main = main.replace(name, "")
        found = re.search("[，。：；（）、]", main)
        assert not found, (screen, main[max(found.start() - 200, 0) : found.end() + 50])
        _response, chinese = page(client, url, "zh-hans")
        assert re.search("[，：（）]", chinese.split("<main", 1)[1]), screen
