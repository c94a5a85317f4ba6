"""The open-data API: GET /api/v1/items/ and /api/v1/items/{code}/."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ServiceItemMaterialFactory, ServiceItemStepFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/items/"


def codes(response):
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["results"]]


@pytest.fixture
def items(make_item, co_division, other_catalog, other_division):
    return [
        make_item(code="SJ0001", title="食品生产许可", audience=["organisation"]),
        make_item(
            code="SJ0002",
            title="特殊食品备案",
            item_type="filing",
            kind="immediate",
            promised_days=0,
            statutory_days=5,
            audience=["person", "organisation"],
            online=False,
            lead_division=co_division,
        ),
        make_item(
            code="ST0001",
            title="排污许可",
            parent=other_catalog,
            lead_division=other_division,
            audience=["person"],
        ),
    ]


def test_list_returns_live_items_with_stable_fields(client, items, make_item):
    make_item(code="DRAFT01", published=False, live=False)

    response = client.get(LIST)

    body = response.json()
    assert body["count"] == 3
    assert (body["page"], body["page_size"]) == (1, 20)
    assert codes(response) == ["SJ0001", "SJ0002", "ST0001"]
    first = body["results"][0]
    assert first == {
        "code": "SJ0001",
        "name": "食品生产许可",
        "department": {"code": "SJ", "name": "省市场监督管理局"},
        "type": {"code": "licensing", "label": "行政许可"},
        "kind": "promised",
        "audience": ["organisation"],
        "lead_division": {"code": "SJ-SP", "name": "食品生产安全监督管理处"},
        "online": True,
        "promised_days": 10,
        "statutory_days": 20,
        "url": items[0].full_url,
        "last_updated": first["last_updated"],
    }
    assert first["last_updated"].startswith(str(items[0].last_published_at.year))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"department": "SJ"}, ["SJ0001", "SJ0002"]),
        ({"department": "ST"}, ["ST0001"]),
        ({"department": "NOPE"}, []),
        ({"type": "filing"}, ["SJ0002"]),
        ({"audience": "person"}, ["SJ0002", "ST0001"]),
        ({"online": "false"}, ["SJ0002"]),
        ({"online": "true", "audience": "organisation"}, ["SJ0001"]),
    ],
)
def test_list_filters(client, items, query, expected):
    assert codes(client.get(LIST, query)) == expected


def test_list_pages(client, items):
    response = client.get(LIST, {"page": 2, "page_size": 2})

    assert response.json()["count"] == 3
    assert codes(response) == ["ST0001"]
    assert codes(client.get(LIST, {"page": 3, "page_size": 2})) == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page_size": 101}, "page_size"),
        ({"page": 0}, "page"),
        ({"page": 10**23}, "page"),
        ({"page": "abc"}, "page"),
        ({"type": "行政许可"}, "type"),
        ({"online": "maybe"}, "online"),
    ],
)
def test_list_refuses_bad_parameters_in_chinese(client, items, query, field):
    response = client.get(LIST, query)

    assert response.status_code == 422
    assert response["Access-Control-Allow-Origin"] == "*"
    assert f"{field}：" in response.json()["detail"]
    assert "请求参数有误" in response.json()["detail"]


def test_detail_returns_the_whole_guide(client, items, co_division):
    item = items[0]
    item.co_divisions = [co_division]
    item.special_procedures = [("item", "专家评审")]
    item.faqs = [("faq", {"question": "要钱吗？", "answer": "不收费。"})]
    item.save_revision().publish()
    ServiceItemMaterialFactory(page=item, name="申请书", originals=1, copies=2)
    ServiceItemStepFactory(page=item, name="批办", handled_by="director", days=1)

    response = client.get(f"{LIST}SJ0001/")

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    guide = response.json()
    assert guide["code"] == "SJ0001"
    assert guide["basis"] == ["《中华人民共和国行政许可法》第二十九条"]
    assert guide["conditions"] == ["申请人具备相应的条件。"]
    assert guide["special_procedures"] == ["专家评审"]
    assert guide["materials"] == [
        {
            "name": "申请书",
            "required": True,
            "originals": 1,
            "copies": 2,
            "format_notes": "A4 纸",
            "source": "申请人自备",
            "blank_form": None,
            "sample": None,
        }
    ]
    assert guide["steps"] == [
        {
            "name": "批办",
            "handled_by": {"code": "director", "label": "办公室主任"},
            "days": 1,
            "description": "按规定办理。",
        }
    ]
    assert guide["faqs"] == [{"question": "要钱吗？", "answer": "不收费。"}]
    assert guide["co_divisions"] == [{"code": "SJ-ZH", "name": "综合规划处"}]
    assert guide["fee"] == "不收费"
    assert guide["result"] == "《测试许可证》"
    assert guide["result_delivery"] == "窗口领取或免费邮寄"
    # Contacts the item leaves empty are the department's.
    assert guide["phone"] == "0431-88880000"
    assert guide["complaint_channel"] == "监察室 0431-88889999"
    assert guide["location"] == "长春市人民大街 3 号一楼收发文窗口"
    assert guide["visits"] == 1


def test_detail_of_an_unknown_or_unpublished_code_is_404_in_chinese(client, make_item):
    make_item(code="DRAFT01", published=False, live=False)

    for code in ("NOPE0001", "DRAFT01"):
        response = client.get(f"{LIST}{code}/")
        assert response.status_code == 404
        assert response.json() == {"detail": f"没有编码为 {code} 的已发布事项。"}
        assert response["Access-Control-Allow-Origin"] == "*"


def test_list_is_readable_from_any_origin(client, items):
    response = client.get(LIST, headers={"Origin": "https://data.example.org"})

    assert response["Access-Control-Allow-Origin"] == "*"


def test_openapi_document_describes_the_item_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()

    assert "/api/v1/items/" in schema["paths"]
    assert "/api/v1/items/{code}/" in schema["paths"]
    parameters = {
        p["name"] for p in schema["paths"]["/api/v1/items/"]["get"]["parameters"]
    }
    assert parameters == {
        "page",
        "page_size",
        "department",
        "type",
        "audience",
        "online",
    }


def test_list_query_count_does_not_grow_with_page_size(client, make_item, co_division):
    for number in range(30):
        make_item(code=f"QC{number:04d}", co_divisions=[co_division])
    client.get(LIST)  # warm the site cache

    def queries(page_size):
        with CaptureQueriesContext(connection) as captured:
            assert len(codes(client.get(LIST, {"page_size": page_size}))) == page_size
        return len(captured)

    assert queries(3) == queries(30)


def test_detail_query_count_does_not_grow_with_materials(client, make_item):
    def queries(materials):
        item = make_item()
        for _ in range(materials):
            ServiceItemMaterialFactory(page=item)
            ServiceItemStepFactory(page=item)
        client.get(f"{LIST}{item.code}/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{LIST}{item.code}/").status_code == 200
        return len(captured)

    assert queries(2) == queries(10)
