"""Fixtures of the search tests: the embedded backend with a clean synonyms cache,
and two departments with divisions, catalogs and a few published items."""

import pytest
from django.core.cache import cache

from search.backends import reset_backends
from search.synonyms import CACHE_KEY
from services_catalog.models import ServiceCatalogPage
from tests.conftest import lift_rate_limits
from tests.factories import DepartmentPageFactory, DivisionPageFactory
from tests.search.helpers import make_item, publish


@pytest.fixture(autouse=True)
def _fresh_search_state(settings):
    """The embedded backend, and no synonyms cached by an earlier test."""
    settings.SEARCH_BACKEND = "embedded"
    lift_rate_limits(settings)
    reset_backends()
    cache.delete(CACHE_KEY)
    yield
    reset_backends()
    cache.delete(CACHE_KEY)


@pytest.fixture
def market(home_page):
    department = DepartmentPageFactory(
        parent=home_page, title="省市场监督管理局", slug="sj", code="SJ"
    )
    return publish(department)


@pytest.fixture
def ecology(home_page):
    department = DepartmentPageFactory(
        parent=home_page, title="省生态环境厅", slug="st", code="ST"
    )
    return publish(department)


@pytest.fixture
def food_division(market):
    return DivisionPageFactory(parent=market, title="食品生产监管处", code="SJ-SP")


@pytest.fixture
def welfare_division(market):
    return DivisionPageFactory(parent=market, title="社会事务处", code="SJ-SH")


@pytest.fixture
def permit_division(ecology):
    return DivisionPageFactory(parent=ecology, title="排放管理处", code="ST-PF")


@pytest.fixture
def market_catalog(market):
    catalog = ServiceCatalogPage(title="事项目录", slug="shixiang")
    market.add_child(instance=catalog)
    return catalog


@pytest.fixture
def ecology_catalog(ecology):
    catalog = ServiceCatalogPage(title="事项目录", slug="shixiang")
    ecology.add_child(instance=catalog)
    return catalog


@pytest.fixture
def market_item(market_catalog, food_division):
    """Makes a published item in the market regulator's catalog, led by its food
    division: `market_item("0101", "营业执照办理", aliases=[...])`, the code's
    department prefix added."""

    def make(code, title, **fields):
        return make_item(
            market_catalog, food_division, f"11220000SJ{code}", title, **fields
        )

    return make


@pytest.fixture
def catalog_items(
    market_catalog, food_division, welfare_division, ecology_catalog, permit_division
):
    """A small catalog over two departments, published."""
    return {
        "permit": make_item(
            ecology_catalog,
            permit_division,
            "11220000ST0001",
            "排污许可证核发",
            conditions=[("item", "依法需要取得排污许可的企业事业单位。")],
            result="《排污许可证》",
        ),
        "permit_lost": make_item(
            ecology_catalog,
            permit_division,
            "11220000ST0004",
            "排污许可证遗失补领",
            item_type="other",
            online=False,
            result="《排污许可证》（补领）",
        ),
        "eia": make_item(
            ecology_catalog,
            permit_division,
            "11220000ST0005",
            "建设项目环境影响报告书审批",
            audience=["organisation", "person"],
        ),
        "food": make_item(
            market_catalog,
            food_division,
            "11220000SJ0001",
            "食品生产许可",
            materials=["食品生产许可申请书", "营业执照复印件"],
            result="《食品生产许可证》",
        ),
        "insurance": make_item(
            market_catalog,
            welfare_division,
            "11220000SJ0002",
            "社会保险登记",
            item_type="confirmation",
            audience=["person"],
        ),
    }
