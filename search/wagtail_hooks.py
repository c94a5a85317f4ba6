"""Admin registrations of the search app: the synonyms snippet (搜索同义词) and the
query report (检索词报告) under the reports menu."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from search.views import QUERY_REPORT_URL, QueryReportView, SynonymViewSet

register_snippet(SynonymViewSet)


@hooks.register("register_admin_urls")
def register_query_report_url():
    return [path("search-queries/", QueryReportView.as_view(), name=QUERY_REPORT_URL)]


class QueryReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("site_search.add_synonym")


@hooks.register("register_reports_menu_item")
def register_query_report_menu_item():
    return QueryReportMenuItem(
        _("检索词报告"), reverse(QUERY_REPORT_URL), icon_name="search", order=900
    )
