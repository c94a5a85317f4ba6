"""The catalog/1 import (services_catalog.importing, ``manage.py import_catalog``):
idempotent by codes, drafts unless published, every error named by item code and
field, and nothing written when anything is wrong."""

import copy
import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model
from wagtail.models import Page, PageLogEntry, Revision

from disclosure.models import DepartmentPage, DivisionPage
from search.models import SearchDocument
from services_catalog.demo import DEMO_CATALOG, load_catalog_demo
from services_catalog.importing import (
    ImportReport,
    import_catalog,
    parse_catalog,
)
from services_catalog.models import ServiceCatalogPage, ServiceItemPage
from tests.factories import DepartmentPageFactory
from tests.search.helpers import search, titles


def catalog_data():
    """One department, two divisions, three items (every kind of field used)."""
    item = {
        "code": "11220000SJ0001",
        "name": "食品生产许可",
        "type": "行政许可",
        "kind": "承诺件",
        "audience": ["法人"],
        "lead_division": "SJ-SP",
        "co_divisions": ["SJ-ZH"],
        "basis": ["《中华人民共和国食品安全法》第三十五条"],
        "conditions": ["具有与生产的食品品种、数量相适应的生产场所。"],
        "special_procedures": ["现场核查（不计入办结时限）"],
        "materials": [
            {
                "name": "食品生产许可申请书",
                "required": True,
                "original": 1,
                "copies": 0,
            },
            {"name": "营业执照", "required": True, "original": 0, "copies": 1},
        ],
        "steps": [
            {
                "name": "受理",
                "handled_by": "窗口",
                "days": 1,
                "description": "窗口受理",
            },
            {"name": "审查", "handled_by": "处室", "days": 8},
            {"name": "决定", "handled_by": "division", "days": 1},
        ],
        "statutory_days": 20,
        "promised_days": 10,
        "fee": "不收费",
        "result": "《食品生产许可证》",
        "online": True,
        "visits": 1,
        "faqs": [{"question": "有效期多长？", "answer": "5 年。"}],
    }
    second = copy.deepcopy(item) | {
        "code": "11220000SJ0002",
        "name": "食品生产许可注销",
        "kind": "即办件",
        "co_divisions": [],
        "promised_days": 0,
        "materials": [{"name": "注销申请书"}],
    }
    third = copy.deepcopy(item) | {
        "code": "11220000SJ0003",
        "name": "特种设备使用登记",
        "audience": ["自然人", "法人"],
        "lead_division": "SJ-ZH",
        "co_divisions": [],
        "online": False,
    }
    return {
        "format": "catalog/1",
        "departments": [
            {
                "code": "SJ",
                "name": "省市场监督管理局",
                "address": "长春市人民大街 9999 号",
                "divisions": [
                    {
                        "code": "SJ-SP",
                        "name": "食品生产安全监督管理处",
                        "duties": ["食品"],
                    },
                    {"code": "SJ-ZH", "name": "综合处", "phone": "0431-1"},
                ],
                "items": [item, second, third],
            }
        ],
    }


def write(tmp_path, data, name="catalog.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def run_import(tmp_path, data, *args):
    """Run the command; returns its standard output."""
    stdout = io.StringIO()
    call_command("import_catalog", str(write(tmp_path, data)), *args, stdout=stdout)
    return stdout.getvalue()


def content_snapshot():
    """What the database holds of the catalog, to compare before and after."""
    pages = [
        (p.specific_class.__name__, p.url_path, p.title, p.live)
        for p in Page.objects.order_by("path")
    ]
    return pages, Revision.objects.count(), PageLogEntry.objects.count()


@pytest.mark.django_db
def test_import_creates_departments_divisions_catalog_and_items_as_drafts(
    home_page, tmp_path
):
    output = run_import(tmp_path, catalog_data())

    department = DepartmentPage.objects.get(code="SJ")
    assert department.get_parent().pk == home_page.pk
    assert department.title == "省市场监督管理局"
    assert department.address == "长春市人民大街 9999 号"
    division = DivisionPage.objects.get(code="SJ-SP")
    assert division.get_parent().pk == department.pk
    assert division.duty_texts() == ["食品"]
    catalog = ServiceCatalogPage.objects.child_of(department).get()
    assert catalog.slug == "shixiang"

    item = ServiceItemPage.objects.get(code="11220000SJ0001")
    assert item.get_parent().pk == catalog.pk
    assert item.slug == "11220000sj0001"
    assert (item.item_type, item.kind, item.audience) == (
        "licensing",
        "promised",
        ["organisation"],
    )
    assert item.lead_division == division
    assert [d.code for d in item.co_divisions.all()] == ["SJ-ZH"]
    assert [b.value for b in item.basis] == ["《中华人民共和国食品安全法》第三十五条"]
    assert [(m.name, m.originals, m.copies) for m in item.materials.all()] == [
        ("食品生产许可申请书", 1, 0),
        ("营业执照", 0, 1),
    ]
    assert [(s.name, s.handled_by, s.days) for s in item.steps.all()] == [
        ("受理", "window", 1),
        ("审查", "division", 8),
        ("决定", "division", 1),
    ]
    assert item.faqs[0].value["answer"] == "5 年。"
    assert ServiceItemPage.objects.get(code="11220000SJ0002").materials.get().required

    # Without --publish everything new is a draft with one revision.
    for page in (department, division, catalog, item):
        page.refresh_from_db()
        assert not page.live and page.has_unpublished_changes
        assert page.latest_revision is not None
    assert "事项：新建 3" in output
    # The tree bookkeeping is right (treebeard's own check).
    assert ServiceItemPage.objects.count() == 3
    catalog.refresh_from_db()
    assert catalog.numchild == 3
    assert Page.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing(home_page, tmp_path):
    run_import(tmp_path, catalog_data())
    before = content_snapshot()

    output = run_import(tmp_path, catalog_data())

    assert content_snapshot() == before  # no new pages, revisions or log entries
    assert "事项：新建 0，更新 0，发布 0，未变 3" in output
    assert "部门：新建 0，更新 0，发布 0，未变 1" in output
    assert "处室：新建 0，更新 0，发布 0，未变 2" in output


@pytest.mark.django_db
def test_publish_makes_new_and_pending_pages_live(home_page, tmp_path):
    run_import(tmp_path, catalog_data())  # drafts first

    output = run_import(tmp_path, catalog_data(), "--publish")

    assert "事项：新建 0，更新 0，发布 3，未变 0" in output
    for model in (DepartmentPage, DivisionPage, ServiceCatalogPage, ServiceItemPage):
        assert all(
            p.live and not p.has_unpublished_changes for p in model.objects.all()
        )
    item = ServiceItemPage.objects.get(code="11220000SJ0001")
    assert item.live_revision_id == item.latest_revision_id
    assert item.first_published_at is not None
    # Published content is what the public sees.
    assert item.url and item.title == "食品生产许可"


@pytest.mark.django_db
def test_publish_on_first_import_creates_live_pages(home_page, tmp_path):
    run_import(tmp_path, catalog_data(), "--publish")

    item = ServiceItemPage.objects.get(code="11220000SJ0003")
    assert item.live and not item.has_unpublished_changes
    assert item.live_revision_id == item.latest_revision_id
    actions = set(
        PageLogEntry.objects.filter(page=item).values_list("action", flat=True)
    )
    assert {"wagtail.create", "wagtail.publish"} <= actions
    assert ServiceCatalogPage.objects.get().live


@pytest.mark.django_db
def test_the_history_of_an_imported_page_names_the_importer_once(home_page):
    editor = get_user_model().objects.create_user("importer", password="x")
    assert import_catalog(catalog_data(), publish=True, user=editor).ok

    item = ServiceItemPage.objects.get(code="11220000SJ0001")
    history = PageLogEntry.objects.filter(page=item).order_by("timestamp", "pk")
    assert [(e.action, e.user_id) for e in history] == [
        ("wagtail.create", editor.pk),
        ("wagtail.publish", editor.pk),
    ]
    assert item.owner == editor


@pytest.mark.django_db
def test_a_changed_item_gets_a_draft_revision_and_the_live_page_stays(
    home_page, tmp_path
):
    run_import(tmp_path, catalog_data(), "--publish")
    data = catalog_data()
    data["departments"][0]["items"][0]["name"] = "食品生产许可（新办）"
    data["departments"][0]["items"][0]["materials"].reverse()

    output = run_import(tmp_path, data)

    assert "事项：新建 0，更新 1，发布 0，未变 2" in output
    item = ServiceItemPage.objects.get(code="11220000SJ0001")
    assert item.live and item.has_unpublished_changes
    assert item.title == "食品生产许可"  # the live content is untouched
    draft = item.get_latest_revision_as_object()
    assert draft.title == "食品生产许可（新办）"
    assert [m.name for m in draft.materials.all()] == ["营业执照", "食品生产许可申请书"]
    # The same file again: the draft already says so.
    assert "事项：新建 0，更新 0，发布 0，未变 3" in run_import(tmp_path, data)
    # Publishing it publishes the pending draft.
    run_import(tmp_path, data, "--publish")
    item.refresh_from_db()
    assert item.title == "食品生产许可（新办）" and not item.has_unpublished_changes


@pytest.mark.django_db
def test_publish_leaves_an_editors_draft_of_a_live_department_alone(
    home_page, tmp_path
):
    run_import(tmp_path, catalog_data(), "--publish")
    department = DepartmentPage.objects.get(code="SJ")
    department.introduction = "<p>尚在审核的新简介。</p>"
    department.save_revision()

    output = run_import(tmp_path, catalog_data(), "--publish")

    assert "部门：新建 0，更新 0，发布 0，未变 1" in output
    department.refresh_from_db()
    assert department.has_unpublished_changes
    assert department.introduction == ""


@pytest.mark.django_db
def test_replaced_materials_keep_their_blank_forms(home_page, tmp_path):
    run_import(tmp_path, catalog_data(), "--publish")
    item = ServiceItemPage.objects.get(code="11220000SJ0001")
    form = get_document_model().objects.create(
        title="申请书空表", file=ContentFile(b"form", name="form.pdf")
    )
    material = item.materials.get(name="食品生产许可申请书")
    material.blank_form = form
    material.save()
    data = catalog_data()
    data["departments"][0]["items"][0]["materials"][0]["copies"] = 2

    run_import(tmp_path, data, "--publish")

    kept = ServiceItemPage.objects.get(code="11220000SJ0001").materials.first()
    assert (kept.name, kept.copies, kept.blank_form_id) == (
        "食品生产许可申请书",
        2,
        form.pk,
    )


@pytest.mark.django_db
def test_one_bad_item_aborts_the_whole_file_and_names_code_and_field(
    home_page, tmp_path
):
    run_import(tmp_path, catalog_data(), "--publish")
    before = content_snapshot()
    data = catalog_data()
    data["departments"][0]["items"][0]["name"] = "改了名字的事项"  # a valid change
    data["departments"][0]["items"].append(
        copy.deepcopy(data["departments"][0]["items"][1])
        | {"code": "11220000SJ0009", "kind": "承诺件", "promised_days": 30}
    )
    data["departments"][0]["divisions"].append({"code": "SJ-NEW", "name": "新处"})

    stderr = io.StringIO()
    with pytest.raises(CommandError, match="1 个错误"):
        call_command(
            "import_catalog", str(write(tmp_path, data)), "--publish", stderr=stderr
        )

    assert "11220000SJ0009.promised_days：承诺时限不能大于法定时限" in stderr.getvalue()
    assert content_snapshot() == before
    assert not DivisionPage.objects.filter(code="SJ-NEW").exists()
    assert ServiceItemPage.objects.get(code="11220000SJ0001").title == "食品生产许可"


@pytest.mark.django_db
def test_all_errors_are_collected_in_chinese_with_code_and_field(home_page):
    data = catalog_data()
    items = data["departments"][0]["items"]
    items[0]["type"] = "行政审批"
    items[0]["audience"] = ["外国人"]
    items[0]["materials"][1]["copies"] = "两份"
    items[1]["lead_division"] = "SJ-XX"
    items[1]["online"] = "是"
    del items[2]["statutory_days"]
    items.append(copy.deepcopy(items[2]))  # the same code twice

    report = import_catalog(data)

    assert not report.ok
    errors = "\n".join(report.errors)
    assert "11220000SJ0001.type：未知的事项类型「行政审批」" in errors
    assert "11220000SJ0001.audience：第 1 项未知的服务对象「外国人」" in errors
    assert "11220000SJ0001.materials[1].copies：应为整数" in errors
    assert "11220000SJ0002.online：应为 true 或 false" in errors
    assert "11220000SJ0003.statutory_days：缺少必填字段" in errors
    assert "11220000SJ0003.code：事项编码在文件中重复出现" in errors
    # Referenced divisions are checked once the structure is sound.
    assert not ServiceItemPage.objects.exists()
    del items[3]
    items[0].update(type="行政许可", audience=["法人"])
    items[0]["materials"][1]["copies"] = 1
    items[1]["online"] = True
    items[2]["statutory_days"] = 20
    report = import_catalog(data)
    assert report.errors == [
        "11220000SJ0002.lead_division：处室「SJ-XX」既不在本文件中，也不在数据库中"
    ]
    assert not DepartmentPage.objects.exists()


@pytest.mark.django_db
def test_divisions_and_items_of_another_department_are_refused(home_page, tmp_path):
    run_import(tmp_path, catalog_data(), "--publish")
    other = {
        "format": "catalog/1",
        "departments": [
            {
                "code": "ST",
                "name": "省生态环境厅",
                "divisions": [{"code": "SJ-ZH", "name": "综合处"}],
                "items": [
                    catalog_data()["departments"][0]["items"][1]
                    | {"lead_division": "SJ-SP"}
                ],
            }
        ],
    }

    report = import_catalog(other)

    assert report.errors == [
        "SJ-ZH.code：该处室已属于部门 SJ，不能移到本部门",
        "11220000SJ0002.lead_division："
        "处室「SJ-SP」属于部门 SJ，不是本部门（ST）的处室",
        "11220000SJ0002.code：该事项已属于部门 SJ 的事项目录，不能移到本部门",
    ]
    assert not DepartmentPage.objects.filter(code="ST").exists()


@pytest.mark.django_db
def test_unknown_keys_are_reported_with_their_path(home_page):
    data = catalog_data()
    data["generator"] = "excel"
    data["departments"][0]["colour"] = "red"
    data["departments"][0]["divisions"][1]["head"] = "张三"
    data["departments"][0]["items"][2]["colour"] = "blue"
    data["departments"][0]["items"][0]["steps"][1]["who"] = "处长"

    report = import_catalog(data)

    assert report.ok
    assert report.warnings == [
        "generator：未知的字段，已忽略",
        "departments[0].colour：未知的字段，已忽略",
        "departments[0].divisions[1].head：未知的字段，已忽略",
        "departments[0].items[0].steps[1].who：未知的字段，已忽略",
        "departments[0].items[2].colour：未知的字段，已忽略",
    ]
    assert ServiceItemPage.objects.count() == 3


@pytest.mark.django_db
def test_dry_run_reports_and_writes_nothing(home_page, tmp_path):
    run_import(tmp_path, catalog_data(), "--publish")
    data = catalog_data()
    data["departments"][0]["items"][1]["fee"] = "按规定收费"
    data["departments"][0]["items"].append(
        data["departments"][0]["items"][0] | {"code": "11220000SJ0004"}
    )
    data["departments"].append({"code": "ST", "name": "省生态环境厅"})
    before = content_snapshot()

    output = run_import(tmp_path, data, "--dry-run", "--publish")

    assert content_snapshot() == before
    assert "试运行" in output
    assert "事项：新建 1，更新 1，发布 0，未变 2" in output
    assert "部门：新建 1，更新 0，发布 0，未变 1" in output
    # The real run then does what the dry run said.
    output = run_import(tmp_path, data, "--publish")
    assert "事项：新建 1，更新 1，发布 0，未变 2" in output


@pytest.mark.django_db
def test_department_keys_absent_from_the_file_are_kept(home_page, tmp_path):
    run_import(tmp_path, catalog_data(), "--publish")
    department = DepartmentPage.objects.get(code="SJ")
    department.hotline = "0431-88881234"
    department.save_revision().publish()
    data = catalog_data()
    del data["departments"][0]["address"]

    output = run_import(tmp_path, data, "--publish")

    assert "部门：新建 0，更新 0，发布 0，未变 1" in output
    department.refresh_from_db()
    assert department.address == "长春市人民大街 9999 号"
    assert department.hotline == "0431-88881234"


@pytest.mark.django_db
def test_a_file_that_is_not_catalog_1_is_refused(home_page, tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text('{"format": "catalog/2", "departments": []}', encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_catalog", str(path), stderr=io.StringIO())
    path.write_text("{not json", encoding="utf-8")
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_catalog", str(path), stderr=stderr)
    assert "不是有效的 JSON" in stderr.getvalue()


@pytest.mark.django_db
def test_progress_is_shown_unless_turned_off(home_page, tmp_path):
    path = write(tmp_path, catalog_data())
    stderr = io.StringIO()
    call_command("import_catalog", str(path), stdout=io.StringIO(), stderr=stderr)
    # Not a terminal: lines (the start, every 1,000 items, the end), no bar.
    lines = stderr.getvalue().splitlines()
    assert lines[0].startswith("事项 0/3（0%）")
    assert lines[-1].startswith("事项 3/3（100%），已用")
    assert "\r" not in stderr.getvalue()

    quiet = io.StringIO()
    call_command(
        "import_catalog", str(path), "--no-progress", stdout=io.StringIO(), stderr=quiet
    )
    assert quiet.getvalue() == ""


def item_codes(count):
    """A catalog/1 file of `count` items like the first of `catalog_data`."""
    data = catalog_data()
    first = data["departments"][0]["items"][0]
    data["departments"][0]["items"] = [
        copy.deepcopy(first) | {"code": f"11220000SJ{n:04d}", "name": f"许可{n}"}
        for n in range(1, count + 1)
    ]
    return data


@pytest.mark.django_db
def test_importing_an_unchanged_file_again_does_not_load_its_items(home_page):
    small, large = item_codes(2), item_codes(12)
    assert import_catalog(small, publish=True).ok
    assert import_catalog(large, publish=True).ok

    with CaptureQueriesContext(connection) as two:
        report = import_catalog(small, publish=True)
    assert report.count("item", "unchanged") == 2
    with CaptureQueriesContext(connection) as twelve:
        report = import_catalog(large, publish=True)
    assert report.count("item", "unchanged") == 12
    # Six times the items, not one query more: each is skipped by its digest.
    assert len(twelve) == len(two)


@pytest.mark.django_db
def test_an_item_changed_since_the_last_import_is_compared_in_full(home_page):
    assert import_catalog(catalog_data(), publish=True).ok
    item = ServiceItemPage.objects.get(code="11220000SJ0001")
    item.title = "食品生产许可（编辑改过）"
    item.save_revision().publish()

    report = import_catalog(catalog_data(), publish=True)

    # The file is what counts: the editor's change is replaced, the rest skipped.
    assert report.count("item", "updated") == 1
    assert report.count("item", "unchanged") == 2
    item.refresh_from_db()
    assert item.title == "食品生产许可"
    assert import_catalog(catalog_data(), publish=True).count("item", "unchanged") == 3


@pytest.mark.django_db
def test_a_draft_left_by_an_import_is_published_by_the_next_one(home_page):
    assert import_catalog(catalog_data()).ok  # drafts, digests taken

    report = import_catalog(catalog_data(), publish=True)

    assert report.count("item", "published") == 3
    assert all(p.live for p in ServiceItemPage.objects.all())


def test_demo_catalog_is_valid_with_at_least_15_items_per_department():
    data = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))
    report = ImportReport()

    departments = parse_catalog(data, report)

    assert report.errors == [] and report.warnings == []
    counts = {d.code: len(d.items) for d in departments}
    assert counts.keys() == {"SJ", "ST"}
    assert min(counts.values()) >= 15
    items = [item for d in departments for item in d.items]
    assert {i["kind"] for i in items} == {"即办件", "承诺件"}
    assert {a for i in items for a in i["audience"]} == {"自然人", "法人"}
    assert {i["online"] for i in items} == {True, False}
    assert all(i["promised_days"] < i["statutory_days"] for i in items)
    assert all(i["basis"] and i["conditions"] and i["materials"] for i in items)


def test_demo_catalog_reuses_the_disclosure_demo_divisions():
    from disclosure.data.demo_departments import DEPARTMENTS

    disclosure = {
        division["code"]: division["name"]
        for department in DEPARTMENTS
        for division in department["divisions"]
    }
    data = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))
    for department in data["departments"]:
        for division in department["divisions"]:
            assert disclosure[division["code"]] == division["name"]
        for item in department["items"]:
            assert item["lead_division"] in disclosure


@pytest.mark.django_db
def test_demo_loader_publishes_the_catalog_and_is_idempotent(home_page):
    stdout = io.StringIO()
    load_catalog_demo(home_page, stdout)

    assert ServiceItemPage.objects.live().count() >= 30
    department = DepartmentPage.objects.get(code="ST")
    assert ServiceItemPage.objects.live().descendant_of(department).count() >= 15

    second = load_catalog_demo(home_page, io.StringIO())
    assert second.count("item", "unchanged") == ServiceItemPage.objects.count()
    assert second.count("item", "created") == 0


@pytest.mark.django_db
def test_a_department_named_like_another_under_a_new_code_gets_its_own_groups(
    home_page, tmp_path
):
    DepartmentPageFactory(
        parent=home_page, title="省市场监督管理局", slug="sj-old", code="SJOLD"
    )

    run_import(tmp_path, catalog_data(), "--publish")

    department = DepartmentPage.objects.get(code="SJ")
    assert {link.group.name for link in department.staff_groups.all()} == {
        "内容编辑 · 省市场监督管理局（SJ）",
        "内容审核 · 省市场监督管理局（SJ）",
    }
    assert ServiceItemPage.objects.live().descendant_of(department).count() == 3


@pytest.mark.django_db
def test_a_group_already_holding_a_new_departments_group_name_is_a_clear_error(
    home_page, tmp_path
):
    Group.objects.create(name="内容编辑 · 省市场监督管理局（SJ）")
    before = content_snapshot()

    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_catalog", str(write(tmp_path, catalog_data())), stderr=stderr
        )

    assert "SJ.code：已有不属于本部门的用户组「内容编辑 · 省市场监督管理局（SJ）」" in (
        stderr.getvalue()
    )
    assert content_snapshot() == before


def import_errors(path):
    """The errors `import_catalog` prints for the file at `path`."""
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_catalog", str(path), stderr=stderr)
    return stderr.getvalue()


@pytest.mark.django_db
def test_a_file_nested_50000_deep_is_refused_with_a_message(home_page, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 50_000 + "]" * 50_000, encoding="utf-8")

    errors = import_errors(path)

    assert "deep.json：JSON 嵌套超过 20 层，不是 catalog/1 文件。" in errors


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused_unread(home_page, tmp_path, settings):
    settings.CATALOG_IMPORT_MAX_FILE_SIZE = 1024
    path = write(tmp_path, catalog_data())

    errors = import_errors(path)

    assert "catalog.json：文件超过 1.0\xa0KB，不能导入" in errors
    assert not DepartmentPage.objects.filter(code="SJ").exists()


@pytest.mark.django_db
def test_a_gbk_file_is_refused_naming_its_encoding(home_page, tmp_path):
    path = tmp_path / "gbk.json"
    path.write_bytes(json.dumps(catalog_data(), ensure_ascii=False).encode("gbk"))

    assert "gbk.json：文件不是 UTF-8 编码（看来是 GBK/GB18030）" in import_errors(path)


@pytest.mark.django_db
def test_a_zip_bomb_workbook_is_refused_before_it_is_unpacked(home_page, tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (4 * 1024 * 1024))

    errors = import_errors(path)

    assert "bomb.xlsx：XLSX 文件解压后有 4.0\xa0MB（压缩比" in errors
    assert "超过上限 200.0\xa0MB 或 100 倍，不能导入。" in errors


@pytest.mark.django_db
def test_a_file_that_is_not_a_workbook_is_refused(home_page, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("部门代码，部门名称\nSJ，省市场监督管理局\n", encoding="utf-8")

    assert "fake.xlsx：不是有效的 XLSX 文件（无法按 ZIP 格式打开）。" in import_errors(
        path
    )


@pytest.mark.django_db
def test_a_published_import_is_in_the_site_search_and_a_failed_one_is_not(
    home_page, tmp_path
):
    bad = catalog_data()
    bad["departments"][0]["items"][2]["lead_division"] = "SJ-XX"
    import_errors(write(tmp_path, bad))
    assert not SearchDocument.objects.exists()

    run_import(tmp_path, catalog_data(), "--publish")

    assert titles(search("特种设备使用登记"))[0] == "特种设备使用登记"
    pks = ServiceItemPage.objects.values_list("pk", flat=True)
    item_keys = {f"page:{pk}" for pk in pks}
    assert item_keys <= set(SearchDocument.objects.values_list("key", flat=True))


@pytest.mark.django_db
def test_a_published_import_writes_the_search_index_once_in_bulk(
    home_page, tmp_path, monkeypatch
):
    from search.backends.embedded import EmbeddedBackend

    writes = []
    index_documents = EmbeddedBackend.index_documents

    def recording(self, documents):
        writes.append([document.key for document in documents])
        return index_documents(self, documents)

    monkeypatch.setattr(EmbeddedBackend, "index_documents", recording)

    run_import(tmp_path, catalog_data(), "--publish")

    item_keys = {
        f"page:{pk}" for pk in ServiceItemPage.objects.values_list("pk", flat=True)
    }
    assert len(writes) == 1
    assert len(item_keys) == 3
    assert item_keys <= set(writes[0])
