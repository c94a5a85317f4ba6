"""The query log (检索日志) and what the admin report reads from it (issue 14).

Every first page of a search is counted against its folded query text with its
result count (`log_search`), and every click on a result sent back by the result
link's ``ping`` (`log_click`). Nothing about who searched is kept, and a query
holding an ID number or a mobile number is not logged at all. `report_rows` lists the
most frequent queries that found nothing (or only weak guesses) and those whose
results are rarely clicked; from there an editor adds a synonym or an alias to an
item in one step (`add_alias`).
"""

import datetime

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from portal.masking import mask_personal_text
from search.models import LoggedQuery, QueryDay
from search.query import MAX_QUERY_LENGTH
from search.segment import fold

REPORT_DAYS = 30
REPORT_ROWS = 50
# A query searched at least this often whose results are clicked at most this share
# of the time is a low-click query.
LOW_CLICK_SEARCHES = 3
LOW_CLICK_SHARE = 0.2


def loggable(text):
    """The folded query text to log, or "" when it must not be logged."""
    text = " ".join(fold(text).split())[:MAX_QUERY_LENGTH]
    if not text or mask_personal_text(text) != text:
        return ""
    return text


def _today(text):
    query, _created = LoggedQuery.objects.get_or_create(text=text)
    day, _created = QueryDay.objects.get_or_create(
        query=query, date=timezone.localdate()
    )
    return day


def log_search(text, results):
    """Count one search of `text` that found `results` (a `SearchResults`)."""
    text = loggable(text)
    if not text:
        return
    empty = not results.total or results.mode in ("weak", "similar")
    with transaction.atomic():
        day = _today(text)
        QueryDay.objects.filter(pk=day.pk).update(
            searches=F("searches") + 1,
            zero_results=F("zero_results") + (1 if empty else 0),
            results=results.total,
        )


def log_click(text):
    """Count one click on a result of `text`; False when `text` was never
    searched (a made-up ping is not logged)."""
    text = loggable(text)
    if not text or not LoggedQuery.objects.filter(text=text).exists():
        return False
    with transaction.atomic():
        day = _today(text)
        QueryDay.objects.filter(pk=day.pk).update(clicks=F("clicks") + 1)
    return True


def report_rows(kind, days=REPORT_DAYS):
    """The report's rows of `kind` (``zero`` or ``low_click``) over the last `days`:
    dictionaries with text, searches, zero_results, clicks, ordered by how often."""
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    rows = (
        QueryDay.objects.filter(date__gte=since)
        .values(text=F("query__text"))
        .annotate(
            total_searches=Sum("searches"),
            total_zero=Sum("zero_results"),
            total_clicks=Sum("clicks"),
        )
    )
    if kind == "zero":
        rows = rows.filter(total_zero__gt=0).order_by("-total_zero", "text")
    else:
        rows = rows.filter(
            total_searches__gte=LOW_CLICK_SEARCHES,
            total_clicks__lte=F("total_searches") * LOW_CLICK_SHARE,
        ).order_by("-total_searches", "text")
    return [
        {
            "text": row["text"],
            "searches": row["total_searches"],
            "zero_results": row["total_zero"],
            "clicks": row["total_clicks"],
        }
        for row in rows[:REPORT_ROWS]
    ]


def add_alias(item, text, user):
    """Add `text` as an alias of the service `item` and publish that as a new
    revision by `user`. Returns "added", "exists" (the item has it already) or
    "draft" (the item has unpublished changes, which this must not publish)."""
    from services_catalog.models import ServiceItemAlias

    if item.has_unpublished_changes:
        return "draft"
    if item.item_aliases.filter(text=text).exists():
        return "exists"
    item.item_aliases.add(ServiceItemAlias(text=text))
    item.save_revision(user=user, log_action=True).publish(user=user)
    return "added"
