"""The filing state machine (DESIGN §5): the only code that writes `Filing.state`.

Callers use `from services_catalog.inbox import workflow` and then
`workflow.accept_filing(…)`: this module is the package's API. The steps live by
stage: `intake` (creation, pre-review, acceptance, refusal, withdrawal), `handling`
(instruction, notes, appointments, special procedures, extension) and `results`
(completion, issuing, collection, rating), all moving the filing through the one
state machine in `_base` (the allowed transitions, the conditional UPDATE, the
timeline event, the audit-log entry and the applicant's notices in one transaction).

The names of the actions and the applicant's wording are in `wording`; what the
applicant's lookup shows is built by `lookup`.
"""

from services_catalog.inbox.workflow._base import (
    TRANSITIONS,
    TransitionError,
    check_version,
)
from services_catalog.inbox.workflow.handling import (
    MAX_PROCEDURE_WORKDAYS,
    add_note,
    extend_filing,
    instruct_filing,
    request_appointment,
    resume_filing,
    schedule_appointment,
    start_handling,
    suspend_filing,
)
from services_catalog.inbox.workflow.intake import (
    ChecklistEntry,
    accept_and_complete,
    accept_filing,
    can_supplement,
    can_withdraw,
    create_filing,
    deem_accepted,
    record_supplement,
    refuse_filing,
    request_supplement,
    withdraw_filing,
)
from services_catalog.inbox.workflow.results import (
    can_rate,
    complete_filing,
    issue_result,
    rate_filing,
    record_collection,
    void_outgoing_number,
)

__all__ = [
    "MAX_PROCEDURE_WORKDAYS",
    "TRANSITIONS",
    "ChecklistEntry",
    "TransitionError",
    "accept_and_complete",
    "accept_filing",
    "add_note",
    "can_rate",
    "can_supplement",
    "can_withdraw",
    "check_version",
    "complete_filing",
    "create_filing",
    "deem_accepted",
    "extend_filing",
    "instruct_filing",
    "issue_result",
    "rate_filing",
    "record_collection",
    "record_supplement",
    "refuse_filing",
    "request_appointment",
    "request_supplement",
    "resume_filing",
    "schedule_appointment",
    "start_handling",
    "suspend_filing",
    "void_outgoing_number",
    "withdraw_filing",
]
