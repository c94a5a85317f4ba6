"""Demo content of the reception app: for every demo department, a reception page,
the published duty roster of the current and the next month,
ten reception records (some public, with personal data typed into the text to show
the redaction) and a few appointment requests.

`portal.demo` calls `load_reception_demo(home_page, stdout)` after the disclosure demo.
It is idempotent: each part is created only where it is missing. The window clerk
logins that work on it (``clerk_sj``, ``clerk_st``) come from `portal.demo`.
"""

import datetime
import itertools

from django.db import transaction
from django.utils import timezone

from disclosure.models import DepartmentPage
from reception import appointments
from reception.models import (
    AppointmentRequest,
    LeaderUnavailability,
    ReceptionPage,
    ReceptionRecord,
    RosterEntry,
    RosterPeriod,
)
from reception.roster import (
    Pattern,
    department_leaders,
    generate_roster,
    month_bounds,
    shift_month,
    working_days,
)

RECORDS_PER_DEPARTMENT = 10
SCOPE = "业务办理来访，咨询、意见和建议，群众来访"

# (visitor name, contact, type, matter, result, follow-up status, public)
RECORDS = [
    (
        "王建华",
        "13904310001",
        ReceptionRecord.VisitorType.ENTERPRISE,
        "王建华反映公司申请的许可已受理 15 个工作日仍未办结，询问原因，"
        "留下电话 139 0431 0001 请求回复。",
        "经查该事项因需现场核查暂停计时，已当场说明并约定三个工作日内完成核查，"
        "由承办处室电话告知王建华。",
        ReceptionRecord.FollowUp.IN_PROGRESS,
        True,
    ),
    (
        "李秀英",
        "长春市朝阳区红旗街 88 号",
        ReceptionRecord.VisitorType.CITIZEN,
        "咨询个体工商户变更经营场所需要提交哪些材料，能否网上办理。",
        "已一次性告知所需材料清单，并演示网上申请流程。",
        ReceptionRecord.FollowUp.NONE,
        True,
    ),
    (
        "张伟",
        "0431-88776655",
        ReceptionRecord.VisitorType.CITIZEN,
        "对窗口工作人员答复不一致提出意见，身份证号 220102198805061234。",
        "已向来访人致歉，要求窗口统一答复口径，并将意见转监察室。",
        ReceptionRecord.FollowUp.DONE,
        True,
    ),
    (
        "刘芳",
        "liufang@example.com",
        ReceptionRecord.VisitorType.ORGANISATION,
        "某街道办事处询问联合执法检查的时间安排，联系人邮箱 liufang@example.com。",
        "已提供检查计划，约定由执法处室对接。",
        ReceptionRecord.FollowUp.NONE,
        False,
    ),
    (
        "陈明",
        "13504315678",
        ReceptionRecord.VisitorType.ENTERPRISE,
        "建议延长周四下午窗口办公时间，方便企业集中办理。",
        "建议已记录，提交办公会研究。",
        ReceptionRecord.FollowUp.PENDING,
        True,
    ),
    (
        "杨丽",
        "",
        ReceptionRecord.VisitorType.CITIZEN,
        "反映投诉处理结果未收到书面答复。",
        "经查答复函已于上周寄出，已补发电子版。",
        ReceptionRecord.FollowUp.DONE,
        False,
    ),
    (
        "赵强",
        "18643100999",
        ReceptionRecord.VisitorType.CITIZEN,
        "咨询补正材料后的办结时限如何计算。",
        "已说明补正期间不计入承诺时限，自补正材料之日起继续计算剩余工作日。",
        ReceptionRecord.FollowUp.NONE,
        True,
    ),
    (
        "黄静",
        "13756780000",
        ReceptionRecord.VisitorType.OTHER,
        "律师事务所代理企业询问行政复议的途径。",
        "已告知复议机关和申请期限。",
        ReceptionRecord.FollowUp.NONE,
        False,
    ),
    (
        "周涛",
        "13844441234",
        ReceptionRecord.VisitorType.ENTERPRISE,
        "企业负责人周涛反映年度检验排期过长，影响生产，请求加快。",
        "已协调承办处室调整排期，提前至下周安排。",
        ReceptionRecord.FollowUp.IN_PROGRESS,
        True,
    ),
    (
        "吴敏",
        "",
        ReceptionRecord.VisitorType.CITIZEN,
        "对窗口一次性告知制度的落实情况表示满意，提出增加导办人员的建议。",
        "感谢来访人的建议，已转办公室研究。",
        ReceptionRecord.FollowUp.NONE,
        True,
    ),
]

# (name, phone, e-mail, matter, decision or None for pending, reply)
APPOINTMENTS = [
    (
        "孙立新",
        "13611112222",
        "sunlixin@example.com",
        "想当面反映企业名称变更登记中遇到的问题。",
        AppointmentRequest.Status.CONFIRMED,
        "请携带营业执照副本，提前 10 分钟到一楼接访室。",
    ),
    ("马丽娟", "13933334444", "", "咨询食品经营许可延续的办理要求。", None, ""),
    (
        "郑国庆",
        "15055556666",
        "",
        "希望反映对检查结果的异议。",
        AppointmentRequest.Status.DECLINED,
        "该事项已进入行政复议程序，请按复议程序办理。",
    ),
]


def load_reception_demo(home_page, stdout):
    """Create what is missing of the reception demo under `home_page`'s departments."""
    today = timezone.localdate()
    months = [(today.year, today.month), shift_month(today.year, today.month, 1)]
    with transaction.atomic():
        departments = DepartmentPage.objects.child_of(home_page).live().order_by("path")
        for number, department in enumerate(departments):
            page = _reception_page(department)
            leaders = list(department_leaders(department))
            if not leaders:
                continue
            _unavailability(leaders[-1], months[1])
            pattern = Pattern.HALF_DAYS if number % 2 == 0 else Pattern.FULL_DAYS
            for year, month in months:
                _roster(department, year, month, pattern)
            _records(department, today)
            _appointments(page, today, stdout)
            stdout.write(f"领导接访：{department.title}（{page.url_path}）")


def _reception_page(department):
    page = ReceptionPage.objects.child_of(department).first()
    if page is not None:
        return page
    page = ReceptionPage(
        title="领导接访",
        slug="reception",
        show_in_menus=True,
        search_description=f"{department.title}领导接访值班表、接访记录公开和网上预约。",
        intro=(
            "<p>本部门实行部门及处室负责人接访制度，重点接待业务办理来访，"
            "接受咨询、意见和建议，同时接待群众来访。接访内容和处理结果按规定公开。</p>"
        ),
        appointment_notice="请如实填写反映事项；接访时请携带身份证件和相关材料。",
    )
    department.add_child(instance=page)
    page.save_revision().publish()
    return page


def _unavailability(leader, year_month):
    first, _last = month_bounds(*year_month)
    start = first + datetime.timedelta(days=9)
    LeaderUnavailability.objects.get_or_create(
        person=leader,
        start_date=start,
        defaults={
            "end_date": start + datetime.timedelta(days=4),
            "reason": "外出学习",
        },
    )


def _roster(department, year, month, pattern):
    start, end = month_bounds(year, month)
    probe = RosterPeriod(department=department, start_date=start, end_date=end)
    if probe.overlapping_periods().exists():
        return
    proposal = generate_roster(
        department,
        start,
        end,
        pattern=pattern,
        location=f"{department.address or '政务服务中心'} 接访室",
        scope=SCOPE,
    )
    period = probe
    period.title = period.default_title()
    period.entries = proposal.entries
    period.save()
    period.save_revision().publish()


def _records(department, today):
    if ReceptionRecord.objects.filter(department=department).exists():
        return
    since = today - datetime.timedelta(days=45)
    entries = list(
        RosterEntry.objects.published()
        .of_department(department)
        .between(since, today)
        .in_display_order()
    )
    fallback = list(department_leaders(department))
    days = working_days(since, today - datetime.timedelta(days=1))[
        -RECORDS_PER_DEPARTMENT:
    ]
    for index, (day, data) in enumerate(zip(days, RECORDS, strict=False)):
        on_duty = [entry.leader for entry in entries if entry.date == day]
        leader = (on_duty or fallback)[index % len(on_duty or fallback)]
        name, contact, visitor_type, matter, result, follow_up, public = data
        ReceptionRecord.objects.create(
            department=department,
            date=day,
            leader=leader,
            visitor_name=name,
            visitor_contact=contact,
            visitor_type=visitor_type,
            matter=matter,
            result=result,
            follow_up_status=follow_up,
            follow_up_deadline=(
                day + datetime.timedelta(days=10)
                if follow_up != ReceptionRecord.FollowUp.NONE
                else None
            ),
            is_public=public,
            is_archived=index < 3,
        )


def _appointments(page, today, stdout):
    department = page.department
    if AppointmentRequest.objects.filter(department=department).exists():
        return
    upcoming = (
        RosterEntry.objects.published()
        .of_department(department)
        .filter(date__gt=today)
        .in_display_order()
    )
    for entry, data in zip(itertools.islice(upcoming, 3), APPOINTMENTS, strict=False):
        name, phone, email, matter, decision, reply = data
        request, code = appointments.submit_request(
            page, entry.pk, name=name, phone=phone, email=email, matter=matter
        )
        if decision:
            appointments.decide(request, decision, reply, user=None, notify=False)
            request.save()
        stdout.write(
            f"  预约 {request.number} 查询码 {code}（{request.get_status_display()}）"
        )
