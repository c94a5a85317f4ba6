"""The public JSON API under /api/v1/ (django-ninja); each app adds its router here."""

import datetime
import functools
import re
from typing import Annotated

from django_ratelimit.exceptions import Ratelimited
from ninja import Field, NinjaAPI, Query, Router, Schema, Swagger
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser
from pydantic import BeforeValidator

from portal.workdays import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_WORKDAYS,
    WorkdayError,
    add_workdays,
)


class PortalAPI(NinjaAPI):
    """The API whose document also states the rules every request meets before any
    operation sees it, else 400 with ``detail``: no control character in the path
    or the query (`portal.middleware.RejectControlCharactersMiddleware`), and no
    parameter of one value given more than once (`SingleValueParser`)."""

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for parameter in operation.get("parameters", ()):
                    _refuse_control_characters(
                        parameter["schema"],
                        PATH_TEXT_PATTERN
                        if parameter["in"] == "path"
                        else QUERY_TEXT_PATTERN,
                    )
                operation["responses"].setdefault("400", REFUSED_REQUEST_RESPONSE)
        schema["components"]["schemas"].setdefault(
            "ErrorOut", ErrorOut.model_json_schema()
        )
        return schema


# What the middleware lets through: no C0 control character or DEL in a path;
# tab, CR and LF are allowed in query values.
PATH_TEXT_PATTERN = r"^[^\u0000-\u001f\u007f]*$"
QUERY_TEXT_PATTERN = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$"
REFUSED_REQUEST_RESPONSE = {
    "description": (
        "请求的路径或参数不合规则：含有控制字符，或只能有一个值的参数给出了多次"
    ),
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}
    },
}


def _refuse_control_characters(schema, pattern):
    """Give a free-text string schema (no pattern, format or list of values) the
    pattern of what the site accepts."""
    for option in schema.get("anyOf", ()):
        _refuse_control_characters(option, pattern)
    if schema.get("type") == "string" and not (
        {"pattern", "format", "enum", "const"} & set(schema)
    ):
        schema["pattern"] = pattern


class SingleValueParser(Parser):
    """Refuse a query parameter of one value given more than once (`?type=a&type=b`)
    instead of silently keeping the last: the document declares it a single value,
    and a client that sends two meant something the answer would not show."""

    def parse_querydict(self, data, list_fields, request):
        repeated = [
            key for key in data if key not in list_fields and len(data.getlist(key)) > 1
        ]
        if repeated:
            raise HttpError(400, f"参数 {'、'.join(repeated)} 只能给出一次。")
        return super().parse_querydict(data, list_fields, request)


api = PortalAPI(
    title="Chuangkou API",
    version="1.0",
    description="窗口办公政务公开平台开放接口",
    urls_namespace="api-v1",
    parser=SingleValueParser(),
    # No validator badge: it would send the document to validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
)


def allow_any_origin(run):
    """Let pages on any site read GET responses (open data; no credentials): a
    router's decorator, ``router.add_decorator(allow_any_origin, mode="view")``."""

    @functools.wraps(run)
    def wrapper(request, *args, **kwargs):
        response = run(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


class ErrorOut(Schema):
    """What every refused request gets: one message in Chinese."""

    detail: str = Field(description="错误说明")


# pydantic's error types, as a user reads them; the rest fall back to "取值无效".
_ERROR_MESSAGES = {
    "missing": "缺少此参数",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "date_parsing": "应为 YYYY-MM-DD 格式的有效日期",
    "date_from_datetime_parsing": "应为 YYYY-MM-DD 格式的有效日期",
    "date_from_datetime_inexact": "应为 YYYY-MM-DD 格式的有效日期",
    "date_type": "应为 YYYY-MM-DD 格式的有效日期",
    "datetime_parsing": "应为有效的日期时间",
    "datetime_from_date_parsing": "应为有效的日期时间",
    "datetime_type": "应为有效的日期时间",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "string_pattern_mismatch": "格式不正确",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "enum": "应为以下之一：{expected}",
    "literal_error": "应为以下之一：{expected}",
    "json_invalid": "不是有效的 JSON",
    "model_attributes_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "list_type": "应为列表",
    "value_error": "{error}",
    "assertion_error": "{error}",
}


def describe_validation_error(error):
    """One pydantic error (as ninja reports it) as `字段：说明` in Chinese."""
    template = _ERROR_MESSAGES.get(error.get("type"), "取值无效")
    try:
        message = template.format(**error.get("ctx", {}))
    except (KeyError, IndexError):
        message = "取值无效"
    # The first element says where the field was (query, path, body…).
    field = ".".join(str(part) for part in error.get("loc", ())[1:])
    return f"{field}：{message}" if field else message


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    """Refuse invalid input with the list of what is wrong, in Chinese."""
    problems = "；".join(describe_validation_error(error) for error in exc.errors)
    return api.create_response(
        request, {"detail": f"请求参数有误：{problems}。"}, status=422
    )


@api.exception_handler(Ratelimited)
def rate_limited(request, exc):
    """An operation decorated with `portal.ratelimits.ratelimit` over its limit."""
    return api.create_response(
        request, {"detail": "请求过于频繁，请稍后再试。"}, status=429
    )


# Dates in query strings

FIRST_DAY = datetime.date(FIRST_YEAR, 1, 1)
LAST_DAY = datetime.date(LAST_YEAR, 12, 31)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The years FIRST_YEAR to LAST_YEAR (1990–2100) as a pattern, so that the OpenAPI
# document states the range in a form clients and generators check.
CALENDAR_DATE_PATTERN = r"^(199\d|20\d\d|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"


def _iso_date(value):
    """Only the declared YYYY-MM-DD: pydantic would also read a number as a Unix
    time (``start=0`` as 1970-01-01) and Python a compact ``20261101``, which the
    document does not promise."""
    if value is None or isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            if FIRST_DAY <= value <= LAST_DAY:
                return value
            raise ValueError(
                f"日期应在 {FIRST_DAY:%Y-%m-%d} 至 {LAST_DAY:%Y-%m-%d} 之间"
            )
    raise ValueError("应为 YYYY-MM-DD 格式的有效日期")


CalendarDate = Annotated[
    datetime.date,
    BeforeValidator(_iso_date),
    Field(json_schema_extra={"pattern": CALENDAR_DATE_PATTERN}),
]
"""A date parameter: YYYY-MM-DD, in the calendar's years (1990 to 2100); anything
else is refused with 422 and a Chinese message."""


# 工作日历 (DESIGN §8)

workdays_router = Router(tags=["工作日历"])


class WorkdayAddQuery(Schema):
    start: CalendarDate = Field(
        description=(
            f"开始日期，YYYY-MM-DD（如受理日），{FIRST_DAY:%Y-%m-%d} 至 "
            f"{LAST_DAY:%Y-%m-%d}；当天不计入。"
        )
    )
    days: int = Field(
        ge=0, le=MAX_WORKDAYS, description=f"工作日天数，0 至 {MAX_WORKDAYS}。"
    )


class WorkdayAddOut(Schema):
    start: datetime.date = Field(description="开始日期")
    days: int = Field(description="工作日天数")
    due: datetime.date = Field(description="到期日：开始日期之后的第 N 个工作日")
    confirmed: bool = Field(
        description="所跨年份的节假日安排是否均已公布并核对；为 false 时结果为估算。"
    )


@workdays_router.get(
    "/add",
    response={200: WorkdayAddOut, 422: ErrorOut},
    summary="计算 N 个工作日后的到期日",
    description=(
        "从开始日期的次日起计算，返回第 N 个工作日（N 为 0 时即开始日期）。"
        "周末与法定节假日不计，调休上班日计入；以国务院办公厅公布的节假日安排为准，"
        "尚未公布或尚未核对的年份按规则估算，此时 confirmed 为 false。"
        f"工作日历覆盖 {FIRST_YEAR} 年至 {LAST_YEAR} 年：参数有误、开始日期或"
        "到期日超出这一范围时返回 422，附中文说明 detail。"
    ),
)
def add_workdays_view(request, query: Query[WorkdayAddQuery]):
    try:
        deadline = add_workdays(query.start, query.days)
    except WorkdayError as exc:
        raise HttpError(422, str(exc)) from None
    return {
        "start": query.start,
        "days": query.days,
        "due": deadline.due,
        "confirmed": deadline.confirmed,
    }


api.add_router("/workdays/", workdays_router)
api.add_router("/items/", "services_catalog.api.items_router")
api.add_router("/filings/", "services_catalog.inbox.api.router")
api.add_router("/consultations/", "services_catalog.inbox.consultation_api.router")
api.add_router("/search/", "search.api.router")
api.add_router("/roster/", "reception.api.router")
api.add_router("/ratings/", "services_catalog.inbox.statistics_api.ratings_router")
api.add_router("/notices/", "disclosure.api.notices_router")
api.add_router(
    "/departments/", "services_catalog.inbox.statistics_api.departments_router"
)
