"""The public service-rating statistics (好差评公示): a page per department and per
item with the last twelve months as a chart (server-rendered SVG, no script) and a
table, and the same figures as CSV and XLSX downloads (`rating_stats`). Mounted
under /banjian/pingjia/ by `inbox.urls`; only live departments and items."""

import csv

from django.db.models import Avg, Count
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from disclosure.models import DepartmentPage
from services_catalog.inbox import rating_stats
from services_catalog.inbox.exports import new_sheet, xlsx_response
from services_catalog.models import ServiceItemPage

FORMATS = ("csv", "xlsx")


def department_by_code(code):
    department = DepartmentPage.objects.live().filter(code=code).first()
    if department is None:
        raise Http404(_("没有部门代码为 %(code)s 的部门。") % {"code": code})
    return department


def item_of(department, item_code):
    item = (
        ServiceItemPage.objects.live()
        .descendant_of(department)
        .filter(code=item_code)
        .first()
    )
    if item is None:
        raise Http404(_("本部门没有编码为 %(code)s 的事项。") % {"code": item_code})
    return item


def _rated_items(department, today):
    """The department's items rated in the period, with their count and average."""
    months = rating_stats.months_back(today)
    rows = (
        rating_stats.ratings_of(department)
        .filter(created_at__date__gte=months[0])
        .values("filing__item")
        .order_by("filing__item")
        .annotate(count=Count("pk"), average=Avg("score"))
    )
    figures = {row["filing__item"]: row for row in rows}
    items = ServiceItemPage.objects.live().filter(pk__in=figures).order_by("code")
    return [
        {
            "item": item,
            "count": figures[item.pk]["count"],
            "average": figures[item.pk]["average"],
        }
        for item in items
    ]


def _render(request, department, item=None, file_format=None):
    today = timezone.localdate()
    months = rating_stats.monthly(rating_stats.ratings_of(department, item), today)
    if file_format == "csv":
        return _csv(department, item, months)
    if file_format == "xlsx":
        return _xlsx(department, item, months)
    if file_format is not None:
        raise Http404
    return render(
        request,
        "inbox/ratings.html",
        {
            "department": department,
            "item": item,
            "months": months,
            "newest_first": list(reversed(months)),
            "total": rating_stats.totals(months),
            "grades": rating_stats.grade_labels(),
            "chart": rating_stats.chart(months),
            "rated_items": _rated_items(department, today) if item is None else (),
            "today": today,
        },
    )


def department_ratings(request, code, file_format=None):
    return _render(request, department_by_code(code), file_format=file_format)


def item_ratings(request, code, item_code, file_format=None):
    department = department_by_code(code)
    return _render(
        request, department, item_of(department, item_code), file_format=file_format
    )


def _header():
    return [
        _("月份"),
        _("评价数"),
        _("平均分"),
        *[label for _grade, label in rating_stats.grade_labels()],
        _("差评数"),
        _("差评已整改数"),
    ]


def _row(month):
    return [
        month.label,
        month.count,
        month.average,
        *[month.grades[grade] for grade in rating_stats.GRADES],
        month.bad,
        month.followed_up,
    ]


def _filename(department, item, extension):
    subject = item.code if item is not None else department.code
    return f"haochaping-{subject}.{extension}"


def _csv(department, item, months):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(department, item, "csv")}"'
    )
    # A byte-order mark, so that spreadsheet programs read the Chinese as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([str(cell) for cell in _header()])
    for month in months:
        writer.writerow(["" if cell is None else cell for cell in _row(month)])
    return response


def _xlsx(department, item, months):
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheet = new_sheet(workbook, _("好差评月度统计"), _header())
    for month in months:
        sheet.append(_row(month))
    return xlsx_response(workbook, _filename(department, item, "xlsx"))
