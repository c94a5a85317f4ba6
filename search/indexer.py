"""What is indexed, and keeping the index in step with publishing (DESIGN §7).

Each content type has an adapter that knows which of its objects are public, how one
becomes an `IndexDocument` (title, URL, department, facets, plain text) and which other
documents show something of it (a department's name appears on each of its items).
An adapter whose model is not installed is skipped, so apps can land in any order; add
a content type by writing an adapter and listing it in `ADAPTERS`.

Signals keep the index current: Wagtail's ``page_published``, ``page_unpublished``,
``post_page_move`` and ``page_slug_changed`` for pages, ``published`` /
``unpublished`` for snippets with drafts (people), and ``post_delete`` for everything
indexed. Except for deletions (the document goes at once), the receivers do not
index in the request: `queue_update` writes an `update_index` job with the
transaction that publishes (`portal.tasks`: a durable job, retried after a growing
delay when it fails), and the worker indexes the objects as they are when it runs
(with the immediate backend, at once). An index update never stops a publication:
a failure is logged, retried, and once its attempts are used up listed with its error
(设置 → 后台任务); ``python manage.py rebuild_search`` puts the whole index right.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cached_property

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.models import Page
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
    published,
    unpublished,
)

from portal.tasks import enqueue_with_transaction
from search.backends import get_backend
from search.backends.base import IndexDocument, plain_text
from search.query import VARIANT_WORDS

logger = logging.getLogger(__name__)

BATCH_SIZE = 200


def stream_text(value):
    """The searchable text of a StreamField value, as one string."""
    if not value:
        return ""
    try:
        parts = value.stream_block.get_searchable_content(value)
    except AttributeError:
        parts = [str(value)]
    return plain_text(" ".join(str(part) for part in parts))


def join(*parts, separator=" "):
    return separator.join(str(part) for part in parts if part)


class DepartmentLookup:
    """The department (部门) a page belongs to, from the page tree path; loads the
    departments once, so a rebuild costs one query for all of them."""

    @cached_property
    def _departments(self):
        from disclosure.models import DepartmentPage

        return list(DepartmentPage.objects.values_list("path", "code", "title"))

    def for_path(self, path):
        for department_path, code, title in self._departments:
            if path.startswith(department_path):
                return code, title
        return "", ""


class Adapter:
    """How one model is indexed. Subclasses set `model_label` and `kind` and
    implement `document`; `queryset` is what is public."""

    model_label = ""
    kind = ""

    @cached_property
    def model(self):
        try:
            return apps.get_model(self.model_label)
        except LookupError:
            return None

    def handles(self, obj):
        return self.model is not None and type(obj) is self.model

    def key(self, obj):
        return f"{self.model._meta.label_lower}:{obj.pk}"

    def queryset(self):
        return self.model._default_manager.all()

    def document(self, obj, departments):
        raise NotImplementedError

    def dependents(self, obj):
        """Other objects whose documents show something of `obj`."""
        return []


class PageAdapter(Adapter):
    """Pages: public when live and not behind a view restriction."""

    def key(self, obj):
        return page_key(obj.pk)

    def queryset(self):
        return self.model.objects.live().public()

    def base_document(self, page, departments, **fields):
        code, name = departments.for_path(page.path)
        return IndexDocument(
            key=self.key(page),
            kind=self.kind,
            title=page.title,
            url=page.get_url() or page.url_path,
            department_code=code,
            department_name=name,
            **fields,
        )


def page_key(pk):
    return f"page:{pk}"


class ServiceItemAdapter(PageAdapter):
    """Service items (办事指南): name, aliases and situation phrases (searched like
    the name), English name and summary, code, conditions, materials, basis,
    divisions, result; faceted by type, audience and online filing."""

    model_label = "services_catalog.ServiceItemPage"
    kind = "item"

    def queryset(self):
        return (
            super()
            .queryset()
            .select_related("lead_division")
            .prefetch_related("materials", "co_divisions", "item_aliases", "situations")
        )

    def document(self, item, departments):
        divisions = [item.lead_division] if item.lead_division_id else []
        divisions += list(item.co_divisions.all())
        materials = "、".join(material.name for material in item.materials.all())
        body = join(
            item.search_description,
            _("受理条件：") + stream_text(item.conditions) if item.conditions else "",
            _("申请材料：") + materials if materials else "",
            _("设定依据：") + stream_text(item.basis) if item.basis else "",
            _("办理结果：") + item.result if item.result else "",
            _("承办处室：") + "、".join(d.title for d in divisions)
            if divisions
            else "",
            stream_text(getattr(item, "special_procedures", None)),
            stream_text(getattr(item, "faqs", None)),
            item.location,
        )
        return self.base_document(
            item,
            departments,
            body=body,
            item_code=item.code,
            item_type=item.item_type,
            audience=tuple(item.audience or ()),
            online=bool(item.online),
            aliases=tuple(
                dict.fromkeys(
                    [
                        *(phrase.text for phrase in item_phrases(item)),
                        *family_phrases(item),
                    ]
                )
            ),
            title_en=item.name_en,
            summary_en=item.summary_en,
        )

    def dependents(self, item):
        """A family's first item lends its aliases and situations to its variants
        (`family_phrases`): they are indexed again when it changes."""
        if family_variant(item.title):
            return []
        return [
            variant
            for variant in family_members(item)
            if variant.pk != item.pk and family_variant(variant.title)
        ]


def item_phrases(item):
    return [*item.item_aliases.all(), *item.situations.all()]


def family_variant(title):
    """The variant word ending a service item's name (延续, 变更…), or ""."""
    return next((w for w in VARIANT_WORDS if title.endswith(w)), "")


def family_stem(title):
    """What the items of one variant family (…许可证核发 / …许可证延续 / …许可变更)
    share: the name without its variant word or 核发, and without a final 证."""
    for word in ("核发", *VARIANT_WORDS):
        if title.endswith(word) and len(title) > len(word) + 1:
            title = title[: -len(word)]
            break
    return title.removesuffix("证")


def family_members(item):
    """The public service items beside `item` (children of its parent) whose names
    have its stem (`family_stem`), `item` among them if it is public."""
    stem = family_stem(item.title)
    if len(stem) < 2:
        return []
    if not item.path:
        return []
    siblings = type(item).objects.filter(
        path__startswith=item.path[: -item.steplen], depth=item.depth
    )
    return [
        member
        for member in siblings.live()
        .public()
        .filter(title__startswith=stem)
        .prefetch_related("item_aliases", "situations")
        if family_stem(member.title) == stem
    ]


def family_phrases(item):
    """The aliases and situation phrases of the first item of `item`'s variant
    family (its name without a variant word), when `item` is a variant: a
    variant is looked for in the same everyday words (美容店的卫生许可证到期了), and
    the variant word of the query (延续, 变更) then picks it out of the family."""
    if not family_variant(item.title):
        return []
    return [
        phrase.text
        for member in family_members(item)
        if not family_variant(member.title)
        for phrase in item_phrases(member)
    ]


class DivisionAdapter(PageAdapter):
    """Divisions (处室): duties, posts and their responsibilities, leaders."""

    model_label = "disclosure.DivisionPage"
    kind = "division"

    def queryset(self):
        return (
            super()
            .queryset()
            .select_related("head", "deputy")
            .prefetch_related("posts")
        )

    def document(self, division, departments):
        leaders = [
            person.name
            for person in (division.head, division.deputy)
            if person is not None and person.live
        ]
        posts = [
            join(post.title, post.responsibilities, post.work_standard)
            for post in division.posts.all()
        ]
        body = join(
            _("职责：") + stream_text(division.duties) if division.duties else "",
            _("岗位：") + "；".join(posts) if posts else "",
            _("负责人：") + "、".join(leaders) if leaders else "",
            division.phone,
            division.room,
        )
        return self.base_document(division, departments, body=body)

    def dependents(self, division):
        items = []
        for relation in ("led_service_items", "co_handled_service_items"):
            related = getattr(division, relation, None)
            if related is not None:
                items += list(related.all())
        return items


class DepartmentAdapter(PageAdapter):
    """Departments (部门): introduction, window address, hours and hotline."""

    model_label = "disclosure.DepartmentPage"
    kind = "department"

    def document(self, department, departments):
        body = join(
            department.search_description,
            plain_text(department.introduction),
            department.address,
            department.public_hours,
            department.hotline,
            stream_text(department.commitments),
        )
        return self.base_document(department, departments, body=body)

    def dependents(self, department):
        # Every document under the department, and its people, show its name.
        from disclosure.models import Person

        return [
            *Page.objects.descendant_of(department).specific(),
            *Person.objects.filter(department=department),
        ]


class ContentPageAdapter(PageAdapter):
    """Notices, implementation measures and other published texts (公开内容)."""

    model_label = "disclosure.ContentPage"
    kind = "notice"

    def document(self, page, departments):
        body = join(
            page.document_number,
            page.summary or page.search_description,
            stream_text(page.body),
        )
        return self.base_document(page, departments, body=body)


class GuidePageAdapter(PageAdapter):
    """A department's disclosure guide (政府信息公开指南)."""

    model_label = "disclosure.DisclosureGuidePage"
    kind = "page"

    def document(self, page, departments):
        return self.base_document(page, departments, body=join(page.search_description))


class ListingPageAdapter(PageAdapter):
    """A page that leads on to others: a catalog (事项目录), the reception page."""

    kind = "page"

    def __init__(self, model_label):
        self.model_label = model_label

    def document(self, page, departments):
        return self.base_document(
            page,
            departments,
            body=join(page.search_description, plain_text(getattr(page, "intro", ""))),
        )


class PersonAdapter(Adapter):
    """People (人员, a snippet with drafts): name, title, duties; linked to their
    division's or department's page."""

    model_label = "disclosure.Person"
    kind = "person"

    def queryset(self):
        return self.model.objects.filter(live=True).select_related(
            "department", "division"
        )

    def document(self, person, departments):
        place = person.division if person.division_id else person.department
        if place is not None and not place.live:
            place = None
        anchor = "#people-title" if person.division_id else "#leaders-title"
        department = person.department
        return IndexDocument(
            key=self.key(person),
            kind=self.kind,
            title=join(person.name, person.title, separator=" "),
            url=(place.get_url() + anchor) if place is not None else "",
            body=join(
                person.division.title if person.division_id else "",
                person.duties,
            ),
            department_code=department.code if department else "",
            department_name=department.title if department else "",
        )

    def dependents(self, person):
        from disclosure.models import DivisionPage

        dependents = list(
            DivisionPage.objects.filter(
                Q(pk=person.division_id) | Q(head=person) | Q(deputy=person)
            )
        )
        roster = ROSTER.model
        if roster is not None:
            dependents += list(roster.objects.filter(entries__leader=person).distinct())
        return dependents


class RosterPeriodAdapter(Adapter):
    """A department's published duty roster (领导接访值班表): who receives visitors
    on which day, where; linked to the department's reception page."""

    model_label = "reception.RosterPeriod"
    kind = "roster"

    def queryset(self):
        return (
            self.model.objects.filter(live=True)
            .select_related("department")
            .prefetch_related("entries__leader")
        )

    def document(self, period, departments):
        entries = sorted(period.entries.all(), key=lambda entry: (entry.date, entry.pk))
        duties = [
            join(
                f"{entry.date:%Y-%m-%d}",
                entry.get_slot_display(),
                entry.leader.name,
                entry.leader.title,
                entry.location,
                entry.scope,
            )
            for entry in entries
        ]
        department = period.department
        return IndexDocument(
            key=self.key(period),
            kind=self.kind,
            title=join(department.title, str(period)),
            url=self.url(department),
            body=join(period.note, *duties, separator=";"),
            department_code=department.code,
            department_name=department.title,
        )

    @staticmethod
    def url(department):
        try:
            reception = apps.get_model("reception", "ReceptionPage")
        except LookupError:
            reception = None
        page = (
            reception.objects.child_of(department).live().first() if reception else None
        )
        return (page or department).get_url()


class ConsultationAdapter(Adapter):
    """Published consultations (咨询问答): the question and the answer as published
    (redacted of the asker's name and contact), linked to their own public page."""

    model_label = "inbox.Consultation"
    kind = "qa"

    def queryset(self):
        return self.model.objects.published().select_related("department", "item")

    def document(self, consultation, departments):
        from django.urls import reverse

        department = consultation.department
        item = consultation.item
        return IndexDocument(
            key=self.key(consultation),
            kind=self.kind,
            title=consultation.public_question[:80],
            url=reverse("inbox:consultation_answer", args=[consultation.pk]),
            body=join(
                item.title if item else "",
                consultation.public_question,
                consultation.public_answer,
            ),
            department_code=department.code,
            department_name=department.title,
        )


ROSTER = RosterPeriodAdapter()

ADAPTERS = [
    ServiceItemAdapter(),
    DivisionAdapter(),
    DepartmentAdapter(),
    ContentPageAdapter(),
    GuidePageAdapter(),
    ListingPageAdapter("services_catalog.ServiceCatalogPage"),
    ListingPageAdapter("reception.ReceptionPage"),
    PersonAdapter(),
    ROSTER,
    ConsultationAdapter(),
]


def active_adapters():
    return [adapter for adapter in ADAPTERS if adapter.model is not None]


def adapter_for(obj):
    obj_type = type(obj)
    return next(
        (a for a in active_adapters() if a.model is obj_type),
        None,
    )


# Writing


def _run(backend, operation, robust=True):
    """Write now when the index lives in the same database (it commits or rolls back
    with the content); after commit for an external index, where a failure is only
    logged when `robust` (a request must not fail for it) and raised otherwise."""
    if getattr(backend, "transactional", False):
        operation()
    else:
        transaction.on_commit(operation, robust=robust)


def update_objects(objects, departments=None, robust=True):
    """Index each object if it is public, remove it otherwise; then the objects that
    show something of it. Returns the number of documents written. With
    `robust=False` a failed write to an external index raises (see `_run`)."""
    backend = get_backend()
    departments = departments or DepartmentLookup()
    by_adapter = {}
    for obj in _with_dependents(objects):
        adapter = adapter_for(obj)
        if adapter is not None:
            by_adapter.setdefault(adapter.model_label, (adapter, []))[1].append(obj)
    documents, stale = [], []
    for adapter, found in by_adapter.values():
        for start in range(0, len(found), BATCH_SIZE):
            batch = found[start : start + BATCH_SIZE]
            public = adapter.queryset().in_bulk([obj.pk for obj in batch])
            for obj in batch:
                if obj.pk in public:
                    documents.append(adapter.document(public[obj.pk], departments))
                else:
                    stale.append(adapter.key(obj))

    def write():
        if stale:
            backend.delete_documents(stale)
        if documents:
            backend.index_documents(documents)

    _run(backend, write, robust)
    return len(documents)


def queue_update(objects):
    """Have the task queue index `objects` (and what shows them) once the current
    transaction commits; inside `deferred_updates`, collect them for one task."""
    pending = _deferred.get()
    if pending is not None:
        for obj in objects:
            pending[type(obj), obj.pk] = obj
        return
    keys = sorted({(obj._meta.label_lower, obj.pk) for obj in objects if obj.pk})
    if keys:
        enqueue_with_transaction(update_index, [list(key) for key in keys])


@task()
def update_index(keys):
    """The queued update: index the objects named by ``[model label, pk]`` pairs as
    they are now (one that is gone meanwhile was removed when it was deleted).
    Returns the number of documents written. A failure raises, for the job to be
    retried (`portal.tasks.run_job`); in the worker a failed write to an external
    index raises too, while inside a publication (the immediate backend) it is only
    logged, and a savepoint keeps the caller's transaction usable."""
    robust = transaction.get_connection().in_atomic_block
    with transaction.atomic():
        return update_objects(_objects_named(keys), robust=robust)


def _objects_named(keys):
    pks = {}
    for label, pk in keys:
        pks.setdefault(label, []).append(pk)
    objects = []
    for label, ids in pks.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        found = model._default_manager.filter(pk__in=ids)
        objects += list(found.specific() if model is Page else found)
    return objects


_deferred = ContextVar("search_deferred_updates", default=None)


@contextmanager
def deferred_updates():
    """Inside the block, collect what signals would index and queue it as one
    update, when the block ends without an error: a catalog import publishes
    thousands of pages, and one pass costs a fraction of one update per page."""
    if _deferred.get() is not None:
        yield
        return
    pending = {}
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    queue_update(pending.values())


def _with_dependents(objects):
    seen = set()
    queue = list(objects)
    while queue:
        obj = queue.pop(0)
        if isinstance(obj, Page) and type(obj) is Page:
            obj = obj.specific
        marker = (type(obj), obj.pk)
        if marker in seen:
            continue
        seen.add(marker)
        yield obj
        adapter = adapter_for(obj)
        if adapter is not None:
            queue.extend(adapter.dependents(obj))


def remove_keys(keys):
    backend = get_backend()
    keys = list(keys)
    _run(backend, lambda: backend.delete_documents(keys))


def rebuild(progress=None):
    """Empty the index and index everything public again; `progress(done, total)` is
    called after each batch. Returns the number of documents indexed."""
    backend = get_backend()
    adapters = active_adapters()
    querysets = [(adapter, adapter.queryset().order_by("pk")) for adapter in adapters]
    total = sum(queryset.count() for _adapter, queryset in querysets)
    departments = DepartmentLookup()
    done = 0
    with transaction.atomic():
        backend.clear()
        if progress:
            progress(done, total)
        for adapter, queryset in querysets:
            batch = []
            for obj in queryset.iterator(chunk_size=BATCH_SIZE):
                batch.append(adapter.document(obj, departments))
                if len(batch) >= BATCH_SIZE:
                    backend.index_documents(batch)
                    done += len(batch)
                    batch = []
                    if progress:
                        progress(done, total)
            if batch:
                backend.index_documents(batch)
                done += len(batch)
                if progress:
                    progress(done, total)
    return done


# Signal receivers


def _safely(handler):
    def receiver(*args, **kwargs):
        try:
            handler(*args, **kwargs)
        except Exception:
            logger.exception("search index update failed (%s)", handler.__name__)

    receiver.__name__ = handler.__name__
    return receiver


@_safely
def page_changed(sender, instance, **kwargs):
    """Published or unpublished: index it (and what shows it) or remove it."""
    queue_update([instance])


@_safely
def page_moved(sender, instance, **kwargs):
    """Moved: its URL and maybe its department changed, and its descendants' too."""
    if kwargs.get("url_path_before") == kwargs.get("url_path_after") and (
        kwargs.get("parent_page_before") == kwargs.get("parent_page_after")
    ):
        return
    queue_update([instance, *Page.objects.descendant_of(instance)])


@_safely
def slug_changed(sender, instance, **kwargs):
    """A new slug changes every descendant's URL."""
    queue_update(list(Page.objects.descendant_of(instance)))


@_safely
def snippet_changed(sender, instance, **kwargs):
    if not isinstance(instance, Page) and adapter_for(instance) is not None:
        queue_update([instance])


@_safely
def object_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        # Sent once per table of a page's model; the key is the same for all.
        if type(instance) is Page or adapter_for(instance) is not None:
            remove_keys([page_key(instance.pk)])
        return
    adapter = adapter_for(instance)
    if adapter is not None:
        remove_keys([adapter.key(instance)])
        # Documents that showed it (a person on a division page) drop it.
        dependents = [
            obj
            for obj in adapter.dependents(instance)
            if obj.pk is not None and type(obj) is not type(instance)
        ]
        if dependents:
            queue_update(dependents)


@_safely
def object_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """Models without drafts are public as soon as they are saved."""
    adapter = adapter_for(instance)
    if raw or adapter is None or isinstance(instance, Page):
        return
    if hasattr(instance, "live"):  # drafts: handled by published / unpublished
        return
    queue_update([instance])


@_safely
def synonym_changed(sender, instance, **kwargs):
    """After the change is committed, the backend takes the new synonyms."""
    transaction.on_commit(get_backend().synonyms_changed)


def connect_signals():
    from search.models import Synonym

    uid = "site_search"
    post_save.connect(synonym_changed, sender=Synonym, dispatch_uid=f"{uid}:synonym")
    post_delete.connect(
        synonym_changed, sender=Synonym, dispatch_uid=f"{uid}:synonym-deleted"
    )
    page_published.connect(page_changed, dispatch_uid=f"{uid}:published")
    page_unpublished.connect(page_changed, dispatch_uid=f"{uid}:unpublished")
    post_page_move.connect(page_moved, dispatch_uid=f"{uid}:moved")
    page_slug_changed.connect(slug_changed, dispatch_uid=f"{uid}:slug")
    published.connect(snippet_changed, dispatch_uid=f"{uid}:snippet-published")
    unpublished.connect(snippet_changed, dispatch_uid=f"{uid}:snippet-unpublished")
    post_delete.connect(object_deleted, dispatch_uid=f"{uid}:deleted")
    post_save.connect(object_saved, dispatch_uid=f"{uid}:saved")
