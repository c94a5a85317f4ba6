"""The public catalog's filters: a GET form, per-option counts and the paged listing.

`catalog_listing` builds what `ServiceCatalogPage` renders: the bound
`CatalogFilterForm` (department — site-wide catalog only —, lead division, type,
audience, kind, online filing, a keyword over name and code, sort order), the count of
every option given the other filters, and one page of items. Invalid values are
dropped and reported by the form, never an error page. The number of queries does not
depend on the number of items: one for the departments, one for the divisions, one
aggregate for all counts, then the page of items.
"""

import operator
from functools import reduce

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from disclosure.models import DepartmentPage, DivisionPage
from services_catalog.models import Audience, ItemKind, ItemType, ServiceItemPage

PAGE_SIZE = 20
# What an item card never shows: the long texts (parsing each StreamField's JSON
# was a third of the listing's time), of the item and of its lead division.
LISTING_DEFERRED = (
    "basis",
    "conditions",
    "special_procedures",
    "faqs",
    "summary_en",
    "lead_division__duties",
    "lead_division__commitments",
)


class Online(models.TextChoices):
    YES = "1", _("可网上申请")
    WINDOW_ONLY = "0", _("仅窗口办理")


class SortOrder(models.TextChoices):
    DEFAULT = "", _("默认顺序")
    NAME = "name", _("按名称")
    TIME = "time", _("按承诺时限（由短到长）")


SORT_ORDERS = {
    SortOrder.DEFAULT: ("path",),
    SortOrder.NAME: ("title", "code"),
    SortOrder.TIME: ("promised_days", "title", "code"),
}


class CatalogFilterForm(forms.Form):
    """The catalog's filters; every field optional. Built with the departments (empty
    for a department's own catalog, which then has no department filter) and the
    divisions the listing may be narrowed to."""

    FACETS = ("department", "division", "type", "audience", "kind", "online")

    q = forms.CharField(
        label=_("事项名称或编码"),
        required=False,
        max_length=100,
        help_text=_("输入名称或编码中的几个字，如“食品”。"),
    )
    department = forms.ChoiceField(label=_("部门"), required=False)
    division = forms.ChoiceField(label=_("承办处室"), required=False)
    type = forms.ChoiceField(label=_("事项类型"), required=False)
    audience = forms.ChoiceField(label=_("服务对象"), required=False)
    kind = forms.ChoiceField(label=_("办件类型"), required=False)
    online = forms.ChoiceField(label=_("办理方式"), required=False)
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=SortOrder.choices,
    )

    def __init__(self, data, *, departments, divisions):
        super().__init__(data)
        self.departments = {department.code: department for department in departments}
        self.divisions = {division.code: division for division in divisions}
        if not departments:
            del self.fields["department"]
        self.options = {
            "department": [(d.code, d.title) for d in departments],
            "division": [(d.code, d.title) for d in divisions],
            "type": list(ItemType.choices),
            "audience": list(Audience.choices),
            "kind": list(ItemKind.choices),
            "online": list(Online.choices),
        }
        self.division_groups = self.group_divisions(departments, divisions)
        self.show_counts({})

    @staticmethod
    def group_divisions(departments, divisions):
        """{division code: department name} when the divisions span departments (the
        site-wide catalog before a department is chosen), for option groups."""
        names = {department.path: department.title for department in departments}
        groups = {d.code: names.get(d.path[: -d.steplen], "") for d in divisions}
        return groups if len(set(groups.values())) > 1 else {}

    def facets(self):
        return [facet for facet in self.FACETS if facet in self.fields]

    def show_counts(self, counts):
        """Label every option with its count ({facet: {value: n}}), "全部" first;
        divisions of several departments in one group per department."""
        for facet in self.facets():
            facet_counts = counts.get(facet, {})
            groups = self.division_groups if facet == "division" else {}
            choices, grouped = [("", _("全部"))], {}
            for value, label in self.options[facet]:
                if value in facet_counts:
                    label = gettext("%(label)s（%(count)s）") % {
                        "label": label,
                        "count": facet_counts[value],
                    }
                group = groups.get(value)
                if group is None:
                    choices.append((value, label))
                    continue
                if group not in grouped:
                    grouped[group] = []
                    choices.append((group, grouped[group]))
                grouped[group].append((value, label))
            self.fields[facet].choices = choices

    def active_filters(self):
        """{facet: value} of the filters given with a valid value."""
        cleaned = getattr(self, "cleaned_data", {})
        return {facet: cleaned[facet] for facet in self.facets() if cleaned.get(facet)}

    def active_filter_labels(self):
        """[(field label, chosen value's label)] of the filters in use, the keyword
        first: what the collapsed filters on a phone say they hold."""
        cleaned = getattr(self, "cleaned_data", {})
        labels = []
        if cleaned.get("q"):
            labels.append((self.fields["q"].label, cleaned["q"]))
        for facet, value in self.active_filters().items():
            option = dict(self.options[facet]).get(value, value)
            labels.append((self.fields[facet].label, option))
        return labels

    def condition(self, facet, value):
        """The Q object selecting the items of one facet option."""
        if facet == "department":
            return Q(path__startswith=self.departments[value].path)
        if facet == "division":
            return Q(lead_division=self.divisions[value])
        if facet == "type":
            return Q(item_type=value)
        if facet == "audience":
            return Q(audience__icontains=f'"{value}"')
        if facet == "kind":
            return Q(kind=value)
        if facet == "online":
            return Q(online=value == Online.YES)
        raise ValueError(facet)

    def filters_except(self, facet=None):
        active = self.active_filters()
        conditions = [self.condition(f, v) for f, v in active.items() if f != facet]
        return reduce(operator.and_, conditions, Q())

    def keyword_filter(self):
        keyword = getattr(self, "cleaned_data", {}).get("q", "").strip()
        if not keyword:
            return Q()
        return Q(title__icontains=keyword) | Q(code__icontains=keyword)

    def ordering(self):
        return SORT_ORDERS[getattr(self, "cleaned_data", {}).get("sort") or ""]


def count_options(items, form):
    """The total and, for every option of every facet, how many items it would list
    with the other filters kept: {"total": n, facet: {value: n}}. One query."""
    aggregates = {"total": Count("pk", filter=form.filters_except() or None)}
    keys = {}
    for facet in form.facets():
        others = form.filters_except(facet)
        for index, (value, _label) in enumerate(form.options[facet]):
            alias = f"{facet}_{index}"
            keys[alias] = (facet, value)
            aggregates[alias] = Count(
                "pk", filter=others & form.condition(facet, value)
            )
    row = items.aggregate(**aggregates)
    counts = {"total": row["total"]}
    for alias, (facet, value) in keys.items():
        counts.setdefault(facet, {})[value] = row[alias]
    return counts


def catalog_listing(catalog, request):
    """Template context of a catalog page: `filter_form`, `total`, `page_obj` (the
    items of the requested page, with `department` and `lead_division` loaded) and
    `departments` (empty for a department's own catalog)."""
    department = catalog.department
    if department is None:
        site_prefix = catalog.path[: -catalog.steplen]
        departments = list(
            DepartmentPage.objects.live()
            .filter(path__startswith=site_prefix)
            .order_by("path")
        )
        divisions = DivisionPage.objects.live().filter(path__startswith=site_prefix)
        chosen = request.GET.get("department")
        if chosen in {d.code for d in departments}:
            chosen_path = next(d.path for d in departments if d.code == chosen)
            divisions = divisions.filter(path__startswith=chosen_path)
    else:
        departments = []
        divisions = DivisionPage.objects.live().child_of(department)
    divisions = list(divisions.only("id", "path", "depth", "title", "code"))

    form = CatalogFilterForm(request.GET, departments=departments, divisions=divisions)
    form.is_valid()  # invalid fields drop out of cleaned_data and show their errors
    items = catalog.items().filter(form.keyword_filter())
    counts = count_options(items, form)
    form.show_counts(counts)

    results = (
        items.filter(form.filters_except())
        .select_related("lead_division")
        .defer(*LISTING_DEFERRED)
        .order_by(*form.ordering())
    )
    page_obj = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    page_obj.object_list = ServiceItemPage.attach_departments(
        page_obj.object_list, departments or [department]
    )
    return {
        "filter_form": form,
        "total": counts["total"],
        "page_obj": page_obj,
        "departments": departments,
        "is_filtered": bool(form.active_filters() or form.keyword_filter()),
        "active_filters": form.active_filter_labels(),
    }
