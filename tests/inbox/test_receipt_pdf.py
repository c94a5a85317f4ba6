"""The receipt PDF of an online filing is made off the request path (issue 12): the
applicant has the HTML receipt with the access code at once, the worker renders the
PDF and keeps it encrypted, the download serves it to the browser holding the code,
waits with a page that tries again while it is on its way, and renders it itself
when no worker came; the access code is never stored in plain text."""

import io
import subprocess

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.models import BackgroundJob
from portal.settings import env as environment
from services_catalog.inbox.models import Filing, FilingState, ReceiptPdf
from services_catalog.inbox.views import SESSION_KEY
from tests.inbox.test_views import apply_url, form_data

DATABASE_QUEUE = {"default": {"BACKEND": environment.DATABASE_TASKS}}


def submit(client, item):
    response = client.post(apply_url(item), form_data(item))
    assert response.status_code == 302
    filing = Filing.objects.get()
    page = client.get(response.url).content.decode()
    code = page.split("data-access-code>")[1].split("<")[0]
    return filing, code


def pdf_text(content):
    return subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def download(client, filing):
    return client.get(reverse("inbox:receipt_pdf", args=[filing.tracking_number]))


def assert_code_nowhere_in_plain_text(filing, code):
    receipt = ReceiptPdf.objects.get(filing=filing)
    assert code not in receipt.access_code
    if receipt.file:
        with receipt.file.open("rb") as stored:
            raw = stored.read()
        assert not raw.startswith(b"%PDF") and code.encode() not in raw
    for job in BackgroundJob.objects.all():
        assert code not in str(job.args)
    for task in DBTaskResult.objects.all():
        assert code not in str(task.args_kwargs)
    for session in Session.objects.all():
        assert code not in str(session.get_decoded())


# The worker closes database connections between tasks, as in production.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_renders_the_pdf_and_the_applicant_waits_without_an_error(
    client, item
):
    with override_settings(TASKS=DATABASE_QUEUE):
        filing, code = submit(client, item)
        receipt = ReceiptPdf.objects.get(filing=filing)
        assert receipt.status == ReceiptPdf.Status.PENDING, "not in the request"
        assert_code_nowhere_in_plain_text(filing, code)

        waiting = download(client, filing)
        page = waiting.content.decode()
        assert waiting.status_code == 202 and waiting["Retry-After"] == "2"
        assert "回执 PDF 正在生成" in page and "data-retry-after" in page
        assert filing.tracking_number in page

        call_command("worker", batch=True)
    receipt.refresh_from_db()
    assert receipt.status == ReceiptPdf.Status.READY and receipt.access_code == ""
    assert_code_nowhere_in_plain_text(filing, code)
    pdf = download(client, filing)
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert filing.tracking_number in text and code in text
    assert "收件回执" in text  # the CJK font is embedded


@pytest.mark.django_db
def test_without_a_worker_the_download_renders_the_pdf_itself(client, item, settings):
    settings.RECEIPT_PDF_WAIT_SECONDS = 0
    with override_settings(TASKS=DATABASE_QUEUE):
        filing, code = submit(client, item)
        pdf = download(client, filing)
    assert pdf["Content-Type"] == "application/pdf" and code in pdf_text(pdf.content)
    receipt = ReceiptPdf.objects.get(filing=filing)
    assert receipt.status == ReceiptPdf.Status.READY, "kept for the next download"
    assert_code_nowhere_in_plain_text(filing, code)
    call_command("run_jobs")  # the job, if it ever runs, finds nothing to do
    assert download(client, filing).content == pdf.content


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_lookup_gets_a_copy_without_the_code(client, item):
    with override_settings(TASKS=DATABASE_QUEUE):
        filing, code = submit(client, item)
        call_command("worker", batch=True)
    assert ReceiptPdf.objects.get(filing=filing).status == ReceiptPdf.Status.READY
    other = type(client)()
    other.post(
        reverse("inbox:lookup"),
        {"tracking_number": filing.tracking_number, "access_code": code},
    )
    pdf = other.get(reverse("inbox:receipt_pdf", args=[filing.tracking_number]))
    text = pdf_text(pdf.content)
    assert filing.tracking_number in text and code not in text
    assert SESSION_KEY in other.session


@pytest.mark.django_db
def test_a_site_without_a_worker_renders_the_pdf_on_demand(client, item):
    filing, code = submit(client, item)  # the immediate backend: nothing queued
    assert not ReceiptPdf.objects.exists() and not BackgroundJob.objects.exists()
    pdf = download(client, filing)
    assert code in pdf_text(pdf.content)


# The worker closes database connections between tasks, as in production.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_retention_removes_the_receipt_pdf_with_the_uploads(client, item):
    with override_settings(TASKS=DATABASE_QUEUE):
        filing, _code = submit(client, item)
        call_command("worker", batch=True)
    receipt = ReceiptPdf.objects.get(filing=filing)
    storage, name = receipt.file.storage, receipt.file.name
    assert storage.exists(name)
    now = timezone.now()
    Filing.objects.filter(pk=filing.pk).update(
        state=FilingState.COLLECTED, collected_at=now.replace(year=now.year - 6)
    )
    call_command("apply_retention", stdout=io.StringIO())
    assert not ReceiptPdf.objects.exists() and not storage.exists(name)
