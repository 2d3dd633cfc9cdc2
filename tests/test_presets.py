"""Every preset against its closed-form derivatives, through the engine."""

import ast
import math
import re

import numpy as np
import pytest

from jacviz import PRESETS, Preset, batch_hessian, batch_jacobian, parse_function


def _function(preset):
    return parse_function(preset.expression, constants=preset.constants, data=preset.data)


def _cube(x, c):
    return np.stack([np.diag(3 * row**2) for row in x])


def _sine(x, c):
    return np.stack([np.diag(np.cos(row)) for row in x])


def _product_and_sum(x, c):
    return np.stack([[[x1, x0], [1.0, 1.0]] for x0, x1 in x])


def _polar(x, c):
    return np.stack([[[np.cos(t), -r * np.sin(t)], [np.sin(t), r * np.cos(t)]] for r, t in x])


def _rotation(x, c):
    return np.broadcast_to(np.array(c["A"]), (len(x), 2, 2))


def _softmax(x, c):
    s = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)
    return np.stack([np.diag(row) - np.outer(row, row) for row in s])


def _dense(x, c):
    w, bias = np.array(c["W"]), np.array(c["c"])
    y = np.tanh(x @ w.T + bias)
    return np.stack([np.diag(1 - row**2) @ w for row in y])


def _norm(x, c):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _quadratic(x, c):
    a = np.array(c["A"])
    return x @ (a + a.T).T


def _squared_error(x, c, t):
    return np.stack([np.diag(2 * (row - target)) for row, target in zip(x, t, strict=True)])


CLOSED_FORM = {
    "cube (seed)": _cube,
    "sine": _sine,
    "product and sum": _product_and_sum,
    "polar to Cartesian": _polar,
    "rotation": _rotation,
    "softmax": _softmax,
    "dense layer": _dense,
    "norm": _norm,
    "quadratic form": _quadratic,
    "squared error to a target": _squared_error,
}


def test_every_preset_has_a_closed_form_test():
    assert set(CLOSED_FORM) == set(PRESETS)


@pytest.mark.parametrize("mode", ["forward", "reverse"])
@pytest.mark.parametrize("name", list(CLOSED_FORM))
def test_preset_jacobian_matches_closed_form(name, mode):
    preset = PRESETS[name]
    x = np.array(preset.x)
    jac = batch_jacobian(_function(preset), x, mode=mode)
    closed = CLOSED_FORM[name]
    expected = closed(x, preset.constants, *map(np.array, preset.data.values()))
    np.testing.assert_allclose(jac, expected, rtol=1e-12, atol=1e-14)


def test_seed_values_are_the_tensorflow_tutorial_output():
    preset = PRESETS["cube (seed)"]
    jac = batch_jacobian(preset.expression, np.array(preset.x, dtype=np.float32))
    expected = [[[48.0, 0.0], [0.0, 12.0]], [[3.0, 0.0], [0.0, 27.0]]]
    np.testing.assert_array_equal(jac, expected)
    assert jac.dtype == np.float32


def test_polar_determinant_is_the_radius():
    x = np.array(PRESETS["polar to Cartesian"].x)
    jac = batch_jacobian(_function(PRESETS["polar to Cartesian"]), x)
    np.testing.assert_allclose(np.linalg.det(jac), x[:, 0])


def test_rotation_keeps_areas_and_lengths():
    preset = PRESETS["rotation"]
    a = np.array(preset.constants["A"])
    np.testing.assert_allclose(a @ a.T, np.eye(2), atol=1e-15)
    x = np.array(preset.x)
    np.testing.assert_allclose(
        np.linalg.norm(_function(preset)(x), axis=1), np.linalg.norm(x, axis=1)
    )


def test_softmax_columns_sum_to_zero_because_the_outputs_sum_to_one():
    preset = PRESETS["softmax"]
    x = np.array(preset.x)
    np.testing.assert_allclose(_function(preset)(x).sum(axis=1), 1.0)
    jac = batch_jacobian(_function(preset), x)
    np.testing.assert_allclose(jac.sum(axis=1), 0, atol=1e-15)  # column j: sum over outputs i


def test_softmax_rows_sum_to_zero_because_a_shift_changes_nothing():
    preset = PRESETS["softmax"]
    x, f = np.array(preset.x), _function(preset)
    np.testing.assert_allclose(f(x + 3.0), f(x))
    jac = batch_jacobian(f, x)
    np.testing.assert_allclose(jac.sum(axis=2), 0, atol=1e-15)  # row i: sum over inputs j


def test_normalising_by_the_sum_has_zero_columns_but_not_zero_rows():
    """Sum-to-1 alone gives zero column sums; the rows need shift invariance (02)."""
    x = np.array([[1.0, 2.0, 3.0], [2.0, 2.0, 4.0]])
    jac = batch_jacobian("x / sum(x)", x)
    np.testing.assert_allclose(jac.sum(axis=1), 0, atol=1e-15)
    assert np.abs(jac.sum(axis=2)).max() > 0.05


def test_quadratic_form_hessian_is_constant_a_plus_a_transpose():
    preset = PRESETS["quadratic form"]
    a = np.array(preset.constants["A"])
    hess = batch_hessian(_function(preset), np.array(preset.x))
    np.testing.assert_allclose(hess, np.broadcast_to(a + a.T, hess.shape), atol=1e-14)


@pytest.mark.parametrize("name", list(PRESETS))
def test_preset_is_well_formed(name):
    preset = PRESETS[name]
    assert isinstance(preset, Preset)
    assert preset.note and "\n" not in preset.note and len(preset.note) <= 100
    x = np.array(preset.x)
    assert x.ndim == 2 and x.dtype == np.float64
    assert set(_function(preset).names) == {*preset.constants, *preset.data}
    for rows in preset.data.values():  # one row per example of the default batch
        assert np.array(rows).dtype == np.float64 and len(rows) == len(x)


def test_presets_are_ordered_and_read_only():
    assert next(iter(PRESETS)) == "cube (seed)"
    with pytest.raises(TypeError):
        PRESETS["new"] = PRESETS["sine"]
    with pytest.raises(TypeError):
        PRESETS["rotation"].constants["A"] = ((1, 0), (0, 1))
    with pytest.raises(TypeError):
        PRESETS["squared error to a target"].data["t"] = ((0, 0),)
    with pytest.raises(TypeError):
        PRESETS["sine"].data["t"] = ((0, 0),)  # the shared empty default too


# -- the notes say what the Jacobian shows: check each claim against it ---------------------

_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")


def _jacobian(name):
    preset = PRESETS[name]
    x = np.array(preset.x)
    return x, batch_jacobian(_function(preset), x)


def _entry_values(text, x):
    """``x₁`` → ``x[:, 1]``, ``1`` → ones: one entry of a row claim, for every example."""
    text = text.strip().translate(_SUBSCRIPTS)
    if text.startswith("x"):
        return x[:, int(text[1:])]
    return np.full(len(x), float(text))


@pytest.mark.parametrize("name", list(PRESETS))
def test_row_claims_in_notes_count_rows_from_zero_and_hold(name):
    claims = re.findall(r"[Rr]ow (\d+) is \(([^)]*)\)", PRESETS[name].note)
    if not claims:
        return
    x, jac = _jacobian(name)
    for row, entries in claims:
        assert int(row) < jac.shape[1], f"{name}: rows count from 0 (∂f_0 is row 0)"
        expected = np.stack([_entry_values(e, x) for e in entries.split(",")], axis=1)
        np.testing.assert_allclose(jac[:, int(row), :], expected)


def test_product_note_names_both_rows():
    assert re.findall(r"[Rr]ow (\d+)", PRESETS["product and sum"].note) == ["0", "1"]


def test_cube_note_example_is_the_first_block():
    note = PRESETS["cube (seed)"].note
    example = ast.literal_eval(note.split("e.g. ")[1].rstrip("."))
    np.testing.assert_allclose(_jacobian("cube (seed)")[1][0], example)


def test_sine_note_names_the_round_off_the_student_sees_at_pi_over_two():
    x, jac = _jacobian("sine")
    shown = re.search(r"shows (\S+e-\d+)", PRESETS["sine"].note).group(1)
    ((b, j),) = np.argwhere(x == math.pi / 2)
    assert f"{jac[b, j, j]:.2e}" == shown  # cos(fl(π/2)): the float π/2 misses π/2
    assert 0 < jac[b, j, j] < np.spacing(math.pi / 2)  # by less than one float step
    assert np.all(jac[:, ~np.eye(2, dtype=bool)] == 0)  # elementwise: exact zeros off the diagonal


def test_softmax_note_zero_column_and_row_sums():
    note = PRESETS["softmax"].note
    assert "columns sum to 0 (outputs sum to 1)" in note and "rows too (shift-invariant)" in note
    _, jac = _jacobian("softmax")
    np.testing.assert_allclose(jac.sum(axis=1), 0, atol=1e-15)  # columns: sum over outputs i
    np.testing.assert_allclose(jac.sum(axis=2), 0, atol=1e-15)  # rows: sum over inputs j


@pytest.mark.parametrize("name", list(PRESETS))
def test_b_names_an_example_never_a_constant(name):
    """``b`` is the batch index everywhere (notation of notebook 01): a bias is ``c``."""
    assert "b" not in PRESETS[name].constants


def test_rotation_note_determinant_one_and_norm_note_unit_gradient():
    _, jac = _jacobian("rotation")
    np.testing.assert_allclose(np.linalg.det(jac), 1.0)
    _, gradient = _jacobian("norm")
    np.testing.assert_allclose(np.linalg.norm(gradient, axis=1), 1.0)


def test_a_preset_made_before_data_existed_still_builds_positionally():
    old = Preset("x**2", ((1.0,),), {}, "J[b] = 2 x.")
    assert old.data == {} and old._fields[-1] == "data"


def test_squared_error_note_each_example_its_own_target():
    """``J[b] = diag(2(x − t[b]))``: − below the target, 0 on it, + above; 0 and 1 share x."""
    preset = PRESETS["squared error to a target"]
    assert "diag(2(x − t[b]))" in preset.note
    assert "examples 0 and 1 share x, not t[b]" in preset.note
    x, jac = _jacobian("squared error to a target")
    t = np.array(preset.data["t"])
    np.testing.assert_array_equal(jac[:, ~np.eye(2, dtype=bool)], 0)  # diagonal blocks
    diagonal = np.diagonal(jac, axis1=1, axis2=2)
    np.testing.assert_allclose(diagonal, 2 * (x - t))
    assert (diagonal < 0).any() and (diagonal == 0).any() and (diagonal > 0).any()
    np.testing.assert_array_equal(diagonal[x < t] < 0, True)  # below the target
    np.testing.assert_array_equal(diagonal[x > t] > 0, True)  # above it
    np.testing.assert_array_equal(x[0], x[1])  # the same x ...
    assert not np.allclose(jac[0], jac[1])  # ... but each its own target: another block
