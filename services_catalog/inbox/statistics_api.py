"""Open data of the window's service: `GET /api/v1/ratings/?department=CODE` (the
public monthly rating statistics, `rating_stats`). Readable from any origin, no
case-level data. Mounted by `portal.api`."""

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from portal.api import ErrorOut, allow_any_origin
from services_catalog.api import CodeNameOut
from services_catalog.inbox import rating_stats
from services_catalog.inbox.models import BAD_SCORE
from services_catalog.inbox.rating_views import department_by_code, item_of

ratings_router = Router(tags=["好差评"])
ratings_router.add_decorator(allow_any_origin, mode="view")


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
