"""Stage 3 of an import: write a checked file, through Wagtail's page API.

Inside the caller's transaction, each record is compared with its page's current
content (the latest revision) and the page is created (``add_child``), updated (a new
revision, ``save_revision``) or left alone; with `publish` the revision is published
(``Revision.publish``; new items are published in batches, see `NewItems`), otherwise
new pages are drafts and changes draft revisions. A dry run only counts.

An item whose record has the digest the last import stored for the page's latest
revision (`ImportedItemDigest`) is unchanged without being loaded: importing the
same file again reads the pages' revision ids and digests, nothing more.

What is absent from the file: an item is described completely (a missing optional
key takes its default), whereas a department or division only updates the keys
present, because the disclosure app owns the rest of those pages (introduction,
posts, people). Pages the file does not mention are left alone; an import never
deletes. Materials keep their blank form and sample documents when an import
replaces them by a material of the same name. With `publish`, an unchanged item's
pending draft is published; an unchanged department's or division's only if it was
never published (an editor's draft of a live one may hold other changes).
"""

import hashlib
import json
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug
from wagtail.log_actions import get_active_log_context
from wagtail.models import Page, PageLogEntry, Revision, Site
from wagtail.signals import page_published, published

from disclosure.models import DepartmentPage, DivisionPage
from services_catalog import exporting
from services_catalog.importing.check import chunks
from services_catalog.importing.report import (
    CATALOG,
    CREATED,
    DEPARTMENT,
    DIVISION,
    ITEM,
    PUBLISHED,
    UNCHANGED,
    UPDATED,
)
from services_catalog.models import (
    Audience,
    ImportedItemDigest,
    ItemKind,
    ItemType,
    ServiceCatalogPage,
    ServiceItemAlias,
    ServiceItemMaterial,
    ServiceItemPage,
    ServiceItemSituation,
    ServiceItemStep,
    StepActor,
)

CATALOG_SLUG = "shixiang"
CATALOG_TITLE = "事项目录"
# Part of every item digest: a new version (when what an import writes for a record
# changes) makes the next import compare every item in full again.
DIGEST_VERSION = 1

# Model field of each catalog/1 key where the names differ, for validation messages.
MODEL_FIELD_KEYS = {
    "title": "name",
    "item_type": "type",
    "public_hours": "hours",
    "hotline": "phone",
    "originals": "original",
    "slug": "code",
}


class Abort(Exception):
    """Raised inside the transaction to roll an import back."""


def default_home_page():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise ValueError(_("没有默认站点，无法确定部门页面的上级页面。"))
    return site.root_page.specific


def latest_revisions(pages):
    """Each page as its latest revision (what `get_latest_revision_as_object`
    gives), with the revisions of the pages that have unpublished changes loaded in
    one query."""
    pages = list(pages)
    drafts = [p.latest_revision_id for p in pages if p.has_unpublished_changes]
    revisions = Revision.objects.in_bulk(drafts)
    latest = []
    for page in pages:
        revision = revisions.get(page.latest_revision_id)
        if page.has_unpublished_changes and revision is not None:
            page = page.with_content_json(revision.content)
        latest.append(page)
    return latest


class Importer:
    """Writes the parsed departments of one file (see the module docstring)."""

    def __init__(self, report, publish, dry_run, user, home_page, progress):
        self.report = report
        self.publish = publish
        self.dry_run = dry_run
        self.user = user
        self.home_page = home_page
        self.progress = progress or (lambda done, total: None)
        self.done = 0
        self.digests = {}  # page id: ImportedItemDigest, written per catalog

    def apply(self, departments):
        total = sum(len(d.items) for d in departments)
        self.progress(0, total)
        for records in departments:
            department = self.department(records.record)
            divisions = {
                record["code"]: self.division(department, record)
                for record in records.divisions
            }
            catalog = self.catalog(department) if records.items else None
            self.items(department, catalog, divisions, records.items, total)

    # Pages of the disclosure app: only the keys present are compared and set.

    def department(self, record):
        page = DepartmentPage.objects.filter(code=record["code"]).first()
        if page is None:
            home = self.home_page or default_home_page()
            page = DepartmentPage(
                code=record["code"],
                slug=find_available_slug(home, record["code"].lower()),
            )
            assign_department(page, record)
            return self.create(DEPARTMENT, home, page, record["code"])
        current = page.get_latest_revision_as_object()
        if partial_equal(exporting.department_record(current), record):
            return self.unchanged(DEPARTMENT, page)
        assign_department(current, record)
        return self.update(DEPARTMENT, current, record["code"])

    def division(self, department, record):
        page = DivisionPage.objects.filter(code=record["code"]).first()
        if page is None:
            page = DivisionPage(code=record["code"])
            assign_division(page, record)
            if department.pk is not None:  # None in a dry run of a new department
                short = record["code"].split("-", 1)[-1].lower()
                page.slug = find_available_slug(department, short)
            return self.create(DIVISION, department, page, record["code"])
        current = page.get_latest_revision_as_object()
        if partial_equal(exporting.division_record(current), record):
            return self.unchanged(DIVISION, page)
        assign_division(current, record)
        return self.update(DIVISION, current, record["code"])

    def catalog(self, department):
        catalog = None
        if department.pk is not None:
            catalog = ServiceCatalogPage.objects.child_of(department).first()
        if catalog is not None:
            return self.unchanged(CATALOG, catalog)
        catalog = ServiceCatalogPage(title=CATALOG_TITLE)
        if department.pk is not None:
            catalog.slug = find_available_slug(department, CATALOG_SLUG)
        return self.create(CATALOG, department, catalog, department.code)

    # Service items: described completely by their record.

    def items(self, department, catalog, divisions, records, total):
        if not records:
            return
        division_pages = dict(divisions)
        if department.pk is not None:
            for division in DivisionPage.objects.descendant_of(department):
                division_pages.setdefault(division.code, division)
        codes_by_id = {p.pk: code for code, p in division_pages.items() if p.pk}
        digests = {r["code"]: record_digest(r, division_pages) for r in records}
        skipped = self.unchanged_since_digest(catalog, digests)
        existing = self.existing_items(
            catalog, [r["code"] for r in records if r["code"] not in skipped]
        )
        created = NewItems(self, department, catalog)
        for record in records:
            code = record["code"]
            current = existing.get(code)
            if code in skipped:
                self.report.counts[ITEM, UNCHANGED] += 1
            elif current is None:
                page = ServiceItemPage(code=code)
                assign_item(page, record, division_pages)
                if record["co_divisions"]:  # written with the page when it is added
                    codes = record["co_divisions"]
                    page.co_divisions = [division_pages[c] for c in codes]
                created.add(page, record, division_pages, digests[code])
            elif partial_equal(exporting.item_record(current, codes_by_id), record):
                self.keep_digest(self.unchanged(ITEM, current), digests[code])
            else:
                old_materials = list(current.materials.all())
                assign_item(current, record, division_pages)
                assign_item_lists(current, record, division_pages, old_materials)
                self.keep_digest(self.update(ITEM, current, code), digests[code])
            self.done += 1
            if not self.done % NewItems.BATCH:
                created.finish()
            self.progress(self.done, total)
        created.finish()
        self.write_digests()

    def unchanged_since_digest(self, catalog, digests):
        """Codes of the items whose latest revision is the one the last import took
        the same record's digest against (and nothing is left to publish)."""
        unchanged = set()
        if catalog is None or catalog.pk is None:
            return unchanged
        for chunk in chunks(digests):
            rows = (
                ServiceItemPage.objects.child_of(catalog)
                .filter(code__in=chunk, import_digest__isnull=False)
                .values_list(
                    "code",
                    "latest_revision_id",
                    "live",
                    "has_unpublished_changes",
                    "import_digest__revision_id",
                    "import_digest__digest",
                )
            )
            for code, latest, live, draft, revision, digest in rows:
                pending = self.publish and (draft or not live)
                if revision == latest and digest == digests[code] and not pending:
                    unchanged.add(code)
        return unchanged

    def keep_digest(self, page, digest):
        if not self.dry_run and page.latest_revision_id is not None:
            self.digests[page.pk] = ImportedItemDigest(
                page_id=page.pk, revision_id=page.latest_revision_id, digest=digest
            )

    def write_digests(self):
        if self.digests:
            ImportedItemDigest.objects.bulk_create(
                self.digests.values(),
                batch_size=500,
                update_conflicts=True,
                unique_fields=["page"],
                update_fields=["revision", "digest"],
            )
            self.digests.clear()

    @staticmethod
    def existing_items(catalog, codes):
        """{code: latest content} of the catalog's items among `codes`."""
        existing = {}
        if catalog is None or catalog.pk is None:
            return existing
        for chunk in chunks(codes):
            pages = (
                ServiceItemPage.objects.child_of(catalog)
                .filter(code__in=chunk)
                .select_related("locale")
                .prefetch_related(*exporting.ITEM_RELATIONS)
            )
            existing.update((page.code, page) for page in latest_revisions(pages))
        return existing

    # Writing

    def unchanged(self, kind, page):
        """Content already as in the file; with `publish`, publish a pending draft.

        A department or division is only described in part by the file, so a draft
        of a live one may hold an editor's other changes, still under review: only
        a page never published (an earlier import's draft) is published then.
        """
        pending = page.has_unpublished_changes or not page.live
        if kind in (DEPARTMENT, DIVISION):
            pending = not page.live
        if not (self.publish and pending):
            self.report.counts[kind, UNCHANGED] += 1
            return page
        self.report.counts[kind, PUBLISHED] += 1
        if not self.dry_run:
            revision = page.get_latest_revision() or page.save_revision(user=self.user)
            revision.publish(user=self.user, skip_permission_checks=True)
        return page

    def create(self, kind, parent, page, code):
        """Add `page` under `parent` (a draft until published below)."""
        self.report.counts[kind, CREATED] += 1
        if self.dry_run:
            return page
        page.live = False
        page.owner = self.user
        with validation_errors(self.report, code):
            # Adding the page logs its creation (by the owner), as in the editor.
            parent.add_child(instance=page)
            self.save(page, log_action=False)
        return page

    def update(self, kind, page, code):
        self.report.counts[kind, UPDATED] += 1
        if self.dry_run:
            return page
        with validation_errors(self.report, code):
            self.save(page)
        return page

    def save(self, page, log_action=True):
        # Publishing saves the live page with its full validation; validating the
        # revision too would check every field twice.
        revision = page.save_revision(
            user=self.user, log_action=log_action, clean=not self.publish
        )
        if self.publish:
            revision.publish(user=self.user, skip_permission_checks=True)


class NewItems:
    """The new items of one catalog: each added to the tree (as a draft) as it
    comes, then finished in batches of `BATCH` — validated, their inline lists
    written with one query per list and batch, then each page's first revision.

    With `publish` the first revision of each page of the batch becomes its live
    revision with one update, logged as published (one insert for the batch) and
    announced by Wagtail's publish signals, as publishing it from the editor
    would. `Revision.publish` would rebuild each page from that revision (a query
    for each foreign key of the page and of its inline rows), validate and save
    it, inline rows included, a second time.

    Validation is the model's own (`full_clean`), less what this import already
    holds true: the foreign keys are rows it loaded itself, and the unique codes
    and paths were checked against the database (`check_references`, treebeard)
    and are kept by its constraints.
    """

    BATCH = 200
    TRUSTED = ("content_type", "locale", "owner", "lead_division")

    def __init__(self, importer, department, catalog):
        self.importer = importer
        self.department = department
        self.catalog = catalog
        self.pending = []

    def add(self, page, record, divisions, digest):
        importer = self.importer
        importer.report.counts[ITEM, CREATED] += 1
        if importer.dry_run:
            return
        page.owner = importer.user
        page.live = False
        page.department = self.department  # its department, without a query
        with validation_errors(importer.report, record["code"]):
            # Adding the page logs its creation (by the owner), as in the editor.
            self.catalog.add_child(instance=page)
        self.pending.append((page, record, divisions, digest))

    def finish(self):
        pending, self.pending = self.pending, []
        if not pending:
            return
        importer = self.importer
        rows = {}
        for page, record, divisions, _digest in pending:
            assign_item_lists(page, record, divisions, [])
            with validation_errors(importer.report, record["code"]):
                page.full_clean(exclude=self.TRUSTED, validate_unique=False)
            for relation in INLINE_LISTS:
                rows.setdefault(relation, []).extend(getattr(page, relation).all())
        for objects in rows.values():
            if objects:
                type(objects[0]).objects.bulk_create(objects)
        for page, _record, _divisions, digest in pending:
            page.save_revision(
                user=importer.user, changed=not importer.publish, clean=False
            )
            importer.keep_digest(page, digest)
        if importer.publish:
            self.publish([page for page, *_rest in pending])

    def publish(self, pages):
        now = timezone.now()
        Page.objects.filter(pk__in=[page.pk for page in pages]).update(
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
            live_revision=F("latest_revision"),
        )
        user = self.importer.user
        uuid = get_active_log_context().uuid
        entries = []
        for page in pages:
            page.live, page.has_unpublished_changes = True, False
            page.first_published_at = page.last_published_at = now
            page.live_revision = revision = page.latest_revision
            entries.append(
                PageLogEntry(
                    content_type=ContentType.objects.get_for_model(
                        page, for_concrete_model=False
                    ),
                    label=page.get_admin_display_title(),
                    action="wagtail.publish",
                    timestamp=now,
                    data={},
                    user=user,
                    uuid=uuid,
                    page=page,
                    revision=revision,
                    content_changed=True,
                )
            )
        PageLogEntry.objects.bulk_create(entries)
        for page in pages:
            revision = page.live_revision
            # Heard by the site search, the page cache and Wagtail's own indexes,
            # each deferred to one bulk update for the whole import (portal.bulk).
            page_published.send(sender=type(page), instance=page, revision=revision)
            published.send(sender=type(page), instance=page, revision=revision)


INLINE_LISTS = ("item_aliases", "situations", "materials", "steps")


def record_digest(record, divisions):
    """The digest of an item's record in the file and the divisions it names."""
    named = [record["lead_division"], *record["co_divisions"]]
    content = {
        "version": DIGEST_VERSION,
        "record": record,
        "divisions": [divisions[code].pk for code in named if code in divisions],
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def partial_equal(current, record):
    return all(current.get(key) == value for key, value in record.items())


def assign_department(page, record):
    page.title = record["name"]
    for key, attribute in (
        ("address", "address"),
        ("hours", "public_hours"),
        ("phone", "hotline"),
    ):
        if key in record:
            setattr(page, attribute, record[key])


def assign_division(page, record):
    page.title = record["name"]
    if "duties" in record:
        page.duties = [("duty", duty) for duty in record["duties"]]
    for key in ("phone", "room"):
        if key in record:
            setattr(page, key, record[key])


ITEM_ATTRIBUTES = (
    "name_en",
    "summary_en",
    "statutory_days",
    "promised_days",
    "extension_days",
    "fee",
    "result",
    "result_delivery",
    "location",
    "hours",
    "phone",
    "complaint_channel",
    "online",
    "visits",
)


def assign_item(page, record, divisions):
    """An item's own fields (its row); `assign_item_lists` sets the rest."""
    page.title = record["name"]
    page.slug = record["code"].lower()
    page.item_type = ItemType.from_label(record["type"]).value
    page.kind = ItemKind.from_label(record["kind"]).value
    page.audience = [Audience.from_label(a).value for a in record["audience"]]
    page.lead_division = divisions[record["lead_division"]]
    page.basis = [("item", text) for text in record["basis"]]
    page.conditions = [("item", text) for text in record["conditions"]]
    page.special_procedures = [("item", text) for text in record["special_procedures"]]
    for key in ITEM_ATTRIBUTES:
        if key in record:  # absent: kept (a field read with KEEP)
            setattr(page, key, record[key])
    page.faqs = [("faq", dict(faq)) for faq in record["faqs"]]


def assign_item_lists(page, record, divisions, old_materials):
    """An item's inline lists (modelcluster children) and co-divisions."""
    page.co_divisions = [divisions[code] for code in record["co_divisions"]]
    page.item_aliases = [
        ServiceItemAlias(sort_order=order, text=text)
        for order, text in enumerate(record["aliases"])
    ]
    page.situations = [
        ServiceItemSituation(sort_order=order, text=text)
        for order, text in enumerate(record["situations"])
    ]
    documents = {m.name: m for m in old_materials}
    materials = []
    for order, material in enumerate(record["materials"]):
        kept = documents.get(material["name"])
        materials.append(
            ServiceItemMaterial(
                sort_order=order,
                name=material["name"],
                required=material["required"],
                originals=material["original"],
                copies=material["copies"],
                format_notes=material["format_notes"],
                source=material["source"],
                blank_form_id=kept.blank_form_id if kept else None,
                sample_id=kept.sample_id if kept else None,
            )
        )
    page.materials = materials
    page.steps = [
        ServiceItemStep(
            sort_order=order,
            name=step["name"],
            handled_by=StepActor.from_label(step["handled_by"]).value,
            days=step["days"],
            description=step["description"],
        )
        for order, step in enumerate(record["steps"])
    ]


@contextmanager
def validation_errors(report, code):
    """Turn a model validation error while saving into report errors (code.field)
    and abort the import: the model's own checks are the last line of defence."""
    try:
        yield
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                key = MODEL_FIELD_KEYS.get(name, name)
                for message in messages:
                    report.error(f"{code}.{key}", message)
        else:
            for message in exc.messages:
                report.error(code, message)
        raise Abort from exc
