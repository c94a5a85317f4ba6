"""Test data of the filing inbox: a department with a catalog item, clerks, files,
and filings built up to a given step (`Office`)."""

import io
import uuid
import zipfile

from disclosure.permissions import assign_staff
from portal import roles
from services_catalog.inbox.models import OutgoingDocumentType
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
        audience=fields.pop("audience", ["person", "organisation"]),
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
    assign_staff(user, department, staff_roles=[roles.Role.CLERK])
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


def make_staff(department, role, division=None, username=None):
    """A staff user of `department` (and `division`) in one role group."""
    user = UserFactory(
        username=username or f"{role}-{uuid.uuid4().hex[:6]}",
        email=f"{role}-{uuid.uuid4().hex[:6]}@example.gov.cn",
    )
    assign_staff(user, department, division=division, staff_roles=[role])
    return user


def checklist(filing, status=None, note="", **overrides):
    """The pre-review checklist of every material of `filing`: `status` for each
    (received unless told), a material's own status by its name in `overrides`,
    and `note` on every entry."""
    from services_catalog.inbox import workflow
    from services_catalog.inbox.models import MaterialStatus

    status = status or MaterialStatus.RECEIVED
    return [
        workflow.ChecklistEntry(m, overrides.get(m.name, status), note)
        for m in filing.materials.all()
    ]


class Office:
    """One department's people for the handling tests: the window clerk, the
    director, a lead division and a co-division with a handler each, another
    division's handler, a supervisor, and a clerk of another department."""

    def __init__(self, home_page):
        self.item = make_item(home_page)
        self.department = self.item.department
        self.lead = self.item.lead_division
        self.co = DivisionPageFactory(parent=self.department)
        self.other = DivisionPageFactory(parent=self.department)
        self.clerk = make_staff(self.department, roles.Role.CLERK)
        self.director = make_staff(self.department, roles.Role.DIRECTOR)
        self.lead_handler = make_staff(self.department, roles.Role.HANDLER, self.lead)
        self.co_handler = make_staff(self.department, roles.Role.HANDLER, self.co)
        self.other_handler = make_staff(self.department, roles.Role.HANDLER, self.other)
        self.supervisor = make_staff(self.department, roles.Role.SUPERVISOR)
        self.document_type = OutgoingDocumentType.objects.create(
            department=self.department, name="行政许可决定书", prefix="吉市监许"
        )
        self.outsider_department = DepartmentPageFactory(parent=home_page)
        self.outsider = make_staff(self.outsider_department, roles.Role.CLERK)
        self.outsider_supervisor = make_staff(
            self.outsider_department, roles.Role.SUPERVISOR
        )

    def submit(self):
        from services_catalog.inbox import workflow

        filing, code = workflow.create_filing(
            self.item, applicant(), form_token=uuid.uuid4()
        )
        filing.access_code = code
        return filing

    def accepted(self):
        from services_catalog.inbox import workflow

        filing = self.submit()
        workflow.accept_filing(filing, self.clerk, checklist(filing))
        return filing

    def assigned(self):
        from services_catalog.inbox import workflow

        filing = self.accepted()
        workflow.instruct_filing(
            filing, self.director, self.lead, [self.co], "请牵头办理，按期办结。"
        )
        return filing

    def completed(self, document_name="许可决定书.pdf"):
        """An assigned filing its lead handler completed (approved) with a PDF
        result document named `document_name`."""
        from django.core.files.base import ContentFile

        from services_catalog.inbox import workflow

        filing = self.assigned()
        workflow.complete_filing(
            filing,
            self.lead_handler,
            "approved",
            document=ContentFile(PDF, name=document_name),
        )
        return filing

    def issued(self, document_name="许可决定书.pdf"):
        """A completed filing whose result the window clerk issued (for pickup)."""
        from services_catalog.inbox import workflow

        filing = self.completed(document_name)
        workflow.issue_result(filing, self.clerk, "pickup")
        return filing

    def rated(self, score=1, comment="等待时间太长。", filing=None):
        """A completed filing (or `filing`) rated by its applicant; a poor score
        (1 or 2) opens the inspection office's follow-up, `filing.rating.follow_up`."""
        from services_catalog.inbox import workflow

        filing = filing or self.completed()
        workflow.rate_filing(filing, score, comment)
        return filing
