"""Consultations in the JSON API (DESIGN §9), mounted at /api/v1/consultations/:

- `GET /consultations/?q=&department=&item=&page=` — the published questions and
  answers, redacted, newest first (what the public list shows);
- `GET /consultations/{tracking_number}/?code=…` — the asker's look-up, with the
  same 404 for an unknown number and a wrong code, rate-limited with the lookup page.
"""

import datetime

from django.core.paginator import Paginator
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from portal.api import ErrorOut
from portal.ratelimits import ALL_METHODS, ratelimit
from services_catalog.inbox import consultations

router = Router(tags=["咨询"])

NOT_FOUND = "咨询编号或查询码不正确。"


class QuestionOut(Schema):
    id: int = Field(description="问答编号，网页为 /banjian/zixun/wenda/{id}/")
    department: str = Field(description="部门")
    department_code: str = Field(description="部门代码")
    item: str = Field(description="咨询事项（部门一般问题为空）")
    item_code: str = Field(description="事项编码")
    question: str = Field(description="问题（已去除个人信息）")
    answer: str = Field(description="答复（已去除个人信息）")
    asked_on: datetime.date = Field(description="咨询日期")
    answered_at: datetime.datetime = Field(description="答复时间")


class QuestionListIn(Schema):
    q: str = Field("", max_length=50, description="关键词，多个词以空格分隔")
    department: str = Field("", max_length=10, description="部门代码，如 SJ")
    item: str = Field("", max_length=40, description="事项编码")
    page: int = Field(1, ge=1, le=1000, description="页码")
    page_size: int = Field(20, ge=1, le=100, description="每页条数")


class QuestionListOut(Schema):
    total: int = Field(description="问答总数")
    page: int = Field(description="页码")
    pages: int = Field(description="总页数")
    results: list[QuestionOut] = Field(description="本页问答，最新答复在前")


class ConsultationOut(Schema):
    tracking_number: str = Field(description="咨询编号")
    department: str = Field(description="咨询部门")
    item: str = Field(description="咨询事项")
    item_code: str = Field(description="事项编码")
    channel_label: str = Field(description="咨询方式")
    state: str = Field(
        description=(
            "状态代码：submitted 待答复 / forwarded 已转处室办理 / answered 已答复"
        )
    )
    state_label: str = Field(description="状态")
    question: str = Field(description="咨询内容")
    asked_at: datetime.datetime = Field(description="咨询时间")
    due_date: datetime.date = Field(description="答复期限（按工作日计算）")
    due_date_confirmed: bool = Field(
        description="答复期限是否按已公布的节假日安排计算；false 为估算"
    )
    clock_status: str | None = Field(
        description="答复时限状态代码（答复前）：on_track 正常 / due_soon 即将到期 / "
        "overdue 已超期"
    )
    clock_label: str = Field(description="答复时限状态")
    days_left: int | None = Field(description="剩余工作日（逾期为负数）")
    forwarded_to: str = Field(description="转办处室（答复前）")
    answer: str = Field(description="答复内容")
    answered_at: datetime.datetime | None = Field(description="答复时间")
    public: bool = Field(description="答复是否已公开")


@router.get(
    "/",
    response={200: QuestionListOut, 422: ErrorOut, 429: ErrorOut},
    summary="公开的咨询问答",
    description=(
        "已公开的咨询问答（已去除个人信息），可按关键词、部门和事项筛选、分页"
        "（page、page_size）。参数有误时返回 422 和中文说明。"
    ),
)
@ratelimit("consultation_list", method=ALL_METHODS)
def question_list(request, filters: Query[QuestionListIn]):
    from disclosure.models import DepartmentPage
    from services_catalog.models import ServiceItemPage

    department = (
        DepartmentPage.objects.live().filter(code=filters.department).first()
        if filters.department
        else None
    )
    item = (
        ServiceItemPage.objects.live().filter(code=filters.item).first()
        if filters.item
        else None
    )
    if (filters.department and department is None) or (filters.item and not item):
        return {"total": 0, "page": filters.page, "pages": 0, "results": []}
    found = consultations.published(department=department, item=item, query=filters.q)
    paginator = Paginator(found, filters.page_size)
    page = paginator.get_page(filters.page)
    return {
        "total": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages if paginator.count else 0,
        "results": [consultations.public_view(c) for c in page.object_list],
    }


@router.get(
    "/{tracking_number}/",
    response={200: ConsultationOut, 404: ErrorOut, 429: ErrorOut},
    summary="凭咨询编号和查询码查询咨询答复",
    description=(
        "返回咨询的状态、答复期限和答复。咨询编号不存在与查询码错误返回相同的 404；"
        "查询过于频繁返回 429。"
    ),
)
@ratelimit("lookup", method=ALL_METHODS)
def consultation_lookup(request, tracking_number: str, code: str = ""):
    consultation = consultations.find_consultation(tracking_number, code)
    if consultation is None:
        raise HttpError(404, NOT_FOUND)
    return consultations.asker_view(consultation)
