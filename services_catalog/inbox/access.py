"""Who may see and do what with a filing (DESIGN §3, issue 6).

Roles come from the permissions the role groups hold (`portal.roles`, migrations
0002 and 0004): the window clerk (`change_filing`), the director (`instruct_filing`),
a handler of a division (`handle_filing`) and the inspection office
(`supervise_filing`). Every staff user's scope is their own department; a handler's
is further limited to filings where their division leads or co-handles. Whatever is
out of scope is answered with 404, so guessing URLs reveals nothing.
"""

from disclosure.models import DepartmentPage
from disclosure.models.staff import membership_of
from services_catalog.inbox.models import EXTENDABLE_STATES

CLERK_PERM = "inbox.change_filing"
DIRECTOR_PERM = "inbox.instruct_filing"
EXTEND_PERM = "inbox.extend_filing"
HANDLER_PERM = "inbox.handle_filing"
SUPERVISOR_PERM = "inbox.supervise_filing"
OVERVIEW_PERM = "inbox.view_overview"  # the provincial office, above departments
DEPARTMENT_WIDE = (CLERK_PERM, DIRECTOR_PERM, SUPERVISOR_PERM)


def is_staff_of_inbox(user):
    """Whether the user has any role on filings (the admin menu shows the desk)."""
    return user.is_authenticated and (
        user.is_superuser
        or any(user.has_perm(p) for p in (*DEPARTMENT_WIDE, HANDLER_PERM))
    )


def _in_department(user, filing):
    if user.is_superuser:
        return True
    membership = membership_of(user)
    return membership is not None and membership.department_id == filing.department_id


def _division_id(user):
    membership = membership_of(user)
    return membership.division_id if membership else None


def is_clerk(user, filing):
    return user.has_perm(CLERK_PERM) and _in_department(user, filing)


def is_director(user, filing):
    return user.has_perm(DIRECTOR_PERM) and _in_department(user, filing)


def may_extend(user, filing):
    """Whether `user` may approve an extension of `filing` in its state: the head
    of the department (the director's role holds the permission). That the law
    allows only one is the workflow's rule, which says so."""
    return (
        user.has_perm(EXTEND_PERM)
        and _in_department(user, filing)
        and filing.state in EXTENDABLE_STATES
    )


def is_lead_handler(user, filing):
    return (
        user.has_perm(HANDLER_PERM)
        and _in_department(user, filing)
        and filing.lead_division_id is not None
        and (user.is_superuser or _division_id(user) == filing.lead_division_id)
    )


def is_co_handler(user, filing):
    division = _division_id(user)
    return (
        user.has_perm(HANDLER_PERM)
        and _in_department(user, filing)
        and division is not None
        and filing.co_divisions.filter(pk=division).exists()
    )


def supervised_departments(user):
    """The departments whose supervision dashboard `user` may open: a supervisor's
    own; every department for a superuser without one; none for anyone else."""
    if not user.has_perm(SUPERVISOR_PERM):
        return DepartmentPage.objects.none()
    membership = membership_of(user)
    if membership is not None:
        return DepartmentPage.objects.filter(pk=membership.department_id)
    if user.is_superuser:
        return DepartmentPage.objects.order_by("path")
    return DepartmentPage.objects.none()
