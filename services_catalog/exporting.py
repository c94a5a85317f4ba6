"""Export of the catalog in the catalog/1 format (DESIGN §9), and the mapping from pages
to catalog/1 records that the importer compares files with.

Used by ``manage.py export_catalog`` and by `services_catalog.importing`: a record the
importer reads is normalised to exactly what `item_record` writes for the same content,
so "unchanged" is a plain comparison and an exported file re-imports unchanged.

Each page is exported as its latest revision (what editors see, drafts included), in
tree order. Co-divisions are sorted by code (the relation has no order); audience
follows the order of `Audience`.
"""

import json

from disclosure.models import DepartmentPage, DivisionPage
from services_catalog.models import Audience, ItemKind, ItemType, ServiceItemPage

FORMAT = "catalog/1"
# The relations `item_record` reads, to prefetch.
ITEM_RELATIONS = ("materials", "steps", "co_divisions", "item_aliases", "situations")
STEP_ACTOR_LABELS = {"window": "窗口", "director": "主任", "division": "处室"}


def _label(choices, value):
    return choices(value).chinese_label if value in choices.values else value


def department_record(page):
    return {
        "code": page.code,
        "name": page.title,
        "address": page.address,
        "hours": page.public_hours,
        "phone": page.hotline,
    }


def division_record(page):
    return {
        "code": page.code,
        "name": page.title,
        "duties": page.duty_texts(),
        "phone": page.phone,
        "room": page.room,
    }


def item_record(page, division_codes):
    """The catalog/1 record of a service item; `division_codes` maps division page
    ids to codes."""
    return {
        "code": page.code,
        "name": page.title,
        "name_en": page.name_en,
        "summary_en": page.summary_en,
        "aliases": [alias.text for alias in page.item_aliases.all()],
        "situations": [situation.text for situation in page.situations.all()],
        "type": _label(ItemType, page.item_type),
        "kind": _label(ItemKind, page.kind),
        "audience": [a.chinese_label for a in Audience if a.value in page.audience],
        "lead_division": division_codes.get(page.lead_division_id),
        "co_divisions": sorted(
            division_codes.get(d.pk, str(d.pk)) for d in page.co_divisions.all()
        ),
        "basis": [block.value for block in page.basis],
        "conditions": [block.value for block in page.conditions],
        "special_procedures": [block.value for block in page.special_procedures],
        "materials": [
            {
                "name": m.name,
                "required": m.required,
                "original": m.originals,
                "copies": m.copies,
                "format_notes": m.format_notes,
                "source": m.source,
            }
            for m in page.materials.all()
        ],
        "steps": [
            {
                "name": s.name,
                "handled_by": STEP_ACTOR_LABELS.get(s.handled_by, s.handled_by),
                "days": s.days,
                "description": s.description,
            }
            for s in page.steps.all()
        ],
        "statutory_days": page.statutory_days,
        "promised_days": page.promised_days,
        "extension_days": page.extension_days,
        "fee": page.fee,
        "result": page.result,
        "result_delivery": page.result_delivery,
        "location": page.location,
        "hours": page.hours,
        "phone": page.phone,
        "complaint_channel": page.complaint_channel,
        "online": page.online,
        "visits": page.visits,
        "faqs": [
            {"question": b.value["question"], "answer": b.value["answer"]}
            for b in page.faqs
        ],
    }


def export_catalog(department_codes=None):
    """The catalog/1 dictionary of the given departments (all when None), with their
    divisions and items. Raises LookupError naming codes that match no department."""
    departments = DepartmentPage.objects.order_by("path")
    if department_codes:
        departments = departments.filter(code__in=department_codes)
        missing = set(department_codes) - {d.code for d in departments}
        if missing:
            raise LookupError("、".join(sorted(missing)))
    division_codes = dict(DivisionPage.objects.values_list("pk", "code"))
    data = {"format": FORMAT, "departments": []}
    for department in departments:
        record = department_record(department.get_latest_revision_as_object())
        record["divisions"] = [
            division_record(division.get_latest_revision_as_object())
            for division in DivisionPage.objects.child_of(department).order_by("path")
        ]
        items = (
            ServiceItemPage.objects.descendant_of(department)
            .order_by("path")
            .prefetch_related(*ITEM_RELATIONS)
        )
        record["items"] = [
            item_record(item.get_latest_revision_as_object(), division_codes)
            for item in items.iterator(chunk_size=500)
        ]
        data["departments"].append(record)
    return data


def dumps(data):
    """catalog/1 JSON text: UTF-8 characters as they are, two-space indent."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
