"""RSS and Atom feeds of new and changed items, per department and site-wide."""

import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_items(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    return channel, channel.findall("item")


@pytest.fixture
def items(make_item, other_catalog, other_division):
    licence = make_item(code="SJ0001", title="食品生产许可")
    make_item(code="SJ0002", title="草稿", published=False, live=False)
    permit = make_item(
        code="ST0001",
        title="排污许可",
        parent=other_catalog,
        lead_division=other_division,
    )
    return licence, permit


def test_department_rss_lists_its_published_items(client, items):
    channel, entries = rss_items(client.get("/feeds/items/SJ/rss/"))

    assert channel.findtext("title") == "办事指南更新：省市场监督管理局"
    assert [entry.findtext("title") for entry in entries] == ["新增：食品生产许可"]
    entry = entries[0]
    assert entry.findtext("link") == items[0].full_url
    assert "事项编码 SJ0001" in entry.findtext("description")
    assert "承诺办结时限 10 个工作日" in entry.findtext("description")
    assert entry.findtext("guid").startswith("SJ0001@")
    assert [c.text for c in entry.findall("category")] == [
        "行政许可",
        "省市场监督管理局",
    ]


def test_site_wide_rss_lists_every_department_newest_first(client, items):
    licence, permit = items
    licence.title = "食品生产许可（修订）"
    licence.save_revision().publish()

    _channel, entries = rss_items(client.get("/feeds/items/rss/"))

    titles = [entry.findtext("title") for entry in entries]
    assert titles == ["更新：食品生产许可（修订）", "新增：排污许可"]


def test_atom_feed(client, items):
    response = client.get("/feeds/items/ST/atom/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["新增：排污许可"]
    assert entries[0].findtext(f"{ATOM}updated")
    assert feed.findtext(f"{ATOM}title") == "办事指南更新：省生态环境厅"


def test_unknown_department_feed_is_404(client, items):
    assert client.get("/feeds/items/ZZ/rss/").status_code == 404


def test_catalog_page_links_its_feeds(client, catalog, items):
    body = client.get(catalog.url).content.decode()

    assert 'type="application/rss+xml"' in body
    assert 'href="/feeds/items/SJ/rss/"' in body
    assert 'href="/feeds/items/SJ/atom/"' in body


def test_item_live_without_a_publication_is_listed_last(client, items, make_item):
    """An item made live by an import or a fixture, never published through a
    revision, has no publication time: both feeds list it, after the published ones."""
    raw = make_item(code="SJ0003", title="食品经营许可", published=False, live=True)
    type(raw).objects.filter(pk=raw.pk).update(
        first_published_at=None, last_published_at=None
    )

    _channel, entries = rss_items(client.get("/feeds/items/SJ/rss/"))
    assert [entry.findtext("title") for entry in entries] == [
        "新增：食品生产许可",
        "新增：食品经营许可",
    ]
    assert entries[1].findtext("guid").startswith("SJ0003@")

    response = client.get("/feeds/items/SJ/atom/")
    assert response.status_code == 200
    assert b"SJ0003@" in response.content
