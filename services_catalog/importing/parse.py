"""Stage 1 of an import: read a catalog/1 file and check every record's form.

`read_catalog_file` turns a ``.json`` file or an ``.xlsx`` workbook into the catalog/1
dictionary, refusing hostile files with a message that names the problem (too large,
nested too deep, a compressed workbook that would unpack too large, not UTF-8, not
JSON at all) under the limits of the ``CATALOG_IMPORT_*`` settings. `parse_catalog`
checks the dictionary against the format and normalises each record to the form
`services_catalog.exporting` writes (Chinese labels, sorted co-divisions …), so that
"unchanged" is a plain comparison. Unknown keys become warnings naming their path
(``departments[0].items[3].colour``); every error names the item (or department,
division) code and the field (``11220000SJ0001.promised_days：…``), and all of them
are collected, not just the first.
"""

import copy
import json
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.models.pages import department_code_validator, division_code_validator
from services_catalog import exporting, xlsx
from services_catalog.importing.report import ImportReport
from services_catalog.models import (
    Audience,
    ItemKind,
    ItemType,
    StepActor,
    item_code_validator,
)

FORMAT = exporting.FORMAT
SMALLINT_MAX = 32767
FILE = gettext_lazy("（文件）")


# Reading files


def read_catalog_file(file, name=None):
    """The catalog/1 data of a ``.json`` or ``.xlsx`` file (a path or a binary file
    object; `name` gives the extension of a file object). Returns ``(data, report)``;
    `data` is None when the file could not be read at all."""
    report = ImportReport()
    name = Path(str(name or getattr(file, "name", file))).name
    suffix = Path(name).suffix.lower()
    if suffix not in (".json", ".xlsx"):
        report.error(name, _("只能导入 .json 或 .xlsx 文件"))
        return None, report
    raw = _read_limited(file, name, report)
    if raw is None:
        return None, report
    if suffix == ".xlsx":
        return _read_workbook(raw, name, report), report
    return _read_json(raw, name, report), report


def _read_limited(file, name, report):
    """The file's bytes, or None (reported) when it is over the size limit."""
    limit = settings.CATALOG_IMPORT_MAX_FILE_SIZE
    if isinstance(file, str | Path):
        with open(file, "rb") as opened:
            raw = opened.read(limit + 1)
    else:
        raw = file.read(limit + 1)
    if len(raw) > limit:
        report.error(
            name,
            _("文件超过 %(limit)s，不能导入；请按部门分成几个文件。")
            % {"limit": filesizeformat(limit)},
        )
        return None
    return raw


def _read_json(raw, name, report):
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.error(name, _encoding_problem(raw, exc))
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        report.error(
            name,
            _("不是有效的 JSON（第 %(line)s 行第 %(column)s 列：%(reason)s）")
            % {"line": exc.lineno, "column": exc.colno, "reason": exc.msg},
        )
        return None
    except RecursionError:
        data = None
    if data is None or _too_deep(data):
        report.error(
            name,
            _("JSON 嵌套超过 %(depth)s 层，不是 catalog/1 文件。")
            % {"depth": settings.CATALOG_IMPORT_MAX_DEPTH},
        )
        return None
    return data


def _encoding_problem(raw, exc):
    """Name the encoding a non-UTF-8 file is probably in."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        guess = "UTF-16"
    else:
        try:
            raw.decode("gb18030")
            guess = "GBK/GB18030"
        except UnicodeDecodeError:
            guess = None
    if guess:
        return _(
            "文件不是 UTF-8 编码（看来是 %(encoding)s）；请用 UTF-8 另存后再导入。"
        ) % {"encoding": guess}
    return _("文件不是 UTF-8 编码（第 %(position)s 个字节无法识别）。") % {
        "position": exc.start + 1
    }


def _too_deep(data):
    """Whether `data` nests deeper than the limit (checked without recursion)."""
    limit = settings.CATALOG_IMPORT_MAX_DEPTH
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return False


def _read_workbook(raw, name, report):
    """A workbook's data, after checking that it unpacks to a sane size: an XLSX
    file is a ZIP archive, and a small one can expand to gigabytes (a zip bomb)."""
    try:
        with zipfile.ZipFile(BytesIO(raw)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        report.error(name, _("不是有效的 XLSX 文件（无法按 ZIP 格式打开）。"))
        return None
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    limit = settings.CATALOG_IMPORT_MAX_XLSX_SIZE
    ratio = settings.CATALOG_IMPORT_MAX_XLSX_RATIO
    if unpacked > limit or unpacked / packed > ratio:
        report.error(
            name,
            _(
                "XLSX 文件解压后有 %(size)s（压缩比 %(ratio)s 倍），超过上限"
                " %(limit)s 或 %(max_ratio)s 倍，不能导入。"
            )
            % {
                "size": filesizeformat(unpacked),
                "ratio": round(unpacked / packed),
                "limit": filesizeformat(limit),
                "max_ratio": ratio,
            },
        )
        return None
    data, problems = xlsx.read_workbook(BytesIO(raw))
    report.errors += problems.errors
    report.warnings += problems.warnings
    return data


# Checking records


class Invalid(Exception):
    """A value that does not fit its field; the message is shown to the user."""


REQUIRED = object()  # no default: the key must be present
KEEP = object()  # may be absent: the page keeps its current value


@dataclass(frozen=True)
class Field:
    key: str
    parse: object  # callable(value, where, path, report) -> normalised value
    default: object = REQUIRED


def _text(max_length=None, required=False):
    def parse(value, *context):
        if not isinstance(value, str):
            raise Invalid(_("应为文字"))
        value = value.strip()
        if required and not value:
            raise Invalid(_("不能为空"))
        if max_length and len(value) > max_length:
            raise Invalid(
                _("不能超过 %(max)s 个字（现有 %(length)s 个）")
                % {"max": max_length, "length": len(value)}
            )
        return value

    return parse


def _code(validator, max_length):
    def parse(value, *context):
        value = _text(max_length, required=True)(value)
        if not validator.regex.search(value):
            raise Invalid(str(validator.message))
        return value

    return parse


def _integer(value, *context):
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(_("应为整数，不是「%(value)s」") % {"value": value})
    if value < 0:
        raise Invalid(_("不能为负数"))
    if value > SMALLINT_MAX:
        raise Invalid(_("不能大于 %(max)s") % {"max": SMALLINT_MAX})
    return value


def _boolean(value, *context):
    if not isinstance(value, bool):
        raise Invalid(
            _("应为 true 或 false（表格中填“是”或“否”），不是「%(value)s」")
            % {"value": value}
        )
    return value


def _label(choices, what, output=None):
    """A value of `choices` given by code, Chinese label or alias; normalised to the
    Chinese label (or `output[code]`)."""

    def parse(value, *context):
        member = choices.from_label(value) if isinstance(value, str) else None
        if member is None:
            allowed = "、".join(m.chinese_label for m in choices)
            raise Invalid(
                _("未知的%(what)s「%(value)s」，应为：%(allowed)s")
                % {"what": what, "value": value, "allowed": allowed}
            )
        return output[member.value] if output else member.chinese_label

    return parse


def _list(parse_entry):
    def parse(value, *context):
        if not isinstance(value, list):
            raise Invalid(_("应为列表"))
        entries = []
        for index, entry in enumerate(value):
            try:
                entries.append(parse_entry(entry))
            except Invalid as exc:
                raise Invalid(
                    _("第 %(number)s 项%(problem)s")
                    % {"number": index + 1, "problem": exc}
                ) from None
        return entries

    return parse


def _audience(value, *context):
    labels = _list(_label(Audience, _("服务对象")))(value)
    return [m.chinese_label for m in Audience if m.chinese_label in labels]


def _division_codes(value, *context):
    return sorted(set(_list(_code(division_code_validator, 20))(value)))


def _objects(fields):
    """A list of objects, each parsed with `fields` (materials, steps, FAQs)."""

    def parse(value, where, path, report):
        if not isinstance(value, list):
            raise Invalid(_("应为列表"))
        return [
            _parse_object(entry, fields, f"{where}[{i}]", f"{path}[{i}]", report)
            for i, entry in enumerate(value)
        ]

    return parse


MATERIAL_FIELDS = (
    Field("name", _text(255, required=True)),
    Field("required", _boolean, True),
    Field("original", _integer, 0),
    Field("copies", _integer, 0),
    Field("format_notes", _text(255), ""),
    Field("source", _text(255), ""),
)
STEP_FIELDS = (
    Field("name", _text(100, required=True)),
    Field(
        "handled_by",
        _label(StepActor, gettext_lazy("办理人"), exporting.STEP_ACTOR_LABELS),
        "窗口",
    ),
    Field("days", _integer, 0),
    Field("description", _text(), ""),
)
FAQ_FIELDS = (
    Field("question", _text(255, required=True)),
    Field("answer", _text(required=True)),
)
ITEM_FIELDS = (
    Field("code", _code(item_code_validator, 40)),
    Field("name", _text(255, required=True)),
    Field("name_en", _text(255), ""),
    Field("summary_en", _text(), ""),
    Field("aliases", _list(_text(100, required=True)), []),
    Field("situations", _list(_text(100, required=True)), []),
    Field("type", _label(ItemType, gettext_lazy("事项类型"))),
    Field("kind", _label(ItemKind, gettext_lazy("办件类型"))),
    Field("audience", _audience, []),
    Field("lead_division", _code(division_code_validator, 20)),
    Field("co_divisions", _division_codes, []),
    Field("basis", _list(_text(required=True)), []),
    Field("conditions", _list(_text(required=True)), []),
    Field("special_procedures", _list(_text(required=True)), []),
    Field("materials", _objects(MATERIAL_FIELDS), []),
    Field("steps", _objects(STEP_FIELDS), []),
    Field("statutory_days", _integer),
    Field("promised_days", _integer),
    # 行政许可法第四十二条: 10 unless the item's basis says otherwise; a file without
    # it leaves the item's value (new items get 10).
    Field("extension_days", _integer, KEEP),
    Field("fee", _text(500), "不收费"),
    Field("result", _text(255), ""),
    Field("result_delivery", _text(255), ""),
    Field("location", _text(255), ""),
    Field("hours", _text(255), ""),
    Field("phone", _text(64), ""),
    Field("complaint_channel", _text(255), ""),
    Field("online", _boolean, True),
    Field("visits", _integer, 1),
    Field("faqs", _objects(FAQ_FIELDS), []),
)
DIVISION_FIELDS = (
    Field("code", _code(division_code_validator, 20)),
    Field("name", _text(255, required=True)),
    Field("duties", _list(_text(required=True)), KEEP),
    Field("phone", _text(64), KEEP),
    Field("room", _text(64), KEEP),
)
DEPARTMENT_FIELDS = (
    Field("code", _code(department_code_validator, 10)),
    Field("name", _text(255, required=True)),
    Field("address", _text(255), KEEP),
    Field("hours", _text(255), KEEP),
    Field("phone", _text(64), KEEP),
)


def _parse_object(value, fields, where, path, report, nested=()):
    """Check `value` against `fields`; returns the normalised record (keys in format
    order). `nested` names keys the caller parses itself. Errors are reported under
    `where` (the record's code once known), unknown keys under `path`."""
    if not isinstance(value, dict):
        report.error(where, _("应为对象（{…}）"))
        return {}
    known = {f.key for f in fields} | set(nested)
    for key in value:
        if key not in known:
            report.warn(f"{path}.{key}", _("未知的字段，已忽略"))
    if fields[0].key == "code" and isinstance(value.get("code"), str):
        where = value["code"].strip() or where
    record = {}
    for spec in fields:
        if spec.key not in value:
            if spec.default is REQUIRED:
                report.error(f"{where}.{spec.key}", _("缺少必填字段"))
            elif spec.default is not KEEP:
                record[spec.key] = copy.deepcopy(spec.default)
            continue
        try:
            record[spec.key] = spec.parse(
                value[spec.key], f"{where}.{spec.key}", f"{path}.{spec.key}", report
            )
        except Invalid as exc:
            report.error(f"{where}.{spec.key}", str(exc))
    return record


@dataclass
class DepartmentRecords:
    """One department of the file: its own record, its divisions' and items'."""

    record: dict
    divisions: list
    items: list

    @property
    def code(self):
        return self.record.get("code")


def parse_catalog(data, report):
    """Check the whole file's structure; returns the departments' normalised records
    (see `DepartmentRecords`). Problems go to `report`."""
    if not isinstance(data, dict):
        report.error(FILE, _('应为 JSON 对象（{"format": "catalog/1", …}）'))
        return []
    for key in data:
        if key not in ("format", "departments"):
            report.warn(key, _("未知的字段，已忽略"))
    if data.get("format") != FORMAT:
        report.error(
            "format",
            _("应为「%(format)s」，不是「%(value)s」")
            % {"format": FORMAT, "value": data.get("format", "")},
        )
    raw_departments = data.get("departments")
    if not isinstance(raw_departments, list):
        report.error("departments", _("缺少部门列表"))
        return []
    departments = []
    for d_index, raw in enumerate(raw_departments):
        path = f"departments[{d_index}]"
        record = _parse_object(
            raw, DEPARTMENT_FIELDS, path, path, report, ("divisions", "items")
        )
        where = record.get("code", path)
        raw = raw if isinstance(raw, dict) else {}
        lists = {}
        for key, fields in (("divisions", DIVISION_FIELDS), ("items", ITEM_FIELDS)):
            entries = raw.get(key, [])
            if not isinstance(entries, list):
                report.error(f"{where}.{key}", _("应为列表"))
                entries = []
            lists[key] = [
                _parse_object(
                    entry, fields, f"{path}.{key}[{i}]", f"{path}.{key}[{i}]", report
                )
                for i, entry in enumerate(entries)
            ]
        for item in lists["items"]:
            _check_item(item, report)
        departments.append(
            DepartmentRecords(record, lists["divisions"], lists["items"])
        )
    _check_duplicates(departments, report)
    return departments


def _check_item(item, report):
    code = item.get("code")
    statutory, promised = item.get("statutory_days"), item.get("promised_days")
    if code is None or statutory is None or promised is None:
        return
    if promised > statutory:
        report.error(f"{code}.promised_days", _("承诺时限不能大于法定时限"))
    elif item.get("kind") == ItemKind.PROMISED.chinese_label and promised == 0:
        report.error(
            f"{code}.promised_days",
            _("承诺件的承诺时限至少为 1 个工作日（当场办结请填即办件）"),
        )
    if item.get("lead_division") in item.get("co_divisions", []):
        report.error(f"{code}.co_divisions", _("协办处室不能包含牵头处室"))


def _check_duplicates(departments, report):
    for what, records in (
        (_("部门代码"), [d.record for d in departments]),
        (_("处室代码"), [v for d in departments for v in d.divisions]),
        (_("事项编码"), [i for d in departments for i in d.items]),
    ):
        seen = set()
        for record in records:
            code = record.get("code")
            if code is None:
                continue
            # Item codes become URL slugs in lower case, so case must not tell apart.
            key = code.lower()
            if key in seen:
                report.error(
                    f"{code}.code", _("%(what)s在文件中重复出现") % {"what": what}
                )
            seen.add(key)
