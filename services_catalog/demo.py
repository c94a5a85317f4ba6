"""Demo content of the service catalog: 17 items each for the two demo departments
(省市场监督管理局 SJ, 省生态环境厅 ST), imported and published from
`services_catalog/demo/catalog.json` through the same code path as
``manage.py import_catalog --publish``.

`portal.demo` calls `load_catalog_demo(home_page, stdout)` after the disclosure demo,
whose division codes and names the file reuses, so that import leaves the divisions
unchanged; run alone it creates the departments and divisions it needs. Idempotent.
"""

from pathlib import Path

from services_catalog.importing import import_catalog_file

DEMO_CATALOG = Path(__file__).resolve().parent / "demo" / "catalog.json"


def load_catalog_demo(home_page, stdout):
    report = import_catalog_file(DEMO_CATALOG, publish=True, home_page=home_page)
    if not report.ok:
        raise ValueError(report.summary())
    stdout.write(report.summary())
    return report
