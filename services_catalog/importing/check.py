"""Stage 2 of an import: the codes of a parsed file against the database.

A department's own staff may import only their department (`check_scope`); divisions
an item names must be its department's, in the file or already in the database; a
division or item code may not belong to another department; and item codes, which
become URL slugs in lower case, may not differ from an existing one only by case.
"""

from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from disclosure.models import DepartmentPage, DivisionPage
from services_catalog.models import ServiceItemPage

CHUNK = 500  # codes per IN (...) query


def chunks(values):
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def check_scope(departments, allowed, report):
    """With `allowed` (a set of department codes), refuse any other department."""
    if allowed is None:
        return
    for department in departments:
        if department.code not in allowed:
            report.error(
                department.code,
                _("您只能导入本部门的事项目录，不能修改该部门"),
            )


def _department_of(path, department_paths):
    """The code of the department whose subtree holds `path`."""
    for department_path, code in department_paths.items():
        if path.startswith(department_path):
            return code
    return None


def check_references(departments, report):
    """Division and item codes of the file against the database."""
    department_paths = dict(DepartmentPage.objects.values_list("path", "code"))

    division_owner = {}  # division code -> department code (file, then database)
    referenced = set()
    for department in departments:
        for division in department.divisions:
            division_owner.setdefault(division["code"], department.code)
        for item in department.items:
            referenced.add(item.get("lead_division"))
            referenced.update(item.get("co_divisions", []))
    in_file = set(division_owner)
    for chunk in chunks((in_file | referenced) - {None}):
        for code, path in DivisionPage.objects.filter(code__in=chunk).values_list(
            "code", "path"
        ):
            owner = _department_of(path, department_paths)
            if code in in_file and owner != division_owner[code]:
                report.error(
                    f"{code}.code",
                    _("该处室已属于部门 %(owner)s，不能移到本部门") % {"owner": owner},
                )
            division_owner.setdefault(code, owner)

    for department in departments:
        for item in department.items:
            _check_item_divisions(item, department.code, division_owner, report)

    item_owner = {
        i["code"].lower(): (i["code"], d.code)
        for d in departments
        for i in d.items
        if "code" in i
    }
    for chunk in chunks(item_owner):
        existing = (
            ServiceItemPage.objects.annotate(lower_code=Lower("code"))
            .filter(lower_code__in=chunk)
            .values_list("code", "path")
        )
        for code, path in existing:
            file_code, file_department = item_owner[code.lower()]
            owner = _department_of(path, department_paths)
            if code != file_code:
                report.error(
                    f"{file_code}.code",
                    _("已有仅大小写不同的事项编码 %(code)s，请统一写法")
                    % {"code": code},
                )
            elif owner != file_department:
                report.error(
                    f"{code}.code",
                    _("该事项已属于部门 %(owner)s 的事项目录，不能移到本部门")
                    % {"owner": owner},
                )


def _check_item_divisions(item, department_code, division_owner, report):
    code = item.get("code")
    for key in ("lead_division", "co_divisions"):
        value = item.get(key)
        for division in [value] if isinstance(value, str) else value or []:
            owner = division_owner.get(division)
            if owner is None:
                report.error(
                    f"{code}.{key}",
                    _("处室「%(division)s」既不在本文件中，也不在数据库中")
                    % {"division": division},
                )
            elif owner != department_code:
                report.error(
                    f"{code}.{key}",
                    _(
                        "处室「%(division)s」属于部门 %(owner)s，"
                        "不是本部门（%(department)s）的处室"
                    )
                    % {
                        "division": division,
                        "owner": owner,
                        "department": department_code,
                    },
                )
