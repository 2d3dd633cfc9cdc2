"""The explorer as a Voila app: it renders, updates, and shows no code.

``voila notebooks/explorer_app.ipynb`` (a temporary copy) in headless Chromium.
Screenshots go to ``test-output/e2e/voila-*.png``; the slider → new picture
latency is printed.
"""

import nbformat
import pytest
from explorer_page import (
    ERROR,
    LINEAR_MAP_BUTTON,
    check_value_edits,
    image_src,
    latency_line,
    press_enter_on,
    render_count,
    shoot,
    shoot_explorer,
    status_text,
    timed_slider_step,
    type_function,
    wait_for_explorer,
    wait_for_new_image,
    wait_for_render,
)

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

SLIDER_STEPS = 3
CODE_EDITORS = (  # a markdown cell's rendered text sits in a .jp-InputArea too
    ".jp-CodeCell .jp-InputArea:visible, .jp-InputArea-editor:visible,"
    " .cm-editor:visible, .CodeMirror:visible"
)


def code_lines(path):
    """Return the non-blank lines of the notebook's code cells."""
    nb = nbformat.read(path, as_version=4)
    cells = (cell.source for cell in nb.cells if cell.cell_type == "code")
    return [line.strip() for source in cells for line in source.splitlines() if line.strip()]


def test_explorer_app_in_voila(page, voila_server, served_root, screenshots):
    page.goto(voila_server)
    count = wait_for_explorer(page)
    assert "J (2, 2, 2)" in status_text(page)

    body = page.locator("body").inner_text()
    hidden = code_lines(served_root / "explorer_app.ipynb")
    assert hidden
    assert [line for line in hidden if line in body] == []
    assert page.locator(CODE_EDITORS).count() == 0
    shoot(page, screenshots, "voila-1-opened")
    shoot_explorer(page, screenshots, "explorer")  # the README picture, docs/explorer.png

    first_src = image_src(page)
    latencies = [timed_slider_step(page) for _ in range(SLIDER_STEPS)]
    count += SLIDER_STEPS
    assert render_count(page) == count
    assert image_src(page) != first_src
    assert "x (5, 2)" in status_text(page)
    print("\n" + latency_line("Voila", "slider", latencies))

    count += check_value_edits(page, "Voila")  # x[0, 0] typed three times

    src = image_src(page)
    type_function(page, "softmax(x)")
    wait_for_render(page, count + 1)
    wait_for_new_image(page, src)
    assert "J (5, 2, 2)" in status_text(page)
    assert page.locator(ERROR).first.inner_text().strip() == ""
    shoot(page, screenshots, "voila-2-softmax")

    # softmax maps 2 inputs to 2 outputs: the linear-map view, switched on by keyboard
    src = image_src(page)
    press_enter_on(page, LINEAR_MAP_BUTTON, key="Space")  # a checkbox: Space ticks it
    wait_for_render(page, count + 2)
    wait_for_new_image(page, src)
    assert "linear map around x[0]" in status_text(page)
    assert "det J[0] = " in status_text(page)
    shoot(page, screenshots, "voila-3-linear-map")
