"""Link previews and structured data (issue 13, point 10): a public page pasted into
WeChat or a browser shows its name, a description and an image; an item page
describes itself to search engines as a schema.org `GovernmentService`."""

import json

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


def head_of(client, url, **headers):
    return BeautifulSoup(client.get(url, **headers).content, "html.parser").head


def meta(head, key):
    tag = head.find("meta", attrs={"property": key}) or head.find(
        "meta", attrs={"name": key}
    )
    return tag["content"] if tag else None


@pytest.fixture
def item(make_item):
    return make_item(
        title="食品生产许可",
        code="11220000SJ0001",
        audience=["organisation"],
        promised_days=10,
        phone="0431-88885555",
        online=True,
    )


def test_an_item_page_previews_with_its_name_and_time_limit(client, item):
    head = head_of(client, item.url)

    assert meta(head, "og:title") == "食品生产许可"
    assert meta(head, "twitter:title") == "食品生产许可"
    assert meta(head, "og:url") == f"http://localhost{item.url}"
    description = meta(head, "og:description")
    assert description == "省市场监督管理局 · 行政许可 · 承诺 10 个工作日办结"
    assert meta(head, "description") == description
    assert meta(head, "twitter:card") == "summary"
    assert meta(head, "og:image").startswith("http://localhost/static/")
    assert meta(head, "og:image").endswith(".png")
    assert meta(head, "og:locale") == "zh_CN"


def test_an_editors_description_wins_and_english_is_english(client, item):
    item.search_description = "食品生产企业取得生产许可。"
    item.save_revision().publish()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    head = head_of(client, item.url)

    assert meta(head, "og:description") == "食品生产企业取得生产许可。"
    assert meta(head, "og:locale") == "en_US"


def test_the_home_page_previews_with_the_site_name(client, home_page):
    head = head_of(client, "/")

    assert meta(head, "og:title") == home_page.title
    assert meta(head, "og:site_name") == "窗口办公政务公开平台"


def test_an_item_page_carries_government_service_json_ld(client, item):
    head = head_of(client, item.url)
    (script,) = head.find_all("script", type="application/ld+json")
    data = json.loads(script.string)

    assert data["@type"] == "GovernmentService"
    assert data["name"] == "食品生产许可"
    assert data["identifier"] == "11220000SJ0001"
    assert data["serviceType"] == "行政许可"
    assert data["provider"]["name"] == "省市场监督管理局"
    assert data["audience"] == [{"@type": "Audience", "audienceType": "法人"}]
    channel = data["availableChannel"]
    assert channel["serviceUrl"] == f"http://localhost{item.url}apply/"
    assert channel["servicePhone"]["telephone"] == "0431-88885555"


def test_json_ld_cannot_close_its_script(client, make_item):
    item = make_item(title="许可</script><script>alert(1)</script>")

    page = client.get(item.url).content.decode()

    assert "</script><script>alert(1)" not in page
