"""The catalog/1 format as an XLSX workbook, for editors who keep the catalog in a
spreadsheet (DESIGN §9: "the same columns from an XLSX workbook").

One sheet per table, Chinese column headers; a row of a child table names its parent
by code in its first column:

====================  ======================================================  =========
sheet                 columns                                                  parent
====================  ======================================================  =========
说明                  格式 | catalog/1 (optional; the rest of the sheet is help)
部门                  部门代码, 部门名称, 办公地址, 办公时间, 咨询电话
处室                  部门代码, 处室代码, 处室名称, 联系电话, 办公室房间      部门
职责                  处室代码, 职责 (one row per duty, in order)               处室
事项                  部门代码, 事项编码, 事项名称, 事项类型, 办件类型, …       部门
别名 / 办事情形       事项编码, 别名 / 办事情形 (one per row)                   事项
依据 / 条件 / 特别程序  事项编码, 设定依据 / 受理条件 / 特别程序 (one per row)    事项
材料                  事项编码, 材料名称, 是否必需, 原件份数, 复印件份数, …     事项
流程                  事项编码, 环节名称, 办理人, 时限（工作日）, 说明          事项
常见问题              事项编码, 问题, 解答                                     事项
====================  ======================================================  =========

Lists of free text (duties, aliases, situations, legal bases, conditions, special
procedures, FAQs) have their own sheets, one entry per row, because an entry may
itself span several lines.
Short code lists (服务对象, 协办处室) are one cell joined with "、". Booleans are
是/否. A header may also be the catalog/1 key itself (``code``, ``name`` …).

`read_workbook` turns a workbook into the catalog/1 dictionary that
`services_catalog.importing` validates, so a workbook gets exactly the checks a JSON
file gets; `write_workbook` is the reverse, used by `export_catalog --format xlsx`.
"""

import re
from dataclasses import dataclass
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from portal.typography import to_full_width

FORMAT = "catalog/1"
INFO_SHEET = "说明"
FORMAT_HEADER = "格式"
LIST_SEPARATORS = re.compile(r"[、,,;;\n]+")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = "text"  # text, int, bool or codes (a list joined with 、)
    width: int = 16


@dataclass(frozen=True)
class Sheet:
    """One table. `parent` is the sheet whose rows this one's first column names;
    `key` the catalog/1 key the rows are stored under in the parent's record;
    `value` set for a list-of-strings table (the rows are plain strings)."""

    name: str
    key: str
    parent: str | None
    parent_header: str
    columns: tuple
    value: bool = False


def _list_sheet(name, key, parent, parent_header, header=None):
    """A table of plain strings, one per row, under `parent`."""
    columns = (Column("", header or name, width=80),)
    return Sheet(name, key, parent, parent_header, columns, value=True)


DEPARTMENT_CODE = "部门代码"
DIVISION_CODE = "处室代码"
ITEM_CODE = "事项编码"

SHEETS = (
    Sheet(
        "部门",
        "departments",
        None,
        "",
        (
            Column("code", DEPARTMENT_CODE, width=10),
            Column("name", "部门名称", width=24),
            Column("address", "办公地址", width=30),
            Column("hours", "办公时间", width=30),
            Column("phone", "咨询电话"),
        ),
    ),
    Sheet(
        "处室",
        "divisions",
        "部门",
        DEPARTMENT_CODE,
        (
            Column("code", DIVISION_CODE, width=12),
            Column("name", "处室名称", width=24),
            Column("phone", "联系电话"),
            Column("room", "办公室房间"),
        ),
    ),
    _list_sheet("职责", "duties", "处室", DIVISION_CODE),
    Sheet(
        "事项",
        "items",
        "部门",
        DEPARTMENT_CODE,
        (
            Column("code", ITEM_CODE, width=18),
            Column("name", "事项名称", width=30),
            Column("name_en", "英文名称", width=30),
            Column("summary_en", "英文简介", width=40),
            Column("type", "事项类型", width=10),
            Column("kind", "办件类型", width=10),
            Column("audience", "服务对象", "codes", 12),
            Column("lead_division", "牵头处室", width=12),
            Column("co_divisions", "协办处室", "codes", 16),
            Column("statutory_days", "法定办结时限（工作日）", "int", 10),
            Column("promised_days", "承诺办结时限（工作日）", "int", 10),
            Column("extension_days", "可延长时限（工作日）", "int", 10),
            Column("fee", "收费标准及依据", width=20),
            Column("result", "办理结果", width=24),
            Column("result_delivery", "结果送达方式", width=20),
            Column("location", "办理地点", width=30),
            Column("hours", "办理时间", width=30),
            Column("phone", "咨询电话"),
            Column("complaint_channel", "投诉渠道", width=24),
            Column("online", "网上申请", "bool", 8),
            Column("visits", "跑动次数", "int", 8),
        ),
    ),
    _list_sheet("别名", "aliases", "事项", ITEM_CODE),
    _list_sheet("办事情形", "situations", "事项", ITEM_CODE),
    _list_sheet("依据", "basis", "事项", ITEM_CODE, "设定依据"),
    _list_sheet("条件", "conditions", "事项", ITEM_CODE, "受理条件"),
    _list_sheet("特别程序", "special_procedures", "事项", ITEM_CODE),
    Sheet(
        "材料",
        "materials",
        "事项",
        ITEM_CODE,
        (
            Column("name", "材料名称", width=40),
            Column("required", "是否必需", "bool", 8),
            Column("original", "原件份数", "int", 8),
            Column("copies", "复印件份数", "int", 8),
            Column("format_notes", "格式要求", width=24),
            Column("source", "来源", width=20),
        ),
    ),
    Sheet(
        "流程",
        "steps",
        "事项",
        ITEM_CODE,
        (
            Column("name", "环节名称", width=14),
            Column("handled_by", "办理人", width=10),
            Column("days", "时限（工作日）", "int", 10),
            Column("description", "说明", width=60),
        ),
    ),
    Sheet(
        "常见问题",
        "faqs",
        "事项",
        ITEM_CODE,
        (Column("question", "问题", width=40), Column("answer", "解答", width=60)),
    ),
)
SHEETS_BY_NAME = {sheet.name: sheet for sheet in SHEETS}

HELP = (
    "本工作簿是 catalog/1 格式的事项目录，每张表一类数据，子表第一列填上级的代码。",
    "“职责”“别名”“办事情形”“依据”“条件”“特别程序”“常见问题”每行一条，按行的先后排序。",
    "服务对象、协办处室可填多个，用顿号“、”分隔；是否必需、网上申请填“是”或“否”。",
    "事项类型：行政许可、行政确认、行政备案、行政给付、行政征收、行政检查、其他；"
    "办件类型：即办件、承诺件；办理人：窗口、主任、处室。",
)

BOOLEAN_WORDS = {"是": True, "否": False, "true": True, "false": False}


class WorkbookProblems:
    """What reading a workbook found wrong: errors abort the import, warnings don't."""

    def __init__(self):
        self.errors = []
        self.warnings = []


def read_workbook(file):
    """Read a workbook (a path or a binary file object) into a catalog/1 dictionary.

    Returns ``(data, problems)``. Values are converted only where the column says so
    (numbers, 是/否, lists); whatever does not convert is passed on unchanged so the
    catalog validator names the item and field it is wrong in.
    """
    problems = WorkbookProblems()
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        problems.errors.append(_("无法读取 XLSX 文件：%(reason)s") % {"reason": exc})
        return None, problems
    data = {"format": FORMAT, "departments": []}
    records = {}  # sheet name -> {code: record}
    for name in workbook.sheetnames:
        if name != INFO_SHEET and name not in SHEETS_BY_NAME:
            problems.warnings.append(
                _("工作表「%(sheet)s」：不是 catalog/1 的表，已忽略") % {"sheet": name}
            )
    if INFO_SHEET in workbook.sheetnames:
        for row in workbook[INFO_SHEET].iter_rows(values_only=True):
            if row and _text(row[0]) == FORMAT_HEADER:
                data["format"] = _text(row[1] if len(row) > 1 else None)
    for sheet in SHEETS:
        records[sheet.name] = {}
        if sheet.name not in workbook.sheetnames:
            if sheet.parent is None:
                problems.errors.append(
                    _("工作表「%(sheet)s」：缺少这张表") % {"sheet": sheet.name}
                )
            continue
        if sheet.parent is not None and sheet.parent not in workbook.sheetnames:
            problems.errors.append(
                _("工作表「%(sheet)s」：需要上级表「%(parent)s」")
                % {"sheet": sheet.name, "parent": sheet.parent}
            )
            continue
        _read_sheet(workbook[sheet.name], sheet, data, records, problems)
    workbook.close()
    return data, problems


def _read_sheet(worksheet, sheet, data, records, problems):
    rows = worksheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    columns = _match_header(header, sheet, problems)
    if columns is None:
        return
    parent_records = records.get(sheet.parent, {})
    if sheet.parent is not None:
        # A present child sheet describes its table fully: parents without rows in it
        # get an empty list rather than keeping what the database holds.
        for parent in parent_records.values():
            parent[sheet.key] = []
    for number, row in enumerate(rows, start=2):
        if row is None or all(_text(cell) == "" for cell in row):
            continue
        cells = {index: row[index] if index < len(row) else None for index in columns}
        where = _("工作表「%(sheet)s」第 %(row)s 行") % {
            "sheet": sheet.name,
            "row": number,
        }
        record = {}
        parent_code = None
        for index, column in columns.items():
            if column is None:
                parent_code = _text(cells[index])
                continue
            value = _convert(cells[index], column.kind)
            if value is not _ABSENT:
                record[column.key] = value
        if sheet.parent is None:
            data[sheet.key].append(record)
            records[sheet.name].setdefault(record.get("code"), record)
            continue
        parent = parent_records.get(parent_code)
        if parent is None:
            problems.errors.append(
                _("%(where)s：%(header)s「%(code)s」不在「%(parent)s」表中")
                % {
                    "where": where,
                    "header": sheet.parent_header,
                    "code": parent_code,
                    "parent": sheet.parent,
                }
            )
            continue
        if sheet.value:
            parent[sheet.key].append(record.get("", ""))
        else:
            parent[sheet.key].append(record)
            if "code" in record:
                records[sheet.name].setdefault(record["code"], record)


def _match_header(header, sheet, problems):
    """{column index: Column, or None for the parent-code column}; None if unusable."""
    known = {}
    for column in sheet.columns:
        known[column.header] = column
        if column.key:
            known[column.key] = column
    wanted_parent = {sheet.parent_header, "department", "division", "item"}
    columns = {}
    for index, cell in enumerate(header):
        # Headers typed with ASCII parentheses (时限(工作日), as files written before
        # the full-width headers have them) name the same column.
        title = to_full_width(_text(cell))
        if not title:
            continue
        is_parent = sheet.parent is not None and title in wanted_parent
        if is_parent and None not in columns.values():
            columns[index] = None
        elif title in known:
            columns[index] = known[title]
        else:
            problems.warnings.append(
                _("工作表「%(sheet)s」列「%(column)s」：未知的列，已忽略")
                % {"sheet": sheet.name, "column": title}
            )
    if sheet.parent is not None and None not in columns.values():
        problems.errors.append(
            _("工作表「%(sheet)s」：缺少「%(column)s」列")
            % {"sheet": sheet.name, "column": sheet.parent_header}
        )
        return None
    return columns


_ABSENT = object()


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _convert(value, kind):
    if kind == "text":
        return _text(value)
    if kind == "codes":
        return [part.strip() for part in LIST_SEPARATORS.split(_text(value)) if part]
    if value is None or _text(value) == "":
        return _ABSENT
    if kind == "int":
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return int(value) if float(value).is_integer() else value
        text = _text(value)
        return int(text) if text.isdigit() else text
    # bool
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    return BOOLEAN_WORDS.get(_text(value).lower(), _text(value))


def write_workbook(data):
    """The catalog/1 dictionary `data` as XLSX bytes, one sheet per table."""
    workbook = Workbook()
    info = workbook.active
    info.title = INFO_SHEET
    info.append([FORMAT_HEADER, data.get("format", FORMAT)])
    info.append([])
    for line in HELP:
        info.append([line])
    info.column_dimensions["A"].width = 100
    for sheet in SHEETS:
        worksheet = workbook.create_sheet(sheet.name)
        headers = [c.header for c in sheet.columns]
        if sheet.parent is not None:
            headers.insert(0, sheet.parent_header)
        worksheet.append(headers)
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        worksheet.freeze_panes = "A2"
        widths = [c.width for c in sheet.columns]
        if sheet.parent is not None:
            widths.insert(0, 18)
        for index, width in enumerate(widths, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        for parent_code, record in _rows(data, sheet):
            if sheet.value:
                cells = [record]
            else:
                cells = [_cell(record.get(c.key), c.kind) for c in sheet.columns]
            if sheet.parent is not None:
                cells.insert(0, parent_code)
            worksheet.append(cells)
        for row in worksheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text, never a formula
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rows(data, sheet):
    """(parent code, record) for each row of `sheet`, in file order."""
    departments = data.get("departments", [])
    if sheet.parent is None:
        return [(None, department) for department in departments]
    parents = {
        "部门": departments,
        "处室": [v for d in departments for v in d.get("divisions", [])],
        "事项": [i for d in departments for i in d.get("items", [])],
    }[sheet.parent]
    return [
        (parent.get("code"), record)
        for parent in parents
        for record in parent.get(sheet.key, [])
    ]


def _cell(value, kind):
    if kind == "bool" and isinstance(value, bool):
        return "是" if value else "否"
    if kind == "codes" and isinstance(value, list):
        return "、".join(str(v) for v in value)
    return value
