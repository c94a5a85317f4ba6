"""Test data of the filing inbox: a department with a catalog item, clerks, files."""

import io
import uuid
import zipfile

from disclosure.permissions import assign_staff
from portal import roles
from services_catalog.models import (
    ServiceCatalogPage,
    ServiceItemMaterial,
    ServiceItemPage,
)
from tests.factories import DepartmentPageFactory, DivisionPageFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120

VALID_ID = "11010519491231002X"
VALID_USCC = "91350100M000100Y43"


def ofd_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("OFD.xml", "<ofd:OFD/>")
    return buffer.getvalue()


def make_item(home_page, code=None, department=None, online=True, **fields):
    """A published item with two materials (the first required) in a department."""
    if department is None:
        department = DepartmentPageFactory(parent=home_page)
    division = DivisionPageFactory(parent=department)
    catalog = ServiceCatalogPage(
        title="办事指南", slug=f"shixiang-{uuid.uuid4().hex[:6]}"
    )
    department.add_child(instance=catalog)
    item = ServiceItemPage(
        title=fields.pop("title", "排污许可证核发"),
        code=code or f"T{uuid.uuid4().hex[:10].upper()}",
        item_type="licensing",
        kind="promised",
        audience=["person", "organisation"],
        lead_division=division,
        statutory_days=fields.pop("statutory_days", 20),
        promised_days=fields.pop("promised_days", 10),
        online=online,
        **fields,
    )
    catalog.add_child(instance=item)
    ServiceItemMaterial.objects.create(
        page=item, name="申请书", required=True, sort_order=0
    )
    ServiceItemMaterial.objects.create(
        page=item, name="身份证明复印件", required=False, sort_order=1
    )
    return ServiceItemPage.objects.get(pk=item.pk)


def make_clerk(department, username=None):
    user = UserFactory(username=username or f"clerk-{uuid.uuid4().hex[:6]}")
    assign_staff(user, department, staff_roles=[roles.CLERK])
    return user


def applicant(**overrides):
    data = {
        "applicant_type": "person",
        "applicant_name": "张三",
        "id_number": VALID_ID,
        "mobile": "13800138000",
        "email": "zhangsan@example.com",
        "address": "长春市朝阳区人民大街 100 号",
        "statement": "申请核发排污许可证。",
    }
    data.update(overrides)
    return data
