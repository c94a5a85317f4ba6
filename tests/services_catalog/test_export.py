"""``manage.py export_catalog``: catalog/1 JSON or XLSX that re-imports unchanged."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from disclosure.models import DepartmentPage
from services_catalog.demo import DEMO_CATALOG
from services_catalog.importing import import_catalog_file
from services_catalog.models import ServiceItemPage

pytestmark = pytest.mark.slow


def export(*args):
    stdout = io.StringIO()
    call_command("export_catalog", *args, stdout=stdout, stderr=io.StringIO())
    return stdout.getvalue()


def empty_the_catalog():
    """Delete every department with its divisions, catalog and items."""
    for item in ServiceItemPage.objects.all():
        item.delete()
    for department in DepartmentPage.objects.all():
        department.delete()
    assert not ServiceItemPage.objects.exists()


@pytest.fixture
def demo_catalog(home_page):
    """The demo catalog, published, with one item changed in a draft revision."""
    assert import_catalog_file(DEMO_CATALOG, publish=True).ok
    item = ServiceItemPage.objects.get(code="11220000ST0007")
    item.title = "建设项目环境影响登记表备案（草稿中的新名称）"
    item.save_revision()
    return item


@pytest.mark.django_db
def test_json_export_reimports_unchanged_and_round_trips(demo_catalog, tmp_path):
    exported = export()
    data = json.loads(exported)
    assert data["format"] == "catalog/1"
    assert [d["code"] for d in data["departments"]] == ["SJ", "ST"]
    items = {i["code"]: i for d in data["departments"] for i in d["items"]}
    # Editors' latest content is exported, drafts included.
    assert items["11220000ST0007"]["name"].endswith("（草稿中的新名称）")
    assert items["11220000SJ0001"]["materials"][0]["name"] == "《食品生产许可申请书》"

    path = tmp_path / "export.json"
    path.write_text(exported, encoding="utf-8")
    again = import_catalog_file(path)
    assert again.ok and again.count("item", "updated") == 0
    assert again.count("item", "unchanged") == len(items)

    empty_the_catalog()
    assert import_catalog_file(path, publish=True).ok
    assert export() == exported


@pytest.mark.django_db
def test_xlsx_export_round_trips_to_the_same_json(demo_catalog, tmp_path):
    exported = export()
    workbook = tmp_path / "catalog.xlsx"
    call_command("export_catalog", "-o", str(workbook), stderr=io.StringIO())
    assert workbook.read_bytes()[:2] == b"PK"

    empty_the_catalog()
    report = import_catalog_file(workbook, publish=True)
    assert report.ok and report.warnings == []
    assert export() == exported


@pytest.mark.django_db
def test_export_of_one_department_to_a_file(demo_catalog, tmp_path):
    path = tmp_path / "st.json"
    call_command(
        "export_catalog", "--department", "ST", "-o", str(path), stderr=io.StringIO()
    )
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [d["code"] for d in data["departments"]] == ["ST"]
    assert all(
        i["code"].startswith("11220000ST") for i in data["departments"][0]["items"]
    )
    assert data["departments"][0]["divisions"][0] == {
        "code": "ST-HP",
        "name": "环境影响评价与排放管理处",
        "duties": [],
        "phone": "",
        "room": "",
    }


@pytest.mark.django_db
def test_export_refuses_unknown_departments_and_xlsx_to_stdout(demo_catalog):
    with pytest.raises(CommandError, match="XX"):
        export("--department", "XX")
    with pytest.raises(CommandError, match="-o"):
        export("--format", "xlsx")


@pytest.mark.django_db
def test_aliases_situations_and_english_names_import_and_round_trip(
    demo_catalog, tmp_path
):
    data = json.loads(export())
    item = data["departments"][0]["items"][0]
    item |= {
        "aliases": ["SC证", "食品许可"],
        "situations": ["开食品厂"],
        "name_en": "Food Production Licence",
        "summary_en": "Licence to produce food.",
    }
    path = tmp_path / "aliases.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    report = import_catalog_file(path, publish=True)

    assert report.ok and report.count("item", "updated") == 1
    page = ServiceItemPage.objects.get(code=item["code"])
    assert [alias.text for alias in page.item_aliases.all()] == ["SC证", "食品许可"]
    assert [situation.text for situation in page.situations.all()] == ["开食品厂"]
    assert page.name_en == "Food Production Licence"
    assert json.loads(export()) == data
    workbook = tmp_path / "aliases.xlsx"
    export("-o", str(workbook))
    assert import_catalog_file(workbook).count("item", "unchanged") == len(
        [i for d in data["departments"] for i in d["items"]]
    )


@pytest.mark.django_db
def test_extension_days_import_export_and_stay_when_a_file_omits_them(
    demo_catalog, tmp_path
):
    data = json.loads(export())
    first, second = data["departments"][0]["items"][:2]
    assert first["extension_days"] == 10, "the law's 10 working days by default"
    first["extension_days"], second["extension_days"] = 0, 30
    path = tmp_path / "extension.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    assert import_catalog_file(path, publish=True).ok
    assert ServiceItemPage.objects.get(code=first["code"]).extension_days == 0
    assert ServiceItemPage.objects.get(code=second["code"]).extension_days == 30
    assert json.loads(export()) == data
    workbook = tmp_path / "extension.xlsx"
    export("-o", str(workbook))
    assert import_catalog_file(workbook).count("item", "unchanged") == len(
        [i for d in data["departments"] for i in d["items"]]
    )

    for department in data["departments"]:
        for item in department["items"]:
            del item["extension_days"]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert import_catalog_file(path, publish=True).ok
    assert ServiceItemPage.objects.get(code=second["code"]).extension_days == 30
