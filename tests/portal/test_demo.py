"""`load_demo` builds the demo site idempotently and prints one login per role."""

import io
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Site

from portal import roles
from portal.demo import DEMO_PASSWORD
from portal.management.commands.load_demo import quiet_notifications
from portal.outbox import LoggingSMSBackend
from search.backends import get_backend
from search.backends.base import SearchRequest
from services_catalog.models import ServiceItemPage

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def load_demo(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_demo_is_idempotent_prints_a_login_for_every_role_and_if_empty_skips(
    settings,
):
    output = load_demo()
    pages, users = Page.objects.count(), get_user_model().objects.count()
    assert pages > 10
    # The search index is written once, at the end of the load (`bulk_changes`):
    # every live service item is found by its name right after it.
    items = ServiceItemPage.objects.live().values_list("title", "code")
    assert len(items) > 10
    for title, code in items:
        hits = get_backend().search(SearchRequest(title, with_facets=False)).hits
        assert code in [hit.item_code for hit in hits[:3]], title

    again = load_demo()
    assert (Page.objects.count(), get_user_model().objects.count()) == (pages, users)

    for text in (output, again):
        assert DEMO_PASSWORD in text
        for username in ("admin", "clerk_sj", "director_sj", "handler_sj"):
            assert username in text
        assert "provincial" in text and "省政府办公厅（政务公开办）" in text
    User = get_user_model()
    assert User.objects.get(username="admin").check_password(DEMO_PASSWORD)
    # The provincial office stands above the departments: no membership.
    provincial = User.objects.get(username="provincial")
    assert provincial.has_perm("inbox.view_overview")
    assert not hasattr(provincial, "staff_membership")
    for role in set(roles.GROUP_NAMES) - {roles.Role.PROVINCIAL}:
        assert User.objects.filter(
            groups__name=roles.group_name(role), staff_membership__isnull=False
        ).exists(), role

    # --if-empty skips a site that has content (loading the demo costs tens of
    # seconds, so this reuses the one above).
    pages = Page.objects.count()
    settings.WAGTAILADMIN_BASE_URL = "http://zwfw.example.gov.cn:8080"
    output = load_demo("--if-empty")
    assert "跳过" in output
    assert Page.objects.count() == pages
    assert "clerk_st" in output
    # Even when it skips the content, the site follows BASE_URL.
    assert Site.objects.get(is_default_site=True).root_url == (
        "http://zwfw.example.gov.cn:8080"
    )
    assert "http://zwfw.example.gov.cn:8080/admin/" in output


def test_no_demo_logins_outside_the_development_settings(settings):
    settings.DEMO_USERS_ENABLED = False
    output = load_demo()
    assert not get_user_model().objects.exists()
    assert DEMO_PASSWORD not in output
    assert Page.objects.count() > 10


def test_the_demos_text_messages_stay_out_of_the_console(caplog):
    caplog.set_level(logging.INFO, logger="portal.outbox")
    with quiet_notifications():
        LoggingSMSBackend().send("13800138000", "演示短信")
    assert not caplog.records
    LoggingSMSBackend().send("13800138000", "正式短信")
    assert "正式短信" in caplog.records[0].getMessage()
