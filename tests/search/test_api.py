"""GET /api/v1/search/: the results contract, facets as filters, validation in
Chinese, rate limit, and its place in the OpenAPI document."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


def test_search_returns_hits_and_facets(client, catalog_items):
    response = client.get("/api/v1/search/", {"q": "排污许可"})

    assert response.status_code == 200
    data = response.json()
    assert data["query"] == "排污许可"
    assert data["total"] == 2
    assert data["mode"] == "all"
    assert data["page"] == 1 and data["pages"] == 1
    first = data["hits"][0]
    assert first == {
        "type": "item",
        "type_label": "办事指南",
        "title": "排污许可证核发",
        "url": catalog_items["permit"].url,
        "department": "省生态环境厅",
        "department_code": "ST",
        "item_code": "11220000ST0001",
        "item_type": "licensing",
        "snippet": first["snippet"],
        "score": first["score"],
    }
    assert "<mark>" in first["snippet"]
    assert {f["value"]: f["count"] for f in data["facets"]["online"]} == {
        "true": 1,
        "false": 1,
    }
    assert set(data["facets"]) == {
        "department",
        "kind",
        "item_type",
        "audience",
        "online",
    }


def test_facets_are_filters(client, catalog_items):
    data = client.get(
        "/api/v1/search/", {"q": "许可", "department": "ST", "online": "false"}
    ).json()

    assert [hit["title"] for hit in data["hits"]] == ["排污许可证遗失补领"]
    selected = [f["value"] for f in data["facets"]["department"] if f["selected"]]
    assert selected == ["ST"]

    data = client.get("/api/v1/search/", {"q": "审批", "audience": "person"}).json()
    assert [hit["title"] for hit in data["hits"]] == ["建设项目环境影响报告书审批"]


def test_synonyms_are_reported(client, catalog_items):
    data = client.get("/api/v1/search/", {"q": "社保"}).json()

    assert data["synonyms"] == {"社保": ["社会保险"]}
    assert data["hits"][0]["title"] == "社会保险登记"


def test_paging(client, catalog_items):
    data = client.get(
        "/api/v1/search/", {"q": "许可", "page_size": 2, "page": 2}
    ).json()

    assert data["total"] == 3
    assert (data["page"], data["page_size"], data["pages"]) == (2, 2, 2)
    assert len(data["hits"]) == 1


def test_the_old_page_size_name_still_works(client, catalog_items):
    old = client.get("/api/v1/search/", {"q": "许可", "per_page": 2}).json()
    assert (old["page_size"], old["pages"], len(old["hits"])) == (2, 2, 2)
    both = client.get("/api/v1/search/", {"q": "许可", "per_page": 2, "page_size": 3})
    assert both.json()["page_size"] == 3

    schema = client.get("/api/v1/openapi.json").json()
    parameters = {
        parameter["name"]: parameter
        for parameter in schema["paths"]["/api/v1/search/"]["get"]["parameters"]
    }
    assert parameters["per_page"].get("deprecated") is True
    assert not parameters["page_size"].get("deprecated")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "q：缺少此参数"),
        ({"q": ""}, "q：至少 1 个字符"),
        ({"q": "许可", "page_size": 100}, "page_size：不能大于 50"),
        ({"q": "许可", "per_page": 100}, "per_page：不能大于 50"),
        ({"q": "许可", "audience": "alien"}, "audience：应为以下之一"),
    ],
)
def test_bad_parameters_are_refused_in_chinese(client, home_page, params, message):
    response = client.get("/api/v1/search/", params)

    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_the_api_is_rate_limited(client, settings, home_page):
    settings.RATELIMITS = {**settings.RATELIMITS, "search_api": "2/d"}
    cache.clear()

    statuses = [
        client.get("/api/v1/search/", {"q": "许可"}).status_code for _ in range(3)
    ]

    assert statuses == [200, 200, 429]
    assert client.get("/api/v1/search/", {"q": "许可"}).json()["detail"] == (
        "请求过于频繁，请稍后再试。"
    )


def test_the_openapi_document_describes_search(client, home_page):
    schema = client.get("/api/v1/openapi.json").json()

    operation = schema["paths"]["/api/v1/search/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"q", "department", "kind", "item_type", "audience", "online"} <= names
    assert operation["summary"] == "站内搜索"
