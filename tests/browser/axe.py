"""Accessibility checks with axe-core (bundled with axe-playwright-python, so they
run offline)."""

from axe_playwright_python.sync_playwright import Axe

BLOCKING_IMPACTS = ("serious", "critical")
_axe = Axe()


SETTLE_SCRIPT = """() => Promise.allSettled(
    document.getAnimations()
        .filter((animation) => animation.effect?.getTiming().iterations !== Infinity)
        .map((animation) => animation.finished)
)"""


def settle(page):
    """Wait until the page's finite CSS animations and transitions have ended (a
    Wagtail message fades in): axe checks the colours the user ends up seeing, not
    a frame half-way through."""
    page.evaluate(SETTLE_SCRIPT)


def axe_violations(page, context=None):
    """axe-core's serious and critical violations on the page's current state,
    once its animations have ended."""
    settle(page)
    results = _axe.run(page, context=context)
    return [
        violation
        for violation in results.response["violations"]
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
