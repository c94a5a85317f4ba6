"""Who may see and do what with a filing (DESIGN §3, issue 6).

Roles come from the permissions the role groups hold (`portal.roles`, migrations
0002 and 0004): the window clerk (`change_filing`), the director (`instruct_filing`),
a handler of a division (`handle_filing`) and the inspection office
(`supervise_filing`). Every staff user's scope is their own department; a handler's
is further limited to filings where their division leads or co-handles. Whatever is
out of scope is answered with 404, so guessing URLs reveals nothing.
"""

from django.db.models import Q
from django.http import Http404

from disclosure.models.staff import membership_of
from services_catalog.inbox.models import EXTENDABLE_STATES, Filing

CLERK_PERM = "inbox.change_filing"
DIRECTOR_PERM = "inbox.instruct_filing"
EXTEND_PERM = "inbox.extend_filing"
HANDLER_PERM = "inbox.handle_filing"
SUPERVISOR_PERM = "inbox.supervise_filing"
DEPARTMENT_WIDE = (CLERK_PERM, DIRECTOR_PERM, SUPERVISOR_PERM)


def is_staff_of_inbox(user):
    """Whether the user has any role on filings (the admin menu shows the desk)."""
    return user.is_authenticated and (
        user.is_superuser
        or any(user.has_perm(p) for p in (*DEPARTMENT_WIDE, HANDLER_PERM))
    )


def visible_filings(user, queryset=None):
    """The filings `user` may see."""
    filings = Filing.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return filings.none()
    if user.is_superuser:
        return filings
    membership = membership_of(user)
    if membership is None:
        return filings.none()
    filings = filings.filter(department_id=membership.department_id)
    if any(user.has_perm(p) for p in DEPARTMENT_WIDE):
        return filings
    if user.has_perm(HANDLER_PERM) and membership.division_id:
        division = membership.division_id
        return filings.filter(
            Q(lead_division_id=division)
            | Q(
                pk__in=Filing.co_divisions.through.objects.filter(
                    divisionpage_id=division
                ).values("filing_id")
            )
        )
    return filings.none()


def can_see(user, filing):
    return visible_filings(user, Filing.objects.filter(pk=filing.pk)).exists()


def get_visible(user, pk, queryset=None):
    """The filing `pk` if `user` may see it, else 404."""
    queryset = visible_filings(user, queryset)
    try:
        return queryset.get(pk=pk)
    except Filing.DoesNotExist:
        raise Http404 from None


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


def supervised_department(user):
    """The department whose supervision dashboard `user` sees, or None."""
    if not user.has_perm(SUPERVISOR_PERM):
        return None
    membership = membership_of(user)
    return membership.department if membership else None
