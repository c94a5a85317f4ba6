"""The axe-core helper itself finds violations, on a whole page and in a part of it
(the walks trust an empty answer)."""

import pytest

from tests.browser.axe import ENABLED, axe_violations

pytestmark = pytest.mark.skipif(not ENABLED, reason="BROWSER_AXE=0")

UNLABELLED = """<!doctype html><html lang="zh-Hans"><head><title>测试</title></head>
<body><main><h1>测试</h1><div id="good"><p>说明</p></div>
<div id="bad"><input type="text"></div></main></body></html>"""


def test_axe_finds_an_unlabelled_field_on_the_page_and_in_its_part(browser):
    tab = browser.new_page()
    try:
        tab.set_content(UNLABELLED)
        assert "label" in {violation["id"] for violation in axe_violations(tab)}
        # A second check reuses the axe-core the first one injected.
        assert [v["id"] for v in axe_violations(tab, context="#bad")] == ["label"]
        assert axe_violations(tab, context="#good") == []
    finally:
        tab.close()
