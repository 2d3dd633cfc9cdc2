"""The explorer's per-example data (``data=``): the formula's rows, any batch size, presets.

Results are checked against the engine on a :class:`jacviz.Function` built with the
same data (``parse_function(text, data=...)``), one row per example by the explorer's
rule: example ``b`` uses row ``b mod R``.
"""

import autograd.numpy as anp
import numpy as np
import pytest
import traitlets

from jacviz import (
    PRESETS,
    batch_jacobian,
    full_jacobian,
    linear_map_geometry,
    parse_function,
)
from jacviz.widget import JacobianExplorer, explore
from jacviz.widget._controls import CUSTOM
from jacviz.widget._data import MAX_ROW_NUMBERS, check_data, data_fact, rows_for

LOSS = "(x - t)**2"
X3 = np.array([[1.0, 1.0], [1.0, 1.0], [3.0, 0.0]])
T3 = np.array([[0.0, 2.0], [2.0, 0.0], [3.0, 1.0]])
SQUARED_ERROR = "squared error to a target"


def engine(text, x, data, order=1, **constants):
    """The engine's derivative of ``text`` with ``data`` given one row per example of ``x``."""
    rows = {
        name: np.asarray(value, float)[np.arange(len(x)) % len(value)]
        for name, value in data.items()
    }
    f = parse_function(text, constants=constants, data=rows)
    return full_jacobian(f, x) if order == "full" else batch_jacobian(f, x, order=order)


def status_lines(explorer):
    return explorer.status.value


@pytest.fixture
def explorer():
    return JacobianExplorer(LOSS, X3, data={"t": T3})


# ---------------------------------------------------------------- the formula's rows


@pytest.mark.parametrize("order", [1, 2, "full"])
def test_the_explorer_computes_the_engines_derivative_with_the_data(order):
    explorer = JacobianExplorer(LOSS, X3, order=order, data={"t": T3})
    assert explorer.error == ""
    np.testing.assert_array_equal(explorer.result, engine(LOSS, X3, {"t": T3}, order))
    if order == 1:  # and the closed form: diag(2(x[b] − t[b]))
        np.testing.assert_array_equal(
            explorer.result, [np.diag(2 * (x - t)) for x, t in zip(X3, T3, strict=True)]
        )


def test_data_and_constants_together_and_explore():
    x = np.array([[1.0, 2.0], [0.5, -1.0]])
    w = np.array([[2.0], [3.0]])  # a weight per example
    explorer = explore("w * sum(A @ x)", x, constants={"A": [[1, 2], [3, 4]]}, data={"w": w})
    assert explorer.error == ""
    expected = engine("w * sum(A @ x)", x, {"w": w}, A=np.array([[1, 2], [3, 4]]))
    np.testing.assert_allclose(explorer.result, expected)
    np.testing.assert_allclose(explorer.result, (w * [4.0, 6.0])[:, None])  # w[b] (1, 1) A


def test_the_status_line_says_each_example_uses_its_own_row(explorer):
    assert "per-example data t: example b uses its own row t[b]" in status_lines(explorer)
    assert "jacviz-note" not in status_lines(explorer)  # a fact, no warning


def test_the_data_are_a_private_read_only_copy():
    t = T3.copy()
    explorer = JacobianExplorer(LOSS, X3, data={"t": t})
    t[:] = 100.0  # the caller's array changes later: the explorer keeps what it was given
    np.testing.assert_array_equal(explorer.data["t"], T3)
    assert not explorer.data["t"].flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        explorer.data["t"][0, 0] = 5.0


def test_setting_data_in_code_redraws_with_the_new_rows(explorer):
    count = explorer.render_count
    explorer.data = {"t": np.zeros((3, 2))}
    assert explorer.render_count == count + 1
    np.testing.assert_array_equal(explorer.result, engine(LOSS, X3, {"t": np.zeros((3, 2))}))
    explorer.data = {}  # no data: t is unknown again, said in the error area
    assert "'t'" in explorer.error and "data=" in explorer.error


# ---------------------------------------------------------------- any batch size: row b mod R


@pytest.mark.parametrize("batch_size", [1, 2, 4, 5, 7, 16])
def test_the_batch_size_field_keeps_one_row_per_example_b_mod_r(explorer, batch_size):
    explorer.batch_size_slider.value = batch_size
    assert explorer.error == "" and explorer.x.shape == (batch_size, 2)
    rows = T3[np.arange(batch_size) % 3]
    np.testing.assert_array_equal(explorer.result, engine(LOSS, explorer.x, {"t": rows}))
    np.testing.assert_array_equal(explorer.data["t"], T3)  # the data themselves stay
    status = status_lines(explorer)
    if batch_size == 3:
        assert "its own row t[b]" in status
    elif batch_size > 3:
        assert f"t has 3 rows for {batch_size} examples: example b uses row b mod 3" in status
        assert "(rows repeat)" in status
    else:
        assert f"t has 3 rows for {batch_size} example" in status and "unused" in status


def test_back_to_the_first_size_gives_the_first_numbers_again(explorer):
    first = explorer.result
    explorer.batch_size_slider.value = 7
    explorer.batch_size_slider.value = 3
    np.testing.assert_array_equal(explorer.result, first)


def test_a_pasted_batch_of_another_size_and_a_random_batch_use_the_rule(explorer):
    explorer.paste_text.value = "[[0, 0], [1, 1], [2, 2], [3, 3], [4, 4]]"
    assert explorer.error == "" and explorer.x.shape == (5, 2)
    np.testing.assert_array_equal(explorer.result, engine(LOSS, explorer.x, {"t": T3}))
    np.testing.assert_array_equal(explorer.result[3], np.diag(2 * (explorer.x[3] - T3[0])))
    explorer.random_button.click()
    assert explorer.error == "" and explorer.x.shape == (5, 2)
    np.testing.assert_array_equal(explorer.result, engine(LOSS, explorer.x, {"t": T3}))
    explorer.paste_text.value = "[[9, 9]]"
    np.testing.assert_array_equal(explorer.result, [np.diag(2 * (np.array([9, 9]) - T3[0]))])


def test_setting_x_in_code_to_another_batch_size_is_no_error(explorer):
    explorer.x = np.ones((6, 2))
    assert explorer.error == ""
    np.testing.assert_array_equal(explorer.result, engine(LOSS, np.ones((6, 2)), {"t": T3}))


def test_more_inputs_than_the_rows_have_is_shown_not_raised_and_fixed_by_going_back(explorer):
    explorer.input_dim_slider.value = 3  # x now (3, 3), t rows of 2: the formula says so
    assert "cannot combine shapes (3,) and (2,)" in explorer.error
    explorer.input_dim_slider.value = 2
    assert explorer.error == ""


def test_rows_for_and_data_fact_state_the_rule():
    t = np.arange(3.0)[:, None]
    np.testing.assert_array_equal(rows_for({"t": t}, 7)["t"].ravel(), [0, 1, 2, 0, 1, 2, 0])
    np.testing.assert_array_equal(rows_for({"t": t}, 2)["t"].ravel(), [0, 1])
    assert data_fact({"t": t}, 2).endswith("(row 2 unused)")
    assert data_fact({"t": np.zeros((5, 1))}, 2).endswith("(rows 2–4 unused)")
    assert data_fact({}, 4) == ""
    two = data_fact({"t": t, "w": t}, 3)
    assert two == "per-example data t, w: example b uses its own row t[b], w[b]"


# ---------------------------------------------------------------- the other views


def test_the_linear_map_of_example_b_uses_example_bs_row(explorer):
    explorer.map_example_slider.value = 1
    explorer.linear_map_toggle.value = True
    assert explorer.error == "" and explorer.linear_map_toggle.value
    # the map of example 1 alone: its target row as a constant
    own = linear_map_geometry(LOSS, X3, example=1, radius=0.5, constants={"t": T3[1]})
    np.testing.assert_allclose(own.jac, np.diag(2 * (X3[1] - T3[1])))
    assert f"det J[1] = {own.det:.4g}" in status_lines(explorer)
    np.testing.assert_allclose(explorer.result[1], own.jac)
    explorer.map_example_slider.value = 0  # same x, another target: the other sign
    assert "det J[0] = -4" in status_lines(explorer) and explorer.error == ""


def test_finite_differences_and_formulas_work_with_data(explorer):
    explorer.fd_checkbox.value = True
    assert "autodiff vs central finite differences" in explorer.fd_view.value
    assert "failed" not in explorer.fd_view.value and "not computed" not in explorer.fd_view.value
    explorer.values_checkbox.value = True
    assert "2*(x[0] - t[0])" in explorer.values_table.value
    assert explorer.error == ""


# ---------------------------------------------------------------- the preset


def test_the_preset_loads_its_data_and_another_preset_drops_them():
    explorer = JacobianExplorer("x**2", [[0.5, 0.25]])
    preset = PRESETS[SQUARED_ERROR]
    explorer.preset_dropdown.value = SQUARED_ERROR
    explorer.preset_button.click()
    assert explorer.error == "" and explorer.function == LOSS
    assert explorer.data.keys() == {"t"}
    np.testing.assert_array_equal(explorer.data["t"], preset.data["t"])
    np.testing.assert_array_equal(explorer.result, engine(LOSS, preset.x, preset.data))
    assert preset.note in explorer.note.value
    assert "its own row t[b]" in status_lines(explorer)
    explorer.batch_size_slider.value = 4  # still the preset: its formula and data
    assert explorer.preset_dropdown.value == SQUARED_ERROR and preset.note in explorer.note.value
    explorer.preset_dropdown.value = "rotation"
    explorer.preset_button.click()
    assert explorer.data == {} and explorer.function == "A @ x" and explorer.error == ""
    assert "per-example data" not in status_lines(explorer)


def test_your_own_formula_brings_back_your_own_data_or_none():
    explorer = JacobianExplorer("w * x**2", [[1.0, 2.0], [3.0, 4.0]], data={"w": [[1.0], [2.0]]})
    own = explorer.result
    explorer.preset_dropdown.value = SQUARED_ERROR
    explorer.preset_button.click()
    np.testing.assert_array_equal(explorer.data["t"], PRESETS[SQUARED_ERROR].data["t"])
    explorer.preset_dropdown.value = CUSTOM
    explorer.preset_button.click()
    assert explorer.function == "w * x**2" and explorer.data.keys() == {"w"}
    np.testing.assert_array_equal(explorer.result, own)
    plain = JacobianExplorer("x**2", [[0.5, 0.25]])
    plain.preset_dropdown.value = SQUARED_ERROR
    plain.preset_button.click()
    plain.preset_dropdown.value = CUSTOM
    plain.preset_button.click()
    assert plain.function == "x**2" and plain.data == {} and plain.error == ""


def test_other_data_set_in_code_are_no_longer_the_preset():
    explorer = JacobianExplorer()
    explorer.preset_dropdown.value = SQUARED_ERROR
    explorer.preset_button.click()
    explorer.data = {"t": np.zeros((3, 2))}
    assert explorer.preset_dropdown.value == CUSTOM and explorer.note.value == ""


def test_the_preset_is_not_taken_for_coupled_examples():
    preset = PRESETS[SQUARED_ERROR]
    explorer = JacobianExplorer("x**2", [[0.5, 0.25]])
    explorer.preset_dropdown.value = SQUARED_ERROR
    explorer.preset_button.click()
    for order in (1, 2, "full"):
        explorer.order = order
        assert explorer.error == ""
        assert "jacviz-note" not in status_lines(explorer), order  # no coupling warning
        assert "influence each other" not in status_lines(explorer)
    full = explorer.result  # (B, m, B, n): zero off the diagonal blocks
    off = ~np.eye(3, dtype=bool)
    assert np.all(full.transpose(0, 2, 1, 3)[off] == 0)
    f = parse_function(LOSS, data=preset.data)
    batch_jacobian(f, np.array(preset.x), check="raise")  # the engine's check agrees


# ---------------------------------------------------------------- refused


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"t": [[1.0, np.nan]]}, "data 't' holds NaN or inf"),
        ({"t": [[np.inf, 1.0]]}, "data 't' holds NaN or inf"),
        ({"t": [[1j, 2.0]]}, "data 't' must hold real numbers"),
        ({"t": [["a", "b"]]}, "data 't' must hold real numbers"),
        ({"t": 3.0}, "needs one row per example"),
        ({"x": [[1.0]]}, "'x' cannot name data"),
        ({"_t": [[1.0]]}, "'_t' cannot name data"),
        ({"t": [[1.0]], "w": [[1.0], [2.0]]}, "data must hold the same number of examples"),
        ({"t": np.zeros((0, 2))}, "data must hold 1 to 16 rows"),
        ({"t": np.zeros((17, 2))}, "data must hold 1 to 16 rows, one per example"),
        ({"t": np.zeros((2, MAX_ROW_NUMBERS + 1))}, f"at most {MAX_ROW_NUMBERS:,} per example"),
        ({"t": [[10**400]]}, "too large for a float"),
        ([[1.0, 2.0]], "expected a dict"),
    ],
)
def test_bad_data_are_refused_with_a_message_and_the_state_kept(explorer, data, message):
    before = explorer.render_count
    with pytest.raises(traitlets.TraitError, match=message.replace("(", r"\(").replace(")", r"\)")):
        explorer.data = data
    np.testing.assert_array_equal(explorer.data["t"], T3)
    assert explorer.render_count == before and explorer.error == ""
    with pytest.raises(traitlets.TraitError, match="data"):
        JacobianExplorer(LOSS, X3, data=data)


def test_check_data_refuses_a_huge_table_before_copying_it():
    huge = np.broadcast_to(np.float64(1.0), (16, 10**8))  # a view: 12.8 GB if copied
    with pytest.raises(ValueError, match="100,000,000 numbers"):
        check_data({"t": huge})


def test_a_name_both_constant_and_data_is_shown_not_raised():
    explorer = JacobianExplorer(LOSS, X3, constants={"t": [0.0, 0.0]}, data={"t": T3})
    assert "'t' is given both as a constant and as data" in explorer.error
    assert explorer.result is None


def test_a_python_function_with_data_is_told_data_are_for_formulas():
    explorer = JacobianExplorer(anp.tanh, X3, data={"t": T3})
    assert "per-example data ('t') is for formulas only" in explorer.error
    explorer.data = {}
    assert explorer.error == ""
    np.testing.assert_allclose(explorer.result, batch_jacobian(anp.tanh, X3))


def test_the_browser_cannot_set_the_data(explorer):
    """``data`` is no synced trait: a comm message naming it changes nothing."""
    assert "data" not in explorer.keys
    message = {"method": "update", "state": {"data": {"t": [[9.0, 9.0]]}}, "buffer_paths": []}
    explorer.comm.handle_msg({"content": {"data": message}, "buffers": []})
    explorer.set_state({"data": {"t": [[9.0, 9.0]]}})
    np.testing.assert_array_equal(explorer.data["t"], T3)


def test_a_formula_typed_after_the_preset_keeps_its_data_like_constants():
    explorer = JacobianExplorer()
    explorer.preset_dropdown.value = SQUARED_ERROR
    explorer.preset_button.click()
    explorer.function_text.value = "abs(x - t)"  # the student edits the formula: t stays
    assert explorer.error == "" and explorer.data.keys() == {"t"}
    assert explorer.preset_dropdown.value == CUSTOM and explorer.note.value == ""
    x, t = np.array(PRESETS[SQUARED_ERROR].x), np.array(PRESETS[SQUARED_ERROR].data["t"])
    np.testing.assert_array_equal(np.diagonal(explorer.result, axis1=1, axis2=2), np.sign(x - t))
