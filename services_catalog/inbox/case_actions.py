"""What each role may do on a case, and how (DESIGN §5): one `CaseAction` per
workflow function offered on the case page.

An action says who may take it on a filing in its current state (`allowed`), the
form it asks for (every form carries the filing's `version` as the user saw it),
and which function of `services_catalog.inbox.workflow` it calls (`perform`) — the
workflow stays the only writer of `Filing.state`. `case_admin` turns each action
into one small form view of the case viewset.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from disclosure.models import DivisionPage
from disclosure.models.staff import division_of
from services_catalog.inbox import access, outgoing, workflow
from services_catalog.inbox.models import AppointmentStatus, FilingState, NoteKind
from services_catalog.inbox.staff_forms import (
    AppointmentRequestForm,
    AppointmentScheduleForm,
    CompletionForm,
    ExtensionForm,
    InstructionForm,
    IssueForm,
    NoteForm,
    SuspendForm,
    VersionedForm,
)
from services_catalog.inbox.wording import ACTION_LABELS

S = FilingState
HANDLING_STATES = (S.ASSIGNED, S.IN_PROGRESS)
NOTE_STATES = (S.ASSIGNED, S.IN_PROGRESS, S.SUSPENDED)


def _no_kwargs(filing):
    return {}


@dataclass(frozen=True)
class CaseAction:
    """One thing a role does on a case: `name` is the workflow's action code (its
    label is `ACTION_LABELS[name]`), `done` the message after it succeeded."""

    name: str
    form_class: type
    allowed: Callable
    perform: Callable
    done: str
    icon: str = "arrow-right"
    form_kwargs: Callable = field(default=_no_kwargs)

    @property
    def label(self):
        return ACTION_LABELS[self.name]


def _lead(user, filing, states):
    return filing.state in states and access.is_lead_handler(user, filing)


def _co(user, filing):
    return (
        filing.state in NOTE_STATES
        and access.is_co_handler(user, filing)
        and not access.is_lead_handler(user, filing)
    )


def _clerk(user, filing, state):
    return filing.state == state and access.is_clerk(user, filing)


def _requested(filing):
    return filing.appointments.filter(status=AppointmentStatus.REQUESTED)


def _divisions(filing):
    return {
        "divisions": DivisionPage.objects.child_of(filing.department).order_by("path")
    }


ACTIONS = [
    CaseAction(
        "instruct",
        InstructionForm,
        allowed=lambda user, filing: (
            filing.state == S.ACCEPTED and access.is_director(user, filing)
        ),
        perform=lambda filing, user, data: workflow.instruct_filing(
            filing,
            user,
            data["lead_division"],
            data["co_divisions"],
            data["instruction"],
        ),
        done=_("已批办，已通知承办处室。"),
        icon="user",
        form_kwargs=_divisions,
    ),
    CaseAction(
        "extend",
        ExtensionForm,
        allowed=access.may_extend,
        perform=lambda filing, user, data: workflow.extend_filing(
            filing, user, data["reason"]
        ),
        done=_("已批准延长办理期限，已告知申请人。"),
        icon="time",
    ),
    CaseAction(
        "start",
        VersionedForm,
        allowed=lambda user, filing: _lead(user, filing, (S.ASSIGNED,)),
        perform=lambda filing, user, data: workflow.start_handling(filing, user),
        done=_("已开始办理。"),
        icon="arrow-right",
    ),
    CaseAction(
        "progress",
        NoteForm,
        allowed=lambda user, filing: _lead(user, filing, NOTE_STATES),
        perform=lambda filing, user, data: workflow.add_note(
            filing, user, filing.lead_division, data["text"], NoteKind.PROGRESS
        ),
        done=_("已记录办理进展。"),
        icon="edit",
    ),
    CaseAction(
        "opinion",
        NoteForm,
        allowed=_co,
        perform=lambda filing, user, data: workflow.add_note(
            filing,
            user,
            division_of(user) or filing.lead_division,
            data["text"],
            NoteKind.OPINION,
        ),
        done=_("协办意见已送牵头处室。"),
        icon="comment",
    ),
    CaseAction(
        "request_appointment",
        AppointmentRequestForm,
        allowed=lambda user, filing: _lead(user, filing, HANDLING_STATES),
        perform=lambda filing, user, data: workflow.request_appointment(
            filing, user, data["kind"], data["purpose"]
        ),
        done=_("已向窗口提出约见或勘查申请。"),
        icon="group",
    ),
    CaseAction(
        "schedule_appointment",
        AppointmentScheduleForm,
        allowed=lambda user, filing: (
            access.is_clerk(user, filing) and _requested(filing).exists()
        ),
        perform=lambda filing, user, data: workflow.schedule_appointment(
            data["appointment"], user, data["starts_at"], data["place"]
        ),
        done=_("已安排，申请人可在查询页看到时间和地点。"),
        icon="date",
        form_kwargs=lambda filing: {"appointments": _requested(filing)},
    ),
    CaseAction(
        "suspend",
        SuspendForm,
        allowed=lambda user, filing: _lead(
            user, filing, workflow.TRANSITIONS["suspend"][0]
        ),
        perform=lambda filing, user, data: workflow.suspend_filing(
            filing, user, data["kind"], data["reason"], data["expected_days"]
        ),
        done=_("已启动特别程序，暂停计时；请打印特别程序告知书交申请人。"),
        icon="pause",
    ),
    CaseAction(
        "resume",
        VersionedForm,
        allowed=lambda user, filing: _lead(user, filing, (S.SUSPENDED,)),
        perform=lambda filing, user, data: workflow.resume_filing(filing, user),
        done=_("已恢复计时，办结日期已顺延。"),
        icon="play",
    ),
    CaseAction(
        "complete",
        CompletionForm,
        allowed=lambda user, filing: _lead(user, filing, HANDLING_STATES),
        perform=lambda filing, user, data: workflow.complete_filing(
            filing,
            user,
            data["decision"],
            data["decision_reason"],
            data.get("document"),
        ),
        done=_("已办结，转窗口发文。"),
        icon="check",
    ),
    CaseAction(
        "issue",
        IssueForm,
        allowed=lambda user, filing: _clerk(user, filing, S.COMPLETED),
        perform=lambda filing, user, data: workflow.issue_result(
            filing,
            user,
            data["delivery"],
            data["mail_carrier"],
            data["mail_tracking_number"],
            data["document_type"],
        ),
        done=_("已发文。"),
        icon="mail",
        form_kwargs=lambda filing: {
            "document_types": outgoing.document_types(filing.department)
        },
    ),
    CaseAction(
        "collect",
        VersionedForm,
        allowed=lambda user, filing: _clerk(user, filing, S.ISSUED),
        perform=lambda filing, user, data: workflow.record_collection(filing, user),
        done=_("已登记领取。"),
        icon="success",
    ),
]
"""Every action of the case page, in the order the page offers them."""


def allowed_actions(user, filing):
    """The actions `user` may take on `filing` now."""
    return [action for action in ACTIONS if action.allowed(user, filing)]
