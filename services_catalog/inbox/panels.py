"""The start page of each inbox role on the admin dashboard (Wagtail home panels,
registered by `construct_homepage_panels` in `wagtail_hooks`): the clerk's queue,
the director's cases to instruct, the handler's cases by due date and the
supervisor's overdue and due-soon counts, with the follow-ups of bad ratings
(差评整改) overdue. Each panel shows only records in the user's scope (the policy
registered for `Filing`, and for `RatingFollowUp`) and runs a constant number of
queries."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.permissions import policy_registry

from services_catalog.inbox import access, clock
from services_catalog.inbox.desk_views import DeskQueue, queue_filter
from services_catalog.inbox.models import (
    CLOCK_STATES,
    Filing,
    FilingState,
    RatingFollowUp,
)
from services_catalog.inbox.pre_review_views import CASE_URL_NAME

LIST_LENGTH = 10


class InboxPanel(Component):
    """A dashboard panel of one inbox role; `is_shown(user)` says whose it is."""

    template_name = "inbox/admin/panels/counts.html"
    heading = ""
    permission = None

    @classmethod
    def is_shown(cls, user):
        return user.is_superuser or user.has_perm(cls.permission)

    def get_context_data(self, parent_context):
        self.request = parent_context["request"]
        policy = policy_registry.get_by_type(Filing)
        self.filings = policy.scope_queryset(self.request.user, Filing.objects.all())
        return {"panel": self, "heading": self.heading, "id": self.name}


def _case_list_url(**params):
    return f"{reverse('inbox_cases:index')}?{urlencode(params)}"


class CountsPanel(InboxPanel):
    """Counts of the user's filings, each linking to the list it counts: `rows()`
    gives (label, condition, url) per count, and one aggregate query counts them
    all."""

    def rows(self):
        raise NotImplementedError

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        rows = list(self.rows())
        counts = self.filings.aggregate(
            **{
                f"n{index}": Count("pk", filter=condition)
                for index, (_label, condition, _url) in enumerate(rows)
            }
        )
        context["counts"] = [
            {"label": label, "count": counts[f"n{index}"], "url": url}
            for index, (label, _condition, url) in enumerate(rows)
        ]
        return context


class ClerkQueuePanel(CountsPanel):
    name = "inbox-clerk-queue"
    order = 50
    heading = _("窗口待办")
    permission = access.CLERK_PERM

    def rows(self):
        index = reverse("desk:index")
        for queue in DeskQueue:
            url = f"{index}?{urlencode({'queue': queue.value})}"
            yield queue.label, queue_filter(queue), url


class SupervisorPanel(CountsPanel):
    name = "inbox-supervision"
    order = 60
    heading = _("时限监督")
    permission = access.SUPERVISOR_PERM

    def rows(self):
        today = timezone.localdate()
        for flag in (clock.DueFlag.OVERDUE, clock.DueFlag.DUE_SOON):
            for name in clock.Clock:
                yield (
                    _("%(clock)s%(flag)s") % {"clock": name.label, "flag": flag.label},
                    clock.flag_q(flag, today, name),
                    _case_list_url(due=flag.value, clock=name.value),
                )

    def get_context_data(self, parent_context):
        """The filings' counts, then the overdue follow-ups of bad ratings: a
        record of its own, so one more count, in the follow-ups' scope."""
        context = super().get_context_data(parent_context)
        policy = policy_registry.get_by_type(RatingFollowUp)
        follow_ups = policy.scope_queryset(
            self.request.user, RatingFollowUp.objects.all()
        )
        index = reverse("rating_follow_ups:index")
        context["counts"].append(
            {
                "label": _("差评回访已超期"),
                "count": follow_ups.filter(
                    RatingFollowUp.overdue_q(timezone.localdate())
                ).count(),
                "url": f"{index}?{urlencode({'overdue': 'true'})}",
            }
        )
        return context


class CaseListPanel(InboxPanel):
    """A short list of cases, the most urgent first, and a link to all of them."""

    template_name = "inbox/admin/panels/cases.html"
    empty_text = ""

    def cases(self):
        raise NotImplementedError

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        cases, self.total = self.cases()
        for case in cases:
            case.admin_url = reverse(CASE_URL_NAME, args=[case.pk])
        context.update(
            cases=cases,
            total=self.total,
            today=timezone.localdate(),
            all_url=self.all_url,
            empty_text=self.empty_text,
        )
        return context


class DirectorPanel(CaseListPanel):
    name = "inbox-director"
    order = 55
    heading = _("待批办的办件")
    permission = access.DIRECTOR_PERM
    empty_text = _("没有待批办的办件。")

    def cases(self):
        waiting = self.filings.filter(state=FilingState.ACCEPTED)
        self.all_url = _case_list_url(state=FilingState.ACCEPTED)
        listed = waiting.select_related("item").order_by("promised_due_date", "pk")
        return list(listed[:LIST_LENGTH]), waiting.count()


class HandlerPanel(CaseListPanel):
    name = "inbox-handler"
    order = 56
    heading = _("本处室在办件（按到期先后）")
    permission = access.HANDLER_PERM
    empty_text = _("本处室没有在办的办件。")

    def cases(self):
        open_cases = self.filings.filter(
            state__in=[*CLOCK_STATES, FilingState.SUSPENDED]
        )
        self.all_url = _case_list_url(state="open")
        listed = open_cases.select_related("item").order_by("promised_due_date", "pk")
        return list(listed[:LIST_LENGTH]), open_cases.count()


PANELS = (ClerkQueuePanel, DirectorPanel, HandlerPanel, SupervisorPanel)


def panels_for(user):
    """The inbox panels `user` meets on the dashboard."""
    return [panel() for panel in PANELS if panel.is_shown(user)]
