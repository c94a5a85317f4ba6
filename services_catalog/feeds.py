"""RSS and Atom feeds of new and changed service items, site-wide or per department.

Mounted under /feeds/items/ by `services_catalog.urls`. Every publication of an item is
an entry (its guid carries the publication time), so subscribers see both new items and
changed guides; the newest first, at most `ItemsFeed.limit`.
"""

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from disclosure.models import DepartmentPage
from services_catalog.models import ServiceCatalogPage, ServiceItemPage


class ItemsFeed(Feed):
    """RSS 2.0: the latest published items of one department (by code) or of all."""

    limit = 50

    def get_object(self, request, code=None):
        if code is None:
            return None
        department = DepartmentPage.objects.live().filter(code=code).first()
        if department is None:
            raise Http404(_("没有部门代码为 %(code)s 的部门。") % {"code": code})
        return department

    def title(self, department):
        if department is None:
            return _("办事指南更新：全部部门")
        return _("办事指南更新：%(name)s") % {"name": department.title}

    def description(self, department):
        return _("新增和修改的服务事项办事指南，最新的在前。")

    subtitle = description

    def link(self, department):
        catalogs = ServiceCatalogPage.objects.live().order_by("depth", "path")
        if department is not None:
            catalogs = catalogs.child_of(department)
        catalog = catalogs.first()
        if catalog is not None:
            return catalog.get_url()
        return department.get_url() if department is not None else "/"

    def items(self, department):
        items = ServiceItemPage.objects.live().select_related("lead_division")
        if department is not None:
            items = items.in_department(department)
        # An item made live without a publication (an import, a fixture) has no
        # publication time: it sorts last on every database.
        items = items.order_by(F("last_published_at").desc(nulls_last=True), "-pk")[
            : self.limit
        ]
        return ServiceItemPage.attach_departments(
            items, [department] if department is not None else None
        )

    def item_title(self, item):
        if self.is_new(item):
            return _("新增：%(title)s") % {"title": item.title}
        return _("更新：%(title)s") % {"title": item.title}

    def item_description(self, item):
        parts = [
            _("事项编码 %(code)s") % {"code": item.code},
            f"{item.get_item_type_display()} · {item.get_kind_display()}",
            _("承诺办结时限 %(days)s 个工作日") % {"days": item.promised_days}
            if item.promised_days
            else _("即时办结"),
        ]
        if item.lead_division is not None:
            parts.append(_("承办处室：%(name)s") % {"name": item.lead_division.title})
        return pgettext("列表分隔", "；").join(str(part) for part in parts)

    def item_link(self, item):
        # The site's canonical address, as in the sitemap and the API.
        return item.get_full_url()

    @staticmethod
    def published_at(item):
        """When the item's current version went public: its last publication, or,
        for an item made live without one, when it was first published or created."""
        return (
            item.last_published_at
            or item.first_published_at
            or item.latest_revision_created_at
        )

    def item_guid(self, item):
        published = self.published_at(item)
        if published is None:
            return f"{item.code}@{item.pk}"
        return f"{item.code}@{published:%Y%m%dT%H%M%S}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return self.published_at(item)

    def item_updateddate(self, item):
        return self.published_at(item)

    def item_categories(self, item):
        categories = [str(item.get_item_type_display())]
        if item.department is not None:
            categories.append(item.department.title)
        return categories

    @staticmethod
    def is_new(item):
        """Published once: Wagtail sets both times to the same instant then."""
        first, last = item.first_published_at, item.last_published_at
        return first is None or last is None or last == first


class ItemsAtomFeed(ItemsFeed):
    """The same entries as Atom 1.0."""

    feed_type = Atom1Feed
