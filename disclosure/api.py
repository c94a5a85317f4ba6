"""Open data of what departments publish: `GET /api/v1/notices/?department=CODE`,
their notices and implementation measures (content pages), newest first — the
feeds' entries (`disclosure.feeds`) as JSON. Readable from any origin. Mounted by
`portal.api`."""

import datetime

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from disclosure.feeds import department_or_404, published_at, published_content
from disclosure.models import ContentPage, DepartmentPage
from portal.api import ErrorOut, allow_any_origin

MAX_PAGE_SIZE = 100

notices_router = Router(tags=["通知公告"])
notices_router.add_decorator(allow_any_origin, mode="view")


class PublisherOut(Schema):
    code: str = Field(description="部门代码")
    name: str = Field(description="部门名称")


class PublishedTextOut(Schema):
    title: str = Field(description="标题")
    kind: str = Field(
        description="类别代码：notice 通知公告 / measures 实施办法 / "
        "commitment 服务承诺 / other 其他"
    )
    kind_label: str = Field(description="类别")
    document_number: str = Field(description="文号")
    summary: str = Field(description="摘要")
    department: PublisherOut | None = Field(description="发布部门")
    url: str = Field(description="网页地址")
    published: datetime.datetime | None = Field(description="最近发布时间")


class PublishedTextListOut(Schema):
    count: int = Field(description="符合条件的总数")
    page: int = Field(description="页码")
    page_size: int = Field(description="每页条数")
    results: list[PublishedTextOut]


class PublishedTextQuery(Schema):
    department: str | None = Field(None, description="部门代码，如 SJ；不填为全部部门")
    kind: ContentPage.Kind | None = Field(None, description="类别代码")
    page: int = Field(1, ge=1, le=10_000, description="页码，从 1 开始")
    page_size: int = Field(
        20, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，最多 {MAX_PAGE_SIZE}"
    )


def _departments(pages):
    """Each page's department (its parent), in one query."""
    parents = {page.path[: -page.steplen] for page in pages}
    departments = DepartmentPage.objects.filter(path__in=parents)
    return {department.path: department for department in departments}


@notices_router.get(
    "/",
    response={200: PublishedTextListOut, 404: ErrorOut, 422: ErrorOut},
    url_name="list_notices",
    summary="通知公告和实施办法",
    description=(
        "已发布的通知公告、实施办法等公开内容，最近发布的在前、分页；可按部门代码"
        "和类别筛选。未知的部门代码返回 404。与 /feeds/notices/{部门代码}/rss/ 的"
        "条目相同。"
    ),
)
def list_notices(request, query: Query[PublishedTextQuery]):
    try:
        department = department_or_404(query.department) if query.department else None
    except Http404 as error:
        raise HttpError(404, str(error)) from None
    pages = published_content(department, query.kind)
    count = pages.count()
    start = (query.page - 1) * query.page_size
    rows = list(pages[start : start + query.page_size])
    departments = _departments(rows)
    results = []
    for page in rows:
        owner = departments.get(page.path[: -page.steplen])
        results.append(
            {
                "title": page.title,
                "kind": page.kind,
                "kind_label": page.get_kind_display(),
                "document_number": page.document_number,
                "summary": page.summary,
                "department": {"code": owner.code, "name": owner.title}
                if owner
                else None,
                "url": page.get_full_url(request),
                "published": published_at(page),
            }
        )
    return {
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "results": results,
    }
