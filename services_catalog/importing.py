"""Import of the catalog/1 format (DESIGN §9): departments, divisions and service items
from a JSON file or an XLSX workbook (`services_catalog.xlsx`).

Used by ``manage.py import_catalog``, the admin upload (`services_catalog.admin_views`)
and the demo content (`services_catalog.demo`); all three go through `import_catalog`.

A file is imported in three stages, so that a bad file changes nothing:

1. **parse** — every record is checked against the format and normalised to the form
   `services_catalog.exporting` writes (Chinese labels, sorted co-divisions …). Unknown
   keys become warnings naming their path (``departments[0].items[3].colour``); every
   error names the item (or department, division) code and the field
   (``11220000SJ0001.promised_days: 承诺时限不能大于法定时限``). All errors are
   collected, not just the first.
2. **check** — codes against the database: referenced divisions must be the item's
   department's (in the file or already in the database), and a code may not belong
   to another department.
3. **apply** — in one transaction, each record is compared with the page's current
   content (its latest revision) and the page is created, updated (a new revision) or
   left alone. New pages are drafts and changes are draft revisions unless `publish`.
   With `dry_run` nothing is written and the report says what would happen.

What is absent from the file: an item is described completely (a missing optional key
takes its default), whereas a department or division only updates the keys present,
because the disclosure app owns the rest of those pages (introduction, posts, people).
Pages in the database that the file does not mention are left alone; an import never
deletes. Materials keep their blank form and sample documents when an import
replaces them by a material of the same name. With `publish`, an unchanged item's
pending draft is published; an unchanged department's or division's only if it was
never published (an editor's draft of a live one may hold other changes).

New items, the bulk of a large import, are written with a single save each
(`_Importer.create_item`), and the reference index is updated once per page written,
at the end; search indexes follow Wagtail's save and publish signals as for any edit.
"""

import copy
import json
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from wagtail.coreutils import find_available_slug
from wagtail.log_actions import log
from wagtail.models import Page, ReferenceIndex, Revision, Site
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.signals import page_published, published

from disclosure.models import DepartmentPage, DivisionPage
from disclosure.models.pages import department_code_validator, division_code_validator
from services_catalog import exporting, xlsx
from services_catalog.models import (
    Audience,
    ItemKind,
    ItemType,
    ServiceCatalogPage,
    ServiceItemMaterial,
    ServiceItemPage,
    ServiceItemStep,
    StepActor,
    item_code_validator,
)

FORMAT = exporting.FORMAT
CATALOG_SLUG = "shixiang"
CATALOG_TITLE = "事项目录"
SMALLINT_MAX = 32767
CHUNK = 500  # codes per IN (...) query

DEPARTMENT, DIVISION, CATALOG, ITEM = "department", "division", "catalog", "item"
KIND_LABELS = {DEPARTMENT: "部门", DIVISION: "处室", CATALOG: "事项目录", ITEM: "事项"}
CREATED, UPDATED, PUBLISHED, UNCHANGED = "created", "updated", "published", "unchanged"
ACTION_LABELS = {CREATED: "新建", UPDATED: "更新", PUBLISHED: "发布", UNCHANGED: "未变"}


# Reports


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do): counts per kind of page and
    action, warnings (the import went ahead) and errors (nothing was written)."""

    dry_run: bool = False
    publish: bool = False
    counts: Counter = field(default_factory=Counter)
    warnings: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    def count(self, kind, action):
        return self.counts[kind, action]

    def error(self, where, message):
        self.errors.append(f"{where}: {message}")

    def warn(self, where, message):
        self.warnings.append(f"{where}: {message}")

    def rows(self):
        """[(kind label, {action label: n})] for the kinds the file touched."""
        rows = []
        for kind, kind_label in KIND_LABELS.items():
            numbers = {a: self.counts[kind, a] for a in ACTION_LABELS}
            if any(numbers.values()):
                rows.append(
                    (kind_label, {ACTION_LABELS[a]: n for a, n in numbers.items()})
                )
        return rows

    def summary_lines(self):
        if self.errors:
            head = f"导入失败,未写入任何内容:{len(self.errors)} 个错误。"
        elif self.dry_run:
            head = "试运行(未写入数据库):"
        else:
            mode = "已发布" if self.publish else "保存为草稿"
            head = f"导入完成({mode}):"
        lines = [head]
        if not self.errors:
            for kind_label, numbers in self.rows():
                counts = ",".join(f"{label} {n}" for label, n in numbers.items())
                lines.append(f"  {kind_label}:{counts}")
        if self.warnings:
            lines.append(f"警告 {len(self.warnings)} 条:")
            lines += [f"  {w}" for w in self.warnings]
        if self.errors:
            lines.append("错误:")
            lines += [f"  {e}" for e in self.errors]
        return lines

    def summary(self):
        return "\n".join(self.summary_lines())


class _Abort(Exception):
    """Raised inside the transaction to roll an import back."""


# Reading files


def read_catalog_file(file, name=None):
    """The catalog/1 data of a ``.json`` or ``.xlsx`` file (a path or a binary file
    object; `name` gives the extension of a file object). Returns ``(data, report)``;
    `data` is None when the file could not be read at all."""
    report = ImportReport()
    name = str(name or getattr(file, "name", file))
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        data, problems = xlsx.read_workbook(file)
        report.errors += problems.errors
        report.warnings += problems.warnings
        return data, report
    if suffix != ".json":
        report.error(Path(name).name, "只能导入 .json 或 .xlsx 文件")
        return None, report
    try:
        if isinstance(file, str | Path):
            raw = Path(file).read_bytes()
        else:
            raw = file.read()
        return json.loads(raw.decode("utf-8-sig")), report
    except UnicodeDecodeError:
        report.error(Path(name).name, "文件不是 UTF-8 编码")
    except json.JSONDecodeError as exc:
        report.error(
            Path(name).name, f"不是有效的 JSON(第 {exc.lineno} 行第 {exc.colno} 列)"
        )
    return None, report


def import_catalog_file(file, name=None, **options):
    """Read and import one file; see `import_catalog` for the options."""
    data, report = read_catalog_file(file, name)
    if data is None:
        return report
    return import_catalog(data, report=report, **options)


def import_catalog(
    data,
    *,
    publish=False,
    dry_run=False,
    user=None,
    home_page=None,
    progress=None,
    report=None,
    departments_allowed=None,
):
    """Import catalog/1 `data` (a dictionary); returns an `ImportReport`.

    `user` is recorded on revisions and log entries; whether they may import (and
    publish) is for the caller to decide, as the admin view does. `home_page` is
    where new departments go (default: the default site's root page);
    `progress(done, total)` is called as items are processed; `report` carries problems
    found while reading the file (an XLSX workbook's, say) into this import;
    `departments_allowed`, when given, is the set of department codes the file may
    touch (a department's own editors import only their own department).
    """
    report = report or ImportReport()
    report.dry_run, report.publish = dry_run, publish
    departments = parse_catalog(data, report)
    if departments_allowed is not None:
        for department in departments:
            if department.code not in departments_allowed:
                report.error(
                    department.code, "您只能导入本部门的事项目录,不能修改该部门"
                )
    if report.ok:
        check_references(departments, report)
    if not report.ok:
        return report
    importer = _Importer(report, publish, dry_run, user, home_page, progress)
    try:
        with transaction.atomic():
            # Every inline material and step saved would reindex its whole page; the
            # pages written are indexed once each at the end instead.
            with disable_reference_index_auto_update():
                importer.apply(departments)
            importer.update_reference_index()
            if report.errors:
                raise _Abort
    except _Abort:
        report.counts.clear()
    return report


# Stage 1: parse and normalise


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
            raise Invalid("应为文字")
        value = value.strip()
        if required and not value:
            raise Invalid("不能为空")
        if max_length and len(value) > max_length:
            raise Invalid(f"不能超过 {max_length} 个字(现有 {len(value)} 个)")
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
        raise Invalid(f"应为整数,不是「{value}」")
    if value < 0:
        raise Invalid("不能为负数")
    if value > SMALLINT_MAX:
        raise Invalid(f"不能大于 {SMALLINT_MAX}")
    return value


def _boolean(value, *context):
    if not isinstance(value, bool):
        raise Invalid(f"应为 true 或 false(表格中填“是”或“否”),不是「{value}」")
    return value


def _label(choices, what, output=None):
    """A value of `choices` given by code, Chinese label or alias; normalised to the
    Chinese label (or `output[code]`)."""

    def parse(value, *context):
        member = choices.from_label(value) if isinstance(value, str) else None
        if member is None:
            allowed = "、".join(m.chinese_label for m in choices)
            raise Invalid(f"未知的{what}「{value}」,应为:{allowed}")
        return output[member.value] if output else member.chinese_label

    return parse


def _list(parse_entry):
    def parse(value, *context):
        if not isinstance(value, list):
            raise Invalid("应为列表")
        entries = []
        for index, entry in enumerate(value):
            try:
                entries.append(parse_entry(entry))
            except Invalid as exc:
                raise Invalid(f"第 {index + 1} 项{exc}") from None
        return entries

    return parse


def _audience(value, *context):
    labels = _list(_label(Audience, "服务对象"))(value)
    return [m.chinese_label for m in Audience if m.chinese_label in labels]


def _division_codes(value, *context):
    return sorted(set(_list(_code(division_code_validator, 20))(value)))


def _objects(fields):
    """A list of objects, each parsed with `fields` (materials, steps, FAQs)."""

    def parse(value, where, path, report):
        if not isinstance(value, list):
            raise Invalid("应为列表")
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
        "handled_by", _label(StepActor, "办理人", exporting.STEP_ACTOR_LABELS), "窗口"
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
    Field("type", _label(ItemType, "事项类型")),
    Field("kind", _label(ItemKind, "办件类型")),
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
        report.error(where, "应为对象({…})")
        return {}
    known = {f.key for f in fields} | set(nested)
    for key in value:
        if key not in known:
            report.warn(f"{path}.{key}", "未知的字段,已忽略")
    if fields[0].key == "code" and isinstance(value.get("code"), str):
        where = value["code"].strip() or where
    record = {}
    for spec in fields:
        if spec.key not in value:
            if spec.default is REQUIRED:
                report.error(f"{where}.{spec.key}", "缺少必填字段")
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
        report.error("(文件)", '应为 JSON 对象({"format": "catalog/1", …})')
        return []
    for key in data:
        if key not in ("format", "departments"):
            report.warn(key, "未知的字段,已忽略")
    if data.get("format") != FORMAT:
        report.error("format", f"应为「{FORMAT}」,不是「{data.get('format', '')}」")
    raw_departments = data.get("departments")
    if not isinstance(raw_departments, list):
        report.error("departments", "缺少部门列表")
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
                report.error(f"{where}.{key}", "应为列表")
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
        report.error(f"{code}.promised_days", "承诺时限不能大于法定时限")
    elif item.get("kind") == ItemKind.PROMISED.chinese_label and promised == 0:
        report.error(
            f"{code}.promised_days",
            "承诺件的承诺时限至少为 1 个工作日(当场办结请填即办件)",
        )
    if item.get("lead_division") in item.get("co_divisions", []):
        report.error(f"{code}.co_divisions", "协办处室不能包含牵头处室")


def _check_duplicates(departments, report):
    for what, records in (
        ("部门代码", [d.record for d in departments]),
        ("处室代码", [v for d in departments for v in d.divisions]),
        ("事项编码", [i for d in departments for i in d.items]),
    ):
        seen = set()
        for record in records:
            code = record.get("code")
            if code is None:
                continue
            # Item codes become URL slugs in lower case, so case must not tell apart.
            key = code.lower()
            if key in seen:
                report.error(f"{code}.code", f"{what}在文件中重复出现")
            seen.add(key)


# Stage 2: check codes against the database


def _chunks(values):
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def latest_revisions(pages, parent):
    """Each page (children of `parent`) as its latest revision, what
    `get_latest_revision_as_object` gives, with the revisions of the pages that have
    unpublished changes loaded in one query and the parent known without one."""
    pages = list(pages)
    drafts = [p.latest_revision_id for p in pages if p.has_unpublished_changes]
    revisions = Revision.objects.in_bulk(drafts)
    latest = []
    for page in pages:
        page._cached_parent_obj = parent
        revision = revisions.get(page.latest_revision_id)
        if page.has_unpublished_changes and revision is not None:
            page.latest_revision = revision
            page = page.with_content_json(revision.content)
        latest.append(page)
    return latest


def department_codes_by_path():
    """{path: code} of every department page, to place divisions and items."""
    return dict(DepartmentPage.objects.values_list("path", "code"))


def check_references(departments, report):
    """Codes in the file against the database (see the module docstring)."""
    department_paths = department_codes_by_path()
    steplen = DepartmentPage.steplen

    division_owner = {}  # division code -> department code (file, then database)
    referenced = set()
    for department in departments:
        for division in department.divisions:
            division_owner.setdefault(division["code"], department.code)
        for item in department.items:
            referenced.add(item.get("lead_division"))
            referenced.update(item.get("co_divisions", []))
    in_file = set(division_owner)
    for chunk in _chunks((in_file | referenced) - {None}):
        for code, path in DivisionPage.objects.filter(code__in=chunk).values_list(
            "code", "path"
        ):
            owner = department_paths.get(path[:-steplen])
            if code in in_file and owner != division_owner[code]:
                report.error(f"{code}.code", f"该处室已属于部门 {owner},不能移到本部门")
            division_owner.setdefault(code, owner)

    for department in departments:
        for item in department.items:
            code = item.get("code")
            for key in ("lead_division", "co_divisions"):
                value = item.get(key)
                for division in [value] if isinstance(value, str) else value or []:
                    owner = division_owner.get(division)
                    if owner is None:
                        report.error(
                            f"{code}.{key}",
                            f"处室「{division}」既不在本文件中,也不在数据库中",
                        )
                    elif owner != department.code:
                        report.error(
                            f"{code}.{key}",
                            f"处室「{division}」属于部门 {owner},不是本部门"
                            f"({department.code})的处室",
                        )

    item_owner = {
        i["code"].lower(): (i["code"], d.code)
        for d in departments
        for i in d.items
        if "code" in i
    }
    for chunk in _chunks(item_owner):
        existing = (
            ServiceItemPage.objects.annotate(lower_code=Lower("code"))
            .filter(lower_code__in=chunk)
            .values_list("code", "path")
        )
        for code, path in existing:
            file_code, file_department = item_owner[code.lower()]
            owner = department_paths.get(path[: -2 * steplen])
            if code != file_code:
                report.error(
                    f"{file_code}.code",
                    f"已有仅大小写不同的事项编码 {code},请统一写法",
                )
            elif owner != file_department:
                report.error(
                    f"{code}.code",
                    f"该事项已属于部门 {owner} 的事项目录,不能移到本部门",
                )


# Stage 3: compare and apply


def default_home_page():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise ValueError("没有默认站点,无法确定部门页面的上级页面。")
    return site.root_page.specific


# Model field of each catalog/1 key where the names differ, for validation messages.
MODEL_FIELD_KEYS = {
    "title": "name",
    "item_type": "type",
    "public_hours": "hours",
    "hotline": "phone",
    "originals": "original",
    "slug": "code",
}


class _Importer:
    """Stage 3 for one file, inside the caller's transaction."""

    def __init__(self, report, publish, dry_run, user, home_page, progress):
        self.report = report
        self.publish = publish
        self.dry_run = dry_run
        self.user = user
        self.home_page = home_page
        self.progress = progress or (lambda done, total: None)
        self.written = []  # pages created or changed, to reindex references
        self.last_child_paths = {}  # parent pk -> path of its newest child
        self.new_children = Counter()  # parent pk -> children created by create_item

    def update_reference_index(self):
        for page in self.written:
            ReferenceIndex.create_or_update_for_object(page)

    def apply(self, departments):
        total = sum(len(d.items) for d in departments)
        self.done = 0
        self.progress(0, total)
        for records in departments:
            department = self.department(records.record)
            divisions = {
                record["code"]: self.division(department, record)
                for record in records.divisions
            }
            catalog = self.catalog(department) if records.items else None
            self.items(department, catalog, divisions, records.items, total)

    # Pages of the disclosure app: only the keys present are compared and set.

    def department(self, record):
        page = DepartmentPage.objects.filter(code=record["code"]).first()
        if page is None:
            home = self.home_page or default_home_page()
            page = DepartmentPage(
                code=record["code"],
                slug=find_available_slug(home, record["code"].lower()),
            )
            self.assign_department(page, record)
            return self.create(DEPARTMENT, home, page, record["code"])
        current = page.get_latest_revision_as_object()
        if self.partial_equal(exporting.department_record(current), record):
            return self.unchanged(DEPARTMENT, page)
        self.assign_department(current, record)
        self.update(DEPARTMENT, current, record["code"])
        return page

    @staticmethod
    def assign_department(page, record):
        page.title = record["name"]
        for key, attribute in (
            ("address", "address"),
            ("hours", "public_hours"),
            ("phone", "hotline"),
        ):
            if key in record:
                setattr(page, attribute, record[key])

    def division(self, department, record):
        page = DivisionPage.objects.filter(code=record["code"]).first()
        if page is None:
            page = DivisionPage(code=record["code"])
            self.assign_division(page, record)
            if department.pk is None:  # a dry run of a new department
                return self.create(DIVISION, None, page, record["code"])
            short = record["code"].split("-", 1)[-1].lower()
            page.slug = find_available_slug(department, short)
            return self.create(DIVISION, department, page, record["code"])
        current = page.get_latest_revision_as_object()
        if self.partial_equal(exporting.division_record(current), record):
            return self.unchanged(DIVISION, page)
        self.assign_division(current, record)
        self.update(DIVISION, current, record["code"])
        return page

    @staticmethod
    def assign_division(page, record):
        page.title = record["name"]
        if "duties" in record:
            page.duties = [("duty", duty) for duty in record["duties"]]
        for key in ("phone", "room"):
            if key in record:
                setattr(page, key, record[key])

    def catalog(self, department):
        catalog = None
        if department.pk is not None:
            catalog = ServiceCatalogPage.objects.child_of(department).first()
        if catalog is not None:
            return self.unchanged(CATALOG, catalog)
        catalog = ServiceCatalogPage(title=CATALOG_TITLE)
        if department.pk is not None:
            catalog.slug = find_available_slug(department, CATALOG_SLUG)
        return self.create(CATALOG, department, catalog, department.code)

    # Service items: described completely by their record.

    def items(self, department, catalog, divisions, records, total):
        if not records:
            return
        division_pages = dict(divisions)
        codes_by_id = {}
        if department.pk is not None:
            for division in DivisionPage.objects.descendant_of(department):
                division_pages.setdefault(division.code, division)
        for code, page in division_pages.items():
            if page.pk is not None:
                codes_by_id[page.pk] = code
        existing = {}
        if catalog is not None and catalog.pk is not None:
            for chunk in _chunks(r["code"] for r in records):
                pages = (
                    ServiceItemPage.objects.child_of(catalog)
                    .filter(code__in=chunk)
                    .select_related("locale")
                    .prefetch_related("materials", "steps", "co_divisions")
                )
                existing.update(
                    (page.code, page) for page in latest_revisions(pages, catalog)
                )
        for record in records:
            current = existing.get(record["code"])
            if current is None:
                self.create_item(catalog, record, division_pages)
            elif exporting.item_record(current, codes_by_id) == record:
                self.unchanged(ITEM, current)
            else:
                if not self.dry_run:
                    old_materials = list(current.materials.all())
                    self.assign_item(current, record, division_pages, old_materials)
                self.update(ITEM, current, record["code"])
            self.done += 1
            self.progress(self.done, total)
        self.save_child_counts()

    def create_item(self, catalog, record, divisions):
        """Create a new item with a single save (the bulk of a large import).

        The end state is what ``add_child`` + ``save_revision`` (+ ``publish``) give —
        tree position, draft or live, one revision, the create/edit/publish log
        entries and the ``page_published`` signal — without saving the page three
        times and validating it twice: the record is already checked, and the model's
        own checks (divisions, time limits, code) are the ones stage 1 and 2 ran.
        """
        self.report.counts[ITEM, CREATED] += 1
        if self.dry_run:
            return
        page = ServiceItemPage(code=record["code"])
        self.assign_item(page, record, divisions, [])
        now = timezone.now()
        page.path = self.next_child_path(catalog)
        page.depth = catalog.depth + 1
        page.numchild = 0
        page._cached_parent_obj = catalog  # treebeard's parent cache: no query
        page.owner = self.user
        page.live = self.publish
        page.has_unpublished_changes = not self.publish
        if self.publish:
            page.first_published_at = page.last_published_at = now
        # What minimal_clean() would set; the slug (the code in lower case) is free,
        # as codes are unique whatever their case (stage 2).
        page.draft_title = page.title
        page.locale_id = catalog.locale_id
        page.save(clean=False, user=self.user)  # logs wagtail.create
        revision = Revision.objects.create(
            content_object=page,
            base_content_type=page.get_base_content_type(),
            user=self.user,
            content=page.serializable_data(),
            object_str=str(page),
        )
        page.latest_revision = revision
        page.latest_revision_created_at = revision.created_at
        page.live_revision = revision if self.publish else None
        Page.objects.filter(pk=page.pk).update(
            latest_revision=revision,
            latest_revision_created_at=revision.created_at,
            live_revision=page.live_revision,
        )
        log(page, "wagtail.edit", user=self.user, revision=revision)
        if self.publish:
            log(page, "wagtail.publish", user=self.user, revision=revision)
            page_published.send(
                sender=ServiceItemPage, instance=page, revision=revision
            )
            published.send(sender=ServiceItemPage, instance=page, revision=revision)
        self.written.append(page)

    def next_child_path(self, parent):
        """The tree path of the next new child of `parent` (treebeard's scheme)."""
        last = self.last_child_paths.get(parent.pk)
        if last is None:
            child = parent.get_last_child()
            last = child.path if child is not None else None
        if last is None:
            path = Page._get_path(parent.path, parent.depth + 1, 1)
        else:
            path = Page(path=last)._inc_path()
        self.last_child_paths[parent.pk] = path
        self.new_children[parent.pk] += 1
        return path

    def save_child_counts(self):
        for pk, count in self.new_children.items():
            Page.objects.filter(pk=pk).update(numchild=F("numchild") + count)
        self.new_children.clear()

    @staticmethod
    def assign_item(page, record, divisions, old_materials):
        page.title = record["name"]
        page.slug = record["code"].lower()
        page.item_type = ItemType.from_label(record["type"]).value
        page.kind = ItemKind.from_label(record["kind"]).value
        page.audience = [Audience.from_label(a).value for a in record["audience"]]
        page.lead_division = divisions[record["lead_division"]]
        page.co_divisions = [divisions[code] for code in record["co_divisions"]]
        page.basis = [("item", text) for text in record["basis"]]
        page.conditions = [("item", text) for text in record["conditions"]]
        page.special_procedures = [
            ("item", text) for text in record["special_procedures"]
        ]
        for key in (
            "statutory_days",
            "promised_days",
            "fee",
            "result",
            "result_delivery",
            "location",
            "hours",
            "phone",
            "complaint_channel",
            "online",
            "visits",
        ):
            setattr(page, key, record[key])
        page.faqs = [("faq", dict(faq)) for faq in record["faqs"]]
        documents = {m.name: m for m in old_materials}
        materials = []
        for order, material in enumerate(record["materials"]):
            kept = documents.get(material["name"])
            materials.append(
                ServiceItemMaterial(
                    sort_order=order,
                    name=material["name"],
                    required=material["required"],
                    originals=material["original"],
                    copies=material["copies"],
                    format_notes=material["format_notes"],
                    source=material["source"],
                    blank_form_id=kept.blank_form_id if kept else None,
                    sample_id=kept.sample_id if kept else None,
                )
            )
        page.materials = materials
        page.steps = [
            ServiceItemStep(
                sort_order=order,
                name=step["name"],
                handled_by=StepActor.from_label(step["handled_by"]).value,
                days=step["days"],
                description=step["description"],
            )
            for order, step in enumerate(record["steps"])
        ]

    # Writing

    @staticmethod
    def partial_equal(current, record):
        return all(current.get(key) == value for key, value in record.items())

    def unchanged(self, kind, page):
        """Content already as in the file; with `publish`, publish a pending draft.

        A department or division is only described in part by the file, so a draft
        of a live one may hold an editor's other changes, still under review: only
        a page never published (an earlier import's draft) is published then.
        """
        pending = page.has_unpublished_changes or not page.live
        if kind in (DEPARTMENT, DIVISION):
            pending = not page.live
        if self.publish and pending:
            return self.publish_latest(kind, page)
        self.report.counts[kind, UNCHANGED] += 1
        return page

    def create(self, kind, parent, page, code):
        self.report.counts[kind, CREATED] += 1
        if self.dry_run:
            return page
        page.live = False  # a draft until published below (or by an editor)
        with self.validation_errors(code):
            parent.add_child(instance=page)
            revision = page.save_revision(user=self.user, log_action=True)
            if self.publish:
                revision.publish(user=self.user, skip_permission_checks=True)
        self.written.append(page)
        return page

    def update(self, kind, page, code):
        self.report.counts[kind, UPDATED] += 1
        if self.dry_run:
            return page
        with self.validation_errors(code):
            revision = page.save_revision(user=self.user, log_action=True)
            if self.publish:
                revision.publish(user=self.user, skip_permission_checks=True)
        self.written.append(page)
        return page

    def publish_latest(self, kind, page):
        """A page whose content already matches but whose draft is unpublished."""
        self.report.counts[kind, PUBLISHED] += 1
        if not self.dry_run:
            revision = page.get_latest_revision() or page.save_revision(user=self.user)
            revision.publish(user=self.user, skip_permission_checks=True)
            self.written.append(page)
        return page

    def validation_errors(self, code):
        return _validation_errors(self.report, code)


@contextmanager
def _validation_errors(report, code):
    """Turn a model validation error while saving into report errors (code.field)
    and abort the import: the model's own checks are the last line of defence."""
    try:
        yield
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                key = MODEL_FIELD_KEYS.get(name, name)
                for message in messages:
                    report.error(f"{code}.{key}", message)
        else:
            for message in exc.messages:
                report.error(code, message)
        raise _Abort from exc
