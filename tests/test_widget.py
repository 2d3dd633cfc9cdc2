"""JacobianExplorer, driven through its controls' ``.value`` like a user would.

No browser: ipywidgets work in plain pytest. Results are checked against the
engine (``jacviz.batch_jacobian`` / ``full_jacobian``) and against closed forms.
"""

import gc
import warnings

import autograd.numpy as anp
import ipywidgets as widgets
import numpy as np
import pytest
import traitlets
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

import jacviz
from jacviz import PRESETS, ExpressionError, batch_jacobian, full_jacobian, parse_function
from jacviz.widget import JacobianExplorer, explore
from jacviz.widget._batch import (
    MAX_BATCH,
    MAX_INPUTS,
    as_batch,
    fill_value,
    parse_batch_text,
    resize_batch,
)

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
    for name, widget in hooks.items():
        assert name in widget._dom_classes, name
    assert isinstance(explorer.status, widgets.HTML)
    assert isinstance(explorer.error_area, widgets.HTML)


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
    ]
    for control in controls:
        assert control.description, control
        assert control.tooltip, control
    assert len(explorer.order_toggle.tooltips) == 3
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
    import jacviz.widget._explorer as module

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
    assert explorer._renderer.redrawn != ["all"]  # the in-place path, not a rebuild
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


def test_coupled_examples_warn_in_the_status_line_only(capsys):
    x = [[1.0, 2.0], [3.0, 5.0]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning spilling out fails the test
        explorer = JacobianExplorer(function=centred, x=x)
        assert "full Jacobian" in explorer.status.value
        # the true diagonal blocks: d(x_b - mean)/dx_b = (1 - 1/B) I
        np.testing.assert_allclose(explorer.result, np.stack([0.5 * np.eye(2)] * 2))
        explorer.order_toggle.value = "full"
        np.testing.assert_allclose(explorer.result, full_jacobian(centred, np.array(x)))
        assert "coupled" in explorer.status.value
    explorer.function = "x**3"
    explorer.order = 1
    assert "full Jacobian" not in explorer.status.value
    assert capsys.readouterr() == ("", "")


def test_a_failing_renderer_is_replaced_and_the_picture_kept(explorer, monkeypatch, capsys):
    image, count, result = bytes(explorer.image.value), explorer.render_count, explorer.result
    broken = explorer._renderer

    def render(*args, **kwargs):
        raise RuntimeError("renderer broke")

    monkeypatch.setattr(broken, "render", render)
    explorer.function = "sin(x)"
    assert explorer.error == "unexpected RuntimeError: renderer broke"
    assert_picture_kept(explorer, image, count, result)
    assert explorer.figure is broken.figure  # still the figure of the picture shown
    explorer.function = "x**2"
    assert explorer.error == "" and explorer.render_count == count + 1
    assert explorer.figure is not broken.figure
    assert capsys.readouterr() == ("", "")


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


# ---------------------------------------------------------------- presets


@pytest.mark.parametrize("name", list(PRESETS))
def test_each_preset_renders(explorer, name, capsys):
    preset = PRESETS[name]
    explorer.preset_dropdown.value = name
    assert explorer.error == ""
    assert explorer.function == preset.expression
    assert explorer.function_text.value == preset.expression
    np.testing.assert_array_equal(explorer.x, preset.x)
    f = parse_function(preset.expression, constants=dict(preset.constants))
    np.testing.assert_allclose(explorer.result, batch_jacobian(f, preset.x))
    assert preset.note in explorer.note.value
    assert explorer.render_count == 2  # one picture for the whole preset
    assert explorer.formula_view.value.startswith("$$f(x) = ")
    explorer.order = 2
    assert explorer.error == ""
    np.testing.assert_allclose(explorer.result, batch_jacobian(f, preset.x, order=2), atol=1e-12)
    assert capsys.readouterr() == ("", "")


def test_reset_after_a_preset_restores_the_preset_batch(explorer):
    explorer.preset_dropdown.value = "polar to Cartesian"
    explorer.random_button.click()
    explorer.reset_button.click()
    np.testing.assert_array_equal(explorer.x, PRESETS["polar to Cartesian"].x)


def test_constants_can_be_given():
    explorer = JacobianExplorer("A @ x", [[1.0, 2.0]], constants={"A": [[0, 1], [2, 0]]})
    np.testing.assert_allclose(explorer.result, [[[0.0, 1.0], [2.0, 0.0]]])


# ---------------------------------------------------------------- values table


def test_values_table(explorer):
    assert explorer.values_accordion.selected_index is None  # collapsed at first
    explorer.values_accordion.selected_index = 0
    table = explorer.values_table.value
    assert table.count("<table") == 2
    assert "example 0: x = [4, 2]" in table and "example 1: x = [1, 3]" in table
    cells = [cell.split("<")[0] for cell in table.split("<td>")[1:]]
    assert cells == ["48", "0", "0", "12", "3", "0", "0", "27"]
    explorer.order = 2
    table = explorer.values_table.value
    assert table.count("<table") == 4  # one Hessian per example and output
    assert "<td>24</td>" in table and "<td>18</td>" in table
    explorer.order = "full"
    assert explorer.values_table.value.count("<table") == 1
    assert explorer.values_table.value.count("<td>") == 16


# ---------------------------------------------------------------- saving


@pytest.mark.parametrize(
    ("suffix", "magic"), [(".png", PNG), (".svg", b"<?xml"), (".pdf", b"%PDF")]
)
def test_save(explorer, tmp_path, suffix, magic):
    path = explorer.save(tmp_path / f"picture{suffix}")
    assert path.read_bytes().startswith(magic)
    assert bytes(explorer.image.value).startswith(PNG)  # the live picture is untouched


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


def test_batch_helpers():
    np.testing.assert_array_equal(as_batch([[1, 2]]), [[1.0, 2.0]])
    with pytest.raises(ValueError, match="2-D"):
        as_batch([[[1.0]]])
    with pytest.raises(ValueError, match="numbers"):
        as_batch("[[1, 2]]")
    np.testing.assert_array_equal(parse_batch_text("[[1, 2.5]]"), [[1.0, 2.5]])
    with pytest.raises(ValueError, match="longer"):
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
