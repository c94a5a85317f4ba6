"""The state machine every workflow step goes through (DESIGN §5).

Every transition checks that the action is allowed from the filing's current state
(`TRANSITIONS`) and moves it with a conditional UPDATE (`state` and `version` must
still be what the caller read), so of two clerks acting at once exactly one wins and
the other gets a `TransitionError`. In the same `transaction.atomic()` it writes the
timeline event (`FilingEvent`), a Wagtail audit-log entry and the notices to the
applicant (announced by `signals.filing_event_recorded`, which `notify` turns into
an outbox the worker delivers once the transaction commits). A form that acted on
a filing it read earlier passes that version to `check_version`, so a stale page
never overwrites a newer decision.
"""

from django.db.models import F
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from portal.workdays import add_workdays
from services_catalog.inbox import clock, signals
from services_catalog.inbox.models import (
    Filing,
    FilingEvent,
    FilingState,
)
from services_catalog.inbox.wording import ACTION_LABELS, APPLICANT, STALE, SYSTEM, Said

S = FilingState
TRANSITIONS = {
    # action: (states it is allowed from, state it leads to)
    "request_supplement": ({S.SUBMITTED}, S.SUPPLEMENT_REQUESTED),
    "supplement": ({S.SUPPLEMENT_REQUESTED}, S.SUBMITTED),
    "accept": ({S.SUBMITTED}, S.ACCEPTED),
    "deem_accept": ({S.SUBMITTED}, S.ACCEPTED),
    "complete_at_window": ({S.SUBMITTED}, S.COMPLETED),
    "refuse": ({S.SUBMITTED}, S.REFUSED),
    "withdraw": (
        {
            S.SUBMITTED,
            S.SUPPLEMENT_REQUESTED,
            S.ACCEPTED,
            S.ASSIGNED,
            S.IN_PROGRESS,
            S.SUSPENDED,
        },
        S.WITHDRAWN,
    ),
    "instruct": ({S.ACCEPTED}, S.ASSIGNED),
    "start": ({S.ASSIGNED}, S.IN_PROGRESS),
    "suspend": ({S.IN_PROGRESS}, S.SUSPENDED),
    "resume": ({S.SUSPENDED}, S.IN_PROGRESS),
    "complete": ({S.ASSIGNED, S.IN_PROGRESS}, S.COMPLETED),
    "issue": ({S.COMPLETED}, S.ISSUED),
    "collect": ({S.ISSUED}, S.COLLECTED),
}


class TransitionError(Exception):
    """An action that is not allowed now; the message is for the user, in Chinese."""


def check_transition(filing, action):
    allowed_from, _to_state = TRANSITIONS[action]
    if filing.state not in allowed_from:
        raise TransitionError(
            _("办件当前状态为“%(state)s”，不能执行“%(action)s”。")
            % {
                "state": FilingState(filing.state).label,
                "action": ACTION_LABELS[action],
            }
        )


def check_version(filing, version):
    """Refuse to act on what the user saw at `version` if the filing moved since."""
    if version is not None and int(version) != filing.version:
        raise TransitionError(str(STALE))


def _actor_label(actor, by_system=False):
    if by_system:
        return str(SYSTEM)
    if actor is None:
        return str(APPLICANT)
    return actor.get_full_name() or actor.get_username()


def record(
    filing, action, from_state, to_state, actor, comment, public=True, by_system=False
):
    """Write the timeline event, the audit-log entry and the notices (outbox).
    A `Said` comment is recorded in the site's language and kept for the readers'."""
    wording = []
    if isinstance(comment, Said):
        wording, comment = comment.parts, comment.in_site_language()
    event = FilingEvent.objects.create(
        filing=filing,
        actor=actor,
        actor_label=_actor_label(actor, by_system),
        action=action,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        wording=wording,
        public=public,
    )
    log(
        instance=filing,
        action=f"inbox.{action}",
        user=actor,
        title=filing.tracking_number,
        data={"from": from_state, "to": to_state, "comment": comment},
    )
    signals.filing_event_recorded.send(sender=Filing, filing=filing, event=event)
    return event


def transition(filing, action, actor, comment="", by_system=False, **changes):
    """Move `filing` along `action`; must run inside `transaction.atomic()`."""
    check_transition(filing, action)
    to_state = TRANSITIONS[action][1]
    from_state = filing.state
    write(filing, from_state, state=to_state, **changes)
    return record(
        filing, action, from_state, to_state, actor, comment, by_system=by_system
    )


def write(filing, expected_state, **changes):
    """The conditional UPDATE: only if nobody moved the filing since it was read."""
    updated = Filing.objects.filter(
        pk=filing.pk, state=expected_state, version=filing.version
    ).update(version=F("version") + 1, **changes)
    if not updated:
        raise TransitionError(str(STALE))
    filing.version += 1
    for field, value in changes.items():
        setattr(filing, field, value)


def change(filing, action, actor, comment, **changes):
    """A version-checked change that keeps the state (extension, new number),
    with its public event; must run inside `transaction.atomic()`."""
    write(filing, filing.state, **changes)
    return record(filing, action, filing.state, filing.state, actor, comment)


def record_event(filing, action, actor, comment, public=False):
    """A timeline event that does not change the state (notes, appointments)."""
    return record(filing, action, filing.state, filing.state, actor, comment, public)


def due_dates(filing, pauses):
    """Promised and statutory due dates from acceptance, leaving out paused days;
    the statutory limit includes an approved extension. 即办件 are due the day of
    acceptance."""
    item = filing.item
    if item.is_immediate:
        promised_days = statutory_days = clock.IMMEDIATE_WORKDAYS
    else:
        promised_days = item.promised_days
        statutory_days = item.statutory_days + filing.extended_days
    promised = add_workdays(filing.accepted_on, promised_days, pauses)
    statutory = add_workdays(filing.accepted_on, statutory_days, pauses)
    return {
        "promised_due_date": promised.due,
        "statutory_due_date": statutory.due,
        "due_dates_confirmed": promised.confirmed and statutory.confirmed,
    }
