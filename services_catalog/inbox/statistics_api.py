"""Open data of the window's service: `GET /api/v1/ratings/?department=CODE` (the
public monthly rating statistics, `rating_stats`) and `GET /api/v1/departments/`
(every department side by side for a month, the public version of the provincial
office's overview, `overview`). Readable from any origin, no case-level data.
Mounted by `portal.api`."""

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from portal.api import ErrorOut, allow_any_origin
from services_catalog.api import CodeNameOut
from services_catalog.inbox import overview, rating_stats
from services_catalog.inbox.models import BAD_SCORE
from services_catalog.inbox.rating_views import department_by_code, item_of

ratings_router = Router(tags=["好差评"])
ratings_router.add_decorator(allow_any_origin, mode="view")
departments_router = Router(tags=["部门总览"])
departments_router.add_decorator(allow_any_origin, mode="view")


class RatingMonthOut(Schema):
    month: str = Field(description="月份，YYYY-MM")
    count: int = Field(description="评价数")
    average: float | None = Field(description="平均分（1 至 5，无评价时为 null）")
    bad: int = Field(description=f"差评数（{BAD_SCORE} 分及以下）")
    followed_up: int = Field(description="差评中已回访整改并答复申请人的件数")
    grades: dict[str, int] = Field(description="各等级件数，键为分数 5、4、3、2、1")


class RatingsOut(Schema):
    department: CodeNameOut = Field(description="部门")
    item: CodeNameOut | None = Field(description="事项（按事项统计时）")
    months: list[RatingMonthOut] = Field(description="最近 12 个月，由远及近")


class RatingsQuery(Schema):
    department: str = Field(description="部门代码，如 SJ")
    item: str | None = Field(None, description="事项编码；不填时统计全部门")


def month_out(month):
    return {
        "month": month.label,
        "count": month.count,
        "average": month.average,
        "bad": month.bad,
        "followed_up": month.followed_up,
        "grades": {str(grade): n for grade, n in month.grades.items()},
    }


@ratings_router.get(
    "/",
    response={200: RatingsOut, 404: ErrorOut, 422: ErrorOut},
    url_name="list_ratings",
    summary="好差评月度统计",
    description=(
        "一个部门（或其一个事项）最近 12 个月的服务评价：每月评价数、平均分、"
        "各等级件数、差评数（1 至 2 分）和差评已整改数。未知的部门代码或事项编码"
        "返回 404。不含任何办件或申请人信息。"
    ),
)
def list_ratings(request, query: Query[RatingsQuery]):
    try:
        department = department_by_code(query.department)
        item = item_of(department, query.item) if query.item else None
    except Http404 as error:
        raise HttpError(404, str(error)) from None
    months = rating_stats.monthly(
        rating_stats.ratings_of(department, item), timezone.localdate()
    )
    return {
        "department": {"code": department.code, "name": department.title},
        "item": {"code": item.code, "name": item.title} if item else None,
        "months": [month_out(month) for month in months],
    }


class DepartmentFiguresOut(Schema):
    code: str = Field(description="部门代码")
    name: str = Field(description="部门名称")
    month: str = Field(description="月份，YYYY-MM")
    measures_published: bool = Field(description="是否已公布实施办法")
    commitments_published: bool = Field(description="是否已公布服务承诺")
    items: int = Field(description="已发布的服务事项数")
    completed: int = Field(description="当月办结件数")
    on_time_rate: float | None = Field(
        description="当月按期办结率（%，无办结件时为 null）"
    )
    average_handling_days: float | None = Field(
        description="当月平均办理用时（工作日）"
    )
    overdue: int = Field(description="当前在办且已超过承诺办结日期的件数")
    complaints: int = Field(description="当月收到的投诉件数")
    ratings: int = Field(description="当月评价数")
    rating_average: float | None = Field(description="当月评价平均分（1 至 5）")
    bad_ratings: int = Field(description=f"当月差评数（{BAD_SCORE} 分及以下）")
    follow_up_rate: float | None = Field(
        description="当月差评中已整改并答复申请人的比例（%，无差评时为 null）"
    )


class DepartmentsOut(Schema):
    month: str = Field(description="月份，YYYY-MM")
    months: list[str] = Field(description="可查询的月份，由近及远")
    departments: list[DepartmentFiguresOut]


class DepartmentsQuery(Schema):
    month: str | None = Field(
        None,
        pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
        description="月份，YYYY-MM，最近 12 个月之一；不填为本月",
    )


@departments_router.get(
    "/",
    response={200: DepartmentsOut, 422: ErrorOut},
    url_name="list_departments",
    summary="各部门总览",
    description=(
        "省政府办公厅总览的公众版本：每个部门是否已公布实施办法和服务承诺、事项数，"
        "以及所选月份的办结件数、按期办结率、平均办理用时、投诉件数、评价平均分和"
        "差评整改率，当前超期件数。只有统计数字，不含任何办件。不在最近 12 个月内"
        "的月份按本月处理。"
    ),
)
def list_departments(request, query: Query[DepartmentsQuery]):
    today = timezone.localdate()
    month = overview.parse_month(query.month, today)
    return {
        "month": f"{month:%Y-%m}",
        "months": [f"{m:%Y-%m}" for m in overview.months_offered(today)],
        "departments": [row.as_dict() for row in overview.overview(month, today)],
    }
