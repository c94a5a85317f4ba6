"""The catalog/1 workbook (services_catalog.xlsx): one sheet per table with Chinese
headers, read into exactly what the JSON format says."""

import io
import json

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from services_catalog.demo import DEMO_CATALOG
from services_catalog.importing import ImportReport, import_catalog_file, parse_catalog
from services_catalog.xlsx import SHEETS, read_workbook, write_workbook

ITEM = {
    "code": "11220000ST0001",
    "name": "排污许可证核发",
    "name_en": "Pollutant Discharge Permit",
    "summary_en": "Issuing the permit to discharge pollutants.",
    "aliases": ["排污证", "排污许可"],
    "situations": ["开工厂要排废水"],
    "type": "行政许可",
    "kind": "承诺件",
    "audience": ["法人"],
    "lead_division": "ST-HP",
    "co_divisions": ["ST-DQ", "ST-SST"],
    "basis": ["《排污许可管理条例》第十三条", "《排污许可管理办法》"],
    "conditions": ["依法取得环评批复。\n（已备案登记表的也可）"],
    "special_procedures": ["现场核查（不计入办结时限）"],
    "materials": [
        {
            "name": "排污许可证申请表",
            "required": True,
            "original": 1,
            "copies": 0,
            "format_notes": "",
            "source": "全国排污许可证管理信息平台",
        },
        {
            "name": "承诺书",
            "required": False,
            "original": 1,
            "copies": 2,
            "format_notes": "=法定代表人签字",
            "source": "",
        },
    ],
    "steps": [
        {"name": "受理", "handled_by": "窗口", "days": 1, "description": "窗口受理。"},
        {"name": "审查", "handled_by": "处室", "days": 14, "description": ""},
    ],
    "statutory_days": 20,
    "promised_days": 15,
    "extension_days": 10,
    "fee": "不收费",
    "result": "《排污许可证》",
    "result_delivery": "窗口领取",
    "location": "",
    "hours": "",
    "phone": "0431-89991201",
    "complaint_channel": "",
    "online": False,
    "visits": 2,
    "faqs": [{"question": "有效期多久？", "answer": "5 年。"}],
}
DIVISIONS = [
    {"code": code, "name": name, "duties": [], "phone": "", "room": ""}
    for code, name in (
        ("ST-HP", "环境影响评价与排放管理处"),
        ("ST-DQ", "大气环境处"),
        ("ST-SST", "水生态环境处"),
    )
]
JSON_CATALOG = {
    "format": "catalog/1",
    "departments": [
        {
            "code": "ST",
            "name": "省生态环境厅",
            "address": "长春市解放大路 8888 号",
            "hours": "",
            "phone": "0431-89990000",
            "divisions": DIVISIONS,
            "items": [ITEM],
        }
    ],
}


def hand_made_workbook(path, *, statutory_days=20, material_item="11220000ST0001"):
    """The JSON_CATALOG typed by hand in a spreadsheet: Chinese headers, columns in
    an editor's own order, 是/否, numbers as numbers."""
    book = Workbook()
    book.active.title = "部门"
    rows = {
        "部门": [
            ["部门代码", "部门名称", "咨询电话", "办公地址", "办公时间"],
            ["ST", "省生态环境厅", "0431-89990000", "长春市解放大路 8888 号", None],
        ],
        "处室": [["部门代码", "处室代码", "处室名称"]]
        + [["ST", d["code"], d["name"]] for d in DIVISIONS],
        "事项": [
            [
                "部门代码",
                "事项编码",
                "事项名称",
                "事项类型",
                "办件类型",
                "服务对象",
                "牵头处室",
                "协办处室",
                "法定办结时限（工作日）",
                "承诺办结时限（工作日）",
                "收费标准及依据",
                "办理结果",
                "结果送达方式",
                "咨询电话",
                "网上申请",
                "跑动次数",
                "办理地点",
                "办理时间",
                "投诉渠道",
                "英文名称",
                "英文简介",
            ],
            [
                "ST",
                "11220000ST0001",
                "排污许可证核发",
                "行政许可",
                "承诺件",
                "法人",
                "ST-HP",
                "ST-SST、ST-DQ",
                statutory_days,
                15.0,
                "不收费",
                "《排污许可证》",
                "窗口领取",
                "0431-89991201",
                "否",
                2,
                None,
                None,
                None,
                ITEM["name_en"],
                ITEM["summary_en"],
            ],
        ],
        "别名": [["事项编码", "别名"]]
        + [["11220000ST0001", alias] for alias in ITEM["aliases"]],
        "办事情形": [["事项编码", "办事情形"]]
        + [["11220000ST0001", text] for text in ITEM["situations"]],
        "依据": [["事项编码", "设定依据"]]
        + [["11220000ST0001", basis] for basis in ITEM["basis"]],
        "条件": [["事项编码", "受理条件"], ["11220000ST0001", ITEM["conditions"][0]]],
        "特别程序": [
            ["事项编码", "特别程序"],
            ["11220000ST0001", "现场核查（不计入办结时限）"],
        ],
        "材料": [
            [
                "事项编码",
                "材料名称",
                "是否必需",
                "原件份数",
                "复印件份数",
                "格式要求",
                "来源",
            ],
            [
                "11220000ST0001",
                "排污许可证申请表",
                "是",
                1,
                0,
                None,
                "全国排污许可证管理信息平台",
            ],
            [material_item, "承诺书", "否", 1, 2, None, None],
        ],
        "流程": [
            ["事项编码", "环节名称", "办理人", "时限（工作日）", "说明"],
            ["11220000ST0001", "受理", "窗口", 1, "窗口受理。"],
            ["11220000ST0001", "审查", "处室", 14, None],
        ],
        "常见问题": [
            ["事项编码", "问题", "解答"],
            ["11220000ST0001", "有效期多久？", "5 年。"],
        ],
    }
    for name, sheet_rows in rows.items():
        sheet = book[name] if name in book.sheetnames else book.create_sheet(name)
        for row in sheet_rows:
            sheet.append(row)
    # The formula-looking note goes in as text, as a spreadsheet user would type it.
    sheet = book["材料"]
    sheet["F3"] = "=法定代表人签字"
    sheet["F3"].data_type = "s"
    book.save(path)
    return path


def export_json():
    stdout = io.StringIO()
    call_command("export_catalog", stdout=stdout)
    return json.loads(stdout.getvalue())


def test_workbook_has_a_sheet_per_table_with_chinese_headers():
    book = load_workbook(io.BytesIO(write_workbook(JSON_CATALOG)))

    assert book.sheetnames == [
        "说明",
        "部门",
        "处室",
        "职责",
        "事项",
        "别名",
        "办事情形",
        "依据",
        "条件",
        "特别程序",
        "材料",
        "流程",
        "常见问题",
    ]
    assert [c.value for c in book["材料"][1]] == [
        "事项编码",
        "材料名称",
        "是否必需",
        "原件份数",
        "复印件份数",
        "格式要求",
        "来源",
    ]
    assert [c.value for c in book["依据"]["B"]][1:] == ITEM["basis"]
    assert [c.value for c in book["别名"]["B"]][1:] == ITEM["aliases"]
    items = book["事项"]
    header = [c.value for c in items[1]]
    row = dict(zip(header, [c.value for c in items[2]], strict=True))
    assert row["协办处室"] == "ST-DQ、ST-SST"
    assert row["网上申请"] == "否"
    assert row["法定办结时限（工作日）"] == 20
    assert book["材料"]["F3"].data_type == "s"  # never a formula
    assert book["说明"]["B1"].value == "catalog/1"


def test_written_workbooks_read_back_to_the_same_data(tmp_path):
    data = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))
    report = ImportReport()
    departments = parse_catalog(data, report)
    complete = {
        "format": "catalog/1",
        "departments": [
            {
                "code": d.code,
                "name": d.record["name"],
                "address": "",
                "hours": "",
                "phone": "",
                "divisions": [
                    {"duties": [], "phone": "", "room": ""} | v for v in d.divisions
                ],
                "items": d.items,
            }
            for d in departments
        ],
    }

    data, problems = read_workbook(io.BytesIO(write_workbook(complete)))

    assert problems.errors == [] and problems.warnings == []
    assert data == complete


@pytest.mark.django_db
def test_hand_made_workbook_imports_the_same_as_the_json(home_page, tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(JSON_CATALOG, ensure_ascii=False), encoding="utf-8")
    assert import_catalog_file(path, publish=True).ok
    from_json = export_json()

    workbook = hand_made_workbook(tmp_path / "catalog.xlsx")
    report = import_catalog_file(workbook, publish=True)

    assert report.ok and report.warnings == []
    assert report.count("item", "unchanged") == 1
    assert report.count("item", "updated") == 0
    assert report.count("division", "unchanged") == 3
    assert export_json() == from_json == JSON_CATALOG


@pytest.mark.django_db
def test_workbook_into_an_empty_database(home_page, tmp_path):
    stdout = io.StringIO()
    call_command(
        "import_catalog", str(hand_made_workbook(tmp_path / "c.xlsx")), stdout=stdout
    )
    assert "事项：新建 1" in stdout.getvalue()
    assert export_json() == JSON_CATALOG


@pytest.mark.django_db
def test_bad_cells_are_named_by_item_and_field(home_page, tmp_path):
    workbook = hand_made_workbook(
        tmp_path / "bad.xlsx", statutory_days="二十", material_item="11220000ST0099"
    )
    book = load_workbook(workbook)
    book["事项"]["O2"] = "也许"  # 网上申请
    book["事项"]["T1"] = "颜色"
    book.create_sheet("草稿")
    book.save(workbook)

    report = import_catalog_file(workbook)

    assert not report.ok
    assert report.errors == [
        "工作表「材料」第 3 行：事项编码「11220000ST0099」不在「事项」表中",
        "11220000ST0001.statutory_days：应为整数，不是「二十」",
        "11220000ST0001.online：应为 true 或 false（表格中填“是”或“否”），不是「也许」",
    ]
    assert report.warnings == [
        "工作表「草稿」：不是 catalog/1 的表，已忽略",
        "工作表「事项」列「颜色」：未知的列，已忽略",
    ]


def test_every_sheet_names_its_parent_in_the_first_column():
    for sheet in SHEETS:
        if sheet.parent is not None:
            assert sheet.parent_header in ("部门代码", "处室代码", "事项编码")
