"""Accessibility checks with axe-core (bundled with axe-playwright-python, so they
run offline).

`BROWSER_AXE=0` turns the checks off (they then find nothing). CI sets it for one of
its two runs only: what axe reads, the rendered page, is the same on SQLite and on
PostgreSQL, so one run's checks answer for both. The other run's browser tests still
check answers, console errors and untranslated text; its admin walk requests every
screen through Django's test client instead (tests/browser/test_admin_walk.py)."""

import os

from axe_playwright_python.sync_playwright import Axe

BLOCKING_IMPACTS = ("serious", "critical")
ENABLED = os.environ.get("BROWSER_AXE", "1") != "0"
_axe = Axe()
# What axe-playwright-python runs, less its injection of the whole axe-core script
# before every check: a page keeps it until it navigates. On a page with Wagtail's
# userbar, `window.axe` is the userbar's own copy, which runs its accessibility
# checker once the page loads; axe-core refuses a second run while one is under way
# ("Axe is already running"), so the check waits for that run to end (axe sets
# `_running` for its duration) and starts in the same turn of the page's event loop,
# before anything else can start one. After 10 s it runs anyway and fails plainly.
RUN_SCRIPT = """async ([context, options]) => {
    for (let waited = 0; axe._running && waited < 10000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return axe.run(context ?? document, options);
}"""


SETTLE_SCRIPT = """() => {
    for (const animation of document.getAnimations()) {
        if (animation.effect?.getTiming().iterations !== Infinity) {
            try {
                animation.finish();
            } catch (error) {
                // A stopped animation (playback rate 0) has no end to go to.
            }
        }
    }
}"""


def settle(page):
    """Bring the page's finite CSS animations and transitions to their end state at
    once (a Wagtail message fades in, a new menu item's badge pulses for 25 s):
    axe checks the colours the user ends up seeing, not a frame half-way through,
    and the check does not wait out an animation that only delays it."""
    page.evaluate(SETTLE_SCRIPT)


def axe_violations(page, context=None):
    """axe-core's serious and critical violations on the page's current state,
    once its animations have ended."""
    if not ENABLED:
        return []
    settle(page)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe.axe_script)
    results = page.evaluate(RUN_SCRIPT, [context, {"resultTypes": ["violations"]}])
    return [
        violation
        for violation in results["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def format_violations(violations):
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']}"
            f" — {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html']}")
            if node.get("failureSummary"):
                summary = node["failureSummary"].replace("\n", "\n      ")
                lines.append(f"      {summary}")
    return "\n".join(lines)


def assert_accessible(page, context=None):
    """Fail listing every serious or critical axe-core violation on `page`.

    `context` narrows the check to part of the page (an axe-core context: a CSS
    selector or {"include": [...], "exclude": [...]})."""
    violations = axe_violations(page, context=context)
    assert not violations, (
        f"{len(violations)} serious/critical accessibility violation(s) on "
        f"{page.url}:\n{format_violations(violations)}"
    )
