"""The search page and the search box's suggestions, as a citizen's browser gets
them: results, facets, snippets, pagination, the no-results advice, rate limits."""

import re

import pytest
from django.core.cache import cache
from wagtail.models import Site

from portal.models import ContactSettings
from search.backends.base import SearchUnavailable
from search.backends.embedded import EmbeddedBackend
from services_catalog.models import ServiceCatalogPage
from tests.search.helpers import make_item, publish

pytestmark = pytest.mark.django_db


def page_text(response):
    return response.content.decode()


def hit_titles(html):
    return [
        re.sub(r"<[^>]+>", "", title)
        for title in re.findall(r'class="search-hit__title"><a [^>]+>(.*?)</a>', html)
    ]


def test_the_search_page_without_a_query_shows_the_form(client):
    response = client.get("/search/")

    assert response.status_code == 200
    html = page_text(response)
    assert 'id="search-page-q"' in html
    assert "search-hits" not in html
    assert "<h1>站内搜索</h1>" in html


def test_results_keep_the_query_in_the_box_and_mark_the_matches(client, catalog_items):
    response = client.get("/search/", {"q": "排污许可"})

    html = page_text(response)
    assert response.status_code == 200
    assert 'value="排污许可"' in html
    assert hit_titles(html)[:2] == ["排污许可证核发", "排污许可证遗失补领"]
    assert "<mark>排污许可</mark>" in html
    assert f'href="{catalog_items["permit"].url}"' in html
    assert "找到 2 条与“排污许可”相关的结果" in html
    assert "事项编码 11220000ST0001" in html
    assert "<title>“排污许可”的搜索结果" in html


def test_a_facet_link_narrows_the_results_and_can_be_undone(client, catalog_items):
    html = page_text(client.get("/search/", {"q": "许可"}))
    link = re.search(r'href="(\?[^"]*department=ST[^"]*)"', html).group(1)

    narrowed = page_text(client.get("/search/" + link.replace("&amp;", "&")))

    assert set(hit_titles(narrowed)) == {"排污许可证核发", "排污许可证遗失补领"}
    selected = re.search(
        r'<a class="search-facet__link is-selected" href="([^"]*)"', narrowed
    )
    assert selected, "the chosen department is marked"
    assert 'aria-current="true"' in narrowed
    undone = page_text(client.get("/search/" + selected.group(1).replace("&amp;", "&")))
    assert len(hit_titles(undone)) == 3


def test_the_synonyms_used_are_shown(client, catalog_items):
    html = page_text(client.get("/search/", {"q": "社保"}))

    assert hit_titles(html) == ["社会保险登记"]
    assert "社保 → 社会保险" in html


def test_titles_and_snippets_are_escaped(client, ecology_catalog, permit_division):
    make_item(
        ecology_catalog,
        permit_division,
        "11220000ST0077",
        "排污<script>alert(1)</script>登记",
        conditions=[("item", "<img src=x onerror=alert(1)> 排污单位")],
    )

    html = page_text(client.get("/search/", {"q": "排污"}))

    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_no_results_point_to_the_catalog_and_the_hotline(client, catalog_items):
    settings = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    settings.hotline = "0431-12345"
    settings.save()
    site_catalog = ServiceCatalogPage(title="办事指南", slug="banshi")
    Site.objects.get(is_default_site=True).root_page.add_child(instance=site_catalog)
    publish(site_catalog)

    html = page_text(client.get("/search/", {"q": "航天飞机发射"}))

    assert "没有找到与“航天飞机发射”相关的内容" in html
    assert f'href="{site_catalog.url}"' in html
    assert "0431-12345" in html
    assert 'href="tel:0431-12345"' in html
    assert 'value="航天飞机发射"' in html


def test_results_are_paginated(client, ecology_catalog, permit_division):
    for number in range(12):
        make_item(
            ecology_catalog,
            permit_division,
            f"11220000ST{number + 10:04d}",
            f"排污许可证事项{number:02d}",
        )

    first = page_text(client.get("/search/", {"q": "排污许可"}))
    second = page_text(client.get("/search/", {"q": "排污许可", "page": 2}))
    beyond = page_text(client.get("/search/", {"q": "排污许可", "page": 9}))

    assert len(hit_titles(first)) == 10
    assert len(hit_titles(second)) == 2
    assert set(hit_titles(first)).isdisjoint(hit_titles(second))
    assert "第 2 页，共 2 页（12 条）" in second
    assert hit_titles(beyond) == hit_titles(second)
    assert 'start="11"' in second
    for bad in ("abc", "-3", "1e400", "9" * 30):
        response = client.get("/search/", {"q": "排污许可", "page": bad})
        assert response.status_code == 200, bad
        expected = second if bad.startswith("9") else first
        assert hit_titles(page_text(response)) == hit_titles(expected), bad


def test_the_search_page_has_no_inline_scripts_or_styles(client, catalog_items):
    response = client.get("/search/", {"q": "许可"})

    html = page_text(response)
    assert "<style" not in html and " style=" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None
    assert "search/js/autocomplete.js" in html
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_an_unavailable_backend_gets_a_clear_message(client, monkeypatch, home_page):
    def down(self, request):
        raise SearchUnavailable("cluster down")

    monkeypatch.setattr(EmbeddedBackend, "search", down)

    response = client.get("/search/", {"q": "排污"})

    assert response.status_code == 503
    assert "搜索服务暂时不可用" in page_text(response)


def test_suggestions_are_item_names_as_json(client, catalog_items):
    response = client.get("/search/suggest/", {"q": "排污"})

    assert response.status_code == 200
    data = response.json()
    assert data["query"] == "排污"
    assert [s["title"] for s in data["suggestions"]] == [
        "排污许可证核发",
        "排污许可证遗失补领",
    ]
    assert data["suggestions"][0] == {
        "title": "排污许可证核发",
        "url": catalog_items["permit"].url,
        "code": "11220000ST0001",
    }
    assert client.get("/search/suggest/", {"q": ""}).json()["suggestions"] == []


def test_suggestions_are_rate_limited(client, settings, home_page):
    settings.RATELIMITS = {**settings.RATELIMITS, "search_suggest": "3/d"}
    cache.clear()  # counters of earlier tests

    statuses = [
        client.get("/search/suggest/", {"q": "排污"}).status_code for _ in range(4)
    ]

    assert statuses == [200, 200, 200, 429]
    limited = client.get(
        "/search/suggest/", {"q": "x"}, headers={"accept": "application/json"}
    )
    assert limited.json()["detail"] == "操作过于频繁，请稍后再试。"


def test_search_page_is_rate_limited(client, settings, home_page):
    settings.RATELIMITS = {**settings.RATELIMITS, "search": "3/d"}
    cache.clear()  # counters of earlier tests

    statuses = [client.get("/search/", {"q": "排污"}).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    limited = client.get("/search/", {"q": "x"})
    assert limited.status_code == 429
    assert "操作过于频繁" in limited.content.decode()
    cache.clear()  # the searches above cached figures of an empty index


def test_a_need_outside_the_catalog_is_told_so_with_the_departments_hotline(
    client, market, market_catalog, food_division
):
    market.hotline = "0431-88886666"
    publish(market)
    make_item(
        market_catalog,
        food_division,
        "11220000SJ0107",
        "出生医学证明补发",
        situations=["出生证明遗失"],
        materials=["父母身份证件"],
    )

    html = page_text(client.get("/search/", {"q": "身份证丢了怎么办"}))

    assert "没有找到与“身份证丢了怎么办”直接相关的事项" in html
    assert "可能不是您要办的事" in html
    assert 'href="tel:0431-88886666"' in html
    # The guess is still offered, below the notice.
    assert html.index("直接相关的事项") < html.index("出生医学证明补发")


def test_the_english_interface_shows_english_names_where_items_have_them(
    client, market_catalog, food_division
):
    make_item(
        market_catalog,
        food_division,
        "11220000SJ0101",
        "营业执照办理",
        name_en="Business Licence",
        summary_en="Register a company or shop.",
    )

    english = page_text(
        client.get("/search/", {"q": "business licence"}, HTTP_ACCEPT_LANGUAGE="en")
    )
    chinese = page_text(client.get("/search/", {"q": "business licence"}))

    assert hit_titles(english) == ["Business Licence"]
    assert "Register a company or shop." in english
    assert hit_titles(chinese) == ["营业执照办理"]


LONG_QUERY = " ".join(
    [
        "食品 生产 销售 餐饮 药品 医疗 器械 化妆 烟草",
        "酒类 种子 农药 兽药 饲料 渔业 林木 草原 矿产",
    ]
)


def test_a_query_of_many_words_is_answered_not_an_error(
    client, market_catalog, food_division
):
    """Sixteen words and more: each word's flag in the index rows is a power of 4,
    and the sixteenth (3 × 4¹⁵) was past 32 bits on PostgreSQL (a 500)."""
    item = make_item(
        market_catalog, food_division, "SJ0099", LONG_QUERY.replace(" ", "")
    )
    for query in (LONG_QUERY, LONG_QUERY.replace(" ", "")):
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200
        assert f'href="{item.url}"' in response.content.decode(), query
