"""Template tags for "leader on duty today" (今日接访领导) outside the reception page.

`{% load reception_tags %}`, then:

- ``{% duty_leader_today department %}`` — a card with the department's leaders on
  duty today and a link to its reception page (the department page's slot);
- ``{% duty_leaders_today %}`` — a section with one such card per department of
  the current site (the home page's slot).

Both read published roster entries only and run a constant number of queries.
"""

from collections import defaultdict

from django import template
from django.utils import timezone

from disclosure.models import DepartmentPage
from portal.shared import shared
from portal.workdays import WorkdayError, is_workday
from reception.models import ReceptionPage
from reception.roster import published_entries

register = template.Library()


def _is_workday(day):
    try:
        return is_workday(day)
    except WorkdayError:
        return False


def _card(department, entries, reception_page, request, today):
    return {
        "department": department,
        "entries": entries,
        "reception_url": reception_page.get_url(request) if reception_page else "",
        "is_workday": _is_workday(today),
        "today": today,
    }


@register.inclusion_tag(
    "reception/components/duty_leader_card.html", takes_context=True
)
def duty_leader_today(context, department, heading=None):
    """Today's leaders on duty in `department` (a `DepartmentPage`). Renders nothing
    for a department without a live reception page or roster entry today, so that
    the caller can show its own fallback."""
    request = context.get("request")
    if not isinstance(department, DepartmentPage):
        return {"card": None}
    today = timezone.localdate()
    host = request.get_host() if request else ""
    card = shared(
        request,
        ("duty_leader_today", host, department.pk, today),
        lambda: _department_card(department, request, today),
    )
    return {"card": card, "heading": heading}


def _department_card(department, request, today):
    entries = list(published_entries(department, today, today))
    reception_page = ReceptionPage.objects.live().child_of(department).first()
    if not entries and reception_page is None:
        return None
    return _card(department, entries, reception_page, request, today)


@register.inclusion_tag(
    "reception/components/duty_leaders_today.html", takes_context=True
)
def duty_leaders_today(context):
    """Today's leaders on duty in every department of the current site that has a
    live reception page."""
    from portal.templatetags.portal_tags import site_root

    request = context.get("request")
    root = site_root(request)
    if root is None:
        return {"cards": []}
    today = timezone.localdate()
    host = request.get_host() if request else ""
    return shared(
        request,
        ("duty_leaders_today", host, root.pk, today),
        lambda: _site_cards(root, request, today),
    )


def _site_cards(root, request, today):
    pages = list(ReceptionPage.objects.live().descendant_of(root).order_by("path"))
    if not pages:
        return {"cards": []}
    parent_paths = {page.path[: -ReceptionPage.steplen]: page for page in pages}
    departments = DepartmentPage.objects.live().filter(path__in=parent_paths)
    by_department = defaultdict(list)
    for entry in published_entries(None, today, today).filter(
        period__department__in=departments
    ):
        by_department[entry.period.department_id].append(entry)
    cards = [
        _card(
            department,
            by_department[department.pk],
            parent_paths[department.path],
            request,
            today,
        )
        for department in departments.order_by("path")
    ]
    return {"cards": cards, "today": today}
