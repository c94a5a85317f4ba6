"""What a citizen meets first, in a real browser (issue 13): every page loads only
from the portal itself (no CDN, no tracker, nothing a mainland network or our CSP
would block), and the API documentation renders from our own static files."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.factories import (
    DepartmentPageFactory,
    DivisionPageFactory,
    ServiceCatalogPageFactory,
    ServiceItemPageFactory,
)


@pytest.fixture
def item(home_page):
    department = DepartmentPageFactory(
        parent=home_page, title="省市场监督管理局", slug="sj", code="SJ"
    )
    division = DivisionPageFactory(parent=department, title="食品生产处", code="SJ-SP")
    catalog = ServiceCatalogPageFactory(parent=department)
    return ServiceItemPageFactory(
        parent=catalog, lead_division=division, title="食品生产许可"
    )


@pytest.fixture
def offsite_requests(page, live_server):
    """Every request `page` makes to anywhere but the live server."""
    local = (live_server.url, "data:", "blob:")
    requests = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(local) else requests.append(request.url)
        ),
    )
    return requests


def test_public_pages_and_api_docs_request_nothing_from_elsewhere(
    page, item, offsite_requests, csp_violations
):
    for url in (
        "/",
        item.get_parent().get_parent().url,
        item.get_parent().url,
        item.url,
        item.url + "apply/",
        "/search/?q=食品",
        "/banjian/chaxun/",
        "/robots.txt",
    ):
        page.goto(url)
        page.wait_for_load_state("networkidle")

    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Chuangkou API")
    expect(page.locator(".opblock").first).to_be_visible()
    page.wait_for_load_state("networkidle")

    assert offsite_requests == []
    assert csp_violations == []
    assert_accessible(page, context=".swagger-ui .information-container")
