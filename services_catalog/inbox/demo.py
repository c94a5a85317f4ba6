"""Demo filings (DESIGN §5): for each demo department, one filing in each intake
state (submitted, supplemented and back in the queue, waiting for a supplement,
accepted, refused, withdrawn), made through the workflow so that timelines, audit
log and due dates are real. Idempotent: departments that already have filings are
skipped."""

import uuid

from django.core.files.base import ContentFile
from django.db import transaction

from services_catalog.inbox import workflow
from services_catalog.inbox.models import Filing, FilingUpload, MaterialStatus

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
APPLICANTS = [
    ("person", "王建国", "11010519491231002X"),
    ("organisation", "长春市绿源环保科技有限公司", "91350100M000100Y43"),
]
SCENARIOS = [
    ("submitted", []),
    ("supplemented", ["request_supplement", "supplement"]),
    ("supplement_requested", ["request_supplement"]),
    ("accepted", ["accept"]),
    ("refused", ["refuse"]),
    ("withdrawn", ["withdraw"]),
]


def _checklist(filing, missing=False):
    return [
        workflow.ChecklistEntry(
            material,
            MaterialStatus.MISSING
            if missing and material.required
            else MaterialStatus.RECEIVED,
            "请提供加盖公章的原件扫描件。" if missing and material.required else "",
        )
        for material in filing.materials.all()
    ]


def _file(item, clerk, index, steps):
    token = uuid.uuid4()
    for material in item.materials.all()[:2]:
        FilingUpload.objects.create(
            form_token=token,
            item_material=material,
            file=ContentFile(PDF, name=f"{material.name}.pdf"),
            original_name=f"{material.name}.pdf",
            content_type="application/pdf",
            size=len(PDF),
            source="online",
        )
    kind, name, number = APPLICANTS[index % 2]
    filing, _code = workflow.create_filing(
        item,
        {
            "applicant_type": kind,
            "applicant_name": name,
            "id_number": number,
            "mobile": "13800138000",
            "email": "",
            "address": "吉林省长春市人民大街 100 号",
            "statement": "演示申请。",
        },
        form_token=token,
    )
    for step in steps:
        if step == "request_supplement":
            workflow.request_supplement(filing, clerk, _checklist(filing, True))
        elif step == "supplement":
            workflow.record_supplement(filing, uuid.uuid4(), "已补交盖章材料。")
        elif step == "accept":
            workflow.accept_filing(filing, clerk, _checklist(filing))
        elif step == "refuse":
            workflow.refuse_filing(
                filing,
                clerk,
                "申请事项不属于本机关职权范围。",
                "《中华人民共和国行政许可法》第三十二条第一款第(二)项",
                _checklist(filing),
            )
        elif step == "withdraw":
            workflow.withdraw_filing(filing, "申请人主动撤回。")
    return filing


@transaction.atomic
def load_inbox_demo(home_page, stdout):
    """Filings in each intake state for every department with online items."""
    from django.contrib.auth import get_user_model

    from disclosure.models import DepartmentPage
    from services_catalog.models import ServiceItemPage

    for department in DepartmentPage.objects.child_of(home_page).order_by("path"):
        if Filing.objects.filter(department=department).exists():
            continue
        items = list(
            ServiceItemPage.objects.live()
            .descendant_of(department)
            .filter(online=True)
            .order_by("path")
        )
        if not items:
            continue
        clerk = (
            get_user_model()
            .objects.filter(staff_membership__department=department)
            .filter(groups__name="窗口收发文")
            .first()
        )
        for index, (_label, steps) in enumerate(SCENARIOS):
            _file(items[index % len(items)], clerk, index, steps)
        stdout.write(f"办件:{department.title} {len(SCENARIOS)} 件演示办件\n")
