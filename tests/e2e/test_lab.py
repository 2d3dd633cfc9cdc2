"""The explorer in JupyterLab, driven like a student would: keyboard, text box, buttons.

Opens ``01_batch_jacobian_tour.ipynb`` in a real JupyterLab in headless Chromium,
runs all cells and works the explorer at the bottom. Every step waits for the
exact ``render #N`` the step should produce, so a picture is never judged while
a later one is still on its way. Screenshots of each step go to
``test-output/e2e/lab-*.png``; the slider → new picture latency is printed.
"""

import re

import pytest
from explorer_page import (
    ERROR,
    check_value_edits,
    click_order,
    image_src,
    latency_line,
    open_notebook_and_run_all,
    render_count,
    shoot,
    status_text,
    timed_slider_step,
    type_function,
    wait_for_explorer,
    wait_for_new_image,
    wait_for_render,
)

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

TOUR = "01_batch_jacobian_tour.ipynb"
SLIDER_STEPS = 3


def test_explorer_in_jupyterlab(page, lab_server, screenshots):
    kernel = open_notebook_and_run_all(page, lab_server, TOUR)
    assert kernel == "python3"

    count = wait_for_explorer(page)
    first_src = image_src(page)
    assert first_src
    assert "x (2, 2)" in status_text(page)
    assert "J (2, 2, 2)" in status_text(page)
    shoot(page, screenshots, "lab-1-opened")

    # batch size 2 -> 5 with the keyboard, one ArrowRight at a time
    latencies = [timed_slider_step(page) for _ in range(SLIDER_STEPS)]
    count += SLIDER_STEPS
    assert render_count(page) == count
    assert image_src(page) != first_src
    assert "x (5, 2)" in status_text(page)
    assert "J (5, 2, 2)" in status_text(page)
    shoot(page, screenshots, "lab-2-batch-size-5")
    print("\n" + latency_line("JupyterLab", "slider", latencies))

    count += check_value_edits(page, "JupyterLab")  # x[0, 0] typed three times

    # a new formula with one output per example: J becomes (B, n)
    src = image_src(page)
    type_function(page, "sum(x**2)")
    count += 1
    wait_for_render(page, count)
    wait_for_new_image(page, src)
    assert "y (5,)" in status_text(page)
    assert "J (5, 2)" in status_text(page)
    assert page.locator(ERROR).first.inner_text().strip() == ""
    shoot(page, screenshots, "lab-3-sum-of-squares")

    # a broken formula: the message shows, the last good picture stays
    src = image_src(page)
    type_function(page, "x +* 2")
    error = page.locator(ERROR).first
    error.filter(has_text=re.compile(r"\S")).wait_for()
    assert render_count(page) == count
    assert image_src(page) == src
    shoot(page, screenshots, "lab-4-bad-formula")

    # back to x**3, then second order: H has shape (B, m, n, n)
    type_function(page, "x**3")
    count += 1
    wait_for_render(page, count)
    assert error.inner_text().strip() == ""
    src = image_src(page)
    click_order(page, "2nd order")
    count += 1
    wait_for_render(page, count)
    wait_for_new_image(page, src)
    assert "(5, 2, 2, 2)" in status_text(page)
    shoot(page, screenshots, "lab-5-second-order")
