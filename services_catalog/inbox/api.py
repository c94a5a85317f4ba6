"""`GET /api/v1/filings/{tracking_number}/?code=…`: the applicant's lookup as JSON.

The same 404 answer for an unknown number and a wrong code; rate-limited per address
with the lookup page (`RATELIMITS["lookup"]`)."""

import datetime

from ninja import Field, Router, Schema
from ninja.errors import HttpError

from portal.api import ErrorOut
from portal.ratelimits import ALL_METHODS, ratelimit
from services_catalog.inbox.codes import find_filing
from services_catalog.inbox.lookup import applicant_view

router = Router(tags=["办件查询"])

NOT_FOUND = "受理编号或查询码不正确。"


class EventOut(Schema):
    at: datetime.datetime = Field(description="时间")
    action: str = Field(description="操作代码")
    action_label: str = Field(description="操作")
    state_label: str = Field(description="操作后的状态")
    comment: str = Field(description="说明")


class NoticeOut(Schema):
    created_at: datetime.datetime = Field(description="告知时间")
    items: list[dict] = Field(description="需补正的材料：name, status, note")
    note: str = Field(description="补充说明")


class AppointmentOut(Schema):
    kind: str = Field(description="类型代码：meeting 约见 / inspection 现场勘查")
    kind_label: str = Field(description="类型")
    starts_at: datetime.datetime = Field(description="时间")
    place: str = Field(description="地点")
    purpose: str = Field(description="事由")


class ClockOut(Schema):
    clock: str = Field(
        description=(
            "正在计算的期限代码：pre_review 预审期限（收到材料后 5 个工作日）/ "
            "handling 办结期限 / issue 送达期限（准予决定后 10 个工作日）"
        )
    )
    clock_label: str = Field(description="正在计算的期限")
    status: str = Field(
        description=(
            "时限状态代码：on_track 正常 / due_soon 即将到期 / overdue 已超期 / "
            "paused 暂停计时"
        )
    )
    label: str = Field(description="时限状态")
    days_left: int | None = Field(description="剩余工作日（逾期为负数）")


class ProcedureOut(Schema):
    kind: str = Field(
        description=(
            "特别程序代码：hearing 听证 / tender 招标 / auction 拍卖 / "
            "examination 检验 / testing 检测 / quarantine 检疫 / appraisal 鉴定 / "
            "expert_review 专家评审"
        )
    )
    kind_label: str = Field(description="特别程序")
    reason: str = Field(description="事由")
    expected_days: int = Field(description="预计所需工作日（不计入办理期限）")
    expected_end: datetime.date = Field(description="预计结束日期")


class FilingOut(Schema):
    tracking_number: str = Field(description="受理编号")
    item: str = Field(description="办理事项")
    item_code: str = Field(description="事项编码")
    department: str = Field(description="受理部门")
    state: str = Field(description="状态代码")
    state_label: str = Field(description="状态")
    explanation: str = Field(description="状态说明")
    next_steps: str = Field(description="申请人下一步可以做什么")
    submitted_at: datetime.datetime = Field(description="提交时间")
    received_on: datetime.date | None = Field(
        description="收到申请材料（或补正材料）的日期；预审期限从此日起算"
    )
    pre_review_due: datetime.date | None = Field(
        description=(
            "预审期限（待预审时才有）：窗口须在此日前受理、不予受理或一次性告知补正，"
            "逾期未告知的自收到材料之日起视为受理"
        )
    )
    deemed_accepted: bool = Field(
        description="是否因预审逾期未告知而视为受理（行政许可法第三十二条）"
    )
    accepted_on: datetime.date | None = Field(
        description="受理日期；视为受理的为收到申请材料之日"
    )
    promised_due: datetime.date | None = Field(description="承诺办结日期（受理后才有）")
    promised_due_date: datetime.date | None = Field(
        description="同 promised_due（旧名，保留给已接入的客户端）", deprecated=True
    )
    statutory_due: datetime.date | None = Field(
        description="法定办结日期（已含批准延长的期限；特别程序期间为空）"
    )
    extended_days: int = Field(
        description="经批准延长的办理期限（工作日），未延长为 0（行政许可法第四十二条）"
    )
    extension_reason: str = Field(description="延长办理期限的理由")
    special_procedure: ProcedureOut | None = Field(
        description="正在进行的特别程序及预计所需时间（行政许可法第四十五条）"
    )
    issue_due: datetime.date | None = Field(
        description=(
            "颁发、送达期限（准予决定作出后、发文前才有）：决定之日起 10 个工作日"
            "（行政许可法第四十四条）"
        )
    )
    due_date_confirmed: bool = Field(
        description="到期日是否按已公布的节假日安排计算；false 为估算"
    )
    can_supplement: bool = Field(description="是否需要并可以补正材料")
    can_withdraw: bool = Field(description="是否可以撤回")
    notice: NoticeOut | None = Field(description="当前的一次性告知书")
    clock: ClockOut | None = Field(description="办理时限（受理后、办结前）")
    decision: str = Field(description="办理结果：准予 / 不予（办结后）")
    decision_reason: str = Field(description="不予许可等决定的理由")
    outgoing_number: str = Field(
        description="发文字号，由发文登记簿在发文时编号，如 吉市监许〔2026〕18号"
    )
    delivery: str = Field(description="结果送达方式")
    mail_carrier: str = Field(description="邮寄承运单位")
    mail_tracking_number: str = Field(description="邮件单号")
    can_rate: bool = Field(description="是否可以评价（好差评）")
    appointments: list[AppointmentOut] = Field(description="约见与现场勘查安排")
    timeline: list[EventOut] = Field(description="办理记录")


@router.get(
    "/{tracking_number}/",
    response={200: FilingOut, 404: ErrorOut, 429: ErrorOut},
    summary="凭受理编号和查询码查询办件",
    description=(
        "返回办件状态（中文说明）、受理后的承诺办结日期、办理记录、一次性告知书和下一步"
        "可办理的操作。受理编号不存在与查询码错误返回相同的 404；查询过于频繁返回 429。"
    ),
)
@ratelimit("lookup", method=ALL_METHODS)
def filing_lookup(request, tracking_number: str, code: str = ""):
    filing = find_filing(tracking_number, code)
    if filing is None:
        raise HttpError(404, NOT_FOUND)
    return applicant_view(filing)
