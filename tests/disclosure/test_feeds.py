"""RSS, Atom and JSON of a department's notices and implementation measures (its
content pages), like the item feeds: only what is published, newest first, one
kind on request, an unknown department answered with 404."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from disclosure.models import ContentPage
from tests.factories import ContentPageFactory, DepartmentPageFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def published(parent, title, kind, days_ago, **fields):
    page = ContentPageFactory(parent=parent, title=title, kind=kind, **fields)
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    ContentPage.objects.filter(pk=page.pk).update(
        first_published_at=moment, last_published_at=moment
    )
    return page


@pytest.fixture
def department(home_page):
    department = DepartmentPageFactory(parent=home_page, code="FEEDA", title="甲局")
    published(department, "关于调整办公时间的通知", "notice", 3, summary="自下月起。")
    published(
        department,
        "窗口办公制度实施办法",
        "measures",
        1,
        document_number="甲局发〔2026〕1号",
    )
    draft = published(department, "草稿通知", "notice", 0)
    draft.unpublish()
    other = DepartmentPageFactory(parent=home_page, code="FEEDB", title="乙局")
    published(other, "乙局通知", "notice", 2)
    return department


def rss_titles(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    return channel, [item.findtext("title") for item in channel.findall("item")]


def test_department_rss_lists_its_published_texts_newest_first(client, department):
    channel, titles = rss_titles(client.get("/feeds/notices/FEEDA/rss/"))
    assert channel.findtext("title") == "通知公告和实施办法：甲局"
    assert titles == [
        "实施办法：窗口办公制度实施办法",
        "通知公告：关于调整办公时间的通知",
    ]
    item = ET.fromstring(client.get("/feeds/notices/FEEDA/rss/").content).find(
        "channel/item"
    )
    assert "甲局发〔2026〕1号" in item.findtext("description")

    _channel, titles = rss_titles(client.get("/feeds/notices/FEEDA/rss/?kind=measures"))
    assert titles == ["实施办法：窗口办公制度实施办法"]
    _channel, titles = rss_titles(client.get("/feeds/notices/rss/"))
    assert "通知公告：乙局通知" in titles and len(titles) == 3


def test_atom_and_unknown_department(client, department):
    response = client.get("/feeds/notices/FEEDA/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
    assert len(entries) == 2
    assert client.get("/feeds/notices/NOPE/rss/").status_code == 404


def test_api_lists_the_same_entries_with_their_department(client, department):
    response = client.get("/api/v1/notices/", {"department": "FEEDA"})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["count"] == 2
    first = data["results"][0]
    assert first["title"] == "窗口办公制度实施办法"
    assert first["kind"] == "measures"
    assert first["document_number"] == "甲局发〔2026〕1号"
    assert first["department"] == {"code": "FEEDA", "name": "甲局"}
    assert first["url"].startswith("http")
    only = client.get("/api/v1/notices/", {"department": "FEEDA", "kind": "notice"})
    assert [row["title"] for row in only.json()["results"]] == [
        "关于调整办公时间的通知"
    ]
    assert client.get("/api/v1/notices/", {"department": "NOPE"}).status_code == 404
    assert client.get("/api/v1/notices/").json()["count"] == 3
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/notices/" in schema["paths"]


def test_department_page_links_its_feeds(client, department):
    page = client.get(department.url).content.decode()
    assert 'href="/feeds/notices/FEEDA/rss/"' in page
    assert 'href="/feeds/notices/FEEDA/atom/"' in page


def test_feed_titles_use_each_languages_punctuation(client, department):
    url = "/feeds/notices/FEEDA/rss/"

    channel, titles = rss_titles(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    assert channel.findtext("title") == "Notices and implementation measures: 甲局"
    assert titles == [
        "Implementation measures: 窗口办公制度实施办法",
        "Notice: 关于调整办公时间的通知",
    ]
    channel, _titles = rss_titles(
        client.get(f"{url}?kind=measures", HTTP_ACCEPT_LANGUAGE="en")
    )
    assert channel.findtext("title") == "Implementation measures: 甲局"

    channel, titles = rss_titles(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert channel.findtext("title") == "通知公告和实施办法：甲局"
    assert titles[0] == "实施办法：窗口办公制度实施办法"
    channel, _titles = rss_titles(
        client.get(f"{url}?kind=measures", HTTP_ACCEPT_LANGUAGE="zh-hans")
    )
    assert channel.findtext("title") == "实施办法：甲局"
