"""The privacy notice is an editor-managed site setting shown at /yinsi/; every
public form links to it and the consent boxes name it."""

import pytest
from django.urls import reverse
from wagtail.models import Site

from portal.models import PrivacyNoticeSettings
from reception.forms import AppointmentForm
from services_catalog.inbox.forms import FilingForm
from tests.inbox.builders import make_item

pytestmark = pytest.mark.django_db


def test_the_notice_shows_what_editors_wrote(client, home_page):
    notice = PrivacyNoticeSettings.for_site(Site.objects.get(is_default_site=True))
    notice.body = "<p>收集目的：办理行政许可。</p>"
    notice.contact = "办公室 0431-12345"
    notice.save()

    page = client.get(reverse("privacy_notice")).content.decode()

    assert "<h1>个人信息保护声明</h1>" in page
    assert "收集目的：办理行政许可。" in page and "办公室 0431-12345" in page


def test_without_a_text_the_notice_states_purpose_and_retention(client, home_page):
    page = client.get(reverse("privacy_notice")).content.decode()
    assert "仅用于办理您的事项" in page and "保存 5 年" in page


def test_public_forms_link_the_notice_and_the_consent_names_it(client, home_page):
    item = make_item(home_page)
    apply_page = client.get(item.url + "apply/").content.decode()
    complaint_page = client.get(reverse("inbox:complaint")).content.decode()
    link = f'href="{reverse("privacy_notice")}">《个人信息保护声明》'
    assert link in apply_page and link in complaint_page
    assert "《个人信息保护声明》" in str(FilingForm.base_fields["consent"].label)
    assert "《个人信息保护声明》" in str(AppointmentForm.base_fields["consent"].label)
