"""Demo filings (DESIGN §5): for each demo department, filings in every state —
intake (submitted, supplemented, waiting for a supplement, accepted, refused,
withdrawn) and handling (assigned, in progress with an inspection, suspended,
completed, issued, collected and rated), some due soon and some overdue, and the
licensing law's clock (pre-review overdue, deemed accepted, extended, a special
procedure with its notice, issue overdue, an immediate item decided at the window,
results numbered by the outgoing register) — made through the workflow so that
timelines, audit log and due dates are real; plus
urging notices, complaints, an accountability record and ratings (one of last
month) with the follow-ups of the bad ones (差评整改: one closed with its reply to
the applicant, one overdue), so that the supervision dashboard and the public
rating statistics are meaningful out of the box. Idempotent: departments that
already have filings are skipped."""

import datetime
import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from portal import roles
from portal.workdays import add_workdays, is_workday
from services_catalog.inbox import clock, records, workflow
from services_catalog.inbox.models import (
    AppointmentKind,
    ComplaintStatus,
    Filing,
    FilingUpload,
    FollowUpStatus,
    MaterialStatus,
    NoteKind,
    OutgoingDocumentType,
    Rating,
    RatingFollowUp,
    SpecialProcedureKind,
)

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
    ("assigned", ["accept", "instruct"]),
    ("in_progress", ["accept", "instruct", "opinion", "progress", "inspection"]),
    ("due_soon", ["accept", "instruct", "progress", "due_soon"]),
    ("overdue", ["accept", "instruct", "progress", "overdue"]),
    ("overdue_assigned", ["accept", "instruct", "overdue"]),
    ("suspended", ["accept", "instruct", "progress", "suspend"]),
    ("completed", ["accept", "instruct", "progress", "complete"]),
    ("issued", ["accept", "instruct", "progress", "complete", "issue", "rate:4"]),
    (
        "collected",
        ["accept", "instruct", "progress", "complete", "issue", "collect", "rate:5"],
    ),
    ("pre_review_overdue", ["received_late"]),
    ("deemed_accepted", ["received_late", "deem_accepted", "instruct"]),
    ("extended", ["accept", "instruct", "progress", "extend"]),
    ("issue_overdue", ["accept", "instruct", "progress", "complete", "issue_late"]),
    ("immediate", ["at_window", "issue"]),
    (
        "collected_poor",
        ["accept", "instruct", "progress", "complete", "issue", "collect", "rate:1"],
    ),
    # The supervision records below refer to the last filing: keep it last.
    ("collected_late", ["accept", "instruct", "late", "complete", "issue", "rate:2"]),
]
PREFIXES = {"SJ": "吉市监许", "ST": "吉环许"}
"""The outgoing-number prefixes (机关代字) of the demo departments."""


def _workdays_before(day, count):
    while count:
        day -= datetime.timedelta(days=1)
        count -= is_workday(day)
    return day


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


class Staff:
    """The demo department's people by role (any may be missing in tests)."""

    def __init__(self, department, clerk):
        from django.contrib.auth import get_user_model

        from disclosure.models import DivisionPage

        def first(role):
            return (
                get_user_model()
                .objects.filter(staff_membership__department=department)
                .filter(groups__name=roles.group_name(role))
                .select_related("staff_membership__division")
                .order_by("pk")
                .first()
            )

        self.clerk = clerk
        self.director = first(roles.Role.DIRECTOR) or clerk
        self.handler = first(roles.Role.HANDLER) or clerk
        self.supervisor = first(roles.Role.SUPERVISOR) or clerk
        divisions = [
            d
            for d in DivisionPage.objects.child_of(department).order_by("path")
            if not d.code.endswith(("-BGS", "-JCS"))
        ]
        membership = getattr(self.handler, "staff_membership", None)
        self.lead = (membership and membership.division) or (
            divisions[0] if divisions else None
        )
        self.co = [d for d in divisions if self.lead and d.pk != self.lead.pk][:1]


def _backdate(filing, **fields):
    Filing.objects.filter(pk=filing.pk).update(**fields)
    filing.refresh_from_db()


def _backdate_to_due(filing, due):
    _backdate(filing, promised_due_date=due)


def _received_late(filing, today):
    """Materials received 7 working days ago and never pre-reviewed."""
    received = _workdays_before(today, clock.PRE_REVIEW_WORKDAYS + 2)
    moment = timezone.make_aware(datetime.datetime.combine(received, datetime.time(10)))
    _backdate(
        filing,
        submitted_at=moment,
        received_on=received,
        pre_review_due_date=clock.pre_review_due(received).due,
    )


def _handle(filing, staff, step):
    today = timezone.localdate()
    if step == "instruct" and staff.lead:
        workflow.instruct_filing(
            filing, staff.director, staff.lead, staff.co, "请牵头办理，按承诺时限办结。"
        )
    elif step == "opinion" and staff.co:
        workflow.add_note(
            filing,
            staff.handler,
            staff.co[0],
            "经核，同意牵头处室意见。",
            NoteKind.OPINION,
        )
    elif step == "progress" and staff.lead:
        workflow.add_note(
            filing, staff.handler, staff.lead, "已审查申请材料，符合要求。"
        )
    elif step == "inspection":
        appointment = workflow.request_appointment(
            filing, staff.handler, AppointmentKind.INSPECTION, "核实生产经营场所。"
        )
        when = timezone.make_aware(
            datetime.datetime.combine(add_workdays(today, 2).due, datetime.time(9, 30))
        )
        workflow.schedule_appointment(appointment, staff.clerk, when, "申请人经营场所")
    elif step == "due_soon":
        _backdate_to_due(filing, add_workdays(today, 1).due)
    elif step == "overdue":
        _backdate_to_due(filing, today - datetime.timedelta(days=3))
    elif step == "late":
        _backdate_to_due(filing, today - datetime.timedelta(days=1))
    elif step == "suspend":
        workflow.suspend_filing(
            filing,
            staff.handler,
            SpecialProcedureKind.TESTING,
            "委托第三方机构检测产品样品。",
            15,
        )
    elif step == "extend":
        workflow.extend_filing(
            filing,
            staff.director,
            "需组织专家对工艺方案进行论证，法定期限内不能作出决定。",
        )
    elif step == "complete":
        workflow.complete_filing(
            filing,
            staff.handler,
            "approved",
            document=ContentFile(PDF, name="办理结果.pdf"),
        )
    elif step == "issue_late":
        _backdate(filing, issue_due_date=today - datetime.timedelta(days=2))
    elif step == "issue":
        workflow.issue_result(filing, staff.clerk, "pickup")
    elif step == "collect":
        workflow.record_collection(filing, staff.clerk)
    elif step.startswith("rate:"):
        score = int(step.split(":")[1])
        workflow.rate_filing(
            filing, score, "办理及时，窗口服务热情。" if score > 3 else "等待时间较长。"
        )


def _holding(user, permission):
    """`user` if they hold `permission` (the demo's stand-ins may not), else None."""
    return user if user is not None and user.has_perm(permission) else None


def _supervision(department, staff, filings):
    """Urging notices, complaints and an accountability record, written through
    `records` as the inspection office would (without an inspection office or a
    handler among the demo users, only what needs none: the public's complaints)."""
    today = timezone.localdate()
    supervisor = _holding(staff.supervisor, "inbox.supervise_filing")
    handler = _holding(staff.handler, "inbox.change_urgingnotice")
    overdue = [f for f in filings if f.lead_division_id and f.is_open]
    if staff.lead and overdue and supervisor:
        answered = records.issue_urging(
            supervisor,
            department,
            division=staff.lead,
            filing=overdue[0],
            text="该件已超过承诺办结时限，请说明原因并于 2 个工作日内办结。",
            reply_by=add_workdays(today, 2).due,
        )
        if handler is not None:
            records.answer_urging(
                answered,
                handler,
                answered.version,
                answer="已加快办理，专家评审意见已收到，预计明日办结。",
            )
        records.issue_urging(
            supervisor,
            department,
            division=staff.lead,
            filing=overdue[-1],
            text="请报告办理进度。",
            reply_by=add_workdays(today, 3).due,
        )
    complaint = records.file_complaint(
        department,
        filing=filings[-1],
        division=staff.lead,
        name="刘女士",
        contact="13900139000",
        text="办理超过承诺时限，电话询问无人答复。",
    )
    records.file_complaint(
        department,
        division=staff.lead,
        name="某企业",
        contact="0431-88888888",
        text="窗口告知的材料清单与办事指南不一致。",
    )
    _ratings(department, supervisor)
    if supervisor is None:
        return
    records.handle_complaint(
        complaint,
        supervisor,
        complaint.version,
        status=ComplaintStatus.CLOSED,
        handling="经核实属实，已督促处室办结并向申请人致歉。",
    )
    records.record_accountability(
        supervisor,
        department,
        post=staff.lead.posts.first() if staff.lead else None,
        filing=filings[-1],
        complaint=complaint,
        finding="未在承诺时限内办结，且未及时答复申请人询问。",
        measure="对承办人批评教育，责令书面检查。",
        decided_on=today,
    )


def _ratings(department, supervisor):
    """The best rating moved to last month (two months in the statistics); of the
    bad ones, the newest followed up and closed, the other left overdue."""
    today = timezone.localdate()
    ratings = Rating.objects.filter(filing__department=department)
    best = ratings.order_by("-score", "pk").first()
    if best is not None:
        last_month = today.replace(day=1) - datetime.timedelta(days=10)
        ratings.filter(pk=best.pk).update(
            created_at=timezone.make_aware(
                datetime.datetime.combine(last_month, datetime.time(15))
            )
        )
    follow_ups = list(
        RatingFollowUp.objects.filter(department=department).order_by("-pk")
    )
    if not follow_ups:
        return
    closing, *late = follow_ups
    for follow_up in late:
        RatingFollowUp.objects.filter(pk=follow_up.pk).update(
            contact_due=_workdays_before(today, 2)
        )
    if supervisor is not None:
        records.handle_follow_up(
            closing,
            supervisor,
            closing.version,
            status=FollowUpStatus.CLOSED,
            contact_note="已电话联系申请人，了解到等待时间较长的原因。",
            findings="承办处室审查环节超出承诺时限一个工作日。",
            rectification="调整审查岗人员安排，超期前一日由监察室提醒。",
            reply="经核查，您反映的等待时间较长问题属实。我们已调整审查岗安排，"
            "今后超期前一日由监察室提醒。感谢您的监督。",
        )


def _file(item, clerk, index, steps, staff=None):
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
        if step == "received_late":
            _received_late(filing, timezone.localdate())
        elif step == "deem_accepted":
            workflow.deem_accepted(filing)
        elif step == "at_window":
            workflow.accept_and_complete(
                filing, clerk, "approved", checklist=_checklist(filing)
            )
        elif step == "request_supplement":
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
                "《中华人民共和国行政许可法》第三十二条第一款第（二）项",
                _checklist(filing),
            )
        elif step == "withdraw":
            workflow.withdraw_filing(filing, "申请人主动撤回。")
        elif staff is not None:
            _handle(filing, staff, step)
    return filing


def _item_for(steps, items, immediate, index):
    """An immediate item for the scenario decided at the window, else a promised
    one in turn (an immediate item's clock is 0 working days)."""
    if "at_window" in steps:
        return immediate[0]
    promised = [item for item in items if not item.is_immediate] or items
    return promised[index % len(promised)]


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
        staff = Staff(department, clerk)
        OutgoingDocumentType.objects.get_or_create(
            department=department,
            name="行政许可决定书",
            defaults={"prefix": PREFIXES.get(department.code, f"{department.code}许")},
        )
        immediate = [item for item in items if item.is_immediate]
        filings = [
            _file(
                _item_for(steps, items, immediate, index),
                clerk,
                index,
                steps,
                staff,
            )
            for index, (_label, steps) in enumerate(SCENARIOS)
            if "at_window" not in steps or immediate
        ]
        _supervision(department, staff, filings)
        stdout.write(
            f"办件：{department.title} {len(filings)} 件演示办件，督办单、投诉和评价\n"
        )
