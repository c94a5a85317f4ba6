"""Permission policies of the inspection office's records (DESIGN §3): the one
department/division rule of `disclosure.scope`, registered from
`InboxConfig.ready()` before Wagtail looks a policy up, and applied to every view of
their viewsets by `portal.scope.ScopedViewSetMixin` and to every write by
`services_catalog.inbox.records`.

Complaints, accountability records and the follow-ups of bad ratings belong to
their department; an urging notice also to the division it is addressed to, so a
handler reaches only their own division's notices while the inspection office
reaches the department's.
A consultation belongs to its department and, once forwarded, to the division
it was forwarded to: the window, the director and the inspection office reach the
department's, a handler only those forwarded to their division.

Complaints, urging notices, follow-ups and accountability records are never
deleted, by anyone: they are the inspection office's record of what was
complained about, urged, put right and held to account, kept like the filings
they concern (a complaint or follow-up is closed, an accountability record
corrected, through `records` with an audit-log entry). Their policies refuse
"delete", so no view, button or bulk action offers it.
"""

from wagtail.permissions import register_permission_policy

from disclosure.scope import DepartmentPermissionPolicy


def register_policies():
    from services_catalog.inbox.access import DEPARTMENT_WIDE, SUPERVISOR_PERM
    from services_catalog.inbox.models import (
        AccountabilityRecord,
        Complaint,
        Consultation,
        RatingFollowUp,
        UrgingNotice,
    )

    kept = ("delete",)
    for model in (Complaint, AccountabilityRecord, RatingFollowUp):
        register_permission_policy(
            model, DepartmentPermissionPolicy(model, refused_actions=kept)
        )
    register_permission_policy(
        UrgingNotice,
        DepartmentPermissionPolicy(
            UrgingNotice,
            division_fields=("division",),
            department_wide_permissions=(SUPERVISOR_PERM,),
            refused_actions=kept,
        ),
    )
    register_permission_policy(
        Consultation,
        DepartmentPermissionPolicy(
            Consultation,
            division_fields=("division",),
            department_wide_permissions=DEPARTMENT_WIDE,
        ),
    )
