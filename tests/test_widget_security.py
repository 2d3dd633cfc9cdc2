"""The explorer under hostile input: any browser can send any state to any of its widgets.

Each message is delivered twice over: through ``widget.set_state(state)``
(ipywidgets' entry point for a browser's state) and through the widget's comm,
as a kernel receives it. After every message no exception has escaped, nothing
reached stdout, stderr or the log, the controls agree with the state, every
slider has its designed range, and a good input still renders.
"""

import logging
import re

import ipywidgets as widgets
import numpy as np
import pytest
import traitlets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jacviz import PRESETS, batch_jacobian, full_jacobian, linear_map_geometry
from jacviz.widget import JacobianExplorer
from jacviz.widget._batch import MAX_BATCH, MAX_INPUTS, MAX_PASTE, MAX_SHOWN
from jacviz.widget._controls import CUSTOM, RADIUS
from jacviz.widget._text import MAX_MESSAGE_CHARS

SEED_X = np.array([[4.0, 2.0], [1.0, 3.0]])


def by_set_state(widget, state):
    widget.set_state(state)


def by_comm(widget, state):
    """Deliver ``state`` as the kernel does: a comm message handled by the widget."""
    data = {"method": "update", "state": state, "buffer_paths": []}
    widget.comm.handle_msg({"content": {"data": data}, "buffers": []})


@pytest.fixture(params=[by_set_state, by_comm], ids=["set_state", "comm"])
def send(request, capfd, caplog):
    """Yield a sender; afterwards nothing may have been printed or logged."""
    caplog.set_level(logging.DEBUG)
    yield request.param
    assert capfd.readouterr() == ("", "")
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


@pytest.fixture
def explorer():
    return JacobianExplorer()


def designed_ranges(explorer):
    batch_size = explorer.x.shape[0]
    return {
        explorer.batch_size_slider: (1, MAX_BATCH, 1),
        explorer.input_dim_slider: (1, MAX_INPUTS, 1),
        explorer.map_example_slider: (0, batch_size - 1, 1),
        explorer.first_example_slider: (0, max(0, batch_size - MAX_SHOWN), 1),
        explorer.radius_slider: tuple(RADIUS),
    }


def assert_agrees(explorer):
    """The controls show the state; every slider has its range and a value in it."""
    batch_size, n = explorer.x.shape
    assert (explorer.batch_size_slider.value, explorer.input_dim_slider.value) == (batch_size, n)
    boxes = [explorer.batch_grid.entry(b, j).value for b, j in np.ndindex(batch_size, n)]
    assert boxes == list(explorer.x.ravel())
    assert explorer.order_toggle.value == explorer.order
    assert explorer.function_text.value == explorer.function
    assert explorer.preset_dropdown.value in (CUSTOM, *PRESETS)
    for slider, (low, high, step) in designed_ranges(explorer).items():
        assert (slider.min, slider.max, slider.step) == (low, high, step), slider.description
        assert low <= slider.value <= high, slider.description


def assert_still_renders(explorer):
    """A good formula typed now draws a correct picture."""
    count, formula = explorer.render_count, "x**2" if explorer.function != "x**2" else "x**3"
    explorer.function_text.value = formula
    assert explorer.error == "" and explorer.render_count == count + 1
    order = 1 if explorer.linear_map_toggle.value else explorer.order
    expected = (
        full_jacobian(formula, explorer.x)
        if order == "full"
        else batch_jacobian(formula, explorer.x, order=order)
    )
    np.testing.assert_allclose(explorer.result, expected)


def assert_refused(explorer, name, count):
    """The message was refused, said so, and changed nothing."""
    assert explorer.error.startswith(f"refused a message from the browser for {name!r}: ")
    assert explorer.render_count == count
    assert_agrees(explorer)


# ---------------------------------------------------------------- sliders


@pytest.mark.parametrize(
    "state",
    [
        {"max": 100_000, "value": 100_000},  # the attack of issue #11: 3 GB, 6-10 s before
        {"value": 100_000, "max": 100_000},  # the other order
        {"max": 2**62, "value": 2**62},
    ],
)
def test_a_widened_batch_size_slider_is_clamped(explorer, send, state):
    send(explorer.batch_size_slider, state)
    assert explorer.x.shape == (MAX_BATCH, 2) and explorer.error == ""
    np.testing.assert_array_equal(explorer.x[:2], SEED_X)
    np.testing.assert_allclose(explorer.result, batch_jacobian("x**3", explorer.x))
    assert explorer.render_count == 2  # one picture, not one per change
    assert_agrees(explorer)
    assert_still_renders(explorer)


def test_shape_sliders_lowered_below_their_minimum_stay_in_range(explorer, send):
    send(explorer.batch_size_slider, {"min": -5, "value": -5})
    send(explorer.input_dim_slider, {"min": -3, "value": 0})
    assert explorer.x.shape == (1, 1) and explorer.error == ""
    np.testing.assert_array_equal(explorer.x, SEED_X[:1, :1])
    assert_agrees(explorer)
    send(explorer.input_dim_slider, {"max": 1000, "value": 1000})
    assert explorer.x.shape == (1, MAX_INPUTS)
    assert_agrees(explorer)
    assert_still_renders(explorer)


def test_widened_map_example_and_radius_sliders_are_clamped(send):
    explorer = JacobianExplorer()
    explorer.preset_dropdown.value = "polar to Cartesian"  # B = 3, a map of the plane
    explorer.preset_button.click()
    explorer.linear_map_toggle.value = True
    send(explorer.map_example_slider, {"max": 100, "value": 50})  # IndexError before
    assert explorer.map_example_slider.value == 2 and explorer.error == ""
    assert "linear map around x[2] = " in explorer.status.value
    for state, radius in [
        ({"min": -5, "value": -5}, RADIUS.min),  # ValueError before
        ({"max": 1e308, "value": 1e308}, RADIUS.max),
        ({"value": float("nan")}, RADIUS.min),
        ({"min": float("nan"), "max": float("nan"), "value": 1.0}, 1.0),
    ]:
        send(explorer.radius_slider, state)
        assert explorer.radius_slider.value == radius and explorer.error == "", state
        geometry = linear_map_geometry(explorer.function, explorer.x, example=2, radius=radius)
        images = [line for line in explorer.figure.axes[1].lines if line.get_gid() == "image"]
        np.testing.assert_allclose(np.stack([line.get_xydata() for line in images]), geometry.y)
        assert_agrees(explorer)
    assert "internal error" not in explorer.status.value
    assert_still_renders(explorer)


def test_a_widened_first_example_slider_is_clamped(explorer, send):
    explorer.batch_size_slider.value = MAX_BATCH
    send(explorer.first_example_slider, {"max": 100, "value": 100, "min": -100})
    assert explorer.first_example_slider.value == MAX_BATCH - MAX_SHOWN
    assert "the picture shows examples 8–15 of 16" in explorer.status.value
    assert_agrees(explorer)
    assert_still_renders(explorer)


@pytest.mark.parametrize(
    "state",
    [
        {"min": 200_000},  # min > max
        {"max": -5},  # max < min
        {"value": None},
        {"value": "sixteen"},
        {"step": "one"},
        {"layout": "IPY_MODEL_0123"},
    ],
)
def test_slider_state_that_ipywidgets_rejects_is_refused(explorer, send, state):
    send(explorer.batch_size_slider, state)
    assert_refused(explorer, "batch B", 1)
    np.testing.assert_array_equal(explorer.x, SEED_X)
    assert_still_renders(explorer)


def test_slider_bounds_set_in_code_snap_back_too(explorer):
    slider = explorer.batch_size_slider
    slider.max = 100_000
    slider.value = 100_000
    assert (slider.max, slider.value) == (MAX_BATCH, MAX_BATCH)
    assert explorer.x.shape == (MAX_BATCH, 2)
    explorer.radius_slider.value = float("nan")
    explorer.map_example_slider.max = 50
    explorer.first_example_slider.min = -1
    assert_agrees(explorer)
    assert_still_renders(explorer)


# ---------------------------------------------------------------- toggles, dropdown, boxes


def test_order_toggle_indices(explorer, send):
    send(explorer.order_toggle, {"index": 5})
    assert_refused(explorer, "order", 1)
    send(explorer.order_toggle, {"index": None})  # no button at all: back to the state's order
    assert explorer.order_toggle.value == 1 and explorer.order == 1 and explorer.render_count == 1
    send(explorer.order_toggle, {"index": 1})  # a fair message
    assert explorer.order == 2 and explorer.render_count == 2
    np.testing.assert_allclose(explorer.result, batch_jacobian("x**3", SEED_X, order=2))
    assert_agrees(explorer)
    assert_still_renders(explorer)


def test_preset_dropdown_indices(explorer, send):
    send(explorer.preset_dropdown, {"index": 99})
    assert_refused(explorer, "preset", 1)
    send(explorer.preset_dropdown, {"index": None})
    assert explorer.preset_dropdown.value == CUSTOM and explorer.note.value == ""
    name = "polar to Cartesian"
    send(explorer.preset_dropdown, {"index": [CUSTOM, *PRESETS].index(name)})
    assert explorer.function == "x**3"  # choosing is not applying (WCAG 3.2.2)
    explorer.preset_button.click()
    assert explorer.function == PRESETS[name].expression and explorer.error == ""
    assert_agrees(explorer)
    assert_still_renders(explorer)


def test_an_enabled_linear_map_toggle_for_a_function_that_does_not_fit(explorer, send):
    explorer.function = "sum(x**2)"
    assert explorer.linear_map_toggle.disabled
    send(explorer.linear_map_toggle, {"disabled": False, "value": True})
    assert explorer.linear_map_toggle.value is False and explorer.error == ""
    assert "back to the heatmaps" in explorer.status.value
    send(explorer.linear_map_toggle, {"value": "yes"})
    assert_refused(explorer, "linear map", explorer.render_count)
    assert_still_renders(explorer)


def test_an_enabled_colour_scale_checkbox_where_it_does_not_apply(explorer, send):
    """A Jacobian keeps one scale: a browser ticking the disabled box changes no picture."""
    png = bytes(explorer.image.value)
    assert explorer.scale_checkbox.disabled
    send(explorer.scale_checkbox, {"disabled": False, "value": True})
    assert explorer.render_count == 1 and bytes(explorer.image.value) == png
    assert explorer.error == "" and "own scale" not in explorer.status.value
    send(explorer.scale_checkbox, {"value": "per output"})
    assert_refused(explorer, "colour scale per output", 1)
    explorer.function = "[x[0]**2 * x[1], 100 * x[0] * x[1]**3]"  # 2 outputs
    explorer.order = 2  # the box the browser ticked applies now, as the student sees it
    assert "colours: each output on its own scale" in explorer.status.value
    assert not explorer.scale_checkbox.disabled
    assert_still_renders(explorer)


def test_checkbox_state_out_of_range(explorer, send):
    send(explorer.fd_checkbox, {"value": "yes"})
    assert_refused(explorer, "check against finite differences", 1)
    send(explorer.values_checkbox, {"value": 9})
    assert_refused(explorer, "show the values and formulas (table)", 1)
    send(explorer.values_checkbox, {"value": True})
    assert ">48</td>" in explorer.values_table.value and ">27</td>" in explorer.values_table.value
    assert_still_renders(explorer)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), 1e308, -1e308])
def test_entry_boxes_refuse_non_finite_and_huge_numbers(explorer, send, value):
    send(explorer.batch_grid.entry(1, 0), {"value": value})
    assert explorer.error.startswith("x[1, 0]") and explorer.render_count == 1
    assert explorer.batch_grid.entry(1, 0).value == 1.0  # restored
    np.testing.assert_array_equal(explorer.x, SEED_X)
    assert_agrees(explorer)
    assert_still_renders(explorer)


@pytest.mark.parametrize("state", [{"value": None}, {"value": "abc"}, {"step": []}])
def test_entry_box_state_that_ipywidgets_rejects_is_refused(explorer, send, state):
    send(explorer.batch_grid.entry(0, 1), state)
    assert_refused(explorer, "x[0, 1]", 1)
    assert_still_renders(explorer)


def test_a_box_of_an_earlier_larger_batch_changes_nothing(explorer, send):
    explorer.batch_size_slider.value = 3
    explorer.batch_size_slider.value = 2  # row 2's boxes are kept, not shown
    count = explorer.render_count
    send(explorer.batch_grid.entry(2, 0), {"value": 5.0})
    assert explorer.render_count == count and explorer.error == ""
    np.testing.assert_array_equal(explorer.x, SEED_X)
    explorer.batch_size_slider.value = 3  # shown again: it shows x, not the message
    assert explorer.batch_grid.entry(2, 0).value == explorer.x[2, 0] != 5.0
    assert_agrees(explorer)


class ThrottledPage:
    """The page side of ipywidgets 8, as far as the order of its messages goes.

    As ``WidgetModel.sync`` and ``_handle_status`` of @jupyter-widgets/base do:
    per widget one state message in flight; a change made meanwhile waits, merged
    with later ones (keys keep their first place, as with ``Object.assign``), until
    the kernel is idle after the one in flight; a custom message (a ``Button``'s
    click) goes at once. A ``jsdlink`` copies a change of its source into its
    target in the page, which syncs it as its own change.
    """

    def __init__(self, links=()):
        self.links = links
        self.shown = {}  # (widget, name) -> the value in the page
        self.wire, self.in_flight, self.waiting = [], set(), {}

    def change(self, widget, name, value):
        """The student changes ``widget``'s ``name`` in the page."""
        self.shown[widget, name] = value
        self._sync(widget, {name: value})
        for link in self.links:
            if link.source == (widget, name):
                self.change(*link.target, value)

    def press(self, button):
        """A click, Enter or Space on ``button``, as its view in the page handles it."""
        if isinstance(button, widgets.ToggleButton):
            self.change(button, "value", not self.shown.get((button, "value"), button.value))
        else:
            self.wire.append((button, {"method": "custom", "content": {"event": "click"}}))

    def _sync(self, widget, state):
        if widget in self.in_flight:
            self.waiting[widget] = {**self.waiting.get(widget, {}), **state}
            return
        self.in_flight.add(widget)
        self.wire.append((widget, {"method": "update", "state": state, "buffer_paths": []}))

    def kernel_runs(self):
        """The kernel handles the messages in order; each idle sends the widget's waiting one."""
        while self.wire:
            widget, data = self.wire.pop(0)
            widget.comm.handle_msg({"content": {"data": data}, "buffers": []})
            if data["method"] == "update":
                self.in_flight.discard(widget)
                if widget in self.waiting:
                    self._sync(widget, self.waiting.pop(widget))


def test_a_held_arrow_key_then_load_loads_the_preset_the_page_shows(explorer):
    # The race of #20: presses faster than the kernel answers. A Button's click went at
    # once and overtook the dropdown's last choice, still waiting; the kernel loaded
    # "cube (seed)" while the page showed "product and sum".
    page = ThrottledPage(links=[explorer.preset_button.link])
    dropdown = explorer.preset_dropdown
    for index in (1, 2, 3):  # ArrowDown, held
        page.change(dropdown, "index", index)
    page.press(explorer.preset_button)  # Tab, Enter
    page.kernel_runs()
    shown = dropdown.options[page.shown[dropdown, "index"]]
    assert shown == "product and sum"
    assert explorer.function == PRESETS[shown].expression and explorer.error == ""
    assert explorer.preset_dropdown.value == shown and explorer.render_count == 2
    np.testing.assert_array_equal(explorer.x, PRESETS[shown].x)


def test_arrow_keys_after_a_press_only_choose(explorer):
    page = ThrottledPage(links=[explorer.preset_button.link])
    dropdown = explorer.preset_dropdown
    page.change(dropdown, "index", 2)  # "sine"
    page.kernel_runs()
    page.press(explorer.preset_button)
    for index in (3, 4):  # then on, while the press is on its way
        page.change(dropdown, "index", index)
    page.kernel_runs()
    assert explorer.function == "sin(x)" and explorer.render_count == 2
    assert explorer.preset_dropdown.value == "polar to Cartesian"  # chosen, not loaded
    page.press(explorer.preset_button)
    page.kernel_runs()
    assert explorer.function == PRESETS["polar to Cartesian"].expression
    assert explorer.render_count == 3


# ---------------------------------------------------------------- text of any length


def test_a_formula_of_any_length_is_refused_with_a_short_message(explorer, send):
    send(explorer.function_text, {"value": "x+" * 500_000})
    assert explorer.error.startswith("the formula is too long (1000000 characters")
    assert len(explorer.error_area.value) < 2 * MAX_MESSAGE_CHARS  # an excerpt, not the text
    assert len(explorer.status.value) < 2 * MAX_MESSAGE_CHARS + 1000
    assert explorer.render_count == 1
    assert_still_renders(explorer)


def test_a_paste_of_any_length_is_refused_before_it_is_read(explorer, send):
    send(explorer.paste_text, {"value": "[" * 1_000_000})
    assert explorer.error == (
        f"pasted batch: the text is 1000000 characters long; at most {MAX_PASTE} are read"
    )
    assert explorer.paste_text.value == ""  # not kept in the kernel (or the notebook)
    assert len(explorer.error_area.value) < 2 * MAX_MESSAGE_CHARS
    np.testing.assert_array_equal(explorer.x, SEED_X)
    send(explorer.paste_text, {"value": "[[1, 2]] " + " " * MAX_PASTE})
    assert explorer.error.startswith("pasted batch: the text is")
    send(explorer.paste_text, {"value": "[[1, 2]]"})
    np.testing.assert_array_equal(explorer.x, [[1.0, 2.0]])
    assert_agrees(explorer)
    assert_still_renders(explorer)


def test_a_refused_paste_marks_the_culprit_in_the_text(explorer):
    explorer.paste_text.value = "[(1, 2], [3, 4))"
    assert "<pre" in explorer.error_area.value
    assert "[(1, 2], [3, 4))\n      ^</pre>" in explorer.error_area.value
    assert explorer.paste_text.value == "[(1, 2], [3, 4))"  # left there to fix


# ---------------------------------------------------------------- every other widget


def test_messages_to_layouts_styles_and_the_explorer_itself_are_refused(explorer, send):
    send(explorer, {"box_style": "nonsense"})
    assert_refused(explorer, "JacobianExplorer", 1)
    send(explorer.batch_size_slider.layout, {"width": 5})
    assert_refused(explorer, "Layout", 1)
    send(explorer.batch_grid.entry(1, 1).style, {"description_width": 5})
    assert_refused(explorer, "DescriptionStyle", 1)
    assert_still_renders(explorer)


# ---------------------------------------------------------------- the last resort


def test_a_bug_in_a_handler_is_shown_never_raised(explorer, monkeypatch, capfd, caplog):
    import jacviz.widget._explorer as module

    def broken(*args):
        raise RuntimeError("resize broke")

    monkeypatch.setattr(module, "resize_batch", broken)
    explorer.batch_size_slider.value = 3
    assert explorer.error == (
        "jacviz could not handle this (internal error: RuntimeError: resize broke)"
    )
    assert explorer.batch_size_slider.value == 2  # back to the state
    assert "out of date" in explorer.status.value
    monkeypatch.undo()
    assert_agrees(explorer)
    assert_still_renders(explorer)
    assert capfd.readouterr() == ("", "")
    assert not caplog.records


def test_a_bug_while_showing_is_shown_never_raised(explorer, monkeypatch, capfd):
    def broken(*args):
        raise RuntimeError("presenter broke")

    monkeypatch.setattr(explorer._presenter, "show", broken)
    explorer.function = "sin(x)"  # an assignment in code: it must not raise either
    assert explorer.error == (
        "jacviz could not show this (internal error: RuntimeError: presenter broke)"
    )
    monkeypatch.undo()
    assert_still_renders(explorer)
    assert capfd.readouterr() == ("", "")


# ---------------------------------------------------------------- the batch set in code


@pytest.mark.parametrize(
    ("x", "message"),
    [
        (np.array([[1 + 2j, 3.0]]), "the batch has complex dtype complex128; jacviz"),
        ([[1.0, 2.0j]], "the batch has complex dtype complex128"),
        (np.array([["2024-01-01", "2024-01-02"]], dtype="datetime64[D]"), "not dates"),
        (np.array([[1, 2]], dtype="timedelta64[s]"), "not time spans"),
        (np.array([["1", "2"]]), "not text (dtype <U1)"),
        ([[1.0, None]], "x[0, 1] is a NoneType, not a real number"),
        ([[10**400, 1]], "x[0, 0] is out of range"),
        (np.zeros((10**6, 2)), "the batch has shape (1000000, 2)"),
    ],
)
def test_a_batch_that_is_not_real_numbers_is_refused(explorer, x, message):
    with pytest.raises(traitlets.TraitError, match=re.escape(message)):
        explorer.x = x
    np.testing.assert_array_equal(explorer.x, SEED_X)
    assert_agrees(explorer)


def test_a_batch_of_exact_numbers_is_read():
    from fractions import Fraction

    explorer = JacobianExplorer("x**3", [[Fraction(1, 2), True], [np.int8(2), 3]])
    np.testing.assert_array_equal(explorer.x, [[0.5, 1.0], [2.0, 3.0]])
    assert explorer.x.dtype == np.float64 and explorer.error == ""


# ---------------------------------------------------------------- any sequence of messages

CONTROLS = [
    "batch_size_slider",
    "input_dim_slider",
    "map_example_slider",
    "radius_slider",
    "first_example_slider",
    "order_toggle",
    "preset_dropdown",
    "preset_button",
    "linear_map_toggle",
    "fd_checkbox",
    "scale_checkbox",
    "paste_text",
    "function_text",
    "values_checkbox",
    "large_checkbox",
]
KEYS = ["value", "min", "max", "step", "index", "selected_index", "loads"]
anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["x**2", "sin(x)", "[[1, 2], [3, 4]]", "[(1, 2]", "sum(x)", "2nd order"]),
)
messages = st.lists(
    st.tuples(
        st.sampled_from(CONTROLS),
        st.dictionaries(st.sampled_from(KEYS), anything),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messages=messages)
def test_any_sequence_of_messages_leaves_controls_and_state_agreeing(messages):
    explorer = JacobianExplorer()
    for name, state in messages:
        getattr(explorer, name).set_state(state)  # never raises
        assert_agrees(explorer)
    explorer.linear_map_toggle.value = False
    assert_still_renders(explorer)
