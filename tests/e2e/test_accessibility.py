"""WCAG 2.1 AA in a real browser: axe-core finds nothing, and the keyboard does everything.

axe-core (npm, pinned in ``tests/e2e/axe/package.json``, installed by ``.ci/run``) is
injected by Playwright and run with the ``wcag2a``, ``wcag2aa``, ``wcag21a`` and
``wcag21aa`` rules -- none disabled -- on the Voila page (the whole document: title,
language, landmarks included) and on the explorer as a JupyterLab notebook output, in
the default, 2nd-order, linear-map and table-open states. The keyboard walkthrough
uses Tab, Enter, Space and the arrow keys only (and types a formula and a number),
the colour scale per output included.
"""

import os
import re

import pytest
from axe_check import AXE_JS, INSTALL, described, violations
from explorer_page import (
    EXPLORER,
    FUNCTION_INPUT,
    IMAGE,
    STATUS,
    open_notebook_and_run_all,
    render_count,
    shoot,
    status_text,
    wait_for_explorer,
    wait_for_render,
)
from playwright.sync_api import expect

from jacviz.presets import PRESETS

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

TOUR = "01_batch_jacobian_tour.ipynb"
PAGE_TITLE = "jacviz explorer: batch Jacobians"


@pytest.fixture(autouse=True)
def _axe_installed():
    if AXE_JS.exists():
        return
    if os.environ.get("CI", "").lower() == "true":  # CI installs it (.ci/run): never skip there
        pytest.fail(f"CI=true and axe-core is not installed: {INSTALL}", pytrace=False)
    pytest.skip(f"axe-core is not installed (off CI): {INSTALL}")


def assert_no_violations(page, selector=None, state=""):
    found = violations(page, selector)
    assert found == [], f"axe-core, {state}:\n{described(found)}"


def picture_title(page):
    """Return the heatmap ``<img>``'s title: its accessible name, the picture in words."""
    return page.locator(IMAGE).first.get_attribute("title")


def check_states(page, selector, count, screenshots, app):
    """Check the default, 2nd-order, linear-map and table-open states; return the count."""
    assert_no_violations(page, selector, f"{app}, default")
    assert "J[0] rows: [48, 0], [0, 12]" in picture_title(page)

    page.locator(".jacviz-order label", has_text="2nd order").click()
    count += 1
    wait_for_render(page, count)
    assert "H (2, 2, 2, 2)" in status_text(page)
    assert "H[0] rows by output" in picture_title(page)
    assert_no_violations(page, selector, f"{app}, 2nd order")

    page.locator(".jacviz-order label", has_text="1st order").click()
    page.locator(".jacviz-linear-map input").check()
    count += 2
    wait_for_render(page, count)
    assert "det J[0] = 576" in picture_title(page)
    assert_no_violations(page, selector, f"{app}, linear map")
    shoot(page, screenshots, f"{app}-a11y-linear-map")

    page.locator(".jacviz-values input").check()
    page.locator("table.jacviz-values").first.wait_for()
    assert_no_violations(page, selector, f"{app}, table open")
    shoot(page, screenshots, f"{app}-a11y-table")
    return count


def test_voila_page_meets_wcag_21_aa(page, voila_server, screenshots):
    page.goto(voila_server)
    count = wait_for_explorer(page)
    assert page.title() == PAGE_TITLE
    check_states(page, None, count, screenshots, "voila")


def test_lab_notebook_output_meets_wcag_21_aa(page, lab_server, screenshots):
    # JupyterLab's own page (menus, file browser) is not jacviz's: axe checks the output
    open_notebook_and_run_all(page, lab_server, TOUR)
    count = wait_for_explorer(page)
    check_states(page, EXPLORER, count, screenshots, "lab")


# ---------------------------------------------------------------- keyboard only


def tab_to(page, selector, limit=80):
    """Press Tab until the focused element is (inside) ``selector``; fail after ``limit``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(s) => { const e = document.activeElement; return !!(e && e.closest(s)); }", selector
        ):
            return
    raise AssertionError(f"Tab never reached {selector}")


def press_on(page, selector, key, count):
    """Tab to ``selector``, press ``key``, wait for picture ``count + 1``; return that count."""
    tab_to(page, selector)
    page.keyboard.press(key)
    wait_for_render(page, count + 1)
    return count + 1


def step_dropdown(page, key, expected):
    """Press ``key`` on the focused preset dropdown; wait until it shows ``expected``.

    No pacing: the load button's press travels with the dropdown's own messages
    (``jacviz/widget/_preset_choice.py``), so the kernel loads what the page shows.
    """
    page.keyboard.press(key)
    page.wait_for_function(
        "(v) => document.querySelector('.jacviz-preset select').value === v", arg=expected
    )


_BORDER_JS = """() => { const s = getComputedStyle(document.activeElement);
    return [s.borderTopWidth, s.borderTopColor]; }"""


def focus_ring(page):
    """Return the focused element's outline: (width in px, colour)."""
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [parseFloat(s.outlineWidth), s.outlineColor, s.outlineStyle]; }"
    )


def test_keyboard_only_walkthrough_in_voila(page, voila_server, screenshots):
    page.goto(voila_server)
    count = wait_for_explorer(page)
    page.locator("body").focus()

    # type and apply a formula
    tab_to(page, ".jacviz-function")
    width, color, style = focus_ring(page)
    assert width >= 2 and style != "none" and color == "rgb(11, 79, 156)"  # 8.0:1 on white
    page.keyboard.press("Control+A")
    page.keyboard.type("x**2")
    page.keyboard.press("Enter")
    count += 1
    wait_for_render(page, count)
    assert "J[0] rows: [8, 0], [0, 4]" in page.locator(IMAGE).first.get_attribute("title")

    # a wrong formula is an alert, and the status line says the picture is out of date
    page.keyboard.press("Control+A")
    page.keyboard.type("x +")
    page.keyboard.press("Enter")
    page.locator(".jacviz-error [role=alert]").wait_for()
    page.locator(f"{STATUS} [role=status]").filter(has_text="out of date").wait_for()
    # the box says it is wrong by its name (its label; aria-invalid cannot be set from
    # ipywidgets 8.0-8.1) and a 3 px red border at 6.5:1
    page.get_by_role("textbox", name="f(x) = (has an error)").wait_for()
    assert page.evaluate(_BORDER_JS) == ["3px", "rgb(179, 38, 30)"]
    assert_no_violations(page, None, "voila, a wrong formula")
    page.keyboard.press("Control+A")
    page.keyboard.type("x**3")
    page.keyboard.press("Enter")
    count += 1
    wait_for_render(page, count)
    page.get_by_role("textbox", name="f(x) =", exact=True).wait_for()
    assert page.evaluate(_BORDER_JS)[1] != "rgb(179, 38, 30)"

    # change B and n with the arrow keys
    count = press_on(page, ".jacviz-batch-size", "ArrowUp", count)
    count = press_on(page, ".jacviz-input-dim", "ArrowDown", count)
    assert "x (3, 1)" in status_text(page)

    # edit one entry: x[0, 0]
    tab_to(page, ".jacviz-batch-grid")
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    page.keyboard.press("Enter")
    count += 1
    wait_for_render(page, count)
    assert "x = [2]; J[0] rows: [12]" in page.locator(IMAGE).first.get_attribute("title")

    # switch order: the radio group takes the arrow keys
    tab_to(page, ".jacviz-order")
    page.keyboard.press("ArrowDown")
    count += 1
    wait_for_render(page, count)
    assert "H (3, 1, 1, 1)" in status_text(page)
    page.keyboard.press("ArrowUp")
    count += 1
    wait_for_render(page, count)

    # pick a preset: the arrow keys only choose, the button applies
    tab_to(page, ".jacviz-preset")
    for name in ("cube (seed)", "sine", "product and sum", "polar to Cartesian"):
        step_dropdown(page, "ArrowDown", name)  # applying nothing on the way
    assert render_count(page) == count
    tab_to(page, ".jacviz-preset-load")
    page.keyboard.press("Enter")
    count += 1
    wait_for_render(page, count)
    assert "x (3, 2)" in status_text(page)

    # a colour scale per output: 2nd order of the two outputs, Space on its checkbox
    count = press_on(page, ".jacviz-order", "ArrowDown", count)
    count = press_on(page, ".jacviz-scale", "Space", count)
    assert "coloured on a scale of their own" in page.locator(IMAGE).first.get_attribute("title")
    assert "each output on its own scale" in status_text(page)
    count = press_on(page, ".jacviz-order", "ArrowUp", count)  # a Jacobian keeps one scale
    assert page.locator(".jacviz-scale input").is_disabled()

    # toggle the linear map (Space on a checkbox)
    tab_to(page, ".jacviz-linear-map")
    page.keyboard.press("Space")
    count += 1
    wait_for_render(page, count)
    assert re.search(r"det J\[0\] = ", page.locator(IMAGE).first.get_attribute("title"))

    # open the values table
    tab_to(page, ".jacviz-values")
    page.keyboard.press("Space")
    page.locator("table.jacviz-values").first.wait_for()
    table = page.locator("table.jacviz-values").first  # its caption a div, its name the same
    assert table.get_attribute("aria-label").startswith("example 0")
    caption = table.locator("xpath=preceding-sibling::div[1]")
    assert caption.get_attribute("class") == "jacviz-caption"
    assert caption.inner_text() == table.get_attribute("aria-label")

    # back to "(your own formula)": the formula and batch come back
    tab_to(page, ".jacviz-preset")
    for name in ("product and sum", "sine", "cube (seed)", "(your own formula)"):
        step_dropdown(page, "ArrowUp", name)
    assert page.locator(".jacviz-preset select").input_value() == "(your own formula)"
    tab_to(page, ".jacviz-preset-load")
    page.keyboard.press("Space")
    count += 1
    wait_for_render(page, count)
    assert page.locator(".jacviz-function input").input_value() == "x**3"
    assert "x (3, 1)" in status_text(page)
    shoot(page, screenshots, "voila-a11y-keyboard")


def test_load_after_fast_arrow_keys_loads_the_preset_shown(page, voila_server):
    # No pacing: a held arrow key, then Tab and Enter at once. Before #20's fix, the
    # click (a custom message, sent at once) overtook the dropdown's last choice (a
    # state message ipywidgets holds back while the previous one is unanswered), and
    # the kernel loaded an earlier preset than the one the page showed.
    page.goto(voila_server)
    wait_for_explorer(page)
    select = page.locator(".jacviz-preset select")
    formula = page.locator(FUNCTION_INPUT)
    for key, presses in (("ArrowDown", 3), ("ArrowUp", 1), ("ArrowDown", 4), ("ArrowUp", 2)):
        select.focus()
        for _ in range(presses):
            page.keyboard.press(key)
        shown = select.input_value()
        page.keyboard.press("Tab")  # the load button is next
        page.keyboard.press("Enter")
        expect(formula).to_have_value(PRESETS[shown].expression)
        expect(select).to_have_value(shown)


_SIZES_JS = """() => {
    const box = document.querySelector('.jacviz-batch-grid input');
    const formula = document.querySelector('.jacviz-formula-line mjx-container');
    return {
        formula: parseFloat(getComputedStyle(formula).fontSize),
        box_font: parseFloat(getComputedStyle(box).fontSize),
        box_width: box.getBoundingClientRect().width,
        box_text_fits: box.scrollWidth <= box.clientWidth,
    };
}"""


def test_large_text_mode_enlarges_the_formula_line_and_the_number_boxes(page, voila_server):
    page.goto(voila_server)
    count = wait_for_explorer(page)
    page.locator(".jacviz-formula-line mjx-container").wait_for()
    small = page.evaluate(_SIZES_JS)
    page.locator(".jacviz-large input").check()
    count += 1
    wait_for_render(page, count)
    page.locator(f"{EXPLORER}.jacviz-large-mode").wait_for()
    box = page.locator(".jacviz-batch-grid input").first
    box.fill("-123.456")  # the longest a projected lecture example is likely to need
    box.press("Enter")
    count += 1
    wait_for_render(page, count)
    large = page.evaluate(_SIZES_JS)
    assert large["formula"] >= 1.4 * small["formula"], (small, large)
    assert large["box_font"] >= 1.4 * small["box_font"], (small, large)
    assert large["box_width"] >= 1.4 * small["box_width"], (small, large)
    assert large["box_text_fits"], large
    assert_no_violations(page, None, "voila, large text")
