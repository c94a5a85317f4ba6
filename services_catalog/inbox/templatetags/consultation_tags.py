"""Template tags of consultations: the published questions and answers of a service
item, for its page (`{% item_questions page as questions %}`)."""

from django import template

from services_catalog.inbox import consultations

register = template.Library()

ITEM_PAGE_QUESTIONS = 5


@register.simple_tag
def item_questions(item, limit=ITEM_PAGE_QUESTIONS):
    """`{"items": [public views…], "count": n}` of the item's published
    consultations, newest first."""
    found = consultations.published(item=item)
    return {
        "items": [consultations.public_view(c) for c in found[:limit]],
        "count": found.count(),
    }
