"""The index follows publishing: publish, unpublish, delete, move, renames of what
items show, people, private pages, and `rebuild_search`."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from disclosure.models import ContentPage, Person
from reception.models import ReceptionPage, RosterEntry, RosterPeriod
from search.backends import get_backend
from search.backends.base import IndexDocument
from search.models import SearchDocument
from tests.factories import DivisionPageFactory, PersonFactory
from tests.search.helpers import add_draft, make_item, publish, search, titles

pytestmark = pytest.mark.django_db


def indexed(obj):
    prefix = "page" if hasattr(obj, "path") else obj._meta.label_lower
    return SearchDocument.objects.filter(key=f"{prefix}:{obj.pk}").first()


def test_a_draft_is_indexed_only_once_published(ecology_catalog, permit_division):
    item = make_item(
        ecology_catalog,
        permit_division,
        "11220000ST0001",
        "排污许可证核发",
        publish_now=False,
    )
    assert indexed(item) is None
    assert search("排污许可").total == 0

    publish(item)

    assert titles(search("排污许可")) == ["排污许可证核发"]
    document = indexed(item)
    assert document.kind == "item"
    assert document.url == item.url
    assert document.department_code == "ST"
    assert document.item_code == "11220000ST0001"


def test_a_new_draft_of_a_live_item_leaves_the_published_text(catalog_items):
    item = catalog_items["permit"]
    item.title = "排污许可证核发（草稿）"
    item.save_revision()

    assert titles(search("草稿")) == []
    assert "排污许可证核发" in titles(search("排污许可"))


def test_unpublishing_removes_the_item(catalog_items):
    catalog_items["permit"].unpublish()

    assert indexed(catalog_items["permit"]) is None
    assert "排污许可证核发" not in titles(search("排污许可"))


def test_deleting_removes_the_item(catalog_items):
    item = catalog_items["permit"]
    pk = item.pk

    item.delete()

    assert not SearchDocument.objects.filter(key=f"page:{pk}").exists()
    assert "排污许可证核发" not in titles(search("排污许可"))


def test_deleting_a_catalog_removes_its_items(catalog_items, ecology_catalog):
    ecology_catalog.delete()

    assert search("排污许可").mode == "similar"  # look-alikes only
    assert set(SearchDocument.objects.values_list("kind", "department_code")) == {
        ("department", "ST"),
        ("department", "SJ"),
        ("item", "SJ"),
    }


def test_moving_an_item_changes_its_department_and_url(catalog_items, market_catalog):
    item = catalog_items["eia"]

    item.move(market_catalog, pos="last-child")

    item.refresh_from_db()
    document = indexed(item)
    assert document.department_code == "SJ"
    assert document.department_name == "省市场监督管理局"
    assert document.url == item.url
    assert document.url.startswith("/sj/")
    assert search("环境影响", department="SJ").total == 1


def test_a_new_slug_changes_the_urls_below(
    catalog_items, ecology_catalog, django_capture_on_commit_callbacks
):
    # Wagtail announces a new slug once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        ecology_catalog.slug = "banshi"
        publish(ecology_catalog)

    assert indexed(catalog_items["permit"]).url == "/st/banshi/11220000st0001/"


def test_renaming_a_division_updates_the_items_it_handles(
    catalog_items, permit_division
):
    assert search("固体废物管理处").mode != "all"

    permit_division.title = "固体废物管理处"
    publish(permit_division)

    assert set(titles(search("固体废物管理处", kind="item"))) == {
        "排污许可证核发",
        "排污许可证遗失补领",
        "建设项目环境影响报告书审批",
    }


def test_renaming_a_department_updates_its_items(catalog_items, ecology):
    ecology.title = "省生态环境保护厅"
    publish(ecology)

    assert indexed(catalog_items["permit"]).department_name == "省生态环境保护厅"


def test_divisions_departments_and_notices_are_indexed(
    catalog_items, ecology, permit_division
):
    publish(permit_division)
    notice = add_draft(
        ecology,
        ContentPage(
            title="关于开展排污许可证执行报告检查的通知",
            slug="notice",
            summary="请各排污单位按期提交执行报告。",
        ),
    )
    publish(notice)

    kinds = {hit.kind for hit in search("排污").hits}

    assert kinds == {"item", "notice"}
    assert indexed(permit_division).kind == "division"
    assert "负责本处室业务的受理和审查" in indexed(permit_division).body
    assert indexed(ecology).kind == "department"


def test_pages_behind_a_view_restriction_are_not_indexed(ecology, ecology_catalog):
    PageViewRestriction.objects.create(
        page=ecology_catalog, restriction_type=PageViewRestriction.LOGIN
    )
    notice = publish(add_draft(ecology, ContentPage(title="公开通知", slug="a")))
    division = DivisionPageFactory(parent=ecology, title="内部处", code="ST-NB")
    item = make_item(ecology_catalog, division, "11220000ST0099", "内部审批事项")

    assert indexed(notice) is not None
    assert indexed(item) is None


def test_a_page_scheduled_for_later_is_not_indexed_yet(
    ecology_catalog, permit_division
):
    item = make_item(
        ecology_catalog,
        permit_division,
        "11220000ST0001",
        "排污许可证核发",
        publish_now=False,
    )
    item.go_live_at = timezone.now() + datetime.timedelta(days=1)
    item.save_revision().publish()

    assert indexed(item) is None


def test_people_follow_their_publication(permit_division):
    person = PersonFactory(
        name="李文静", title="处长", division=permit_division, live=False
    )
    assert indexed(person) is None

    publish(person)

    document = indexed(person)
    assert document.kind == "person"
    assert document.title == "李文静 处长"
    assert document.department_code == "ST"
    assert document.url == permit_division.url + "#people-title"
    assert titles(search("李文静")) == ["李文静 处长"]

    person.unpublish()
    assert indexed(person) is None

    publish(person)
    Person.objects.filter(pk=person.pk).delete()
    assert search("李文静").total == 0


def test_a_failing_index_never_stops_a_publication(
    ecology_catalog, permit_division, monkeypatch, caplog
):
    from search.backends.embedded import EmbeddedBackend

    def broken(self, documents):
        raise RuntimeError("index down")

    monkeypatch.setattr(EmbeddedBackend, "index_documents", broken)

    item = make_item(
        ecology_catalog, permit_division, "11220000ST0001", "排污许可证核发"
    )

    item.refresh_from_db()
    assert item.live
    assert "search.indexer.update_index) failed (attempt 1)" in caplog.text


def test_rebuild_search_indexes_everything_public_again(catalog_items, permit_division):
    # Out of step: a stale document, a missing one.
    get_backend().delete_documents([f"page:{catalog_items['permit'].pk}"])
    get_backend().index_documents(
        [IndexDocument(key="page:999999", kind="item", title="幽灵事项", url="/")]
    )
    assert search("幽灵").total == 1

    output = io.StringIO()
    call_command("rebuild_search", stdout=output)

    assert search("幽灵").total == 0
    assert "排污许可证核发" in titles(search("排污许可"))
    report = output.getvalue()
    assert "[" in report and "100%" in report
    assert "已索引" in report
    expected = {
        f"page:{page.pk}" for page in [*catalog_items.values(), permit_division]
    }
    assert expected <= set(SearchDocument.objects.values_list("key", flat=True))


def test_a_published_duty_roster_is_found_by_its_leaders(ecology, permit_division):
    leader = publish(
        PersonFactory(name="王建国", title="副厅长", department=ecology, is_leader=True)
    )
    reception = publish(add_draft(ecology, ReceptionPage(title="领导接访", slug="jf")))
    period = RosterPeriod(
        department=ecology,
        start_date=datetime.date(2026, 12, 1),
        end_date=datetime.date(2026, 12, 31),
        live=False,
    )
    period.entries = [
        RosterEntry(
            date=datetime.date(2026, 12, 2),
            slot="morning",
            leader=leader,
            location="一楼接访室",
            scope="排污许可咨询",
        )
    ]
    period.save()
    assert search("王建国", kind="roster").total == 0

    publish(period)

    results = search("王建国 接访")
    assert [hit.kind for hit in results.hits] == ["roster"]
    hit = results.hits[0]
    assert hit.title == "省生态环境厅 2026年12月领导接访值班表"
    assert hit.url == reception.url
    assert hit.department_code == "ST"
    assert "2026-12-02 上午 <mark>王建国</mark> 副厅长 一楼<mark>接访</mark>室" in str(
        hit.snippet
    )

    # A leader's new name reaches the roster once the person is published.
    leader.name = "王建军"
    publish(leader)
    assert search("王建军", kind="roster").total == 1

    period.unpublish()
    assert search("王建军", kind="roster").total == 0
