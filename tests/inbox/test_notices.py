"""Notices are durable: written to the outbox with their event, delivered by the task
queue, kept and retried while the mail server refuses connections, and delivered when
it is back (a real SMTP socket on both sides)."""

import io
import socket
import uuid

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from portal import outbox
from portal.models import OutgoingMessage
from portal.settings import env as environment
from services_catalog.inbox import workflow
from services_catalog.inbox.models import FilingState
from tests.factories import UserFactory
from tests.inbox.builders import applicant

PENDING, SENT, FAILED = (
    OutgoingMessage.Status.PENDING,
    OutgoingMessage.Status.SENT,
    OutgoingMessage.Status.FAILED,
)


def free_port():
    """A local port nobody listens on: connections to it are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode()))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.OUTBOX_RETRY_SECONDS = 0  # the next try is due at once
    return settings


def submit_with_notice(item, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            filing, _code = workflow.create_filing(
                item, applicant(), form_token=uuid.uuid4()
            )
    return filing


def test_a_refusing_mail_server_loses_no_notice(
    item, smtp, django_capture_on_commit_callbacks
):
    filing = submit_with_notice(item, django_capture_on_commit_callbacks)
    assert filing.state == FilingState.SUBMITTED  # the event is not undone
    email = OutgoingMessage.objects.get(
        channel="email", reference=filing.tracking_number
    )
    assert (email.status, email.attempts) == (PENDING, 1)
    assert "ConnectionRefusedError" in email.last_error
    assert email.recipient == "zhangsan@example.com"

    out = io.StringIO()
    call_command("send_notices", stdout=out)  # cron, while the server is still down
    email.refresh_from_db()
    assert (email.status, email.attempts) == (PENDING, 2)

    server = Inbox()
    controller = Controller(server, hostname="127.0.0.1", port=smtp.EMAIL_PORT)
    controller.start()
    try:
        call_command("send_notices", stdout=out)
    finally:
        controller.stop()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (SENT, 3) and email.sent_at
    [(to, content)] = server.messages
    assert to == ["zhangsan@example.com"]
    assert filing.tracking_number in content
    assert "已发送 1 条通知，尚未送达 0 条。" in out.getvalue()


def test_a_notice_that_keeps_failing_is_marked_failed_and_can_be_restarted(
    item, smtp, django_capture_on_commit_callbacks
):
    smtp.OUTBOX_MAX_ATTEMPTS = 2
    filing = submit_with_notice(item, django_capture_on_commit_callbacks)
    call_command("send_notices", stdout=io.StringIO())
    email = OutgoingMessage.objects.get(
        channel="email", reference=filing.tracking_number
    )
    assert (email.status, email.attempts) == (FAILED, 2)
    call_command("send_notices", stdout=io.StringIO())
    email.refresh_from_db()
    assert email.attempts == 2, "a failed notice waits for staff"

    server = Inbox()
    controller = Controller(server, hostname="127.0.0.1", port=smtp.EMAIL_PORT)
    controller.start()
    try:
        call_command("send_notices", retry_failed=True, stdout=io.StringIO())
    finally:
        controller.stop()
    email.refresh_from_db()
    assert email.status == SENT and len(server.messages) == 1


def test_a_rolled_back_event_leaves_no_notice(item):
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.create_filing(item, applicant(), form_token=uuid.uuid4())
        assert OutgoingMessage.objects.exists()
        raise RuntimeError
    assert not OutgoingMessage.objects.exists()


def test_the_database_queue_holds_the_delivery_and_defers_the_retry(
    db, smtp, django_capture_on_commit_callbacks
):
    smtp.TASKS = {"default": {"BACKEND": environment.DATABASE_TASKS}}
    smtp.OUTBOX_RETRY_SECONDS = 600
    with django_capture_on_commit_callbacks(execute=True):
        [message] = outbox.send_email(["a@example.com"], "主题", "正文")
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["args"] == [message.pk]
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.deliver.call(message.pk) is False  # refused
    message.refresh_from_db()
    retry = DBTaskResult.objects.exclude(pk=queued.pk).get()
    assert retry.run_after == message.next_attempt_at
    assert message.next_attempt_at > message.created_at


def test_staff_see_undelivered_notices_without_the_full_address(client, smtp, db):
    outbox.send_email(["zhangsan@example.com"], "【平台】您的办件", "正文", "SJ-1")
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = client.get(reverse("outgoing_messages:index") + "?status=pending")
    html = page.content.decode()
    assert page.status_code == 200
    assert "【平台】您的办件" in html and "SJ-1" in html
    assert "z***@example.com" in html and "zhangsan@example.com" not in html
    assert "/admin/outgoing_messages/new/" not in html, "written by code only"
    add = client.get("/admin/outgoing_messages/new/")
    assert (add.status_code, add.url) == (302, "/admin/")  # Wagtail's "no permission"
