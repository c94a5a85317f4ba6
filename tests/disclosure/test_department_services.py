"""A department page leads to its own catalog, reception page and commitments
(issue 13, point 1): /sj/ links /sj/shixiang/, never another department's."""

import pytest
from bs4 import BeautifulSoup

from reception.models import ReceptionPage
from services_catalog.models import ServiceCatalogPage
from tests.factories import DepartmentPageFactory

pytestmark = pytest.mark.django_db


def service_links(client, department):
    page = BeautifulSoup(client.get(department.url).content, "html.parser")
    nav = page.find("nav", attrs={"aria-label": "本部门办事"})
    return [(a.get_text(strip=True), a["href"]) for a in nav.find_all("a")]


def test_department_page_links_its_catalog_reception_and_commitments(client, home_page):
    market = DepartmentPageFactory(
        parent=home_page, title="省市场监督管理局", slug="sj"
    )
    ecology = DepartmentPageFactory(parent=home_page, title="省生态环境厅", slug="st")
    catalog = ServiceCatalogPage(title="办事指南", slug="shixiang")
    market.add_child(instance=catalog)
    market.add_child(instance=ReceptionPage(title="领导接访", slug="jiefang"))
    draft = ReceptionPage(title="旧接访页", slug="old", live=False)
    market.add_child(instance=draft)
    ecology.add_child(
        instance=ServiceCatalogPage(title="生态办事指南", slug="shixiang")
    )

    assert service_links(client, market) == [
        ("办事指南", "/sj/shixiang/"),
        ("领导接访", "/sj/jiefang/"),
        ("服务承诺", "#commitments-title"),
        ("好差评统计", f"/banjian/pingjia/{market.code}/"),
        ("我要咨询", f"/banjian/zixun/tiwen/?department={market.code}"),
        ("咨询问答", f"/banjian/zixun/?department={market.code}"),
    ]
    assert ("生态办事指南", "/st/shixiang/") in service_links(client, ecology)
