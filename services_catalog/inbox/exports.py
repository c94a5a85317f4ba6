"""XLSX exports of the filing inbox (openpyxl): a department's monthly statistics
workbook. (The case list exports through its viewset, `case_admin`.)"""

import io

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from services_catalog.inbox import clock
from services_catalog.inbox.models import OPEN_STATES, Filing, Rating

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def new_sheet(workbook, title, header):
    """A sheet with a bold, frozen header row."""
    sheet = workbook.create_sheet(str(title))
    sheet.append([str(name) for name in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return sheet


def statistics_workbook(department, today):
    """The department's statistics per month and division: received, accepted,
    completed, on time, average handling days, ratings; and open filings now."""
    from disclosure.models import DivisionPage

    filings = Filing.objects.filter(department=department)
    names = dict(DivisionPage.objects.child_of(department).values_list("pk", "title"))
    workbook = Workbook()
    workbook.remove(workbook.active)
    monthly = new_sheet(
        workbook,
        _("月度统计"),
        [
            _("月份"),
            _("牵头处室"),
            _("办结件数"),
            _("按期办结"),
            _("按期办结率"),
            _("平均办理用时（工作日）"),
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
    received = new_sheet(
        workbook,
        _("收件统计"),
        [_("月份"), _("收件"), _("受理"), _("不予受理"), _("撤回")],
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
    current = new_sheet(
        workbook,
        _("在办情况 %(date)s") % {"date": f"{today:%Y-%m-%d}"},
        [
            _("牵头处室"),
            _("在办"),
            _("即将到期"),
            _("已超期"),
            _("评价数"),
            _("平均评分"),
        ],
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
                names.get(row["lead_division"], _("（未批办）")),
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
