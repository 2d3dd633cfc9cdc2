"""The compact explorer fits a 1280 × 800 slide at 100 % zoom (issue #21.4).

Voila renders a one-cell notebook, ``jacviz.explore(..., compact=True)``, on
the widest batch the layout promises to fit without scrolling (B = 8 examples,
n = 5 inputs, 5 outputs: eight 5 × 5 panels and 40 number boxes) in a
1280 × 800 viewport. The explorer's box must fit the viewport, and every
number box must lie wholly inside its column and the explorer -- not cut at
the right edge -- for the Jacobians, then the Hessians -- and axe-core finds no
WCAG 2.1 A/AA violation in it. Screenshots go to ``test-output/e2e/compact-*.png``.
"""

import nbformat
import pytest
from axe_check import AXE_JS, INSTALL, described, violations
from ci import skip_or_fail
from explorer_page import EXPLORER, shoot, wait_for_explorer, wait_for_render
from servers import only_local, start_voila, stop_server

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

SLIDE = {"width": 1280, "height": 800}
CODE = """\
import numpy as np
import jacviz

x = np.random.default_rng(0).uniform(-2, 2, size=(8, 5)).round(2)  # (B, n) = (8, 5)
jacviz.explore("softmax(x)", x, compact=True)
"""
MEASURE = """() => {
    const box = (el) => { const r = el.getBoundingClientRect();
        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
    const explorer = document.querySelector('.jacviz-explorer');
    const grid = document.querySelector('.jacviz-batch-grid');
    return {
        explorer: box(explorer), grid: box(grid),
        column: box(document.querySelector('.jacviz-compact').children[0]),
        entries: [...grid.querySelectorAll('input')].map(box),
        image: box(document.querySelector('img.jacviz-image, .jacviz-image img')),
        scrolls: grid.scrollWidth > grid.clientWidth || grid.scrollHeight > grid.clientHeight,
    };
}"""


@pytest.fixture(scope="module")
def compact_voila(tmp_path_factory, server_home):
    """Yield the URL of Voila rendering the compact explorer's notebook."""
    folder = tmp_path_factory.mktemp("compact")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CODE)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, folder / "compact.ipynb")
    proc, url = start_voila(folder / "compact.ipynb", server_home, folder / "voila.log")
    yield url
    stop_server(proc)


def check_fits(sizes):
    explorer, column = sizes["explorer"], sizes["column"]
    assert explorer["right"] <= SLIDE["width"] and explorer["left"] >= 0
    assert explorer["bottom"] - explorer["top"] <= SLIDE["height"]
    assert sizes["image"]["right"] <= explorer["right"]
    assert len(sizes["entries"]) == 8 * 5
    assert not sizes["scrolls"]
    for entry in sizes["entries"]:  # every number box whole, inside its column
        assert column["left"] <= entry["left"] and entry["right"] <= column["right"] + 0.5
        assert entry["right"] <= sizes["grid"]["right"] + 0.5
        assert entry["bottom"] <= sizes["grid"]["bottom"] + 0.5


def test_compact_explorer_fits_a_slide(browser, compact_voila, screenshots):
    if not AXE_JS.exists():
        skip_or_fail(f"axe-core is not installed: {INSTALL}")
    context = browser.new_context(viewport=SLIDE)
    context.route("**/*", only_local)
    try:
        page = context.new_page()
        page.goto(compact_voila)
        count = wait_for_explorer(page)
        page.locator(EXPLORER).first.evaluate("el => el.scrollIntoView({block: 'start'})")
        jacobians = page.evaluate(MEASURE)
        shoot(page, screenshots, "compact-1-jacobians")
        page.locator(".jacviz-order label", has_text="2nd order").click()
        wait_for_render(page, count + 1)
        hessians = page.evaluate(MEASURE)
        shoot(page, screenshots, "compact-2-hessians")
        found = violations(page, EXPLORER)
    finally:
        context.close()
    for sizes in (jacobians, hessians):
        check_fits(sizes)
    assert found == [], f"axe-core, compact layout:\n{described(found)}"
    explorer = jacobians["explorer"]
    print(
        f"\ncompact explorer: {explorer['right'] - explorer['left']:.0f} × "
        f"{explorer['bottom'] - explorer['top']:.0f} px (Jacobians), "
        f"{hessians['explorer']['bottom'] - hessians['explorer']['top']:.0f} px high (Hessians)"
    )
