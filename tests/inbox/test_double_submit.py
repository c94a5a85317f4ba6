"""A double click on the online filing form: two identical POSTs with the same form
token at the same moment, sent over HTTP to a live server on PostgreSQL."""

import re
import threading
import uuid
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

from services_catalog.inbox.models import Filing, FilingUpload
from tests.inbox.builders import PDF, PNG, applicant, make_item

TRIES = 5


def _post_form(session, url, item, token):
    page = session.get(url, timeout=30)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    materials = list(item.materials.all())
    data = {
        **applicant(),
        "consent": "on",
        "captcha_0": "x",
        "captcha_1": "PASSED",
        "form_token": str(token),
        "csrfmiddlewaretoken": csrf.group(1),
    }
    files = {
        f"material_{materials[0].pk}": ("申请书.pdf", PDF, "application/pdf"),
        f"material_{materials[1].pk}": ("身份证.png", PNG, "image/png"),
    }
    return data, files


def _double_submit(url, item, token):
    """Post the same filled form from two browsers released at one instant."""
    sessions = [requests.Session(), requests.Session()]
    posts = [_post_form(session, url, item, token) for session in sessions]
    barrier, answers = threading.Barrier(2), [None, None]

    def submit(index):
        data, files = posts[index]
        barrier.wait()
        answers[index] = sessions[index].post(
            url, data=data, files=files, timeout=60, allow_redirects=False
        )

    threads = [threading.Thread(target=submit, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def _stored_files():
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_double_submit_makes_one_complete_filing(live_server, home_page):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    item = make_item(home_page)
    url = live_server.url + item.url + "apply/"
    files_before = _stored_files()
    for _try in range(TRIES):
        token = uuid.uuid4()
        answers = _double_submit(url, item, token)

        assert [a.status_code for a in answers] == [302, 302]
        assert answers[0].headers["Location"] == answers[1].headers["Location"]
        filing = Filing.objects.get(form_token=token)
        attached = sorted(
            filing.uploads.values_list("material__name", flat=True), key=str
        )
        assert attached == ["申请书", "身份证明复印件"]
        assert not FilingUpload.objects.filter(form_token=token, filing=None).exists()

    assert Filing.objects.count() == TRIES
    # Every stored file belongs to an upload row: the loser left nothing behind.
    stored = _stored_files() - files_before
    names = set(FilingUpload.objects.values_list("file", flat=True))
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    assert {str(path.relative_to(root)) for path in stored} == names
    assert len(stored) == 2 * TRIES
