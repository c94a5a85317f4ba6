"""Facet filters and counts of the embedded backend, from the counts of matched
documents per combination of facet values (`search.models.SearchFacets`)."""

from search.backends.base import AUDIENCES, FACETS, FacetValue, facet_label

# The facet columns of a document, as the matching statement counts their
# combinations; the department's name follows its code.
FACET_COLUMNS = (
    "department_code",
    "department_name",
    "kind",
    "item_type",
    "online",
    "audience",
)


def filter_sql(filters, prefix=""):
    """SQL conditions (and their parameters) for the facet filters of a request,
    on the columns of documents or of facet combinations (`prefix` such as ``d.``)."""
    clauses, params = [], []
    for name, value in filters.items():
        if name == "department":
            clauses.append(f"{prefix}department_code = %s")
            params.append(value)
        elif name in ("kind", "item_type"):
            clauses.append(f"{prefix}{name} = %s")
            params.append(value)
        elif name == "audience":
            clauses.append(f"{prefix}audience LIKE %s")
            params.append(f"%,{value},%")
        elif name == "online":
            clauses.append(f"{prefix}online = %s")
            params.append(truthy(value))
    return clauses, params


def truthy(value):
    return str(value).lower() in ("true", "1", "yes")


def passes(values, filters, skip=None):
    """Whether documents with these facet `values` (a combination, in the order
    of `FACET_COLUMNS`) pass the filters, the one named `skip` aside: the same
    test as `filter_sql`, in Python."""
    department, _name, kind, item_type, online, audience = values
    for name, value in filters.items():
        if name == skip:
            continue
        if name == "department" and department != value:
            return False
        if name == "kind" and kind != value:
            return False
        if name == "item_type" and item_type != value:
            return False
        if name == "audience" and f",{value}," not in (audience or ""):
            return False
        if name == "online" and (online is None or bool(online) != truthy(value)):
            return False
    return True


def facet_counts(combinations, filters):
    """The facet counts of the matched documents from the counts of their
    combinations of facet values: each facet counted with every filter but its
    own, so that its other values stay selectable."""

    facets = {}
    for name in FACETS:
        counts, labels = {}, {}
        for values, count in combinations:
            if not passes(values, filters, skip=name):
                continue
            department, label, kind, item_type, online, audience = values
            if name == "audience":
                keys = [v for v in AUDIENCES if f",{v}," in (audience or "")]
            elif name == "online":
                # 1/0 on SQLite, True/False on PostgreSQL
                keys = [] if online is None else ["true" if online else "false"]
            else:
                key = {"department": department, "kind": kind, "item_type": item_type}
                keys = [key[name]] if key[name] else []
            for key in keys:
                counts[key] = counts.get(key, 0) + count
                if name == "department":
                    labels[key] = max(labels.get(key, ""), label or "")
        selected = str(filters.get(name, "")).lower()
        values = [
            FacetValue(
                value=str(value),
                label=facet_label(name, str(value), labels.get(value, "")),
                count=count,
                selected=str(value).lower() == selected,
            )
            for value, count in counts.items()
        ]
        facets[name] = sorted(values, key=lambda v: (-v.count, v.label))
    return facets
