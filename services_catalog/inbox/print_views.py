"""Printed documents the window hands or sends to the applicant (admin views):

- the special-procedure notice (特别程序告知书, 行政许可法第四十五条): which procedure
  stops the clock, why, and how many working days it is expected to take — printed
  like the one-time notice (`inbox_desk:procedure_notice`, by the notice);
- the result notice and the receipt of collection (办理结果通知书、送达回证) of an
  issued filing, both under the outgoing number the register gave it
  (`inbox_desk:result_print`, by the filing).

Both are limited to the user's scope through the filing policy (`disclosure.scope`):
anything out of scope is 404.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.views import View
from wagtail.permissions import policy_registry, register_permission_policy

from disclosure.scope import filing_policy
from services_catalog.inbox import access
from services_catalog.inbox.models import Filing, SpecialProcedureNotice


def register_policies():
    """Run from `InboxConfig.ready()`: a notice is in scope with its filing."""
    register_permission_policy(
        SpecialProcedureNotice, filing_policy(SpecialProcedureNotice, through="filing")
    )


class ScopedPrintView(View):
    """GET: one object of `model` in the user's scope, rendered by `template_name`."""

    model = None
    template_name = ""

    def get_queryset(self):
        return self.model.objects.all()

    def get(self, request, pk):
        if not access.is_staff_of_inbox(request.user):
            raise PermissionDenied
        policy = policy_registry.get_by_type(self.model)
        found = policy.scope_queryset(request.user, self.get_queryset())
        return render(
            request,
            self.template_name,
            self.get_context(get_object_or_404(found, pk=pk)),
        )


class ProcedureNoticePrintView(ScopedPrintView):
    model = SpecialProcedureNotice
    template_name = "inbox/procedure_notice_print.html"

    def get_queryset(self):
        return SpecialProcedureNotice.objects.select_related(
            "filing__item", "filing__department"
        )

    def get_context(self, notice):
        return {"filing": notice.filing, "notice": notice}


class ResultPrintView(ScopedPrintView):
    """Only once the result has gone out under its number."""

    model = Filing
    template_name = "inbox/result_print.html"

    def get_queryset(self):
        return Filing.objects.exclude(outgoing_number="").select_related(
            "item", "department"
        )

    def get_context(self, filing):
        return {"filing": filing}
