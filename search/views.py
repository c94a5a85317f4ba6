"""The public search page, the search box's suggestions, and the synonyms' admin.

`search_page` (``/search/?q=…``) shows the results with facet links, highlighted
snippets and pagination, and, when nothing is found or nothing found is directly
relevant (``weak`` results), says so and points to the catalog, the site's hotline
and the hotlines of the departments its guesses belong to. English names and
summaries replace the Chinese ones in the English interface where items have them.
`suggest` (``/search/suggest/?q=…``) answers the search box's autocomplete with
service item names as JSON. Each is rate-limited per address
(`portal.ratelimits`), as is the API.
"""

import logging
from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.models import Site
from wagtail.snippets.views.snippets import CreateView as SnippetCreateView
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.ratelimits import ALL_METHODS, ratelimit
from search import querylog
from search.backends import get_backend
from search.backends.base import FACETS, SearchRequest, SearchUnavailable
from search.examples import search_examples
from search.models import Synonym
from search.query import normalise

logger = logging.getLogger(__name__)

RESULTS_PER_PAGE = 10
MAX_PAGE = 100
SUGGESTIONS = 8
FACET_HEADINGS = {
    "kind": gettext_lazy("内容类别"),
    "department": gettext_lazy("部门"),
    "item_type": gettext_lazy("事项类型"),
    "audience": gettext_lazy("服务对象"),
    "online": gettext_lazy("办理方式"),
}
FACET_ORDER = ("kind", "department", "item_type", "audience", "online")


def search_filters(params):
    """The facet filters of a query string."""
    return {name: params.get(name, "").strip() for name in FACETS if params.get(name)}


def page_number(params):
    try:
        return min(max(int(params.get("page", 1)), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def run_search(text, filters, number, per_page=RESULTS_PER_PAGE, with_facets=True):
    """The results for page `number`, and a Django paginator page over them (the
    last page if `number` is past it)."""
    backend = get_backend()

    def fetch(number):
        return backend.search(
            SearchRequest(
                text,
                filters=filters,
                offset=(number - 1) * per_page,
                limit=per_page,
                with_facets=with_facets,
            )
        )

    results = fetch(number)
    paginator = Paginator(ResultWindow(results.total), per_page)
    if results.total and number > paginator.num_pages:
        number = paginator.num_pages
        results = fetch(number)
    page = paginator.get_page(number)
    page.object_list = results.hits
    return results, page


class ResultWindow:
    """Stands for all results in a `Paginator`: only their number is known; the
    backend returns the hits of one page."""

    def __init__(self, total):
        self.total = total

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, index):
        return []


@dataclass
class FacetLink:
    label: str
    count: int
    selected: bool
    url: str


def facet_links(request, facets):
    """Each facet value with the URL that selects it (or, when selected, drops it);
    choosing a facet goes back to the first page."""
    groups = []
    for name in FACET_ORDER:
        values = facets.get(name) or []
        if not values:
            continue
        links = []
        for value in values:
            params = request.GET.copy()
            params.pop("page", None)
            if value.selected:
                params.pop(name, None)
            else:
                params[name] = value.value
            links.append(
                FacetLink(
                    label=value.label,
                    count=value.count,
                    selected=value.selected,
                    url=f"?{params.urlencode()}",
                )
            )
        groups.append({"name": name, "heading": FACET_HEADINGS[name], "links": links})
    return groups


def department_hotlines(hits):
    """(department, hotline) of the departments the hits belong to, in hit order."""
    try:
        model = apps.get_model("disclosure", "DepartmentPage")
    except LookupError:
        return []
    codes = list(
        dict.fromkeys(hit.department_code for hit in hits if hit.department_code)
    )
    hotlines = dict(
        model.objects.live()
        .filter(code__in=codes)
        .exclude(hotline="")
        .values_list("code", "hotline")
    )
    names = {hit.department_code: hit.department for hit in hits}
    return [(names[code], hotlines[code]) for code in codes if code in hotlines]


def catalog_url(request):
    """The site-wide catalog (事项目录), else the first department's, else None."""
    try:
        model = apps.get_model("services_catalog", "ServiceCatalogPage")
    except LookupError:
        return None
    site = Site.find_for_request(request)
    catalogs = model.objects.live().order_by("depth", "path")
    if site is not None:
        catalogs = catalogs.descendant_of(site.root_page)
    catalog = catalogs.first()
    return catalog.get_url(request) if catalog else None


@require_GET
@ratelimit("search", method=ALL_METHODS)
def search_page(request):
    query = normalise(request.GET.get("q", ""))
    filters = search_filters(request.GET)
    context = {
        "query": query,
        "filters": filters,
        "results": None,
        "examples": search_examples(),
        "english": (get_language() or "").startswith("en"),
    }
    status = 200
    if query:
        try:
            number = page_number(request.GET)
            results, page = run_search(query, filters, number)
        except SearchUnavailable:
            logger.exception("search backend unavailable")
            context["unavailable"] = True
            status = 503
        else:
            context.update(
                results=results,
                page_obj=page,
                facet_groups=facet_links(request, results.facets),
            )
            if number == 1:  # a search, not a walk through its pages
                querylog.log_search(query, results)
            if not results.total or results.mode == "weak":
                context["catalog_url"] = catalog_url(request)
                context["hotlines"] = department_hotlines(results.hits)
    return render(request, "search/search_page.html", context, status=status)


@require_GET
@ratelimit("search_suggest", method=ALL_METHODS)
def suggest(request):
    """``{"query": …, "suggestions": [{"title", "url", "code"}]}`` for the box."""
    query = normalise(request.GET.get("q", ""))
    suggestions = []
    if query:
        try:
            suggestions = get_backend().suggest(query, limit=SUGGESTIONS)
        except SearchUnavailable:
            logger.exception("search backend unavailable")
    return JsonResponse({"query": query, "suggestions": suggestions})


@csrf_exempt  # a link's ping carries no token; it only counts a click
@require_POST
@ratelimit("search_click")
def click(request):
    """The ``ping`` of a result link: one click on a result of ``?q=`` (204)."""
    querylog.log_click(request.GET.get("q", ""))
    return HttpResponse(status=204)


class SynonymCreateView(SnippetCreateView):
    """The synonym form, with the term filled in from ``?term=`` (the query
    report's one-step link)."""

    def get_initial_form_instance(self):
        term = normalise(self.request.GET.get("term", ""))[:40]
        return Synonym(term=term) if term else None


class SynonymViewSet(SnippetViewSet):
    """The editable synonyms (同义词) that widen searches: 社保 → 社会保险."""

    model = Synonym
    icon = "search"
    menu_label = gettext_lazy("搜索同义词")
    menu_name = "search-synonyms"
    menu_order = 900
    add_to_admin_menu = True
    list_display = ["term", "canonical", "updated_at"]
    search_fields = ["term", "canonical"]
    ordering = "term"
    copy_view_enabled = False
    add_view_class = SynonymCreateView


class AliasForm(forms.Form):
    """Add a logged query as an alias of the item it was meant to find."""

    query = forms.CharField(label=gettext_lazy("检索词"), max_length=100)
    item_code = forms.CharField(
        label=gettext_lazy("事项编码"),
        max_length=40,
        help_text=gettext_lazy("这个检索词本应找到的事项的编码。"),
    )

    def clean_item_code(self):
        model = apps.get_model("services_catalog", "ServiceItemPage")
        code = self.cleaned_data["item_code"].strip().upper()
        item = model.objects.live().filter(code=code).first()
        if item is None:
            raise forms.ValidationError(
                _("没有编码为“%(code)s”的已发布事项。") % {"code": code}
            )
        return item


QUERY_REPORT_URL = "site_search_query_report"
ALIAS_MESSAGES = {
    "added": gettext_lazy("已把“%(query)s”添加为“%(item)s”的别名并发布。"),
    "exists": gettext_lazy("“%(item)s”已有别名“%(query)s”。"),
    "draft": gettext_lazy("“%(item)s”有未发布的修改，请在编辑页面添加别名。"),
}


class QueryReportView(WagtailAdminTemplateMixin, TemplateView):
    """The query report (检索词报告): the most frequent queries of the last 30 days
    that found nothing (or only weak guesses) and those whose results are rarely
    clicked, each with a one-step synonym link and an add-as-alias form."""

    template_name = "search/admin/query_report.html"
    page_title = gettext_lazy("检索词报告")
    header_icon = "search"
    _breadcrumbs = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("首页")}
    ]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("site_search.add_synonym"):
            return self.render_to_response(
                self.get_context_data(forbidden=True), status=403
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not kwargs.get("forbidden"):
            context.update(
                zero_rows=querylog.report_rows("zero"),
                low_click_rows=querylog.report_rows("low_click"),
                days=querylog.REPORT_DAYS,
                synonym_add_url=reverse(SynonymViewSet().get_url_name("add")),
                alias_form=kwargs.get("alias_form")
                or AliasForm(initial={"query": self.request.GET.get("query", "")}),
            )
        return context

    def post(self, request):
        form = AliasForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(
                self.get_context_data(alias_form=form), status=400
            )
        item = form.cleaned_data["item_code"]
        text = normalise(form.cleaned_data["query"])
        if not item.permissions_for_user(request.user).can_publish():
            messages.error(request, _("你没有发布“%(item)s”的权限。") % {"item": item})
            return redirect(QUERY_REPORT_URL)
        outcome = querylog.add_alias(item, text, request.user)
        notify = messages.success if outcome == "added" else messages.warning
        notify(request, ALIAS_MESSAGES[outcome] % {"query": text, "item": item.title})
        return redirect(QUERY_REPORT_URL)
