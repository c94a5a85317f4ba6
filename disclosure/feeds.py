"""RSS and Atom feeds of a department's notices and implementation measures (its
content pages: 通知公告、实施办法、服务承诺…), or of every department's.

Mounted under /feeds/notices/ by `disclosure.urls`, like the item feeds
(`services_catalog.feeds`): every publication is an entry (its guid carries the
publication time), so subscribers see new and changed texts, the newest first, at
most `ContentFeed.limit`; `?kind=notice` or `?kind=measures` keeps one kind.
"""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from disclosure.models import ContentPage, DepartmentPage


def department_or_404(code):
    department = DepartmentPage.objects.live().filter(code=code).first()
    if department is None:
        raise Http404(_("没有部门代码为 %(code)s 的部门。") % {"code": code})
    return department


def published_content(department=None, kind=None):
    """Live content pages of `department` (or of all), newest publication first."""
    pages = ContentPage.objects.live()
    if department is not None:
        pages = pages.child_of(department)
    if kind:
        pages = pages.filter(kind=kind)
    return pages.order_by(F("last_published_at").desc(nulls_last=True), "-pk")


def published_at(page):
    return page.last_published_at or page.first_published_at


@dataclass
class Subject:
    """What one request of the feed is about (the feed object is shared)."""

    department: DepartmentPage | None
    kind: str | None


class ContentFeed(Feed):
    """RSS 2.0: the latest notices and measures of one department (by code) or all."""

    limit = 50

    def get_object(self, request, code=None):
        kind = request.GET.get("kind", "")
        return Subject(
            department_or_404(code) if code is not None else None,
            kind if kind in ContentPage.Kind.values else None,
        )

    def title(self, subject):
        department = subject.department
        name = department.title if department is not None else _("全部部门")
        if subject.kind:
            return _("%(kind)s：%(title)s") % {
                "kind": ContentPage.Kind(subject.kind).label,
                "title": name,
            }
        return _("通知公告和实施办法：%(name)s") % {"name": name}

    def description(self, subject):
        return _("部门发布的通知公告、实施办法和服务承诺等公开内容，最新的在前。")

    subtitle = description

    def link(self, subject):
        department = subject.department
        return department.get_url() if department is not None else "/"

    def items(self, subject):
        pages = published_content(subject.department, subject.kind)
        return list(pages[: self.limit])

    def item_title(self, page):
        return _("%(kind)s：%(title)s") % {
            "kind": page.get_kind_display(),
            "title": page.title,
        }

    def item_description(self, page):
        parts = [page.document_number, page.summary]
        return pgettext("列表分隔", "；").join(part for part in parts if part)

    def item_link(self, page):
        return page.get_full_url()

    def item_guid(self, page):
        moment = published_at(page)
        if moment is None:
            return f"content-{page.pk}"
        return f"content-{page.pk}@{moment:%Y%m%dT%H%M%S}"

    item_guid_is_permalink = False

    def item_pubdate(self, page):
        return published_at(page)

    def item_updateddate(self, page):
        return published_at(page)

    def item_categories(self, page):
        return [str(page.get_kind_display())]


class ContentAtomFeed(ContentFeed):
    """The same entries as Atom 1.0."""

    feed_type = Atom1Feed
