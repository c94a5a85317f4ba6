"""Template tags for the public site's frame: main navigation, breadcrumbs, the home
page's quick links, pagination, optional includes, absolute static URLs and JSON-LD.
Loaded in templates with `{% load portal_tags %}`; every tag runs a constant number of
queries."""

import json
from types import SimpleNamespace

from django import template
from django.conf import settings
from django.db.models import Q
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from portal.models import QuickLinksSettings
from portal.quick_links import declared_quick_links
from portal.shared import shared
from portal.sites import absolute_url

register = template.Library()

JSON_HTML_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """`data` as a JSON-LD <script> block, safe inside HTML (no "</script>")."""
    text = json.dumps(data, ensure_ascii=False).translate(JSON_HTML_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.simple_tag(takes_context=True)
def absolute_static(context, path):
    """The absolute URL of static file `path` on the public site (link previews)."""
    return absolute_url(static(path), context.get("request"))


def site_root(request):
    """The root page of the site serving `request`, or None outside any site."""
    site = Site.find_for_request(request) if request is not None else None
    return site.root_page if site else None


def _as_page(value):
    """`value` if it is a Wagtail page; views may use `page` for other things, such
    as a paginator's page."""
    return value if isinstance(value, Page) else None


def _current_marker(page, section):
    """The `aria-current` value of a navigation link to `section` while `page` is
    shown: "page" on the section itself, "true" anywhere below it, else ""."""
    if page is None or not page.path.startswith(section.path):
        return ""
    return "page" if page.pk == section.pk else "true"


def _menu_sections(root, request):
    """The home page's live children shown in menus, as plain values to share."""
    sections = (
        root.get_children()
        .live()
        .in_menu()
        .only("id", "path", "depth", "title", "url_path")
    )
    return [
        SimpleNamespace(
            pk=section.pk,
            path=section.path,
            title=section.title,
            url=section.get_url(request),
        )
        for section in sections
    ]


@register.inclusion_tag("components/main_nav.html", takes_context=True)
def main_nav(context):
    """The site's main navigation: home, then the home page's live children that are
    shown in menus. The section holding the current page is marked current."""
    request = context.get("request")
    current = _as_page(context.get("page"))
    root = site_root(request)
    items = []
    if root is not None:
        items = [
            {
                "title": section.title,
                "url": section.url,
                "current": _current_marker(current, section),
            }
            for section in shared(
                request,
                ("main_nav", request.get_host(), root.pk),
                lambda: _menu_sections(root, request),
            )
        ]
    return {
        "request": request,
        "home_url": root.get_url(request) if root is not None else "/",
        "home_current": current is not None
        and root is not None
        and current.pk == root.pk,
        "items": items,
    }


@register.inclusion_tag("components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page=None, current=None):
    """The trail from the home page down to `page`.

    `{% breadcrumbs page %}` ends on `page` itself (marked `aria-current="page"`).
    `{% breadcrumbs page _("打印") %}` ends on a view below `page` that is no page of
    its own (a print view, a form step); `page` is then a link. With no page at all
    (`{% breadcrumbs None _("搜索") %}`) the trail is home → the label. Nothing is
    shown on the home page itself.
    """
    request = context.get("request")
    root = site_root(request)
    page = _as_page(page)
    trail = []
    if page is not None:
        trail = [
            dict(crumb)
            for crumb in shared(
                request,
                ("breadcrumbs", request.get_host() if request else "", page.pk),
                lambda: _ancestor_trail(page, root, request),
            )
        ]
    elif root is not None:
        trail.append({"title": _("首页"), "url": root.get_url(request)})
    if current:
        trail.append({"title": current, "url": None})
    elif trail:
        trail[-1]["url"] = None
    return {"trail": trail if len(trail) > 1 else []}


def _ancestor_trail(page, root, request):
    ancestors = page.get_ancestors(inclusive=True).filter(depth__gt=1)
    if root is not None:
        ancestors = ancestors.filter(depth__gte=root.depth)
    return [
        {
            "title": _("首页")
            if root is not None and crumb.pk == root.pk
            else crumb.title,
            "url": crumb.get_url(request),
        }
        for crumb in ancestors.only("id", "path", "depth", "title", "url_path")
    ]


def _first_url(url_names):
    for name in url_names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


@register.simple_tag(takes_context=True)
def quick_links(context):
    """The home page's quick links as dicts with `label`, `icon`, `url` and
    `choices`: the editors' links (site setting `QuickLinksSettings`) when there
    are any, else the links the apps declare. A declared link whose page type
    exists in several departments offers each of them (`choices`, a list of dicts
    with `label` and `url`); `url` is then the first. Constant queries."""
    request = context.get("request")
    root = site_root(request)
    host = request.get_host() if request else ""
    return shared(
        request,
        ("quick_links", host, root.pk if root else None),
        lambda: _quick_links(request, root),
    )


def _quick_links(request, root):
    if root is not None:
        configured = QuickLinksSettings.for_request(request).links
        if configured:
            return [_configured_link(block.value, request) for block in configured]
    return _declared_links(request, root)


def _configured_link(value, request):
    page = value.get("page")
    url = page.specific_deferred.get_url(request) if page else value.get("url")
    return {"label": value["label"], "icon": value["icon"], "url": url, "choices": []}


def _declared_links(request, root):
    declared = declared_quick_links()
    wanted = {model for link in declared for model in link.page_models}
    pages = {}
    if root is not None and wanted:
        match = Q()
        for app_model in wanted:
            app_label, model = app_model.split(".")
            match |= Q(content_type__app_label=app_label, content_type__model=model)
        candidates = (
            Page.objects.live()
            .descendant_of(root)
            .filter(match)
            .select_related("content_type")
            .order_by("depth", "path")
        )
        for candidate in candidates:
            key = f"{candidate.content_type.app_label}.{candidate.content_type.model}"
            pages.setdefault(key, []).append(candidate)
    parents = _parent_titles([page for found in pages.values() for page in found])
    links = []
    for link in declared:
        found = next((pages[m] for m in link.page_models if m in pages), [])
        choices = []
        if len(found) > 1:
            # One per department: the page's parent names it (a catalog or a
            # reception page sits under its department).
            choices = [
                {
                    "label": parents.get(page.path, page.title),
                    "url": page.get_url(request),
                }
                for page in found
            ]
        url = found[0].get_url(request) if found else _first_url(link.url_names)
        links.append(
            {
                "label": link.label,
                "icon": link.icon,
                "url": url or link.fallback,
                "choices": choices,
            }
        )
    return links


def _parent_titles(pages):
    """{page path: its parent's title} for `pages`, in one query."""
    if len(pages) < 2:
        return {}
    step = Page.steplen
    parent_paths = {page.path[:-step] for page in pages}
    titles = dict(
        Page.objects.filter(path__in=parent_paths).values_list("path", "title")
    )
    return {page.path: titles.get(page.path[:-step], page.title) for page in pages}


@register.filter
def elided_pages(page_obj):
    """Page numbers around the current one, with `Paginator.ELLIPSIS` for gaps."""
    return page_obj.paginator.get_elided_page_range(
        page_obj.number, on_each_side=2, on_ends=1
    )


_missing_templates = set()


@register.simple_tag(takes_context=True)
def include_if_exists(context, template_name):
    """Render `template_name` in the current context, or nothing if no app provides
    it. Lets a module fill a slot (the home page's duty leader) without the slot's
    template knowing the module. Rendered like `{% include %}`, in the caller's
    context (not a new one that ran every context processor again); a name no app
    provides is remembered as missing (unless DEBUG, when templates may appear)."""
    if template_name in _missing_templates:
        return ""
    try:
        found = get_template(template_name)
    except template.TemplateDoesNotExist:
        if not settings.DEBUG:
            _missing_templates.add(template_name)
        return ""
    with context.push():
        return found.template.render(context)


class SharedFragmentNode(template.Node):
    def __init__(self, name, varying, nodelist):
        self.name = name
        self.varying = varying
        self.nodelist = nodelist

    def render(self, context):
        request = context.get("request")
        if not settings.SHARED_FRAGMENTS_ENABLED or request is None:
            return self.nodelist.render(context)
        key = (
            "fragment",
            self.name,
            request.get_host(),
            translation.get_language(),
            bool(context.get("care_mode")),
            timezone.localdate(),
            *(value.resolve(context) for value in self.varying),
        )
        return shared(request, key, lambda: self.nodelist.render(context))


@register.tag
def shared_fragment(parser, token):
    """`{% shared_fragment "name" value … %}…{% endshared_fragment %}`: the block's
    HTML rendered once per worker process and page cache generation
    (`portal.shared`) for each host, language, care mode, date and set of the
    given values, as every change to what public pages show starts a new
    generation. For parts of the page frame that are the same for every visitor
    and every page (or every page showing the same values): never a form with a
    CSRF token, the request's path, messages or anything per visitor. Rendered
    anew every time when `SHARED_FRAGMENTS_ENABLED` is off (the tests)."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(
            'shared_fragment needs a name: {% shared_fragment "footer" %}'
        )
    name = bits[1].strip("\"'")
    varying = [parser.compile_filter(bit) for bit in bits[2:]]
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(name, varying, nodelist)
