"""axe-core in the page: inject it (from npm, ``tests/e2e/axe/``) and list the violations.

axe-core is installed by ``npm install --prefix tests/e2e/axe`` (``.ci/run`` does it;
the version is pinned in ``tests/e2e/axe/package.json``). The rules run are WCAG 2.1
A and AA: the tags ``wcag2a``, ``wcag2aa``, ``wcag21a`` and ``wcag21aa``.
"""

from pathlib import Path

AXE_JS = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
INSTALL = "npm install --prefix tests/e2e/axe"

_RUN_JS = """
async ([selector, tags]) => {
    const context = selector ? document.querySelector(selector) : document;
    const results = await window.axe.run(context, {
        runOnly: {type: 'tag', values: tags},
        resultTypes: ['violations'],
    });
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
    }));
}
"""


def inject_axe(page):
    """Load axe-core into ``page`` (once per page load)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    return page.evaluate("() => window.axe.version")


def violations(page, selector=None):
    """Return axe's WCAG 2.1 A/AA violations in ``page`` (or the element at ``selector``)."""
    inject_axe(page)
    return page.evaluate(_RUN_JS, [selector, WCAG_TAGS])


def described(found):
    """Say each violation and where, one per line (the assertion message)."""
    lines = []
    for v in found:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {node}" for node in v["nodes"][:6]]
    return "\n".join(lines)
