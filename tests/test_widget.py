"""JacobianExplorer, driven through its controls' ``.value`` like a user would.

No browser: ipywidgets work in plain pytest. Results are checked against the
engine (``jacviz.batch_jacobian`` / ``full_jacobian``) and against closed forms.
"""

import gc
import io
import json
import re
import warnings

import autograd.numpy as anp
import ipywidgets as widgets
import numpy as np
import pytest
import traitlets
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.image import imread
from saved_words import saved_words

import jacviz
from jacviz import (
    PRESETS,
    BatchCouplingWarning,
    ExpressionError,
    batch_jacobian,
    finite_difference_jacobian,
    full_jacobian,
    jacobian_formulas,
    linear_map_geometry,
    parse_function,
)
from jacviz.plotting._style import contrast_ratio
from jacviz.widget import JacobianExplorer, _batch_controls, _controls, _text, explore
from jacviz.widget._batch import (
    MAX_ABS,
    MAX_BATCH,
    MAX_INPUTS,
    as_batch,
    fill_value,
    parse_batch_text,
    resize_batch,
    shown_examples,
)
from jacviz.widget._compute import compute, finite_difference_check
from jacviz.widget._controls import CUSTOM
from jacviz.widget._explorer import DPI
from jacviz.widget._notes import status_notes
from jacviz.widget._updates import Updates

PNG = b"\x89PNG\r\n\x1a\n"
SEED_X = np.array([[4.0, 2.0], [1.0, 3.0]])


@pytest.fixture
def explorer():
    return JacobianExplorer()


def cube_jacobian(x):
    """Closed form of the seed: J[b] = diag(3 x[b]²)."""
    return np.stack([np.diag(3 * row**2) for row in np.asarray(x, dtype=float)])


def centred(x):
    """Subtract the batch mean: every output depends on every example."""
    return x - anp.mean(x, axis=0)


def assert_picture_kept(explorer, image, count, result):
    assert bytes(explorer.image.value) == image
    assert explorer.render_count == count
    np.testing.assert_array_equal(explorer.result, result)


def pixels(png):
    """RGB floats of PNG bytes, shape (H, W, 3)."""
    return imread(io.BytesIO(png))[..., :3]


def far_pixels(a, b):
    """Fraction of pixels whose colour differs by more than a quarter of the range."""
    assert a.shape == b.shape
    return float((np.abs(a - b).max(axis=-1) > 0.25).mean())


def widget_tree(widget):
    """Every widget reachable from ``widget`` through ``children`` (what is displayed)."""
    found = [widget]
    for child in getattr(widget, "children", ()):
        found += widget_tree(child)
    return found


def table_cells(html, css_class="jacviz-values"):
    """The text of every ``<td>`` in the tables of ``css_class``, in order."""
    tables = re.findall(rf"<table class='{css_class}'.*?</table>", html)
    return [cell for table in tables for cell in re.findall(r"<td[^>]*>([^<]*)</td>", table)]


# ---------------------------------------------------------------- first picture


def test_default_explorer_shows_the_seed(explorer):
    np.testing.assert_array_equal(explorer.x, SEED_X)
    np.testing.assert_allclose(explorer.result, cube_jacobian(SEED_X))
    assert bytes(explorer.image.value).startswith(PNG)
    assert explorer.error == "" and explorer.error_area.value == ""
    assert explorer.render_count == 1
    assert "x (2, 2) → y (2, 2) · J (2, 2, 2)" in explorer.status.value
    assert "render #1" in explorer.status.value
    assert isinstance(explorer, widgets.VBox)
    assert isinstance(explorer.figure, Figure)


def test_dom_hooks_of_the_contract(explorer):
    hooks = {
        "jacviz-explorer": explorer,
        "jacviz-image": explorer.image,
        "jacviz-status": explorer.status,
        "jacviz-error": explorer.error_area,
        "jacviz-function": explorer.function_text,
        "jacviz-batch-size": explorer.batch_size_slider,
        "jacviz-order": explorer.order_toggle,
    }
    tree = widget_tree(explorer)
    for name, widget in hooks.items():
        assert name in widget._dom_classes, name
        assert widget in tree, name  # displayed, not just made
        assert [w for w in tree if name in w._dom_classes] == [widget], name  # the only one
    # what the browser tests read through the hooks
    assert re.search(r"render #1\b", explorer.status.value)
    assert explorer.error_area.value == ""
    assert explorer.image.format == "png" and bytes(explorer.image.value).startswith(PNG)
    explorer.function_text.value = "x +* 2"
    assert "<b>Error:</b>" in explorer.error_area.value
    assert re.search(r"render #1\b", explorer.status.value)  # still the picture's counter


def test_every_control_has_a_description_and_a_tooltip(explorer):
    controls = [
        explorer.function_text,
        explorer.preset_dropdown,
        explorer.batch_size_slider,
        explorer.input_dim_slider,
        explorer.order_toggle,
        explorer.random_button,
        explorer.reset_button,
        explorer.paste_text,
        explorer.batch_grid.entry(0, 0),
        explorer.linear_map_toggle,
        explorer.map_example_slider,
        explorer.radius_slider,
        explorer.first_example_slider,
        explorer.fd_checkbox,
        explorer.preset_button,
        explorer.values_checkbox,
        explorer.large_checkbox,
    ]
    for control in controls:
        assert control.description, control
        assert control.tooltip, control
        assert control in widget_tree(explorer), control
        assert not getattr(control, "icon", ""), control  # no icon glyph in a name (WCAG 1.3.1)
    # named states a screen reader announces: radio buttons and checkboxes, no bare toggles
    assert isinstance(explorer.order_toggle, widgets.RadioButtons)
    assert isinstance(explorer.linear_map_toggle, widgets.Checkbox)
    sliders = (widgets.IntSlider, widgets.FloatSlider)  # their handles have no accessible name
    assert not [w for w in widget_tree(explorer) if isinstance(w, sliders)]
    assert explorer.function_text.continuous_update is False
    assert explorer.paste_text.continuous_update is False


def test_explore_builds_an_explorer():
    explorer = explore("sin(x)", [[0.0, 1.0]], order=2)
    assert isinstance(explorer, JacobianExplorer)
    assert explorer.order == 2 and explorer.order_toggle.value == 2
    # d²/dx² sin = -sin: diagonal Hessian of each output
    hess = np.zeros((1, 2, 2, 2))
    hess[0, 0, 0, 0], hess[0, 1, 1, 1] = -np.sin(0.0), -np.sin(1.0)
    np.testing.assert_allclose(explorer.result, hess, atol=1e-12)


def test_repr_tells_what_is_shown(explorer):
    assert (
        repr(explorer) == "JacobianExplorer(function='x**3', x of shape (2, 2), order=1, render #1)"
    )
    explorer.function = "sine(x)"
    assert repr(explorer).startswith("JacobianExplorer(function='sine(x)', ")
    assert "error=\"unknown function 'sine'" in repr(explorer)


def test_value_changes_reuse_the_parsed_formula_and_the_figure(explorer, monkeypatch):
    import jacviz.widget._compute as module

    parsed = []
    real_parse = module.parse_function

    def counting_parse(text, **kwargs):
        parsed.append(text)
        return real_parse(text, **kwargs)

    monkeypatch.setattr(module, "parse_function", counting_parse)
    figure = explorer.figure
    explorer.batch_grid.entry(0, 0).value = 5.0
    explorer.random_button.click()
    assert parsed == []  # only x changed
    assert explorer.figure is figure
    assert explorer._pictures.heatmap_grid.redrawn != ["all"]  # the in-place path, not a rebuild
    explorer.function = "sin(x)"
    assert parsed == ["sin(x)"]
    np.testing.assert_allclose(explorer.result, [np.diag(np.cos(r)) for r in explorer.x])


def test_exported_from_the_package():
    assert jacviz.JacobianExplorer is JacobianExplorer
    assert jacviz.explore is explore


# ---------------------------------------------------------------- the function


def test_typing_a_formula_redraws(explorer):
    first = bytes(explorer.image.value)
    explorer.function_text.value = "sin(x)"
    assert explorer.function == "sin(x)"
    np.testing.assert_allclose(explorer.result, np.stack([np.diag(np.cos(r)) for r in SEED_X]))
    assert bytes(explorer.image.value).startswith(PNG) and bytes(explorer.image.value) != first
    assert explorer.render_count == 2
    assert "\\sin" in explorer.formula_view.value


def test_setting_the_function_trait_updates_the_text_box(explorer):
    explorer.function = "[x[0]*x[1], x[0] + x[1]]"
    assert explorer.function_text.value == "[x[0]*x[1], x[0] + x[1]]"
    expected = np.array([[[x1, x0], [1.0, 1.0]] for x0, x1 in SEED_X])
    np.testing.assert_allclose(explorer.result, expected)
    np.testing.assert_allclose(explorer.result, batch_jacobian(explorer.function, SEED_X))


def test_scalar_output_shows_a_gradient(explorer):
    explorer.function = "norm(x)"
    expected = SEED_X / np.linalg.norm(SEED_X, axis=1, keepdims=True)
    np.testing.assert_allclose(explorer.result, expected)
    assert "y (2,)" in explorer.status.value


def test_a_python_function_can_be_explored():
    explorer = JacobianExplorer(function=anp.tanh, x=SEED_X)
    np.testing.assert_allclose(
        explorer.result, np.stack([np.diag(1 - np.tanh(r) ** 2) for r in SEED_X])
    )
    assert "tanh" in explorer.function_text.value


# ---------------------------------------------------------------- errors


def test_syntax_error_shows_a_caret_and_keeps_the_picture(explorer, capsys):
    image, count, result = bytes(explorer.image.value), explorer.render_count, explorer.result
    text = "x ** * 2"
    with pytest.raises(ExpressionError) as info:
        parse_function(text)
    explorer.function_text.value = text
    assert explorer.error == str(info.value)
    assert info.value.position is not None
    caret_line = " " * info.value.position + "^"
    assert "<pre" in explorer.error_area.value
    assert f"{text}\n{caret_line}</pre>" in explorer.error_area.value
    assert_picture_kept(explorer, image, count, result)
    explorer.function_text.value = "x**2"
    assert explorer.error == "" and explorer.error_area.value == ""
    np.testing.assert_allclose(explorer.result, np.stack([np.diag(2 * r) for r in SEED_X]))
    assert capsys.readouterr() == ("", "")


def test_error_text_is_escaped(explorer):
    explorer.function = "x < <b>bold</b>"
    assert explorer.error
    assert "<b>bold" not in explorer.error_area.value
    assert "&lt;b&gt;bold" in explorer.error_area.value


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("sine(x)", "sin"),  # unknown function, with a suggestion
        ("y + 1", "y"),  # unknown name
        ("x[5]", "5"),  # index out of range for n = 2
        ("x.real", "attribute"),  # not in the language
        ("W @ x", "W"),  # constant not given
    ],
)
def test_bad_formulas_show_a_message_and_keep_the_picture(explorer, capsys, text, words):
    image, count, result = bytes(explorer.image.value), explorer.render_count, explorer.result
    explorer.function_text.value = text
    assert words in explorer.error
    assert explorer.error_area.value.startswith("<div")
    assert_picture_kept(explorer, image, count, result)
    explorer.function_text.value = "x**3"
    assert explorer.error == ""
    assert explorer.render_count == count + 1
    assert capsys.readouterr() == ("", "")


def test_while_the_formula_is_bad_the_batch_still_follows_the_controls(explorer):
    explorer.function = "sine(x)"
    count = explorer.render_count
    explorer.batch_size_slider.value = 3
    assert explorer.x.shape == (3, 2)
    assert explorer.render_count == count and "sine" in explorer.error
    explorer.function = "x**3"
    np.testing.assert_allclose(explorer.result, cube_jacobian(explorer.x))


def test_nan_results_are_drawn_with_a_note(explorer, capsys):
    explorer.x = [[0.0, 1.0], [4.0, -1.0]]
    explorer.function = "sqrt(x)"
    assert explorer.error == ""
    assert explorer.render_count == 3  # new x, then new formula
    # d sqrt(x)/dx = 1 / (2 sqrt(x)): inf at 0, NaN at -1, 1/4 at 4
    assert np.isposinf(explorer.result[0, 0, 0]) and np.isnan(explorer.result[1, 1, 1])
    np.testing.assert_allclose(explorer.result[1, 0, 0], 0.25)
    engine = batch_jacobian("sqrt(x)", explorer.x)
    np.testing.assert_array_equal(explorer.result, engine)
    bad = engine.size - np.isfinite(engine).sum()
    assert f"{bad} of 8 derivative entries are NaN or inf" in explorer.status.value
    assert "f(x) itself is NaN" in explorer.status.value
    assert capsys.readouterr() == ("", "")


# ipywidgets 8.0.0-8.0.4 make their comms with ipykernel's deprecated Comm class (8.0.5 on:
# the `comm` package): ipywidgets' own warning, not jacviz's, on the CI's lowest column
IPYWIDGETS_80_COMM = "The `ipykernel.comm.Comm` class has been deprecated"


def test_coupled_examples_warn_in_the_status_line_only(capsys):
    x = [[1.0, 2.0], [3.0, 5.0]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning spilling out fails the test
        warnings.filterwarnings("ignore", IPYWIDGETS_80_COMM, DeprecationWarning)
        explorer = JacobianExplorer(function=centred, x=x)
        assert "full Jacobian" in explorer.status.value
        assert "the inputs of examples [0, 1] move the outputs of others" in explorer.status.value
        # the true diagonal blocks: d(x_b - mean)/dx_b = (1 - 1/B) I
        np.testing.assert_allclose(explorer.result, np.stack([0.5 * np.eye(2)] * 2))
        explorer.order_toggle.value = "full"
        np.testing.assert_allclose(explorer.result, full_jacobian(centred, np.array(x)))
        assert "coupled" in explorer.status.value
    explorer.function = "x**3"
    explorer.order = 1
    assert "full Jacobian" not in explorer.status.value
    assert capsys.readouterr() == ("", "")


def test_a_renderer_failing_mid_build_is_replaced_and_save_writes_the_picture_shown(
    explorer, monkeypatch, tmp_path, capsys
):
    image, count, result = bytes(explorer.image.value), explorer.render_count, explorer.result
    broken = explorer._pictures.heatmap_grid
    real_draw, calls = FigureCanvasAgg.draw, []

    def draw_once_broken(canvas, *args, **kwargs):
        calls.append(canvas)
        if len(calls) == 1:  # the new structure is half built into the live figure: now fail
            raise RuntimeError("renderer broke")
        return real_draw(canvas, *args, **kwargs)

    monkeypatch.setattr(FigureCanvasAgg, "draw", draw_once_broken)
    explorer.order_toggle.value = 2  # a new structure: the figure is rebuilt
    assert explorer.error.startswith("jacviz could not draw this (internal error: RuntimeError")
    assert_picture_kept(explorer, image, count, result)
    assert explorer._pictures.heatmap_grid is not broken  # replaced
    # the figure behind the picture is the picture on screen, not a half-built one
    saved = pixels(explorer.save(tmp_path / "shown.png", dpi=DPI).read_bytes())
    assert far_pixels(saved, pixels(image)) < 0.05
    assert far_pixels(saved, np.ones_like(saved)) > 0.05  # a blank figure would fail this
    assert len(explorer.figure.axes) == 3  # two panels and the colour bar, as shown
    explorer.order_toggle.value = 1
    explorer.order_toggle.value = 2
    assert explorer.error == "" and explorer.render_count == count + 2
    assert explorer.figure is explorer._pictures.heatmap_grid.figure
    assert capsys.readouterr() == ("", "")


def test_internal_errors_are_not_blamed_on_the_input(explorer, monkeypatch, capsys):
    image, count, result = bytes(explorer.image.value), explorer.render_count, explorer.result

    def draw(*args, **kwargs):  # what matplotlib raised for outer(x, x) at order 2
        raise ValueError("Width and height specified must be non-negative")

    monkeypatch.setattr(explorer._pictures.heatmap_grid, "draw", draw)
    explorer.function = "sin(x)"
    assert explorer.error == (
        "jacviz could not draw this (internal error: ValueError: "
        "Width and height specified must be non-negative)"
    )
    assert_picture_kept(explorer, image, count, result)
    explorer.function = "x**2"  # the replaced renderer works
    assert explorer.error == "" and explorer.render_count == count + 1
    np.testing.assert_allclose(explorer.result, np.stack([np.diag(2 * r) for r in SEED_X]))
    explorer.function = "x[7]"  # the user's input is still the user's
    assert explorer.error.startswith("index 7 is out of range")
    assert capsys.readouterr() == ("", "")


def test_a_python_function_raising_is_named_as_the_cause(capsys):
    def lookup(x):
        raise KeyError("weights")

    explorer = JacobianExplorer(function=anp.sin, x=SEED_X)
    explorer.function = lookup
    assert explorer.error == "your function raised KeyError: 'weights'"
    assert explorer.render_count == 1
    assert capsys.readouterr() == ("", "")


def test_the_status_says_when_the_picture_is_out_of_date(explorer):
    explorer.function = "[x[0]*x[1], x[0] + x[1]]"
    explorer.batch_size_slider.value = 3
    good = explorer.render_count
    explorer.input_dim_slider.value = 1
    assert explorer.x.shape == (3, 1) and explorer.input_dim_slider.value == 1
    status = explorer.status.value
    assert "jacviz-stale" in status and "out of date" in status
    assert "last good state (f(x) = [x[0]*x[1], x[0] + x[1]], x (3, 2), 1st order)" in status
    assert "index 1 is out of range" in explorer.error_area.value  # why, said once:
    assert "index 1 is out of range" not in status and "the error above" in status
    assert f"render #{good}" in status and "x (3, 2) → y (3, 2) · J (3, 2, 2)" in status
    explorer.input_dim_slider.value = 2
    assert explorer.error == "" and "out of date" not in explorer.status.value
    assert "x (3, 2)" in explorer.status.value and f"render #{good + 1}" in explorer.status.value


def test_a_refused_paste_does_not_call_the_picture_out_of_date(explorer):
    explorer.paste_text.value = "[[1, 2]"
    assert explorer.error.startswith("pasted batch:")
    assert "out of date" not in explorer.status.value  # the picture is still of x


def test_invalid_batch_set_in_code_raises_a_trait_error(explorer):
    for bad in (None, [1.0, 2.0], [[np.nan, 1.0]], np.zeros((17, 2)), [["a", "b"]], [[1, 2], [3]]):
        with pytest.raises(traitlets.TraitError):
            explorer.x = bad
    np.testing.assert_array_equal(explorer.x, SEED_X)


def test_invalid_order_raises_a_trait_error(explorer):
    for bad in (3, "second", True, None):
        with pytest.raises(traitlets.TraitError):
            explorer.order = bad
    assert explorer.order == 1


def test_a_non_finite_entry_is_refused_and_the_box_restored(explorer):
    count = explorer.render_count
    explorer.batch_grid.entry(0, 1).value = float("inf")
    assert "finite" in explorer.error
    assert explorer.batch_grid.entry(0, 1).value == 2.0
    np.testing.assert_array_equal(explorer.x, SEED_X)
    assert explorer.render_count == count
    explorer.batch_grid.entry(0, 1).value = 1.0
    assert explorer.error == ""
    np.testing.assert_allclose(explorer.result[0], np.diag([48.0, 3.0]))


# ---------------------------------------------------------------- the batch


def test_batch_size_up_and_down_keeps_values(explorer):
    explorer.batch_size_slider.value = 4
    assert explorer.x.shape == (4, 2)
    np.testing.assert_array_equal(explorer.x[:2], SEED_X)
    np.testing.assert_array_equal(
        explorer.x[2:], [[fill_value(b, j) for j in (0, 1)] for b in (2, 3)]
    )
    np.testing.assert_allclose(explorer.result, cube_jacobian(explorer.x))
    assert "render #2" in explorer.status.value and "x (4, 2)" in explorer.status.value
    explorer.batch_size_slider.value = 1
    np.testing.assert_array_equal(explorer.x, SEED_X[:1])
    np.testing.assert_allclose(explorer.result, cube_jacobian(SEED_X[:1]))


def test_input_dim_up_and_down_keeps_values(explorer):
    explorer.input_dim_slider.value = 3
    assert explorer.x.shape == (2, 3)
    np.testing.assert_array_equal(explorer.x[:, :2], SEED_X)
    explorer.input_dim_slider.value = 1
    np.testing.assert_array_equal(explorer.x, SEED_X[:, :1])
    np.testing.assert_allclose(explorer.result, cube_jacobian(SEED_X[:, :1]))


def test_grid_boxes_follow_the_shape(explorer):
    grid = explorer.batch_grid
    boxes = [c for c in grid.box.children if isinstance(c, widgets.FloatText)]
    assert [box.value for box in boxes] == [4.0, 2.0, 1.0, 3.0]
    explorer.batch_size_slider.value = 3
    explorer.input_dim_slider.value = 3
    boxes = [c for c in grid.box.children if isinstance(c, widgets.FloatText)]
    assert [box.value for box in boxes] == list(explorer.x.ravel())
    assert len(boxes) == 9
    explorer.batch_size_slider.value = 2
    explorer.input_dim_slider.value = 2
    assert grid.entry(0, 0) in grid.box.children  # the same boxes are reused
    assert grid.entry(2, 2) not in grid.box.children


def test_editing_an_entry_redraws(explorer):
    first = bytes(explorer.image.value)
    explorer.batch_grid.entry(1, 0).value = 2.0
    np.testing.assert_array_equal(explorer.x, [[4.0, 2.0], [2.0, 3.0]])
    np.testing.assert_allclose(explorer.result[1], np.diag([12.0, 27.0]))
    assert bytes(explorer.image.value) != first


def test_setting_x_in_code_updates_the_controls(explorer):
    explorer.x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assert explorer.batch_size_slider.value == 3
    assert explorer.input_dim_slider.value == 3
    assert explorer.batch_grid.entry(2, 1).value == 8.0
    assert explorer.x.dtype == np.float64
    np.testing.assert_allclose(explorer.result, cube_jacobian(explorer.x))


def test_random_batch_and_reset(explorer):
    explorer.random_button.click()
    random_x = explorer.x
    assert random_x.shape == (2, 2)
    assert not np.array_equal(random_x, SEED_X)
    assert np.all(np.abs(random_x) <= 2.0)
    np.testing.assert_allclose(explorer.result, cube_jacobian(random_x))
    explorer.random_button.click()
    assert not np.array_equal(explorer.x, random_x)
    # seeded per instance: a new explorer draws the same first batch
    other = JacobianExplorer()
    other.random_button.click()
    np.testing.assert_array_equal(other.x, random_x)
    explorer.batch_size_slider.value = 5
    explorer.reset_button.click()
    np.testing.assert_array_equal(explorer.x, SEED_X)
    assert explorer.batch_size_slider.value == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[1, 2, 3]]", [[1.0, 2.0, 3.0]]),
        ("[[0.5], [-1], [2e1]]", [[0.5], [-1.0], [20.0]]),
        ("  ((1, 2), (3, 4))  ", [[1.0, 2.0], [3.0, 4.0]]),
        ("[[4. 2.]\n [1. 3.]]", [[4.0, 2.0], [1.0, 3.0]]),  # numpy's print format
        ("array([[4., 2.],\n       [1., 3.]])", [[4.0, 2.0], [1.0, 3.0]]),  # numpy's repr
        ("[[1 -2.5e-1]]", [[1.0, -0.25]]),
    ],
)
def test_pasting_a_batch(explorer, text, expected):
    explorer.paste_text.value = text
    np.testing.assert_array_equal(explorer.x, expected)
    shape = (explorer.batch_size_slider.value, explorer.input_dim_slider.value)
    assert shape == np.shape(expected)
    np.testing.assert_allclose(explorer.result, cube_jacobian(expected))
    assert explorer.paste_text.value == ""  # ready for the next paste


@pytest.mark.parametrize(
    "text",
    [
        "[[1, 2], [3]]",
        "[1, 2]",
        "[[1e999, 0]]",
        "[[True, 2]]",
        "[['a', 2]]",
        "__import__('os').system('echo pwned')",
        "[[1, 2]] + [[3, 4]]",
        "{'a': 1}",
        "[[" + ", ".join(["1"] * 9) + "]]",
        "[[1, 2]",
        "[[1,, 2]]",
        "[[1, 2]] [[3, 4]]",
        "[" * 10 + "1" + "]" * 10,
        "array([[1, 2]]).sum()",
        "[[nan, 1]]",
    ],
)
def test_bad_pastes_show_a_message_and_lose_nothing(explorer, capfd, text):
    image, count, result = bytes(explorer.image.value), explorer.render_count, explorer.result
    explorer.paste_text.value = text
    assert explorer.error.startswith("pasted batch:")
    assert explorer.error_area.value
    np.testing.assert_array_equal(explorer.x, SEED_X)
    assert explorer.paste_text.value == text  # left there to fix
    assert_picture_kept(explorer, image, count, result)
    assert capfd.readouterr() == ("", "")  # nothing ran: no "pwned" on the real stdout


def test_x_and_result_cannot_be_changed_behind_the_explorers_back(explorer):
    with pytest.raises(ValueError, match="read-only"):
        explorer.x[0, 0] = 100.0
    with pytest.raises(ValueError, match="read-only"):
        explorer.result[0, 0, 0] = 100.0
    np.testing.assert_array_equal(explorer.x, SEED_X)
    np.testing.assert_allclose(explorer.result, cube_jacobian(SEED_X))
    x = explorer.x.copy()  # the way to change it: a copy, set back
    x[0, 0] = 5.0
    explorer.x = x
    np.testing.assert_allclose(explorer.result[0], np.diag([75.0, 12.0]))


def test_setting_an_equal_batch_does_not_redraw(explorer):
    count = explorer.render_count
    explorer.x = SEED_X.copy()
    explorer.x = [[4, 2], [1, 3]]
    assert explorer.render_count == count
    explorer.x = [[4, 2], [1, 4]]
    assert explorer.render_count == count + 1


@pytest.mark.parametrize("bad", [MAX_ABS * 1.5, -MAX_ABS * 10])
def test_an_entry_out_of_range_is_refused_with_the_range(explorer, bad):
    count = explorer.render_count
    explorer.batch_grid.entry(1, 0).value = bad
    assert explorer.error == (
        f"x[1, 0] = {bad:g} is out of range: entries must lie between -1e+06 and 1e+06"
    )
    assert explorer.batch_grid.entry(1, 0).value == 1.0  # restored
    np.testing.assert_array_equal(explorer.x, SEED_X)
    assert explorer.render_count == count
    explorer.batch_grid.entry(1, 0).value = MAX_ABS  # the bound itself is fine
    assert explorer.error == ""
    np.testing.assert_allclose(explorer.result[1, 0, 0], 3 * MAX_ABS**2)


def test_batch_window_chooses_which_eight_examples_are_drawn(explorer):
    slider = explorer.first_example_slider
    assert slider.layout.display == "none"  # B = 2: every example is drawn
    explorer.batch_size_slider.value = MAX_BATCH
    assert slider.layout.display is None and slider.max == MAX_BATCH - 8
    assert "the picture shows examples 0–7 of 16" in explorer.status.value
    first = bytes(explorer.image.value)
    slider.value = 8
    assert "the picture shows examples 8–15 of 16" in explorer.status.value
    assert bytes(explorer.image.value) != first
    assert explorer.result.shape == (16, 2, 2)  # the result is still the whole batch
    assert "not in the picture" in explorer.batch_grid.row_label(0).tooltip
    assert explorer.batch_grid.row_label(8).tooltip == "example 8"
    # editing an example that is not drawn brings it into the picture
    explorer.batch_grid.entry(2, 1).value = 0.5
    assert slider.value == 2 and "examples 2–9 of 16" in explorer.status.value
    np.testing.assert_allclose(explorer.result[2, 1, 1], 0.75)
    explorer.batch_grid.entry(12, 0).value = 0.5
    assert slider.value == 5 and "examples 5–12 of 16" in explorer.status.value
    explorer.order = "full"  # the full view draws every example
    assert slider.layout.display == "none" and "the picture shows" not in explorer.status.value
    assert explorer.batch_grid.row_label(0).tooltip == "example 0"
    explorer.order = 1
    explorer.linear_map_toggle.value = True  # one example, chosen by its own slider
    assert slider.layout.display == "none" and "the picture shows" not in explorer.status.value
    assert explorer.batch_grid.row_label(0).tooltip == "example 0"
    assert explorer.batch_grid.row_label(5).tooltip == (
        'example 5 is not in the picture: choose it with "example b"'
    )
    explorer.batch_grid.entry(14, 1).value = 1.0  # editing an example draws its map
    assert explorer.map_example_slider.value == 14
    assert fill_value(14, 0) == 1.0  # so J[14] = diag(3, 3)
    assert "linear map around x[14] = [1, 1]: det J[14] = 9," in explorer.status.value
    assert explorer.batch_grid.row_label(14).tooltip == "example 14"
    explorer.linear_map_toggle.value = False
    assert slider.layout.display is None and "examples 5–12 of 16" in explorer.status.value
    explorer.batch_size_slider.value = 4
    assert slider.value == 0 and slider.layout.display == "none"
    assert "the picture shows" not in explorer.status.value


def test_shown_examples_window():
    assert shown_examples(8, 3) == tuple(range(8))
    assert shown_examples(16, 99) == tuple(range(8, 16))
    assert shown_examples(9, -1) == tuple(range(8))


def test_coupling_note_names_the_examples_and_fits_a_batch_of_one():
    def caught(message):
        with warnings.catch_warnings(record=True) as records:
            warnings.simplefilter("always")
            warnings.warn(message, BatchCouplingWarning, stacklevel=1)
        return records

    message = "examples of the batch influence each other: the inputs of examples [0, 1] move"
    two = status_notes(caught(message), np.ones((2, 2)), np.ones((2, 2, 2)), 1)
    assert two == [
        "the examples influence each other (the inputs of examples [0, 1] move the outputs of "
        'others), so the per-example blocks are not the whole story: choose "full Jacobian" '
        "to see the off-diagonal blocks."
    ]
    one = status_notes(caught(message), np.ones((1, 2)), np.ones((1, 2, 2)), 1)
    assert len(one) == 1 and "to see the off-diagonal blocks" not in one[0]
    assert "with one example there are no off-diagonal blocks" in one[0]
    assert "stacks copies of x, is not valid for such f" in one[0]


# ---------------------------------------------------------------- order


def test_order_toggle(explorer):
    explorer.order_toggle.value = 2
    assert explorer.order == 2
    np.testing.assert_allclose(explorer.result, batch_jacobian("x**3", SEED_X, order=2))
    assert explorer.result[0, 0, 0, 0] == 24.0  # d²(x³)/dx² = 6x at x = 4
    assert "H (2, 2, 2, 2)" in explorer.status.value
    explorer.order_toggle.value = "full"
    assert explorer.order == "full"
    full = full_jacobian("x**3", SEED_X)
    np.testing.assert_allclose(explorer.result, full)
    assert np.all(full[0, :, 1] == 0) and np.all(full[1, :, 0] == 0)
    assert "full J (2, 2, 2, 2)" in explorer.status.value
    explorer.order = 1
    assert explorer.order_toggle.value == 1
    np.testing.assert_allclose(explorer.result, cube_jacobian(SEED_X))
    assert explorer.render_count == 4


def panels_of(fig):
    """The heatmap panels of a figure (the colour bar left out)."""
    return [ax for ax in fig.axes if ax.images and ax.get_label() != "<colorbar>"]


def test_a_colour_scale_per_output_for_hessians_of_several_outputs():
    two = "[x[0]**2 * x[1], 100 * x[0] * x[1]**3]"  # output 1's Hessians 100x output 0's
    explorer = JacobianExplorer(two, [[1.0, 2.0], [0.5, -1.0]], order=2)
    box = explorer.scale_checkbox
    assert not box.disabled and box.value is False and box.description == "colour scale per output"
    shared = panels_of(explorer.figure)
    assert shared[0].images[0].get_clim() == (-1200.0, 1200.0)  # one scale: output 0 pale
    box.value = True
    fig, hess = explorer.figure, explorer.result
    for k, ax in enumerate(panels_of(fig)):  # each output on its own limit: 4 and 1200
        b, i = divmod(k, 2)
        np.testing.assert_allclose(ax.images[0].get_array() * [4.0, 1200.0][i], hess[b, i])
    words = [t.get_text() for t in fig.texts]
    assert "∂²f₀  L₀ = 4" in words and "∂²f₁  L₁ = 1.2e3" in words  # on the picture itself
    assert "colours: each output on its own scale" in explorer.status.value
    assert "coloured on a scale of their own" in explorer.image.tooltip
    still = explorer.snapshot()
    assert still.png == bytes(explorer.image.value) and "each output on its own scale" in still.alt
    count = explorer.render_count
    explorer.batch_grid.entry(1, 0).value = 0.25  # a value edit refills the same view
    assert explorer.render_count == count + 1 and explorer.figure is fig
    explorer.order = 1  # a Jacobian block keeps one scale: its rows are read together
    assert box.disabled and box.value is True and "own scale" not in explorer.status.value
    assert "keeps one scale" in box.tooltip
    explorer.function = "sum(x**3)"  # one output: nothing to set apart
    explorer.order = 2
    assert box.disabled and "own scale" not in explorer.status.value
    explorer.order = 1


# ---------------------------------------------------------------- presets


@pytest.mark.parametrize("name", list(PRESETS))
def test_each_preset_renders(name, capsys):
    explorer = JacobianExplorer("x**2", [[0.5, 0.25]])  # no preset's formula or batch
    preset = PRESETS[name]
    explorer.preset_dropdown.value = name
    explorer.preset_button.click()
    assert explorer.error == ""
    assert explorer.function == preset.expression
    assert explorer.function_text.value == preset.expression
    np.testing.assert_array_equal(explorer.x, preset.x)
    f = parse_function(preset.expression, constants=preset.constants, data=preset.data)
    np.testing.assert_allclose(explorer.result, batch_jacobian(f, preset.x))
    assert preset.note in explorer.note.value
    assert explorer.render_count == 2  # one picture for the whole preset
    assert explorer.formula_view.value.startswith("$$f(x) = ")
    explorer.order = 2
    assert explorer.error == ""
    np.testing.assert_allclose(explorer.result, batch_jacobian(f, preset.x, order=2), atol=1e-12)
    assert capsys.readouterr() == ("", "")


def test_the_preset_dropdown_follows_the_formula_so_a_preset_can_be_applied_again(explorer):
    rotation = PRESETS["rotation"]
    explorer.preset_dropdown.value = "rotation"
    explorer.preset_button.click()
    assert explorer.function == "A @ x" and rotation.note in explorer.note.value
    explorer.batch_grid.entry(0, 0).value = 3.0  # a new batch keeps the preset's formula
    assert explorer.preset_dropdown.value == "rotation"
    explorer.function_text.value = "x**3"
    assert explorer.preset_dropdown.value == CUSTOM and explorer.note.value == ""
    explorer.preset_dropdown.value = "rotation"
    explorer.preset_button.click()
    assert explorer.function == "A @ x" and explorer.error == ""
    np.testing.assert_array_equal(explorer.x, rotation.x)
    np.testing.assert_allclose(explorer.result, [np.array(rotation.constants["A"])] * 3)
    explorer.constants = {"A": [[2.0, 0.0], [0.0, 2.0]]}  # other constants: no longer the preset
    assert explorer.preset_dropdown.value == CUSTOM


def test_reset_after_a_preset_restores_the_preset_batch(explorer):
    explorer.preset_dropdown.value = "polar to Cartesian"
    explorer.preset_button.click()
    explorer.random_button.click()
    explorer.reset_button.click()
    np.testing.assert_array_equal(explorer.x, PRESETS["polar to Cartesian"].x)


def test_constants_can_be_given():
    explorer = JacobianExplorer("A @ x", [[1.0, 2.0]], constants={"A": [[0, 1], [2, 0]]})
    np.testing.assert_allclose(explorer.result, [[[0.0, 1.0], [2.0, 0.0]]])


# ---------------------------------------------------------------- values table


def test_values_table(explorer):
    assert explorer.values_checkbox.value is False  # closed at first
    explorer.values_checkbox.value = True
    table = explorer.values_table.value
    assert table.count("<table class='jacviz-values'") == 2
    assert "example 0: x = [4, 2]" in table and "example 1: x = [1, 3]" in table
    assert table_cells(table) == ["48", "0", "0", "12", "3", "0", "0", "27"]
    explorer.order = 2
    table = explorer.values_table.value
    assert table.count("<table class='jacviz-values'") == 4  # one Hessian per example and output
    assert "<td>24</td>" in table and "<td>18</td>" in table
    explorer.order = "full"
    assert explorer.values_table.value.count("<table class='jacviz-values'") == 1
    assert len(table_cells(explorer.values_table.value)) == 16


def test_values_table_lists_every_number_of_the_largest_batch():
    x = np.linspace(-1.0, 1.0, 16 * 8).reshape(16, 8)  # the explorer's largest batch
    explorer = JacobianExplorer("sin(x) * x[0]", x, order=2)
    explorer.values_checkbox.value = True
    cells = [float(c) for c in table_cells(explorer.values_table.value)]
    assert len(cells) == 16 * 8 * 8 * 8  # every Hessian entry: 8192 numbers, none left out
    np.testing.assert_allclose(cells, explorer.result.ravel(), rtol=2e-3, atol=1e-12)
    explorer.order = "full"
    assert len(table_cells(explorer.values_table.value)) == 16 * 8 * 16 * 8


def test_values_table_too_long_lists_the_first_examples_and_says_which_are_left_out():
    x = np.ones((16, 8))
    explorer = JacobianExplorer("outer(x, x)", x, order=2)  # 64 outputs x 8 x 8 = 4096 per example
    explorer.values_checkbox.value = True
    table = explorer.values_table.value
    assert len(table_cells(table)) == 4 * 64 * 8 * 8  # 4 examples of 4096 numbers fit
    assert "example 3: x = " in table and "example 4: x = " not in table
    assert "Examples 4 to 15 are not listed: 4096 numbers each" in table
    explorer.order = "full"  # one table only: nothing is listed rather than a part of it
    assert table_cells(explorer.values_table.value) == []
    assert "more than the 16384 this table lists" in explorer.values_table.value


def test_coupled_examples_are_said_in_the_picture_words():
    explorer = JacobianExplorer(function=centred, x=[[1.0, 2.0], [3.0, 5.0]])
    assert "Warning: the examples influence each other" in explorer.image.tooltip
    explorer.function = "x**3"
    assert "influence each other" not in explorer.image.tooltip


def test_values_table_after_an_error_shows_the_last_good_result(explorer, capsys):
    explorer.function = "sine(x)"
    explorer.order = 2
    explorer.values_checkbox.value = True  # raised "cannot reshape" before
    assert table_cells(explorer.values_table.value) == ["48", "0", "0", "12", "3", "0", "0", "27"]
    explorer.order = "full"
    assert table_cells(explorer.values_table.value) == ["48", "0", "0", "12", "3", "0", "0", "27"]
    explorer.function = "sin(x)"
    cells = [float(c) for c in table_cells(explorer.values_table.value)]
    np.testing.assert_allclose(
        cells, full_jacobian("sin(x)", SEED_X).reshape(4, 4).ravel(), atol=5e-4
    )
    assert capsys.readouterr() == ("", "")


def test_values_table_shows_the_formula_of_each_entry(explorer):
    explorer.function = "[x[0]*x[1], sin(x[0])]"
    explorer.values_checkbox.value = True
    table = explorer.values_table.value
    expected = [[entry.source for entry in row] for row in jacobian_formulas(explorer.function, 2)]
    assert expected == [["x[1]", "x[0]"], ["cos(x[0])", "0"]]
    assert table_cells(table, "jacviz-formulas") == [f for row in expected for f in row]
    # each number carries its formula as tooltip, and the formula gives the number back
    for b, x_b in enumerate(SEED_X):
        for i, row in enumerate(expected):
            for j, source in enumerate(row):
                value = (
                    float(np.squeeze(parse_function(source)(x_b[None]))) if source != "0" else 0.0
                )
                assert f"<td title='{source}'>{value + 0.0:.4g}</td>" in table
                np.testing.assert_allclose(explorer.result[b, i, j], value)


def test_formulas_are_derived_once_per_formula_and_n(explorer, monkeypatch):
    import jacviz.widget._compute as module

    calls = []
    real = module.jacobian_formulas

    def counting(function, n, **kwargs):
        calls.append(n)
        return real(function, n, **kwargs)

    monkeypatch.setattr(module, "jacobian_formulas", counting)
    explorer.values_checkbox.value = True
    for value in (1.0, 2.0, 3.0):
        explorer.batch_grid.entry(0, 0).value = value
    explorer.random_button.click()
    assert calls == [2]
    explorer.input_dim_slider.value = 3
    assert calls == [2, 3]
    assert "<td>3*x[2]**2</td>" in explorer.values_table.value
    explorer.function = "sin(x)"
    assert calls == [2, 3, 3]


@pytest.mark.parametrize(
    ("function", "order", "note"),
    [
        ("max(x)", 1, "no formulas: max has no single derivative formula"),
        (anp.sin, 1, "formulas are shown for formula text, not for Python functions"),
        ("x**3", 2, "formulas are shown for the 1st-order Jacobian"),
    ],
)
def test_formulas_that_cannot_be_shown_get_a_short_note(function, order, note, capsys):
    explorer = JacobianExplorer(function, SEED_X, order=order)
    explorer.values_checkbox.value = True
    assert explorer.error == ""
    assert note in explorer.values_table.value
    assert "jacviz-formulas" not in explorer.values_table.value
    assert table_cells(explorer.values_table.value)  # the numbers are still there
    assert capsys.readouterr() == ("", "")


# ---------------------------------------------------------------- teaching views

POLAR = PRESETS["polar to Cartesian"]


@pytest.fixture
def polar():
    explorer = JacobianExplorer()
    explorer.preset_dropdown.value = "polar to Cartesian"
    explorer.preset_button.click()
    return explorer


def test_linear_map_is_offered_only_for_two_inputs_and_two_outputs(explorer):
    toggle = explorer.linear_map_toggle
    assert not toggle.disabled  # x**3 with n = 2: a map of the plane
    explorer.function = "sum(x**2)"
    assert toggle.disabled
    assert toggle.tooltip == (
        "the linear-map view needs 2 inputs and 2 outputs per example; "
        "now x is (2, 2) and f(x) is (2,)."
    )
    explorer.function = "x**3"
    explorer.input_dim_slider.value = 3
    assert toggle.disabled and "now x is (2, 3) and f(x) is (2, 3)" in toggle.tooltip


def test_linear_map_view_draws_the_map_and_its_linearisation(polar, capsys):
    heatmaps = bytes(polar.image.value)
    polar.linear_map_toggle.value = True
    assert polar.error == ""
    assert bytes(polar.image.value).startswith(PNG) and bytes(polar.image.value) != heatmaps
    assert polar.map_row.layout.display is None and polar.order_toggle.disabled
    f = parse_function(POLAR.expression)
    np.testing.assert_allclose(polar.result, batch_jacobian(f, POLAR.x))
    # the figure is plot_linear_map's: its curves are f and the linearisation around x[0]
    geometry = linear_map_geometry(f, POLAR.x, example=0, radius=0.5)
    images = [line for line in polar.figure.axes[1].lines if line.get_gid() == "image"]
    linear = [line for line in polar.figure.axes[1].lines if line.get_gid() == "linear"]
    np.testing.assert_allclose(np.stack([line.get_xydata() for line in images]), geometry.y)
    np.testing.assert_allclose(np.stack([line.get_xydata() for line in linear]), geometry.y_linear)
    assert "linear map around x[0] = [1, 0]: det J[0] = 1," in polar.status.value  # det = r
    polar.map_example_slider.value = 1
    assert "det J[1] = 2, so f scales small areas near x[1] by 2" in polar.status.value
    before = bytes(polar.image.value)
    polar.radius_slider.value = 1.0
    assert bytes(polar.image.value) != before
    geometry = linear_map_geometry(f, POLAR.x, example=1, radius=1.0)
    images = [line for line in polar.figure.axes[1].lines if line.get_gid() == "image"]
    np.testing.assert_allclose(np.stack([line.get_xydata() for line in images]), geometry.y)
    polar.linear_map_toggle.value = False
    assert polar.map_row.layout.display == "none" and not polar.order_toggle.disabled
    assert polar.figure is polar._pictures.heatmap_grid.figure
    assert "linear map" not in polar.status.value
    assert capsys.readouterr() == ("", "")


def test_linear_map_of_an_undefined_jacobian_says_so(capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing may spill, not even a RuntimeWarning of det
        warnings.filterwarnings("ignore", IPYWIDGETS_80_COMM, DeprecationWarning)
        explorer = JacobianExplorer("sqrt(x)", [[0.0, 1.0], [4.0, 1.0]])
        explorer.linear_map_toggle.value = True
        assert explorer.error == ""
        assert "det J[0] is undefined here (J[0] has NaN or inf entries)" in explorer.status.value
        explorer.map_example_slider.value = 1
        assert "det J[1] = 0.125, so f scales small areas near x[1] by 0.125" in (
            explorer.status.value
        )  # d sqrt/dx = 1 / (2 sqrt x): 1/4 · 1/2
    assert capsys.readouterr() == ("", "")


def test_linear_map_view_closes_when_f_stops_fitting_it(polar):
    polar.linear_map_toggle.value = True
    polar.order = 2
    assert polar.result.shape == (3, 2, 2)  # the map view shows J whatever the order
    polar.function = "sum(x**2)"
    assert polar.error == "" and polar.linear_map_toggle.value is False
    assert polar.linear_map_toggle.disabled
    np.testing.assert_allclose(polar.result, batch_jacobian("sum(x**2)", POLAR.x, order=2))
    assert "now x is (3, 2) and f(x) is (3,): back to the heatmaps." in polar.status.value


def test_linear_map_figure_is_reused(polar):
    polar.linear_map_toggle.value = True
    figure = polar.figure
    figures = _live_figures()
    for step in range(10):
        polar.radius_slider.value = 0.1 + step / 10
        polar.linear_map_toggle.value = step % 2 == 0
    polar.linear_map_toggle.value = True
    assert polar.figure is figure
    assert _live_figures() == figures


def test_linear_map_saves_what_is_shown(polar, tmp_path):
    polar.linear_map_toggle.value = True
    saved = pixels(polar.save(tmp_path / "map.png", dpi=DPI).read_bytes())
    assert far_pixels(saved, pixels(bytes(polar.image.value))) < 0.01  # the same drawing


def fd_errors(f, x, order):
    """Per-example max |autodiff − central finite differences|, the table's numbers."""
    auto = batch_jacobian(f, x, order=order).reshape(len(x), -1)
    fd = finite_difference_jacobian(f, x, order=order).reshape(len(x), -1)
    return np.abs(auto - fd).max(axis=1)


@pytest.mark.parametrize("order", [1, 2])
def test_finite_difference_check_shows_the_error_per_example(explorer, order):
    explorer.order = order
    count = explorer.render_count
    assert explorer.fd_view.layout.display == "none"
    explorer.fd_checkbox.value = True
    assert explorer.render_count == count  # a table, no new picture
    assert explorer.fd_view.layout.display is None
    errors = fd_errors("x**3", SEED_X, order)
    assert np.all((errors > 0) & (errors < 1e-3))  # finite differences are close, not exact
    cells = table_cells(explorer.fd_view.value, "jacviz-fd-table")
    assert cells[0::2] == [f"{e:.2g}" for e in errors]
    scale = np.abs(batch_jacobian("x**3", SEED_X, order=order)).reshape(2, -1).max(axis=1)
    assert cells[1::2] == [f"{v:.2g}" for v in scale]
    assert f"order {order}" in explorer.fd_view.value
    explorer.batch_grid.entry(0, 0).value = 2.0  # it follows the batch
    errors = fd_errors("x**3", explorer.x, order)
    assert table_cells(explorer.fd_view.value, "jacviz-fd-table")[0::2] == [
        f"{e:.2g}" for e in errors
    ]
    explorer.fd_checkbox.value = False
    assert explorer.fd_view.layout.display == "none"


def test_finite_difference_check_of_the_full_view_compares_the_diagonal_blocks(explorer):
    explorer.order = "full"
    explorer.fd_checkbox.value = True
    cells = table_cells(explorer.fd_view.value, "jacviz-fd-table")
    assert cells[0::2] == [f"{e:.2g}" for e in fd_errors("x**3", SEED_X, 1)]


def test_finite_difference_check_declines_for_coupled_examples():
    explorer = JacobianExplorer(function=centred, x=[[1.0, 2.0], [3.0, 5.0]])
    explorer.fd_checkbox.value = True
    assert "assume the examples are independent" in explorer.fd_view.value
    assert "jacviz-fd-table" not in explorer.fd_view.value and explorer.error == ""


def test_finite_difference_check_over_its_budget_is_a_note_not_an_error():
    # one output of 2,000 inputs: one reverse pass, but 4,000 shifted copies of the batch
    f = parse_function("sum(sin(x) * cos(x))")
    outcome = compute(f, np.ones((16, 2000)), 1)
    note = finite_difference_check(f, outcome)
    assert note.startswith(
        "finite differences not computed: the finite-difference Jacobian of 16 examples would "
        "compute about"
    )
    assert outcome.flat.shape == (16, 1, 2000)


# ---------------------------------------------------------------- saving


@pytest.mark.parametrize(
    ("suffix", "magic"), [(".png", PNG), (".svg", b"<?xml"), (".pdf", b"%PDF")]
)
def test_save(explorer, tmp_path, suffix, magic):
    path = explorer.save(tmp_path / f"picture{suffix}")
    assert path.read_bytes().startswith(magic)
    assert bytes(explorer.image.value).startswith(PNG)  # the live picture is untouched


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_a_saved_picture_carries_its_words_with_the_numbers(explorer, tmp_path, suffix):
    title, words = saved_words(explorer.save(tmp_path / f"picture{suffix}"))
    assert words == explorer.image.tooltip
    assert title == (
        "Heatmaps of the per-example Jacobians J[b], shape (2, 2, 2), examples 0 to 1 of 2"
    )
    assert "J[0] rows: [48, 0], [0, 12]" in words and "J[1] rows: [3, 0], [0, 27]" in words


def test_save_before_any_picture_explains():
    explorer = JacobianExplorer("sine(x)")
    assert explorer.figure is None and bytes(explorer.image.value) == b""
    with pytest.raises(ValueError, match="nothing drawn yet"):
        explorer.save("never.png")


# ---------------------------------------------------------------- soak


def _live_figures():
    gc.collect()
    return sum(isinstance(obj, Figure) for obj in gc.get_objects())


def test_soak_keeps_figures_and_artists_constant(explorer):
    entry = explorer.batch_grid.entry(0, 0)
    entry.value = 1.0
    figures, artists = _live_figures(), len(explorer.figure.findobj())
    for step in range(300):
        entry.value = 1.0 + (step % 20 + 1) / 10  # differs from the value before
        if step % 50 == 0:
            explorer.function = "x**2" if step % 100 else "sin(x)"
    assert explorer.render_count == 302 + 6
    assert len(explorer.figure.findobj()) == artists
    assert _live_figures() == figures


# ---------------------------------------------------------------- batch helpers


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[nan, 1]]", "pasted batch: x[0, 0] is nan: every entry must be a finite number"),
        ("[[1, -inf]]", "pasted batch: x[0, 1] is -inf: every entry must be a finite number"),
        ("[[1, 2e7]]", "pasted batch: x[0, 1] = 2e+07 is out of range: entries must lie"),
        ("[[True, 2]]", "pasted batch: cannot read 'T' at column 3: paste a nested list of"),
        ("[(1, 2], [3, 4))", "pasted batch: ']' at column 7 does not close the '(' at column 2"),
        ("[[1, 2], [3, 4]", "pasted batch: the '[' at column 1 is never closed"),
        ("[[1, 2]] [[3, 4]]", "pasted batch: a second list at column 10: paste a nested list"),
        ("[[1, ٣]]", "pasted batch: '٣' at column 6 is not one of the digits 0-9"),  # Arabic-Indic
        ("[[1, ２]]", "pasted batch: '２' at column 6 is not one of the digits 0-9"),  # full-width
        ("[[1, 2],\n [3 x]]", "pasted batch: cannot read 'x' at line 2, column 5: paste"),
    ],
)
def test_a_bad_paste_says_what_is_wrong(explorer, text, message):
    explorer.paste_text.value = text
    assert explorer.error.startswith(message)


def test_batch_helpers():
    np.testing.assert_array_equal(as_batch([[1, 2]]), [[1.0, 2.0]])
    with pytest.raises(ValueError, match="2-D"):
        as_batch([[[1.0]]])
    with pytest.raises(ValueError, match="numbers"):
        as_batch("[[1, 2]]")
    np.testing.assert_array_equal(parse_batch_text("[[1, 2.5]]"), [[1.0, 2.5]])
    with pytest.raises(ValueError, match="5000 characters long; at most 4000 are read"):
        parse_batch_text("[" * 5000)
    grown = resize_batch(SEED_X, 3, 3)
    assert grown.shape == (3, 3)
    np.testing.assert_array_equal(grown[:2, :2], SEED_X)
    assert grown[2, 2] == fill_value(2, 2) and grown[0, 2] == fill_value(0, 2)


def test_setting_constants_reparses_the_formula():
    explorer = JacobianExplorer("A @ x", [[1.0, 2.0]], constants={"A": [[1, 0], [0, 1]]})
    np.testing.assert_allclose(explorer.result, [np.eye(2)])
    explorer.constants = {"A": [[0, 2], [3, 0]]}
    np.testing.assert_allclose(explorer.result, [[[0.0, 2.0], [3.0, 0.0]]])
    explorer.constants = {}
    assert "A" in explorer.error


shapes = st.tuples(st.integers(1, MAX_BATCH), st.integers(1, MAX_INPUTS))


@settings(max_examples=40, deadline=None)
@given(start=shapes, new=shapes)
def test_resize_keeps_the_overlap_and_fills_the_rest(start, new):
    x = np.arange(np.prod(start), dtype=float).reshape(start) + 10.0  # never a fill value
    grown = resize_batch(x, *new)
    keep = (min(start[0], new[0]), min(start[1], new[1]))
    assert grown.shape == new
    np.testing.assert_array_equal(grown[: keep[0], : keep[1]], x[: keep[0], : keep[1]])
    for (b, j), value in np.ndenumerate(grown):
        if b >= keep[0] or j >= keep[1]:
            assert value == fill_value(b, j)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=3, max_size=3),
        min_size=1,
        max_size=MAX_BATCH,
    )
)
def test_pasted_text_round_trips(rows):
    np.testing.assert_array_equal(parse_batch_text(repr(rows)), np.array(rows))
    x = np.array(rows)
    printed = np.array2string(x, floatmode="unique", max_line_width=40, threshold=10**4)
    np.testing.assert_array_equal(parse_batch_text(printed), x)  # numpy's print, wrapped lines


# ---------------------------------------------------------------- one update per action


class Recorder:
    """An update that records each call and may itself ask for another update."""

    def __init__(self):
        self.calls = 0
        self.updates = Updates(self)

    def __call__(self):
        self.calls += 1
        assert self.updates.echoing  # an update writes into its controls quietly
        self.updates.request()  # ... so this is dropped, not a second update


def test_a_request_outside_any_hold_updates_at_once():
    recorder = Recorder()
    recorder.updates.request()
    assert recorder.calls == 1
    recorder.updates.request()
    assert recorder.calls == 2
    assert not recorder.updates.echoing and not recorder.updates.pending


def test_one_action_merges_its_requests_into_one_update_at_the_end():
    recorder = Recorder()
    with recorder.updates.one_action():
        for _ in range(5):
            recorder.updates.request()
        assert recorder.calls == 0 and recorder.updates.pending
    assert recorder.calls == 1 and not recorder.updates.pending
    with recorder.updates.one_action():
        pass  # nothing asked for: nothing drawn
    assert recorder.calls == 1


def test_nested_actions_update_once_when_the_outermost_ends():
    recorder = Recorder()
    with recorder.updates.one_action():
        recorder.updates.request()
        with recorder.updates.one_action():
            recorder.updates.request()
        assert recorder.calls == 0  # the inner end is not the end of the action
        with recorder.updates.one_action():
            recorder.updates.request()
    assert recorder.calls == 1


def test_an_exception_inside_an_action_releases_the_hold_and_draws_nothing_half_done():
    recorder = Recorder()
    with pytest.raises(RuntimeError), recorder.updates.one_action():
        recorder.updates.request()
        with recorder.updates.one_action():
            raise RuntimeError("a handler broke")
    assert recorder.calls == 0  # not drawn by the exception ...
    assert recorder.updates.pending  # ... but not forgotten:
    with recorder.updates.one_action():
        pass
    assert recorder.calls == 1  # the next action draws it
    recorder.updates.request()  # and the hold is free again: a request draws at once
    assert recorder.calls == 2


def test_quietly_drops_requests_and_restores_after_an_exception():
    recorder = Recorder()
    with recorder.updates.quietly():
        assert recorder.updates.echoing
        recorder.updates.request()
        with recorder.updates.one_action():
            recorder.updates.request()
    assert recorder.calls == 0 and not recorder.updates.pending
    with pytest.raises(ValueError), recorder.updates.quietly():
        raise ValueError("a write failed")
    assert not recorder.updates.echoing
    recorder.updates.request()
    assert recorder.calls == 1


def test_the_explorer_draws_once_per_user_action(monkeypatch):
    updates = []
    real = JacobianExplorer._update

    def counting(self):
        updates.append(self.render_count)
        real(self)

    monkeypatch.setattr(JacobianExplorer, "_update", counting)
    explorer = JacobianExplorer()
    assert len(updates) == 1 and explorer.render_count == 1  # the constructor: one picture
    explorer.preset_dropdown.value = "polar to Cartesian"  # constants, formula and batch
    explorer.preset_button.click()
    assert len(updates) == 2 and explorer.render_count == 2
    explorer.batch_size_slider.value = MAX_BATCH  # the batch, sliders, grid, window bounds
    assert len(updates) == 3
    explorer.batch_grid.entry(12, 0).value = 0.5  # the batch and the window that shows it
    assert len(updates) == 4 and explorer.first_example_slider.value == 5
    explorer.linear_map_toggle.value = True
    explorer.batch_grid.entry(9, 1).value = 0.5  # the batch and the map's example
    assert len(updates) == 6 and explorer.map_example_slider.value == 9
    explorer.function = "sum(x**2)"  # the map no longer fits: the toggle goes off, quietly
    assert len(updates) == 7 and explorer.linear_map_toggle.value is False
    explorer.x = explorer.x  # the same batch: nothing to draw
    assert len(updates) == 7 and explorer.render_count == 7


# ---------------------------------------------------------------- the plain drawing path


def test_the_explorer_draws_on_the_plain_matplotlib_path(monkeypatch):
    """Where the fast path's probe fails, the explorer's pictures are plain matplotlib's."""
    from jacviz.plotting import HeatmapGrid
    from jacviz.plotting._fast import drawing_switch

    monkeypatch.setattr(drawing_switch(), "on", False)
    explorer = JacobianExplorer()
    x = np.array([[5.0, 2.0], [1.0, 3.0]])
    explorer.x = x
    fresh = HeatmapGrid(dpi=DPI).render("jacobian", cube_jacobian(x), x=x, y=x**3)
    np.testing.assert_array_equal(pixels(bytes(explorer.image.value)), pixels(fresh))
    assert not any(type(t).__name__.startswith("Stamped") for t in explorer.figure.texts)


# ---------------------------------------------------------------- the browser benchmark's trace

PHASES = ("received", "update", "computed", "drawn", "encoded", "sent", "shown", "echoed")


def test_the_trace_times_each_browser_message_phase_by_phase(tmp_path, monkeypatch):
    path = tmp_path / "trace.jsonl"
    monkeypatch.setenv("JACVIZ_TRACE", str(path))
    explorer = JacobianExplorer()
    explorer.batch_grid.entry(0, 0).set_state({"value": 5.0})  # what a browser's message does
    first_png = bytes(explorer.image.value)
    explorer.batch_size_slider.set_state({"value": 3})
    explorer.order_toggle.set_state({"index": 7})  # refused: no update, still one line
    edit, step, refused = (json.loads(line) for line in path.read_text().splitlines())
    assert (edit["widget"], edit["keys"], edit["render_count"]) == ("x[0, 0]", ["value"], 2)
    assert (edit["png_bytes"], edit["built"]) == (len(first_png), False)
    assert (step["widget"], step["render_count"], step["built"]) == ("batch B", 3, True)
    assert step["png_bytes"] == len(explorer.image.value)
    for line in (edit, step):
        times = [line["marks"][phase] for phase in (*PHASES, "handled")]
        assert times == sorted(times)
    assert (refused["widget"], sorted(refused["marks"])) == ("order", ["handled", "received"])
    assert explorer.render_count == 3 and "refused a message" in explorer.error


def test_without_the_switch_nothing_is_traced(tmp_path, monkeypatch):
    monkeypatch.delenv("JACVIZ_TRACE", raising=False)
    monkeypatch.chdir(tmp_path)
    explorer = JacobianExplorer()
    explorer.batch_size_slider.set_state({"value": 3})
    assert explorer._trace.path is None and explorer.render_count == 2
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- the round trip's order


def test_no_garbage_collection_while_a_picture_is_made(explorer, monkeypatch):
    seen, draw = [], explorer._pictures.draw

    def drawing(*args):
        seen.append(gc.isenabled())
        return draw(*args)

    monkeypatch.setattr(explorer._pictures, "draw", drawing)
    explorer.function = "sin(x)"
    assert seen == [False] and gc.isenabled()
    gc.disable()  # someone else's choice: kept
    try:
        explorer.function = "x**2"
        assert seen == [False, False] and not gc.isenabled()
    finally:
        gc.enable()
    assert explorer.error == "" and explorer.render_count == 3


def test_the_picture_leaves_before_the_controls_echo(explorer, monkeypatch):
    sent = []

    def record(widget, msg, buffers=None):  # a buffer (the PNG) leaves the state for buffers
        paths = [path[0] for path in msg.get("buffer_paths", [])]
        sent.append((widget, sorted([*msg.get("state", {}), *paths])))

    monkeypatch.setattr(widgets.Widget, "_send", record)
    # ipywidgets 8.0 sends a change only while a kernel holds the comm (8.1+: always)
    monkeypatch.setattr(type(explorer.image.comm), "kernel", object(), raising=False)
    explorer.batch_size_slider.set_state({"value": 3})  # a browser's message
    widgets_sent = [widget for widget, _ in sent]
    picture = widgets_sent.index(explorer.image)
    assert sent[picture] == (explorer.image, ["tooltip", "value"])  # the PNG and its words
    assert widgets_sent[picture + 1] is explorer.status
    grid = explorer.batch_grid.box
    assert [keys for widget, keys in sent if widget is grid] == [["children"]]  # one message
    assert widgets_sent.index(grid) > picture
    assert widgets_sent.count(explorer.image) == 1  # one message
    assert explorer.x.shape == (3, 2) and explorer.render_count == 2
    sent.clear()
    explorer.function_text.set_state({"value": "sin(x)"})  # typeset after the picture
    widgets_sent = [widget for widget, _ in sent]
    assert widgets_sent.index(explorer.formula_view) > widgets_sent.index(explorer.image)
    assert explorer.formula_view.value == r"$$f(x) = \sin\left(x\right)$$"


# ---------------------------------------------------------------- the explorer's words (#13.5)


def test_the_finite_difference_report_is_a_caption_over_a_padded_table(explorer):
    explorer.fd_checkbox.value = True
    text = explorer.fd_view.value
    caption, table = text.split("<table", 1)
    assert caption.startswith("<div class='jacviz-caption'>autodiff vs central finite differences")
    assert re.findall(r"<th>(max [^<]*)</th>", table) == ["max |autodiff − FD|", "max |autodiff|"]
    style = re.match(r" class='jacviz-fd-table' style='([^']*)'", table).group(1)
    assert "border-spacing: 0.8em" in style and "white-space: nowrap" in style
    assert "aria-label='autodiff vs central finite differences (order 1," in table


def test_the_first_example_slider_shows_its_whole_label(explorer):
    for slider in (explorer.first_example_slider, explorer.map_example_slider):
        assert slider.style.description_width == "initial", slider.description


def test_the_explorer_picture_names_no_api_keyword():
    explorer = JacobianExplorer(x=np.arange(32.0).reshape(16, 2) / 10)
    notes = [t.get_text() for t in explorer.figure.texts if "showing" in t.get_text()]
    assert notes == ["showing examples 0–7 of 16"]
    explorer.first_example_slider.value = 5
    notes = [t.get_text() for t in explorer.figure.texts if "showing" in t.get_text()]
    assert notes == ["showing examples 5–12 of 16"]


def test_a_rejected_formula_is_not_typeset_over_the_old_picture(explorer):
    good = explorer.formula_view.value
    assert good == r"$$f(x) = {x}^{3}$$" or "x" in good
    explorer.function_text.value = "x[5]"  # parses; fails on x of 2 inputs
    assert "out of range" in explorer.error
    assert explorer.formula_view.value == good
    assert "jacviz-stale" in explorer.status.value and "⏸" not in explorer.status.value
    assert explorer.error_area.value.count("out of range") == 1
    assert "out of range" not in explorer.status.value


# ---------------------------------------------------------------- accessibility (#20)


def test_choosing_a_preset_applies_nothing_until_load_and_own_formula_comes_back():
    explorer = JacobianExplorer("x**2 + 1", [[0.5, 0.25]])
    for name in PRESETS:  # arrow keys through the dropdown: nothing applied
        explorer.preset_dropdown.value = name
    assert explorer.function == "x**2 + 1" and explorer.render_count == 1
    explorer.preset_dropdown.value = "rotation"
    explorer.preset_button.click()
    assert explorer.function == "A @ x" and "A" in explorer.constants
    explorer.preset_dropdown.value = "softmax"  # a second preset keeps the own formula kept
    explorer.preset_button.click()
    explorer.preset_dropdown.value = CUSTOM
    explorer.preset_button.click()
    assert explorer.function == "x**2 + 1" and explorer.constants == {}
    np.testing.assert_array_equal(explorer.x, [[0.5, 0.25]])
    assert explorer.function_text.value == "x**2 + 1" and explorer.error == ""


def test_the_picture_has_a_text_alternative_with_its_numbers_at_each_render(explorer):
    words = explorer.image.tooltip  # the <img>'s title: its accessible name
    assert "x = [4, 2]; J[0] rows: [48, 0], [0, 12]" in words
    assert "x = [1, 3]; J[1] rows: [3, 0], [0, 27]" in words
    explorer.batch_grid.entry(1, 1).value = 2.0
    assert "J[1] rows: [3, 0], [0, 12]" in explorer.image.tooltip
    explorer.order = 2
    assert "H[0] rows by output, output 0: [24, 0], [0, 0]" in explorer.image.tooltip
    explorer.order = "full"
    assert "Off-diagonal blocks are all zero" in explorer.image.tooltip
    explorer.order = 1
    explorer.linear_map_toggle.value = True
    assert "det J[0] = 576" in explorer.image.tooltip  # 48 * 12
    explorer.linear_map_toggle.value = False
    explorer.batch_size_slider.value = 16  # 8 examples shown, 32 numbers: still said
    assert "examples 0 to 7 of 16" in explorer.image.tooltip
    explorer.input_dim_slider.value = 8  # 8 x 64 numbers: the table has them
    assert "see the values table" in explorer.image.tooltip


def test_errors_are_alerts_and_the_status_line_a_polite_live_region(explorer):
    assert "role='status' aria-live='polite'" in explorer.status.value
    explorer.function_text.value = "x +"
    assert explorer.error_area.value.startswith("<div role='alert'")
    assert "role='status' aria-live='polite'" in explorer.status.value  # out of date, said
    assert "out of date" in explorer.status.value


def test_a_wrong_formula_marks_its_box_by_name_and_border_until_it_is_right(explorer):
    box = explorer.function_text
    assert box.description == "f(x) =" and "jacviz-invalid" not in box._dom_classes
    for wrong in ("x +", "[x[0], x[5]]"):  # one the parser rejects, one at this batch
        box.value = wrong
        assert explorer.error != ""
        # its accessible name (the label) says it; aria-invalid cannot be set (see _controls)
        assert box.description == "f(x) = (has an error)"
        assert "jacviz-invalid" in box._dom_classes  # the red border and label
        explorer.paste_text.value = "[[1, 2], [3, 4]]"  # another input leaves the mark
        assert box.description == "f(x) = (has an error)"
    box.value = "x**2"
    assert explorer.error == "" and box.description == "f(x) ="
    assert "jacviz-invalid" not in box._dom_classes
    explorer.paste_text.value = "[[1,"  # a wrong batch is not a wrong formula
    assert explorer.error != "" and box.description == "f(x) ="
    # the border (3:1, WCAG 1.4.11) and the bold label text (4.5:1, 1.4.3) on white
    assert contrast_ratio(to_rgb(_controls.INVALID_COLOR), (1.0, 1.0, 1.0)) >= 4.5
    assert f"3px solid {_controls.INVALID_COLOR}" in _controls.PAGE_STYLE


def test_large_text_mode_draws_bigger_and_marks_the_explorer(explorer):
    small = imread(io.BytesIO(explorer.image.value)).shape
    explorer.large_checkbox.value = True
    large = imread(io.BytesIO(explorer.image.value)).shape
    assert "jacviz-large-mode" in explorer._dom_classes
    assert large[1] == pytest.approx(small[1] * 1.5, rel=0.05)
    # the number boxes and row labels 1.5 times as wide, for their 20 px text (CSS)
    assert explorer.batch_grid.entry(1, 1).layout.width == "114px"
    assert explorer.batch_grid.box.layout.grid_template_columns == "66px repeat(2, 114px)"
    explorer.input_dim_slider.value = 3  # boxes made now are as wide
    assert explorer.batch_grid.entry(1, 2).layout.width == "114px"
    assert explorer.batch_grid.box.layout.grid_template_columns == "66px repeat(3, 114px)"
    explorer.input_dim_slider.value = 2
    explorer.large_checkbox.value = False
    assert imread(io.BytesIO(explorer.image.value)).shape == small
    assert explorer.batch_grid.entry(1, 2).layout.width == "76px"  # kept for later, narrow too
    assert explorer.batch_grid.box.layout.grid_template_columns == "44px repeat(2, 76px)"
    # the typeset formula line grows with the controls' text
    assert ".jacviz-large-mode .widget-htmlmath-content" in _controls.PAGE_STYLE


def test_number_boxes_accept_any_number_so_none_is_announced_invalid(explorer):
    assert explorer.batch_grid.entry(0, 0).step is None  # step="any" in the browser
    explorer.batch_grid.entry(0, 0).value = np.pi / 4
    assert explorer.x[0, 0] == np.pi / 4 and explorer.error == ""


def test_own_work_on_a_presets_formula_comes_back_too(explorer):
    explorer.batch_size_slider.value = 3  # x**3 is also the "cube (seed)" preset's formula
    own_x = explorer.x
    explorer.preset_dropdown.value = "sine"
    explorer.preset_button.click()
    explorer.preset_dropdown.value = CUSTOM
    explorer.preset_button.click()
    assert explorer.function == "x**3"
    np.testing.assert_array_equal(explorer.x, own_x)


def test_explorer_text_colours_and_focus_ring_contrast_with_white():
    styles = [_text.NOTE_STYLE, _text.STALE_STYLE, _batch_controls.HIDDEN_STYLE]
    styles += [_text.error_html("x"), _controls.PAGE_STYLE]
    colours = {c for style in styles for c in re.findall(r"#[0-9a-fA-F]{6}\b", style)}
    assert len(colours) >= 4
    for colour in colours:  # text 4.5:1 (WCAG 1.4.3); the focus ring needs 3:1 (1.4.11)
        assert contrast_ratio(to_rgb(colour), (1.0, 1.0, 1.0)) >= 4.5, colour
    assert re.search(r"outline: [3-9]px solid #0b4f9c", _controls.PAGE_STYLE)  # >= 2 px


# ------------------------------------------------------------ the compact layout (#21.4)


def png_size(png):
    """(width, height) of PNG bytes, from the IHDR chunk."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def test_compact_layout_shows_every_control_in_two_columns():
    explorer = explore("softmax(x)", np.ones((2, 3)), compact=True)
    normal = explore("softmax(x)", np.ones((2, 3)))
    compact_box = [w for w in widget_tree(explorer) if "jacviz-compact" in w._dom_classes]
    assert len(compact_box) == 1
    left, right = compact_box[0].children
    assert left.layout.width == _controls.COMPACT_COLUMN == "390px"
    assert right.children[1] is explorer.image  # the picture beside the controls
    assert explorer.function_text in widget_tree(left)
    assert explorer.batch_grid.box in widget_tree(left)
    # the same widgets as the default layout, each shown once
    shown = [type(w).__name__ for w in widget_tree(explorer) if not isinstance(w, widgets.Box)]
    normal_shown = [type(w).__name__ for w in widget_tree(normal) if not isinstance(w, widgets.Box)]
    assert sorted(shown) == sorted(normal_shown)
    assert len({id(w) for w in widget_tree(explorer)}) == len(widget_tree(explorer))


def test_compact_number_boxes_and_picture_fit_the_column():
    x = np.random.default_rng(0).uniform(-2, 2, size=(8, 5))  # (B, n): the widest promised
    explorer = explore("softmax(x)", x, compact=True)
    box = int(explorer.batch_grid.entry(0, 0).layout.width.removesuffix("px"))
    assert box == 65  # 0.85 of 76 px
    columns = explorer.batch_grid.box.layout.grid_template_columns
    assert columns == "37px repeat(5, 65px)"
    assert int(_controls.COMPACT_COLUMN.removesuffix("px")) >= 37 + 5 * (65 + 4)
    grid = explorer.batch_grid.box.layout
    assert (grid.overflow, grid.max_height) == ("auto", "310px")  # more examples scroll
    width, height = png_size(explorer.image.value)
    normal_width, _ = png_size(explore("softmax(x)", x).image.value)
    assert width <= 800 and height <= 560
    assert width <= normal_width
    explorer.large_checkbox.value = True  # the large text grows from the compact boxes
    assert explorer.batch_grid.entry(0, 0).layout.width == f"{round(76 * 0.85 * 1.5)}px"


@pytest.mark.parametrize("compact", ["yes", 1, None])
def test_compact_must_be_a_bool(compact):
    with pytest.raises(TypeError, match="compact must be True or False"):
        explore("x**2", [[1.0]], compact=compact)
