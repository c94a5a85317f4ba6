"""`GET /api/v1/roster/?start=&end=`: the published duty roster (DESIGN §9).

Mounted in `portal.api`. Only entries of published rosters are listed; dates are
Beijing dates and the times of each slot are Beijing times.
"""

import datetime

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import model_validator

from portal.api import CalendarDate, ErrorOut
from reception.models.roster import SLOT_HOURS, RosterEntry

MAX_RANGE_DAYS = 366
DEFAULT_RANGE_DAYS = 13

router = Router(tags=["领导接访"])


class RosterQuery(Schema):
    start: CalendarDate | None = Field(
        None, description="开始日期，YYYY-MM-DD；默认今天。"
    )
    end: CalendarDate | None = Field(
        None,
        description=f"结束日期（含），YYYY-MM-DD，不早于开始日期；默认开始日期后 "
        f"{DEFAULT_RANGE_DAYS} 天，最多查询 {MAX_RANGE_DAYS} 天。",
    )
    department: str | None = Field(
        None, description="部门代码，如 SJ；不填则列出所有部门。"
    )

    @model_validator(mode="after")
    def _range(self):
        """Fill in the defaults and refuse a range the roster does not answer."""
        self.start = self.start or timezone.localdate()
        self.end = self.end or self.start + datetime.timedelta(days=DEFAULT_RANGE_DAYS)
        if self.end < self.start:
            raise ValueError("结束日期不能早于开始日期（默认今天）")
        if (self.end - self.start).days >= MAX_RANGE_DAYS:
            raise ValueError(f"查询范围最多 {MAX_RANGE_DAYS} 天")
        return self


class DepartmentOut(Schema):
    code: str = Field(description="部门代码")
    name: str = Field(description="部门名称")


class LeaderOut(Schema):
    name: str = Field(description="姓名")
    title: str = Field(description="职务")


class RosterEntryOut(Schema):
    date: datetime.date = Field(description="日期")
    slot: str = Field(description="时段：morning 上午、afternoon 下午、full_day 全天")
    slot_label: str = Field(description="时段名称")
    # RFC 3339 full-time (the `time` format): Django's JSON encoder refuses times
    # with an offset, so they are written here.
    start_time: str = Field(
        description="开始时间，北京时间，带时区，如 08:30:00+08:00",
        json_schema_extra={"format": "time"},
    )
    end_time: str = Field(
        description="结束时间，北京时间，带时区，如 11:30:00+08:00",
        json_schema_extra={"format": "time"},
    )
    department: DepartmentOut
    leader: LeaderOut
    location: str = Field(description="接访地点")
    scope: str = Field(description="接访范围")


class RosterOut(Schema):
    start: datetime.date
    end: datetime.date
    entries: list[RosterEntryOut]


def _local_time(day, time):
    """`time` on `day` in the site's zone, with its UTC offset (RFC 3339 full-time,
    the `time` format the document declares)."""
    moment = timezone.make_aware(datetime.datetime.combine(day, time))
    return time.replace(tzinfo=datetime.timezone(moment.utcoffset())).isoformat()


def _entry_out(entry):
    start_time, end_time = (
        _local_time(entry.date, time) for time in SLOT_HOURS[entry.slot]
    )
    department = entry.period.department
    return {
        "date": entry.date,
        "slot": entry.slot,
        "slot_label": str(entry.get_slot_display()),
        "start_time": start_time,
        "end_time": end_time,
        "department": {"code": department.code, "name": department.title},
        "leader": {"name": entry.leader.name, "title": entry.leader.title},
        "location": entry.location,
        "scope": entry.scope,
    }


@router.get(
    "/",
    response={200: RosterOut, 404: ErrorOut, 422: ErrorOut},
    summary="领导接访值班表",
    description=(
        "列出开始日期至结束日期（含）已发布的领导接访值班安排，按日期和时段排序。"
        "日期有误、结束日期早于开始日期或范围超过 366 天时返回 422，"
        "部门代码不存在时返回 404，均附中文说明 detail。"
    ),
)
def roster(request, query: Query[RosterQuery]):
    from disclosure.models import DepartmentPage

    start, end = query.start, query.end
    entries = RosterEntry.objects.published().between(start, end)
    if query.department:
        department = (
            DepartmentPage.objects.live().filter(code=query.department.upper()).first()
        )
        if department is None:
            raise HttpError(404, f"没有代码为 {query.department} 的部门。")
        entries = entries.of_department(department)
    else:
        entries = entries.filter(period__department__live=True)
    return {
        "start": start,
        "end": end,
        "entries": [_entry_out(entry) for entry in entries.in_display_order()],
    }
