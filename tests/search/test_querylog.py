"""The query log and the query report (issue 14): what is counted for a search and a
click, what is never kept, and the report's one-step synonym and alias."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from search.models import LoggedQuery, QueryDay
from services_catalog.models import ServiceItemPage
from tests.factories import UserFactory
from tests.search.helpers import make_item, search, titles

pytestmark = pytest.mark.django_db

REPORT = "/admin/search-queries/"


@pytest.fixture
def item(market_catalog, food_division):
    return make_item(market_catalog, food_division, "11220000SJ0201", "食品经营许可")


def day(text):
    return QueryDay.objects.get(query__text=text)


def test_a_search_is_counted_with_its_result_count_and_nothing_of_who_asked(
    client, item
):
    client.get("/search/", {"q": "食品經營許可"})
    client.get("/search/", {"q": "食品经营许可", "page": "2"})  # pages after the first
    client.get("/search/", {"q": "航天飞机发射"})

    found = day("食品经营许可")
    assert (found.searches, found.zero_results, found.results) == (1, 0, 1)
    assert day("航天飞机发射").zero_results == 1
    assert {f.name for f in QueryDay._meta.fields} == {
        "id",
        "query",
        "date",
        "searches",
        "zero_results",
        "results",
        "clicks",
    }


@pytest.mark.parametrize("query", ["220102199003071234 补办", "13904310001 食品"])
def test_a_query_with_an_id_number_or_a_mobile_is_not_logged(client, item, query):
    client.get("/search/", {"q": query})

    assert not LoggedQuery.objects.exists()


def test_a_result_links_ping_counts_a_click_of_a_searched_query_only(client, item):
    html = client.get("/search/", {"q": "食品经营许可"}).content.decode()
    assert 'ping="/search/click/?q=' in html

    assert client.post("/search/click/?q=食品经营许可").status_code == 204
    assert client.post("/search/click/?q=从没搜过").status_code == 204
    assert client.get("/search/click/?q=食品经营许可").status_code == 405

    assert day("食品经营许可").clicks == 1
    assert not LoggedQuery.objects.filter(text="从没搜过").exists()


def test_the_report_lists_zero_result_and_low_click_queries(admin_client, item):
    for _ in range(2):
        admin_client.get("/search/", {"q": "航天飞机发射"})
    for _ in range(3):
        admin_client.get("/search/", {"q": "食品经营许可"})

    html = admin_client.get(REPORT).content.decode()

    zero, low_click = html.split('id="low-click-title"')
    assert "航天飞机发射" in zero and "食品经营许可" not in zero
    assert "食品经营许可" in low_click
    assert "?term=%E8%88%AA" in zero  # the synonym link carries the query


def test_the_report_needs_the_synonym_permission(client, item):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    assert client.get(REPORT).status_code == 403


def test_the_synonym_link_fills_in_the_term(admin_client):
    url = reverse("wagtailsnippets_site_search_synonym:add")

    html = admin_client.get(url, {"term": "卖花草"}).content.decode()

    assert 'value="卖花草"' in html


def test_adding_a_query_as_an_alias_publishes_it_and_search_finds_the_item(
    admin_client, item
):
    before = search("摆摊卖凉皮")
    assert not before.hits or before.mode == "weak"

    response = admin_client.post(
        REPORT, {"query": "摆摊卖凉皮", "item_code": "11220000sj0201"}
    )

    assert response.status_code == 302
    live = ServiceItemPage.objects.get(pk=item.pk)
    assert [a.text for a in live.item_aliases.all()] == ["摆摊卖凉皮"]
    after = search("摆摊卖凉皮")
    assert titles(after)[0] == "食品经营许可"
    assert after.mode != "weak"


def test_an_unknown_item_code_gets_a_clear_message(admin_client, item):
    response = admin_client.post(REPORT, {"query": "开小吃店", "item_code": "XX99"})

    assert response.status_code == 400
    assert "没有编码为“XX99”的已发布事项" in response.content.decode()
