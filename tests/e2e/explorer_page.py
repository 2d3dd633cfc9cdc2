"""Browser steps shared by the JupyterLab and Voila tests (Playwright's sync API).

The explorer's DOM hooks come from the widget contract: ``jacviz-explorer`` (root),
``jacviz-image`` (the heatmap ``<img>``), ``jacviz-status`` (shapes and the text
``render #<n>``), ``jacviz-error``, ``jacviz-function``, ``jacviz-batch-size``,
``jacviz-order`` (a radio group), ``jacviz-linear-map`` (the linear-map view's
checkbox), ``jacviz-preset`` and ``jacviz-preset-load``, ``jacviz-values`` (the
checkbox that opens the values table), ``jacviz-large``.
"""

import re
import statistics

from roundtrip import timed_action

EXPLORER = ".jacviz-explorer"
IMAGE = "img.jacviz-image, .jacviz-image img"
STATUS = ".jacviz-status"
ERROR = ".jacviz-error"
FUNCTION_INPUT = ".jacviz-function input"
BATCH_SLIDER_HANDLE = ".jacviz-batch-size input"  # a labelled number field, not a slider
ENTRY_INPUTS = ".jacviz-batch-grid input"  # one box per x[b, j], row by row
ORDER_BUTTONS = ".jacviz-order label"  # one radio button in each
LINEAR_MAP_BUTTON = ".jacviz-linear-map input"
RENDER_COUNT = re.compile(r"render #(\d+)")

_KERNEL_READY_JS = """
async (name) => {
    const widget = window.jupyterapp.shell.currentWidget;
    await widget.context.ready;
    await widget.sessionContext.ready;
    const kernel = widget.sessionContext.session.kernel;
    await kernel.info;
    return kernel.name;
}
"""

_NOTEBOOK_IS_CURRENT_JS = """
(name) => {
    const widget = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    return Boolean(widget && widget.sessionContext && widget.context
                   && widget.context.path.endsWith(name));
}
"""


def open_notebook_and_run_all(page, lab_url, name):
    """Open notebook ``name`` in JupyterLab, wait for a live kernel, run all cells.

    The toolbar says "idle" before any kernel exists, and "Run All Cells" is then
    ignored; so wait on the session's kernel itself before running.
    """
    page.goto(f"{lab_url}/lab/tree/{name}")
    page.wait_for_function(_NOTEBOOK_IS_CURRENT_JS, arg=name, timeout=60_000)
    kernel_name = page.evaluate(_KERNEL_READY_JS, name)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    return kernel_name


def image_src(page):
    """Return the ``src`` (a PNG data/blob URL) of the explorer's heatmap."""
    return page.locator(IMAGE).first.get_attribute("src")


def status_text(page):
    """Return the text of the explorer's status line."""
    return page.locator(STATUS).first.inner_text()


def wait_for_status(page, text):
    """Wait until the status line says ``text`` (it may follow the error area's message)."""
    page.locator(STATUS).first.filter(has_text=text).wait_for()
    return status_text(page)


def render_count(page):
    """Return the render counter shown in the status line."""
    match = RENDER_COUNT.search(status_text(page))
    assert match, f"no 'render #N' in the status line: {status_text(page)!r}"
    return int(match.group(1))


def wait_for_render(page, count, timeout=30_000):
    """Wait until the status line shows exactly ``render #<count>``."""
    page.locator(STATUS).first.filter(has_text=re.compile(rf"render #{count}\b")).wait_for(
        timeout=timeout
    )


def wait_for_explorer(page, timeout=90_000):
    """Wait for the heatmap image and a render counter; return the counter.

    JupyterLab may skip laying out cells that are off screen, so the explorer is
    scrolled into view before its image has to be visible.
    """
    explorer = page.locator(EXPLORER).first
    explorer.wait_for(state="attached", timeout=timeout)
    explorer.scroll_into_view_if_needed()
    page.locator(IMAGE).first.wait_for(state="visible", timeout=timeout)
    page.locator(STATUS).first.filter(has_text=RENDER_COUNT).wait_for(timeout=timeout)
    return render_count(page)


def wait_for_new_image(page, old_src, timeout=30_000):
    """Wait until the heatmap's ``src`` differs from ``old_src``; return the new one."""
    page.wait_for_function(
        "([selector, old]) => { const img = document.querySelector(selector);"
        " return img !== null && img.getAttribute('src') !== old; }",
        arg=[IMAGE, old_src],
        timeout=timeout,
    )
    return image_src(page)


def press_slider_right(page, handle_selector=BATCH_SLIDER_HANDLE, key="ArrowUp"):
    """Focus a number field (batch size by default) and step it up once with the keyboard."""
    handle = page.locator(handle_selector).first
    handle.focus()
    handle.press(key)


def type_function(page, text):
    """Replace the formula in the text box and press Enter."""
    box = page.locator(FUNCTION_INPUT).first
    box.fill(text)
    box.press("Enter")


def click_order(page, label):
    """Click the order radio button whose label is ``label`` (e.g. "2nd order")."""
    page.locator(ORDER_BUTTONS, has_text=label).first.click()


def press_enter_on(page, selector, key="Enter"):
    """Focus the element matched by ``selector`` (keyboard, no mouse) and press ``key``."""
    element = page.locator(selector).first
    element.focus()
    element.press(key)


def entry_value(page, index=0):
    """Return the text in the ``index``-th box of the batch grid."""
    return page.locator(ENTRY_INPUTS).nth(index).input_value()


def edit_entry(page, value, index=0):
    """Type ``value`` into the ``index``-th box of the batch grid (0: ``x[0, 0]``), then Enter."""
    box = page.locator(ENTRY_INPUTS).nth(index)
    box.fill(str(value))
    box.press("Enter")


def timed(page, act):
    """Run ``act()`` and return seconds from its input to the next picture, painted.

    Timed in the page (``roundtrip.py``, installed by the ``page`` fixture): from
    the ``keydown`` or ``click`` to when the frame showing the new ``<img>``
    has been painted and the status line shows the next ``render #N``.
    """
    old_src = image_src(page)
    result = timed_action(page, act, render_count(page) + 1)
    assert image_src(page) != old_src
    return result.seconds


def timed_slider_step(page, handle_selector=BATCH_SLIDER_HANDLE):
    """Step a number field up (ArrowUp); return seconds until the next picture is shown."""
    return timed(page, lambda: press_slider_right(page, handle_selector))


def timed_value_edit(page, value, index=0):
    """Type a new value into a box of the batch grid; return seconds until the next picture."""
    return timed(page, lambda: edit_entry(page, value, index))


def check_value_edits(page, app, values=(4.5, 5.0, 4.5)):
    """Type each of ``values`` into the box of ``x[0, 0]``: each draws once; print the latency.

    Returns the number of pictures drawn.
    """
    before = render_count(page)
    seconds = [timed_value_edit(page, value) for value in values]
    assert render_count(page) == before + len(values)
    assert entry_value(page) == str(values[-1])
    assert page.locator(ERROR).first.inner_text().strip() == ""
    print(latency_line(app, "value edit", seconds))
    return len(values)


def latency_line(app, action, seconds):
    """The line the browser tests print per measured action, e.g. ``Voila slider -> ...``."""
    steps = ", ".join(f"{t:.3f}" for t in seconds)
    return (
        f"{app} {action} -> new picture: median {statistics.median(seconds):.3f} s (steps: {steps})"
    )


def shoot(page, folder, name):
    """Save a screenshot of the whole page as ``folder/name.png``; return the path."""
    path = folder / f"{name}.png"
    explorer = page.locator(EXPLORER).first
    if explorer.count():
        explorer.scroll_into_view_if_needed()
    page.screenshot(path=str(path), full_page=False)
    return path


def shoot_explorer(page, folder, name):
    """Save a screenshot of the whole explorer as ``folder/name.png``; return the path.

    Voila scrolls inside a container, which clips element screenshots to the
    viewport; the viewport grows to the explorer's height for the shot.
    """
    path = folder / f"{name}.png"
    explorer = page.locator(EXPLORER).first
    size = page.viewport_size
    box = explorer.bounding_box()
    page.set_viewport_size({"width": size["width"], "height": int(box["height"]) + 100})
    explorer.screenshot(path=str(path))
    page.set_viewport_size(size)
    return path
