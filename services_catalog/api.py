"""The service catalog's open data: GET /api/v1/items/ and /api/v1/items/{code}/.

Stable English field names (DESIGN §9); only live items. Readable from any origin
(`Access-Control-Allow-Origin: *`). Mounted by `portal.api`. The list runs three queries
whatever the page size (count, page, departments) and the detail a fixed handful.
"""

import datetime

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from disclosure.models import DepartmentPage
from portal.api import ErrorOut, allow_any_origin
from services_catalog.models import Audience, ItemKind, ItemType, ServiceItemPage

MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000  # past it the database offset overflows; no catalog is that long


items_router = Router(tags=["事项目录"])
items_router.add_decorator(allow_any_origin, mode="view")


class CodeNameOut(Schema):
    code: str = Field(description="代码")
    name: str = Field(description="名称")


class CodeLabelOut(Schema):
    code: str = Field(description="英文代码，长期不变")
    label: str = Field(description="中文名称")


class ItemOut(Schema):
    code: str = Field(description="事项编码，全站唯一")
    name: str = Field(description="事项名称")
    department: CodeNameOut | None = Field(description="所属部门")
    type: CodeLabelOut = Field(description="事项类型")
    kind: ItemKind = Field(description="办件类型：immediate 即办件，promised 承诺件")
    audience: list[Audience] = Field(
        description="服务对象：person 自然人，organisation 法人"
    )
    lead_division: CodeNameOut | None = Field(description="牵头处室")
    online: bool = Field(description="是否可网上申请")
    promised_days: int = Field(description="承诺办结时限（工作日，0 为即时办结）")
    statutory_days: int = Field(description="法定办结时限（工作日）")
    url: str = Field(description="办事指南网页地址")
    last_updated: datetime.datetime | None = Field(description="最后发布时间")


class ItemListOut(Schema):
    count: int = Field(description="符合条件的事项总数")
    page: int = Field(description="页码")
    page_size: int = Field(description="每页条数")
    results: list[ItemOut]


class MaterialOut(Schema):
    name: str = Field(description="材料名称")
    required: bool = Field(description="是否必需")
    originals: int = Field(description="原件份数")
    copies: int = Field(description="复印件份数")
    format_notes: str = Field(description="格式要求")
    source: str = Field(description="来源")
    blank_form: str | None = Field(description="空白表格下载地址")
    sample: str | None = Field(description="示范文本下载地址")


class StepOut(Schema):
    name: str = Field(description="环节名称")
    handled_by: CodeLabelOut = Field(
        description="办理人：window 收发文窗口，director 办公室主任，division 承办处室"
    )
    days: int = Field(description="时限（工作日，0 为当场）")
    description: str = Field(description="说明")


class FaqOut(Schema):
    question: str
    answer: str


class ItemDetailOut(ItemOut):
    basis: list[str] = Field(description="设定依据")
    conditions: list[str] = Field(description="受理条件")
    materials: list[MaterialOut] = Field(description="申请材料")
    steps: list[StepOut] = Field(description="办理流程")
    special_procedures: list[str] = Field(description="特别程序（不计入办结时限）")
    fee: str = Field(description="收费标准及依据")
    result: str = Field(description="办理结果")
    result_delivery: str = Field(description="结果送达方式")
    location: str = Field(description="办理地点（未填时为部门窗口地址）")
    hours: str = Field(description="办理时间（未填时为部门办公时间）")
    phone: str = Field(description="咨询电话（未填时为部门咨询电话）")
    complaint_channel: str = Field(description="投诉渠道（未填时为部门投诉渠道）")
    visits: int = Field(description="跑动次数")
    faqs: list[FaqOut] = Field(description="常见问题")
    co_divisions: list[CodeNameOut] = Field(description="协办处室")


class ItemListQuery(Schema):
    page: int = Field(
        1, ge=1, le=MAX_PAGE, description=f"页码，从 1 开始，最大 {MAX_PAGE}"
    )
    page_size: int = Field(
        20, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，最多 {MAX_PAGE_SIZE}"
    )
    department: str | None = Field(None, description="部门代码，如 SJ")
    type: ItemType | None = Field(None, description="事项类型的英文代码")
    audience: Audience | None = Field(None, description="服务对象的英文代码")
    online: bool | None = Field(None, description="是否可网上申请")


def _code_name(page):
    return {"code": page.code, "name": page.title} if page is not None else None


def item_summary(item, request):
    return {
        "code": item.code,
        "name": item.title,
        "department": _code_name(item.department),
        "type": {"code": item.item_type, "label": item.get_item_type_display()},
        "kind": item.kind,
        "audience": [code for code in item.audience if code in Audience.values],
        "lead_division": _code_name(item.lead_division),
        "online": item.online,
        "promised_days": item.promised_days,
        "statutory_days": item.statutory_days,
        "url": item.get_full_url(request),
        "last_updated": item.last_published_at,
    }


def _document_url(document, request):
    return request.build_absolute_uri(document.url) if document is not None else None


def item_detail(item, request):
    return {
        **item_summary(item, request),
        "basis": [block.value for block in item.basis],
        "conditions": [block.value for block in item.conditions],
        "materials": [
            {
                "name": material.name,
                "required": material.required,
                "originals": material.originals,
                "copies": material.copies,
                "format_notes": material.format_notes,
                "source": material.source,
                "blank_form": _document_url(material.blank_form, request),
                "sample": _document_url(material.sample, request),
            }
            for material in item.guide_materials()
        ],
        "steps": [
            {
                "name": step.name,
                "handled_by": {
                    "code": step.handled_by,
                    "label": step.get_handled_by_display(),
                },
                "days": step.days,
                "description": step.description,
            }
            for step in item.steps.all()
        ],
        "special_procedures": [block.value for block in item.special_procedures],
        "fee": item.fee,
        "result": item.result,
        "result_delivery": item.result_delivery,
        "location": item.contact_location,
        "hours": item.contact_hours,
        "phone": item.contact_phone,
        "complaint_channel": item.contact_complaint_channel,
        "visits": item.visits,
        "faqs": [
            {"question": block.value["question"], "answer": block.value["answer"]}
            for block in item.faqs
        ],
        "co_divisions": [_code_name(d) for d in item.guide_co_divisions()],
    }


@items_router.get(
    "/",
    response={200: ItemListOut, 422: ErrorOut},
    summary="服务事项列表",
    description=(
        "已发布的服务事项，按事项编码排序、分页。可按部门代码、事项类型、服务对象和"
        "是否可网上申请筛选；未知的部门代码返回空列表。参数有误时返回 422 和中文说明。"
        "任何来源的网页均可读取（Access-Control-Allow-Origin: *）。"
    ),
)
def list_items(request, query: Query[ItemListQuery]):
    items = ServiceItemPage.objects.live()
    if query.department is not None:
        department = DepartmentPage.objects.filter(code=query.department).first()
        items = items.in_department(department) if department else items.none()
    if query.type is not None:
        items = items.filter(item_type=query.type)
    if query.audience is not None:
        items = items.with_audience(query.audience)
    if query.online is not None:
        items = items.filter(online=query.online)
    count = items.count()
    start = (query.page - 1) * query.page_size
    page = items.select_related("lead_division").order_by("code")[
        start : start + query.page_size
    ]
    return {
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "results": [
            item_summary(item, request)
            for item in ServiceItemPage.attach_departments(page)
        ],
    }


@items_router.get(
    "/{code}/",
    response={200: ItemDetailOut, 404: ErrorOut},
    summary="服务事项办事指南",
    description=(
        "一个已发布事项的完整办事指南：设定依据、受理条件、申请材料、办理流程、"
        "时限、收费、办理结果、地点与咨询投诉、常见问题。未知编码返回 404。"
    ),
)
def get_item(request, code: str):
    item = (
        ServiceItemPage.objects.live()
        .select_related("lead_division")
        .filter(code=code)
        .first()
    )
    if item is None:
        raise HttpError(404, f"没有编码为 {code} 的已发布事项。")
    return item_detail(item, request)
