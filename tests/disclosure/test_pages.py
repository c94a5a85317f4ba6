"""What the public disclosure pages show, and that they cost a fixed number of
queries whatever the number of divisions, posts and people."""

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model

from disclosure.models import ContentPageAttachment
from tests.factories import (
    ContentPageFactory,
    DepartmentPageFactory,
    DisclosureGuidePageFactory,
    DivisionPageFactory,
    ImageFactory,
    PersonFactory,
    PostFactory,
    ServiceCatalogPageFactory,
    ServiceItemPageFactory,
)

pytestmark = pytest.mark.django_db


def text_of(response):
    return response.content.decode()


def test_department_page_shows_contacts_commitments_divisions_and_leaders(
    client, department, division
):
    PersonFactory(name="王建国", title="局长", department=department, is_leader=True)
    ContentPageFactory(parent=department, title="关于实行窗口办公制度的公告")

    html = text_of(client.get(department.url))

    assert "0431-12345678" in html  # hotline
    assert "首问负责制" in html
    assert "食品生产安全监督管理处" in html
    assert "张海涛" in html  # the division's head
    assert "王建国" in html
    assert "关于实行窗口办公制度的公告" in html
    # The reception app fills this slot; until then it says so.
    assert "今日接访安排尚未公布" in html


def test_department_page_hides_unpublished_divisions_and_draft_people(
    client, department, division
):
    hidden = DivisionPageFactory(parent=department, title="筹建中的处室")
    hidden.unpublish()
    PersonFactory(name="草稿人员", department=department, live=False)

    html = text_of(client.get(department.url))

    assert "筹建中的处室" not in html
    assert "草稿人员" not in html


def test_division_page_shows_duties_posts_and_people(client, division, department):
    response = client.get(division.url)
    html = text_of(response)

    assert response.status_code == 200
    assert "负责本处室业务的受理和审查。" in html
    assert "食品生产许可审查岗" in html
    assert "提出审查意见。" in html  # authority
    assert "《中华人民共和国行政许可法》第三十四条。" in html  # basis
    assert "5 个工作日" in html  # time limit
    assert "超时未办结的追究责任。" in html  # accountability
    assert 'data-label="完成时限"' in html  # stacks as cards on phones
    assert "张海涛" in html
    assert f'href="{department.url}"' in html
    assert "本处室牵头或协办的事项" not in html  # nothing linked yet


def test_division_page_lists_the_items_it_leads_or_co_handles(
    client, department, division
):
    other = DivisionPageFactory(parent=department, code="SJ-TZSB")
    catalog = ServiceCatalogPageFactory(parent=department)
    ServiceItemPageFactory(
        parent=catalog, title="食品生产许可证核发", lead_division=division
    )
    co_handled = ServiceItemPageFactory(
        parent=catalog,
        title="特种设备生产单位许可",
        lead_division=other,
        published=False,
    )
    co_handled.co_divisions = [division]
    co_handled.save_revision().publish()
    draft = ServiceItemPageFactory(
        parent=catalog, title="草稿事项", lead_division=division, published=False
    )
    draft.unpublish()

    html = text_of(client.get(division.url))

    assert "本处室牵头或协办的事项" in html
    assert "食品生产许可证核发" in html
    assert "特种设备生产单位许可" in html
    assert ">牵头主办</span>" in html
    assert ">协办</span>" in html
    assert "草稿事项" not in html


def test_guide_page_lists_everything_the_department_publishes(
    client, department, division
):
    ContentPageFactory(parent=department, title="窗口办公实施办法", kind="measures")
    guide = DisclosureGuidePageFactory(parent=department)

    html = text_of(client.get(guide.url))

    for expected in (
        "省市场监督管理局",
        "首问负责制",
        "食品生产安全监督管理处",
        "承办交办事项。",
        "食品生产许可审查岗",
        "张海涛",
        "窗口办公实施办法",
        "data-print",
    ):
        assert expected in html


def test_content_page_shows_body_and_attachments(client, department):
    document = get_document_model().objects.create(
        title="实施办法全文", file=ContentFile(b"text", name="measures.txt")
    )
    page = ContentPageFactory(parent=department, title="窗口办公实施办法")
    ContentPageAttachment.objects.create(page=page, document=document)

    html = text_of(client.get(page.url))

    assert "一、适用范围" in html
    assert "实施办法全文" in html
    assert document.url in html


def build_department(home_page, code, divisions, posts, people):
    """A department with `divisions` divisions of `posts` posts and `people` people
    each (all with portraits), as many notices, a guide and three leaders."""
    department = DepartmentPageFactory(parent=home_page, code=code)
    for _ in range(3):
        PersonFactory(department=department, is_leader=True, photo=ImageFactory())
    for n in range(divisions):
        division = DivisionPageFactory(parent=department, code=f"{code}-{n}")
        for _ in range(posts):
            PostFactory(division=division)
        staff = [
            PersonFactory(division=division, photo=ImageFactory())
            for _ in range(people)
        ]
        division.head, division.deputy = staff[0], staff[-1]
        division.save()
        ContentPageFactory(parent=department)
    guide = DisclosureGuidePageFactory(parent=department)
    return department, division, guide


def queries_to_render(client, url):
    client.get(url)  # the first render creates the portrait renditions
    cache.clear()  # measure the cold path: renditions and site paths from the database
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_query_counts_do_not_grow_with_divisions_posts_or_people(client, home_page):
    small = build_department(home_page, "QA", divisions=1, posts=1, people=1)
    large = build_department(home_page, "QB", divisions=6, posts=4, people=4)

    for small_page, large_page in zip(small, large, strict=True):
        assert queries_to_render(client, small_page.url) == queries_to_render(
            client, large_page.url
        ), f"{type(large_page).__name__} makes more queries with more content"


def test_department_notices_are_paginated(client, department):
    for number in range(12):
        ContentPageFactory(parent=department, title=f"通知第{number:02d}号")
    # Newest first: the two oldest notices are on page 2 only.
    first = text_of(client.get(department.url))
    second = text_of(client.get(department.url, {"page": 2}))
    assert "通知第11号" in first and "通知第00号" not in first
    assert "通知第00号" in second and "通知第11号" not in second
    assert "page=2" in first  # the pagination links to the second page
    # A page number that is not a number falls back to the first page.
    assert client.get(department.url, {"page": "abc"}).status_code == 200
