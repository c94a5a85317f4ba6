"""XLSX exports of the filing inbox (openpyxl): the filings of a list with its
filters, and a department's monthly statistics workbook."""

import io

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth
from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from services_catalog.inbox import clock
from services_catalog.inbox.models import OPEN_STATES, Filing, Rating

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FILING_COLUMNS = [
    "受理编号",
    "事项",
    "申请人",
    "状态",
    "牵头处室",
    "受理日期",
    "承诺办结日期",
    "剩余工作日",
    "时限状态",
    "办结日期",
    "办理用时(工作日)",
    "按期办结",
    "办理决定",
    "发文字号",
]


def _sheet(workbook, title, header):
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return sheet


def filings_workbook(filings, today):
    """One row per filing of `filings` (a queryset with the list's filters)."""
    workbook = Workbook(write_only=False)
    workbook.remove(workbook.active)
    sheet = _sheet(workbook, "办件", FILING_COLUMNS)
    for filing in filings.select_related("item", "lead_division").iterator(
        chunk_size=2000
    ):
        status = clock.status_of(filing, today)
        sheet.append(
            [
                filing.tracking_number,
                filing.item.title,
                filing.applicant_name,
                str(filing.get_state_display()),
                filing.lead_division.title if filing.lead_division_id else "",
                filing.accepted_on,
                filing.promised_due_date,
                status[1] if status else None,
                clock.LABELS[status[0]] if status else "",
                filing.completed_on,
                filing.handling_workdays,
                {True: "是", False: "否"}.get(filing.completed_on_time, ""),
                str(filing.get_decision_display()) if filing.decision else "",
                filing.outgoing_number,
            ]
        )
    return workbook


def statistics_workbook(department, today):
    """The department's statistics per month and division: received, accepted,
    completed, on time, average handling days, ratings; and open filings now."""
    from disclosure.models import DivisionPage

    filings = Filing.objects.filter(department=department)
    names = dict(DivisionPage.objects.child_of(department).values_list("pk", "title"))
    workbook = Workbook()
    workbook.remove(workbook.active)
    monthly = _sheet(
        workbook,
        "月度统计",
        [
            "月份",
            "牵头处室",
            "办结件数",
            "按期办结",
            "按期办结率",
            "平均办理用时(工作日)",
        ],
    )
    for row in (
        filings.filter(completed_on__isnull=False)
        .annotate(month=TruncMonth("completed_on"))
        .values("month", "lead_division")
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=Q(completed_on_time=True)),
            days=Avg("handling_workdays"),
        )
        .order_by("month", "lead_division")
    ):
        monthly.append(
            [
                f"{row['month']:%Y-%m}",
                names.get(row["lead_division"], ""),
                row["total"],
                row["on_time"],
                round(row["on_time"] / row["total"], 4) if row["total"] else None,
                round(row["days"], 1) if row["days"] is not None else None,
            ]
        )
    received = _sheet(
        workbook, "收件统计", ["月份", "收件", "受理", "不予受理", "撤回"]
    )
    for row in (
        filings.annotate(month=TruncMonth("submitted_at"))
        .values("month")
        .annotate(
            total=Count("pk"),
            accepted=Count("pk", filter=Q(accepted_on__isnull=False)),
            refused=Count("pk", filter=Q(state="refused")),
            withdrawn=Count("pk", filter=Q(state="withdrawn")),
        )
        .order_by("month")
    ):
        received.append(
            [
                f"{row['month']:%Y-%m}",
                row["total"],
                row["accepted"],
                row["refused"],
                row["withdrawn"],
            ]
        )
    current = _sheet(
        workbook,
        f"在办情况 {today:%Y-%m-%d}",
        ["牵头处室", "在办", "即将到期", "已超期", "评价数", "平均评分"],
    )
    ratings = {
        row["filing__lead_division"]: row
        for row in Rating.objects.filter(filing__department=department)
        .values("filing__lead_division")
        .annotate(count=Count("pk"), average=Avg("score"))
    }
    for row in (
        filings.filter(state__in=OPEN_STATES)
        .values("lead_division")
        .annotate(
            open=Count("pk"),
            due_soon=Count("pk", filter=clock.due_soon_q(today)),
            overdue=Count("pk", filter=clock.overdue_q(today)),
        )
        .order_by("lead_division")
    ):
        rating = ratings.get(row["lead_division"], {})
        current.append(
            [
                names.get(row["lead_division"], "(未批办)"),
                row["open"],
                row["due_soon"],
                row["overdue"],
                rating.get("count", 0),
                round(rating["average"], 2) if rating.get("average") else None,
            ]
        )
    return workbook


def xlsx_response(workbook, filename):
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
