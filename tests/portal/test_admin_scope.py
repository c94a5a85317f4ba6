"""No admin view shows or changes another department's objects (DESIGN §3, issue 11).

The URL patterns come from the project's resolver, not from a list: every admin
pattern that names an object is filled with an object of the *other* demo
department (and, for handlers on a division-scoped model, of another division) and
requested by every scoped demo role, GET and POST. A 200 that shows the object
(its label) or serves a file is a leak, and so is any change to the object; a
500 fails it too.
Listings, exports and choosers of the same models must not show the other
department's objects either. A new viewset is covered without touching this test;
a pattern the test cannot fill fails it unless it is in `UNFILLABLE`, with the
reason.
"""

import io

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db.models import Model
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils.html import escape
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.models import Page, RevisionMixin, WorkflowMixin
from wagtail.permissions import policy_registry

from disclosure.models import DepartmentPage
from disclosure.models.staff import membership_of
from reception.models import ReceptionRecord, ReceptionRecordAttachment
from tests.inbox.builders import PDF

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROLES = ["editor", "moderator", "clerk", "director", "handler", "supervisor"]
OWN, OTHER = "sj", "st"

PAGE_KWARGS = {"page_id", "parent_page_id", "page_to_move_id"}
OBJECT_KWARGS = {"pk", "object_id", *PAGE_KWARGS}
MODEL_KWARGS = {
    "app_label",
    "model_name",
    "app_name",
    "content_type_app_name",
    "content_type_model_name",
}

# Admin patterns naming an object that this test cannot fill, and why. The test
# fails on an entry that no longer matches a registered pattern.
UNFILLABLE = {
    "wagtailadmin_editing_sessions:release": "ends the user's own editing "
    "session; names no department object",
    "wagtailadmin_password_reset_confirm": "a password-reset token, no object",
    "portal_staff_session_end": "ends one of the user's own sessions, no "
    "department object",
    "wagtailadmin_workflows:enable": "workflows are site-wide, for administrators",
    "wagtailadmin_workflows:edit_task": "tasks are site-wide, for administrators",
    "wagtailadmin_workflows:enable_task": "tasks are site-wide, for administrators",
}

# Patterns whose answer for another department's object is meant to be 200.
CROSS_DEPARTMENT = {
    "wagtailadmin_choose_page_child": "the page chooser links to any public "
    "page, including other departments' (it edits nothing)",
}


def admin_patterns():
    """(route, URL name with namespaces, kwarg names, view model) of every
    registered admin URL pattern."""

    def walk(resolver, route, namespaces, kwargs):
        for entry in resolver.url_patterns:
            names = kwargs | set(entry.pattern.regex.groupindex)
            if isinstance(entry, URLResolver):
                space = (
                    (*namespaces, entry.namespace) if entry.namespace else namespaces
                )
                yield from walk(entry, route + str(entry.pattern), space, names)
            else:
                name = ":".join((*namespaces, entry.name)) if entry.name else None
                yield route + str(entry.pattern), name, names, entry.callback

    for route, name, kwargs, callback in walk(get_resolver(), "", (), set()):
        if route.startswith("admin/"):
            yield route, name, kwargs, view_model(callback, name, kwargs)


def view_model(callback, name, kwargs):
    """The model a view works on: from the view's class (Django's or DRF's) or
    the viewset a bound view belongs to; Wagtail's page views work on pages."""
    model = getattr(callback, "view_initkwargs", {}).get("model")
    for owner in ("view_class", "cls", "__self__"):
        if model is None:
            model = getattr(getattr(callback, owner, None), "model", None)
    if isinstance(model, str):
        model = apps.get_model(model)
    if not (isinstance(model, type) and issubclass(model, Model)):
        model = None
    if model is None and (
        kwargs & PAGE_KWARGS or (name or "").startswith("wagtailadmin_pages:")
    ):
        model = Page
    return model


class Departments:
    """Finds the department an object belongs to by following its page path or its
    foreign keys, whatever the model."""

    def __init__(self):
        self.by_path = {page.path: page for page in DepartmentPage.objects.all()}

    def of(self, obj, depth=3):
        if isinstance(obj, Page):
            return next(
                (d for path, d in self.by_path.items() if obj.path.startswith(path)),
                None,
            )
        if depth == 0:
            return None
        for field in obj._meta.concrete_fields:
            if field.many_to_one or field.one_to_one:
                related = getattr(obj, field.name, None)
                if related is not None and (found := self.of(related, depth - 1)):
                    return found
        return None


class Targets:
    """One object per model in the other department (with a revision and, for
    pages, a running workflow, so that those URLs can be filled)."""

    def __init__(self, other, admin):
        self.departments = Departments()
        self.other = other
        self.admin = admin
        self.cache = {}

    def __call__(self, model):
        if model not in self.cache:
            self.cache[model] = self._find(model)
        return self.cache[model]

    def _find(self, model):
        if model is Page:
            candidates = Page.objects.descendant_of(self.other).order_by("-depth")
        else:
            candidates = model._default_manager.order_by("pk")[:500]
        for obj in candidates:
            if self.departments.of(obj) == self.other:
                return self._prepare(obj.specific if model is Page else obj)
        return None

    def _prepare(self, obj):
        if isinstance(obj, RevisionMixin) and not obj.revisions.exists():
            obj.save_revision(user=self.admin)
        if isinstance(obj, WorkflowMixin) and (workflow := obj.get_workflow()):
            if obj.current_workflow_state is None:
                workflow.start(obj, self.admin)
        return obj


def fill(kwargs, obj, own_department):
    """URL kwargs naming `obj`, or None when one of them cannot be filled."""
    values = {}
    task_state = getattr(obj, "current_workflow_task_state", None)
    for name in kwargs:
        if name in OBJECT_KWARGS:
            values[name] = obj.pk
        elif name == "revision_id" and isinstance(obj, RevisionMixin):
            values[name] = obj.revisions.order_by("-pk").first().pk
        elif name == "revision_id_a":
            values[name] = "earliest"
        elif name == "revision_id_b":
            values[name] = "latest"
        elif name == "workflow_state_id" and task_state is not None:
            values[name] = task_state.workflow_state_id
        elif name == "task_state_id" and task_state is not None:
            values[name] = task_state.pk
        elif name == "task_id" and task_state is not None:
            values[name] = task_state.task_id
        elif name == "action_name" and task_state is not None:
            values[name] = "approve"
        elif name == "destination_id":
            values[name] = own_department.pk
        elif name == "session_id":
            values[name] = 0
        elif name in {"app_label", "app_name", "content_type_app_name"}:
            values[name] = obj._meta.app_label
        elif name in {"model_name", "content_type_model_name"}:
            values[name] = obj._meta.model_name
        else:
            return None
    return values


def fingerprint(obj):
    model = type(obj)
    row = list(model._default_manager.filter(pk=obj.pk).values())
    revisions = obj.revisions.count() if isinstance(obj, RevisionMixin) else 0
    return row, revisions


def requests(targets, own_department, role_models):
    """(label, URL, object) for every admin pattern naming an object, filled with
    the other department's object of the pattern's model; and the patterns that
    could not be filled."""
    department_models = set()
    found, unfilled = [], []
    for route, name, kwargs, model in admin_patterns():
        object_kwargs = kwargs & OBJECT_KWARGS
        if "action" in kwargs and "app_label" in kwargs:
            continue  # bulk actions: see `bulk_requests`
        if not object_kwargs:
            continue
        if kwargs & MODEL_KWARGS and model is None:
            models = role_models
        elif model is not None:
            models = [model]
        else:
            unfilled.append((name or route, route))
            continue
        for candidate in models:
            obj = targets(candidate)
            if obj is None:
                continue  # no object of this model belongs to a department
            department_models.add(candidate)
            values = fill(kwargs, obj, own_department)
            if values is None or name is None:
                unfilled.append((name or route, route))
                break
            found.append((name, reverse(name, kwargs=values), obj))
    return found, unfilled, department_models


def bulk_requests(targets, models):
    for model in models:
        obj = targets(model)
        opts = model._meta
        for action in bulk_action_registry.get_bulk_actions_for_model(
            opts.app_label, opts.model_name
        ):
            url = reverse(
                "wagtail_bulk_action",
                args=[opts.app_label, opts.model_name, action.action_type],
            )
            yield f"bulk {action.action_type}", f"{url}?id={obj.pk}", obj


def listings(targets, models):
    """(URL name, URL, object) of the kwarg-less admin patterns of department
    models (index, results, export, choosers)."""
    for _route, name, kwargs, model in admin_patterns():
        if kwargs or name is None or model not in models:
            continue
        url = reverse(name)
        yield name, url, targets(model)
        if "list" in name.rsplit(":", 1)[-1]:
            yield f"{name} export", f"{url}?export=csv", targets(model)


def labels(obj):
    """How a page shows the object: its label, its title or name."""
    texts = {str(obj), getattr(obj, "title", None), getattr(obj, "name", None)}
    texts = {text for text in texts if isinstance(text, str) and len(text) > 1}
    return texts | {escape(text) for text in texts}


def shows(response, obj):
    """A 200 that serves a file or shows the object's label, title or name."""
    if response.status_code != 200:
        return False
    if response.streaming:
        return True
    body = response.content.decode()
    return any(text in body for text in labels(obj))


def markers(url, obj, own_labels):
    """Text that shows `obj` on a listing: links to its views, and its label where
    no object of the user's own department has the same one."""
    prefix = url.split("?")[0].rsplit("/", 2)[0] + "/"
    found = {f"{prefix}{view}/{obj.pk}/" for view in ("edit", "inspect", "chosen")}
    label = str(obj)
    if label not in own_labels:
        found |= {label, escape(label)}
    return found


@pytest.fixture
def demo(settings):
    """The demo site, plus an attachment on each department's first reception
    record (the demo has none)."""
    settings.DEMO_USERS_ENABLED = True
    call_command("load_demo", stdout=io.StringIO())
    for department in DepartmentPage.objects.all():
        record = ReceptionRecord.objects.filter(department=department).first()
        attachment = ReceptionRecordAttachment(record=record, title="来信")
        attachment.file.save("letter.pdf", ContentFile(PDF))


def test_unfillable_patterns_are_still_registered():
    names = {name for _route, name, _kwargs, _model in admin_patterns()}
    stale = (set(UNFILLABLE) | set(CROSS_DEPARTMENT)) - names
    assert not stale, f"remove from the allow-lists: {sorted(stale)}"


def test_no_admin_view_shows_or_changes_another_departments_object(demo):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    admin = User.objects.get(username="admin")
    own = DepartmentPage.objects.get(code=OWN.upper())
    other = DepartmentPage.objects.get(code=OTHER.upper())
    targets = Targets(other, admin)
    candidate_models = {
        model for _r, _n, _k, model in admin_patterns() if model is not None
    } | {Page}
    found, unfilled, department_models = requests(
        targets, own, sorted(candidate_models, key=str)
    )
    found += list(bulk_requests(targets, department_models))

    problems = [
        f"cannot fill {name} ({route}): add it to UNFILLABLE with the reason"
        for name, route in unfilled
        if name not in UNFILLABLE
    ]
    assert {name for name, _url, _obj in found} >= {
        "wagtailsnippets_disclosure_person:history",
        "wagtailsnippets_reception_rosterperiod:revisions_compare",
        "leaderunavailability:edit",
        "receptionrecord:attachment",
        "appointmentrequest:edit",
        "staff_memberships:edit",
        "wagtailadmin_pages:edit",
        "consultations:edit",
        "consultations:forward",
        "consultations:reveal",
    }, "the demo no longer gives these views an object to try"

    # The listings and the labels of one's own objects, the same for every role.
    own_listings = []
    for _name, url, obj in listings(targets, department_models):
        own_labels = {
            str(o)
            for o in type(obj)._default_manager.all()
            if targets.departments.of(o) == own
        }
        own_listings.append((url, obj, own_labels))

    for role in ROLES:
        user = User.objects.get(username=f"{role}_{OWN}")
        client = Client(raise_request_exception=False)
        client.force_login(user)
        tried = list(found) + list(
            division_requests(user, department_models, own, targets)
        )
        for name, url, obj in tried:
            if name in CROSS_DEPARTMENT:
                continue
            before = fingerprint(obj)
            for method in (client.get, client.post):
                response = method(url)
                verb = method.__name__.upper()
                if shows(response, obj):
                    problems.append(f"{role} {verb} {url}: shown")
                elif response.status_code >= 500:
                    problems.append(f"{role} {verb} {url}: {response.status_code}")
                if fingerprint(obj) != before:
                    problems.append(f"{role} {verb} {url}: changed")
                    before = fingerprint(obj)
        for url, obj, own_labels in own_listings:
            response = client.get(url)
            if response.status_code != 200 or response.streaming:
                continue
            body = response.content.decode()
            shown = [m for m in markers(url, obj, own_labels) if m in body]
            if shown:
                problems.append(f"{role} GET {url}: shows {shown[0]}")

    assert not problems, f"{len(problems)} leaks:\n" + "\n".join(problems)


def division_requests(user, models, own, targets):
    """For a handler: objects of their own department outside their division, on
    the models whose policy is scoped to divisions."""
    membership = membership_of(user)
    if membership is None or membership.division_id is None:
        return
    for model in models:
        policy = policy_registry.get_by_type(model)
        if not getattr(policy, "division_fields", ()):
            continue
        reachable = policy.scope_queryset(user, model._default_manager.all())
        obj = (
            model._default_manager.filter(**{policy.department_field: own})
            .exclude(pk__in=reachable.values("pk"))
            .first()
        )
        if obj is None:
            continue
        for _route, name, kwargs, view in admin_patterns():
            if view is model and kwargs & OBJECT_KWARGS and name:
                values = fill(kwargs, obj, own)
                if values is not None:
                    yield name, reverse(name, kwargs=values), obj
