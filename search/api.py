"""``GET /api/v1/search/?q=…``: site search for other systems, with the search page's
facets as filters (DESIGN §9). Mounted by `portal.api`; rate-limited per address.

Paged like every list of the API (`services_catalog.api`): `page` and
`page_size`; the old `per_page` still works and is marked deprecated in the
OpenAPI document."""

from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from portal.api import ErrorOut
from portal.ratelimits import ALL_METHODS, ratelimit
from search.backends.base import SearchUnavailable
from search.views import MAX_PAGE, run_search

router = Router(tags=["站内搜索"])

MAX_PAGE_SIZE = 50


class SearchQueryIn(Schema):
    q: str = Field(
        min_length=1,
        max_length=100,
        description="搜索词，可用群众常用说法（如“社保”“驾照”）或事项编码。",
    )
    department: str | None = Field(None, description="部门代码，如 SJ")
    kind: (
        Literal[
            "item", "division", "department", "person", "roster", "notice", "qa", "page"
        ]
        | None
    ) = Field(
        None, description="内容类别：item 办事指南、notice 公开内容、qa 咨询问答等"
    )
    item_type: str | None = Field(None, description="事项类型代码，如 licensing")
    audience: Literal["person", "organisation"] | None = Field(
        None, description="服务对象：person 自然人，organisation 法人"
    )
    online: bool | None = Field(None, description="是否可网上申请")
    page: int = Field(1, ge=1, le=MAX_PAGE, description="页码")
    page_size: int = Field(10, ge=1, le=MAX_PAGE_SIZE, description="每页条数")
    per_page: int | None = Field(
        None,
        ge=1,
        le=MAX_PAGE_SIZE,
        description="同 page_size（旧名，保留给已接入的客户端）",
        deprecated=True,
    )

    @property
    def size(self):
        """The page size asked for: `page_size`, or the old name `per_page` when
        only that is given."""
        if self.per_page is not None and "page_size" not in self.model_fields_set:
            return self.per_page
        return self.page_size


class HitOut(Schema):
    type: str = Field(description="内容类别代码")
    type_label: str = Field(description="内容类别")
    title: str = Field(description="标题")
    url: str = Field(description="网址")
    department: str = Field(description="所属部门")
    department_code: str = Field(description="部门代码")
    item_code: str = Field(description="事项编码（仅办事指南）")
    item_type: str = Field(description="事项类型代码（仅办事指南）")
    snippet: str = Field(description="摘要 HTML：已转义的文本，匹配处以 <mark> 标出")
    score: float = Field(description="相关度，越大越靠前")


class FacetValueOut(Schema):
    value: str = Field(description="筛选值，作为同名参数传入")
    label: str = Field(description="显示名称")
    count: int = Field(description="结果数")
    selected: bool = Field(description="是否为当前筛选条件")


class SearchOut(Schema):
    query: str = Field(description="搜索词")
    total: int = Field(description="结果总数")
    page: int = Field(description="页码")
    page_size: int = Field(description="每页条数")
    pages: int = Field(description="总页数")
    mode: str = Field(
        description="all：包含全部搜索词；some：部分匹配；similar：无匹配时的相近标题"
    )
    synonyms: dict[str, list[str]] = Field(description="已按同义词扩展的搜索词")
    hits: list[HitOut]
    facets: dict[str, list[FacetValueOut]] = Field(
        description="分面计数：department、kind、item_type、audience、online"
    )


@router.get(
    "/",
    response={200: SearchOut, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut},
    summary="站内搜索",
    description=(
        "中文分词检索办事指南、处室、人员和公开内容；支持同义词（社保→社会保险）和"
        "事项编码精确匹配。可按部门、内容类别、事项类型、服务对象和是否网上申请筛选，"
        "返回各筛选项的结果数。请求过于频繁返回 429。"
    ),
)
@ratelimit("search_api", method=ALL_METHODS)
def search(request, query: Query[SearchQueryIn]):
    filters = {
        name: getattr(query, name)
        for name in ("department", "kind", "item_type", "audience")
        if getattr(query, name)
    }
    if query.online is not None:
        filters["online"] = "true" if query.online else "false"
    try:
        results, page = run_search(query.q, filters, query.page, query.size)
    except SearchUnavailable:
        raise HttpError(503, "搜索服务暂时不可用，请稍后再试。") from None
    return {
        "query": query.q,
        "total": results.total,
        "page": page.number,
        "page_size": query.size,
        "pages": page.paginator.num_pages if results.total else 0,
        "mode": results.mode,
        "synonyms": {term: list(canonical) for term, canonical in results.synonyms},
        "hits": [
            {
                "type": hit.kind,
                "type_label": str(hit.type_label),
                "title": hit.title,
                "url": hit.url,
                "department": hit.department,
                "department_code": hit.department_code,
                "item_code": hit.item_code,
                "item_type": hit.item_type,
                "snippet": str(hit.snippet),
                "score": hit.score,
            }
            for hit in results.hits
        ],
        "facets": {
            name: [vars(value) for value in values]
            for name, values in results.facets.items()
        },
    }
