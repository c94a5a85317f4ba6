"""The only writer of consultations (咨询, DESIGN §5), and what the asker, the public
list and the inspection office read of them.

A consultation is asked online (no account) or logged by the window from the phone
or the counter (`ask`); it gets a tracking number `{DEPT}-ZX-{YYYYMMDD}-{NNNNN}`
from the filings' counter and an access code (`codes`), and a due date the published
limit of working days after the day it arrived (`ConsultationSettings`, on
`portal.workdays`). The window answers it or forwards it to a division (`forward`),
whose handlers answer it (`answer`); the asker is told through the outbox
(`notify.consultation_answered`). The window decides whether an answer is public
(`answer`, `set_public`): a public answer appears, redacted, on the item's page (the
anonymous page cache starts anew), in the public list and in the search.

Each change checks the user against the registered scope policy
(`inbox.permissions`) and the `version` the user saw (a stale page gets
`records.StaleRecord`), saves the row it holds locked (so the search index hears of
it through `post_save`) and writes a Wagtail audit-log entry, in one transaction.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log
from wagtail.permissions import policy_registry

from disclosure.models import DivisionPage
from portal import page_cache
from portal.sites import public_site
from portal.workdays import add_workdays, count_workdays
from services_catalog.inbox import clock, notify
from services_catalog.inbox.codes import (
    find_by_code,
    generate_access_code,
    hash_access_code,
    next_tracking_number,
)
from services_catalog.inbox.models import (
    OPEN_CONSULTATION_STATES,
    Consultation,
    ConsultationChannel,
    ConsultationSettings,
    ConsultationState,
)
from services_catalog.inbox.records import RecordError, StaleRecord
from services_catalog.inbox.wording import STALE

LOG_ACTIONS = {
    "inbox.consultation.ask": gettext_lazy("收到咨询"),
    "inbox.consultation.forward": gettext_lazy("咨询转处室办理"),
    "inbox.consultation.answer": gettext_lazy("答复咨询"),
    "inbox.consultation.publish": gettext_lazy("公开咨询答复"),
    "inbox.consultation.unpublish": gettext_lazy("撤回公开的咨询答复"),
}
"""The Wagtail log actions of consultations, with their labels."""

NUMBER_INFIX = "ZX"
"""咨询: a consultation's number `SJ-ZX-20261201-00001` never reads like a filing's."""


def answer_workdays(request=None):
    """The published limit, in working days, of the site serving `request`."""
    return ConsultationSettings.for_site(public_site(request)).answer_workdays


def _policy():
    return policy_registry.get_by_type(Consultation)


def _require(actor, action, consultation):
    if not _policy().user_has_permission_for_instance(actor, action, consultation):
        raise PermissionDenied


def publishes(user):
    """Whether `user` is of the window, who decides what is published."""
    return _policy().user_has_permission(user, "add")


def may_forward(user, consultation):
    """The window (who may log consultations) forwards an open one it reaches."""
    return consultation.is_open and _policy().user_has_permission_for_instance(
        user, "add", consultation
    )


def may_answer(user, consultation):
    return consultation.is_open and _policy().user_has_permission_for_instance(
        user, "change", consultation
    )


def may_publish(user, consultation):
    """The window decides what is published, once the consultation is answered."""
    return (
        consultation.state == ConsultationState.ANSWERED
        and _policy().user_has_permission_for_instance(user, "add", consultation)
    )


def _check_place(department, item=None, division=None):
    if item is not None and item.department != department:
        raise RecordError(_("所选事项不属于%(name)s。") % {"name": department.title})
    if division is not None and not (
        DivisionPage.objects.child_of(department).filter(pk=division.pk).exists()
    ):
        raise RecordError(_("所选处室不属于%(name)s。") % {"name": department.title})


# ------------------------------------------------------------------ asking


def ask(
    department,
    *,
    name,
    question,
    mobile="",
    email="",
    item=None,
    channel=ConsultationChannel.ONLINE,
    actor=None,
    limit=None,
):
    """A new consultation of `department` (about `item`, when given): online with no
    `actor`, or logged by the window (`actor`) from the phone or the counter.
    Returns `(consultation, access_code)`; only the code's hash is stored."""
    _check_place(department, item=item)
    today = timezone.localdate()
    deadline = add_workdays(today, limit or answer_workdays())
    code = generate_access_code()
    with transaction.atomic():
        number = next_tracking_number(f"{department.code}-{NUMBER_INFIX}", today)
        consultation = Consultation(
            department=department,
            item=item,
            tracking_number=number,
            access_code_hash=hash_access_code(number, code),
            channel=channel,
            name=name,
            mobile=mobile,
            email=email,
            question=question,
            asked_on=today,
            due_date=deadline.due,
            due_date_confirmed=deadline.confirmed,
            logged_by=actor,
        )
        if actor is not None:
            _require(actor, "add", consultation)
        consultation.save()
        if actor is not None and not _policy().user_can_reach(actor, consultation):
            raise PermissionDenied
        log(
            consultation,
            "inbox.consultation.ask",
            user=actor,
            title=consultation.tracking_number,
            data={"channel": channel, "item": item.code if item else ""},
        )
    return consultation, code


def find_consultation(tracking_number, code):
    """The consultation with this number and access code, else None."""
    return find_by_code(Consultation, tracking_number, code)


# ------------------------------------------------------------------ changes


def _change(consultation, actor, version, action, data, **changes):
    """Save `changes` on the row, locked, if it still has the `version` the user
    saw; log it. Returns the saved consultation."""
    with transaction.atomic():
        current = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if current.version != int(version):
            raise StaleRecord(str(STALE))
        for field, value in changes.items():
            setattr(current, field, value)
        current.version += 1
        current.save(update_fields=[*changes, "version"])
        log(current, action, user=actor, title=current.tracking_number, data=data)
    return current


def forward(consultation, actor, version, *, division, note=""):
    """The window forwards an open consultation to a division of its department;
    the division's handlers find it in their notices and list. The clock runs on."""
    if not may_forward(actor, consultation):
        if not consultation.is_open:
            raise RecordError(_("这条咨询已经答复。"))
        raise PermissionDenied
    _check_place(consultation.department, division=division)
    with transaction.atomic():
        saved = _change(
            consultation,
            actor,
            version,
            "inbox.consultation.forward",
            {"division": division.title, "note": note},
            state=ConsultationState.FORWARDED,
            division=division,
            forward_note=note,
            forwarded_at=timezone.now(),
            forwarded_by=actor,
        )
        notify.tell_divisions(
            [division],
            None,
            _("转办咨询 %(number)s：%(question)s（请于 %(day)s 前答复）")
            % {
                "number": saved.tracking_number,
                "question": saved.public_question[:200],
                "day": f"{saved.due_date:%Y-%m-%d}",
            },
        )
    return saved


def answer(consultation, actor, version, *, text, public=False):
    """Answer an open consultation, once; the asker is told. Only the window may
    publish an answer: a division's `public` is kept for the window to decide."""
    if not consultation.is_open:
        raise RecordError(_("这条咨询已经答复。"))
    _require(actor, "change", consultation)
    public = bool(public) and publishes(actor)
    today = timezone.localdate()
    with transaction.atomic():
        saved = _change(
            consultation,
            actor,
            version,
            "inbox.consultation.answer",
            {"answer": text, "public": public},
            state=ConsultationState.ANSWERED,
            answer=text,
            public=public,
            answered_at=timezone.now(),
            answered_by=actor,
            answered_on_time=today <= consultation.due_date,
        )
        notify.consultation_answered(saved)
        if saved.public:
            page_cache.invalidate()  # the item's page shows its public answers
    return saved


def set_public(consultation, actor, version, *, public):
    """The window publishes an answered consultation (or takes it back)."""
    if not may_publish(actor, consultation):
        if consultation.state != ConsultationState.ANSWERED:
            raise RecordError(_("答复后才能公开。"))
        raise PermissionDenied
    action = "inbox.consultation.publish" if public else "inbox.consultation.unpublish"
    with transaction.atomic():
        saved = _change(consultation, actor, version, action, {}, public=bool(public))
        page_cache.invalidate()
    return saved


# ------------------------------------------------------------------ reading


def clock_status(consultation, today=None):
    """(status, days_left) of the answer clock while it runs, else None; the same
    words as a filing's clock (`clock.LABELS`)."""
    if not consultation.is_open:
        return None
    today = today or timezone.localdate()
    left = count_workdays(today, consultation.due_date)
    if consultation.due_date < today:
        return clock.OVERDUE, left
    if left <= clock.DUE_SOON_WORKDAYS:
        return clock.DUE_SOON, left
    return clock.ON_TRACK, left


def asker_view(consultation):
    """What the asker sees on the status page and in the API."""
    status = clock_status(consultation)
    return {
        "tracking_number": consultation.tracking_number,
        "department": consultation.department.title,
        "item": consultation.item.title if consultation.item else "",
        "item_code": consultation.item.code if consultation.item else "",
        "channel_label": str(consultation.get_channel_display()),
        "state": consultation.state,
        "state_label": str(consultation.get_state_display()),
        "question": consultation.question,
        "asked_at": consultation.asked_at,
        "due_date": consultation.due_date,
        "due_date_confirmed": consultation.due_date_confirmed,
        "clock_status": status[0] if status else None,
        "clock_label": str(clock.LABELS[status[0]]) if status else "",
        "days_left": status[1] if status else None,
        "forwarded_to": consultation.division.title
        if consultation.division_id and consultation.is_open
        else "",
        "answer": consultation.answer,
        "answered_at": consultation.answered_at,
        "public": consultation.public,
    }


def public_view(consultation):
    """A published question and answer, redacted (the public list, the item page,
    the API)."""
    item = consultation.item
    return {
        "id": consultation.pk,
        "department": consultation.department.title,
        "department_code": consultation.department.code,
        "item": item.title if item else "",
        "item_code": item.code if item else "",
        "question": consultation.public_question,
        "answer": consultation.public_answer,
        "asked_on": consultation.asked_on,
        "answered_at": consultation.answered_at,
    }


def published(department=None, item=None, query=""):
    """Published consultations, newest first; `query` matches words of the
    question or the answer (each word of it, in any order)."""
    found = Consultation.objects.published().select_related("department", "item")
    if department is not None:
        found = found.filter(department=department)
    if item is not None:
        found = found.filter(item=item)
    for word in query.split()[:5]:
        found = found.filter(Q(question__icontains=word) | Q(answer__icontains=word))
    return found


def supervision_board(department, today):
    """The inspection office's figures of consultations: open, due soon, overdue,
    answered on time (of those answered), and the overdue ones (constant queries)."""
    mine = Consultation.objects.filter(department=department)
    is_open = Q(state__in=OPEN_CONSULTATION_STATES)
    answered = Q(state=ConsultationState.ANSWERED)
    counts = mine.aggregate(
        open=Count("pk", filter=is_open),
        overdue=Count("pk", filter=is_open & Q(due_date__lt=today)),
        due_soon=Count(
            "pk",
            filter=is_open
            & Q(due_date__gte=today, due_date__lte=clock.due_soon_until(today)),
        ),
        answered=Count("pk", filter=answered),
        on_time=Count("pk", filter=answered & Q(answered_on_time=True)),
        public=Count("pk", filter=answered & Q(public=True)),
    )
    counts["overdue_list"] = list(
        mine.overdue(today).select_related("division", "item").order_by("due_date")[:20]
    )
    counts["on_time_rate"] = (
        100 * counts["on_time"] / counts["answered"] if counts["answered"] else None
    )
    return counts
