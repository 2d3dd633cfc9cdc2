"""The budget of a whole request (``jacviz.jacobians._budget``), known before any work."""

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from adversarial_corpus import broadcast

from jacviz import (
    ExpressionError,
    batch_hessian,
    batch_jacobian,
    finite_difference_jacobian,
    full_jacobian,
    parse_function,
)
from jacviz.jacobians import (
    MAX_REQUEST_WORK,
    MAX_RESULT_ENTRIES,
    check_entries,
    check_request,
    finite_cost,
    request_cost,
)
from jacviz.jacobians._budget import FINITE_OPERATION_COST, OPERATION_COST, PASS_FACTOR

X = 0.5 + np.arange(16 * 8).reshape(16, 8) % 7 / 7


def test_the_cost_counts_rows_passes_outputs_and_operations():
    B, m, n, work, ops = 16, 729, 8, 1170, 40
    one = request_cost(1, (B, m, n), work, ops)
    assert (one.passes, one.rows, one.entries) == (1, 8 * B, B * m * n)
    assert one.work == B * work + 8 * B * (work + m) * PASS_FACTOR[1] + ops * OPERATION_COST
    two = request_cost(2, (B, m, n), work, ops)
    assert (two.passes, two.rows, two.entries) == (1, 64 * B, B * m * n * n)
    assert two.work == B * work + 64 * B * (work + m * n) * PASS_FACTOR[2] + ops * OPERATION_COST
    full = request_cost("full", (B, m, n), work, ops)  # one forward pass per input entry
    assert (full.passes, full.rows, full.entries) == (B * n, B, B * m * B * n)
    fallback = request_cost(1, (B, m, n), work, ops, stacked=False)  # per-example data
    assert (fallback.passes, fallback.rows) == (8, B)


def test_finite_differences_cost_2n_or_4n2_shifted_copies_of_plain_evaluations():
    B, m, n, work, ops = 16, 3, 8, 100, 7
    one = finite_cost(1, (B, m, n), work, ops)
    assert (one.passes, one.rows, one.entries) == (1, 2 * n * B, B * m * n)
    assert one.work == B * work + 2 * n * B * (work + m) + ops * FINITE_OPERATION_COST
    two = finite_cost(2, (B, m, n), work, ops, stacked=False)  # one call per shifted copy
    assert (two.passes, two.rows, two.entries) == (4 * n * n, B, B * m * n * n)
    assert two.work == B * work + 4 * n * n * (B * (work + m) + ops * FINITE_OPERATION_COST)


def test_finite_differences_of_a_formula_are_refused_before_evaluation(monkeypatch):
    # one output, 2,000 inputs: autodiff needs one reverse pass, differences 4,000 copies
    x = np.ones((16, 2000))
    f = parse_function("sum(sin(x) * cos(x))")
    assert batch_jacobian(f, x).shape == (16, 2000)  # a scalar per example
    cost = finite_cost(1, (16, 1, 2000), f.estimate((2000,)).work, f.operations)
    assert cost.work > MAX_REQUEST_WORK

    def never(*args):
        raise AssertionError("evaluated")

    monkeypatch.setattr("jacviz.expressions._function.evaluate", never)
    with pytest.raises(ExpressionError, match="the finite-difference Jacobian of 16 examples"):
        finite_difference_jacobian(f, x)
    with pytest.raises(ExpressionError, match="finite-difference Hessian of 16 examples has"):
        finite_difference_jacobian(broadcast(7), X, order=2)


def test_finite_differences_within_budget_still_agree_with_autodiff():
    f = parse_function("softmax(x)")
    np.testing.assert_allclose(finite_difference_jacobian(f, X), batch_jacobian(f, X), atol=1e-8)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda f: batch_hessian(f, X), "the Hessian of 16 examples has 6,718,464 entries"),
        (lambda f: full_jacobian(f, X), "the full Jacobian of 16 examples has 13,436,928 entries"),
        (lambda f: batch_jacobian(f, np.tile(X, (4, 1))), "the Jacobian of 64 examples has"),
    ],
)
def test_a_formula_over_budget_is_refused_before_it_is_evaluated(monkeypatch, call, message):
    f = parse_function(broadcast(8))  # 333 characters, 6561 outputs per example

    def never(*args):
        raise AssertionError("evaluated")

    monkeypatch.setattr("jacviz.expressions._function.evaluate", never)
    with pytest.raises(ExpressionError, match=message) as caught:
        call(f)
    assert "use fewer outputs per example" in str(caught.value)


def test_formula_text_is_budgeted_too_and_errors_of_shape_come_first():
    with pytest.raises(ExpressionError, match="has 6,718,464 entries"):
        batch_jacobian(broadcast(8), X, order=2)
    with pytest.raises(
        ExpressionError, match=r"matching inner sizes; got shapes \(3, 2\) and \(5,\)"
    ):
        check_request(parse_function("W @ x", constants={"W": np.ones((3, 2))}), (2, 5), 1)


def test_a_python_function_is_not_budgeted_by_the_engine():
    x = np.ones((1, 1500))  # 2,250,000 entries: over the result limit
    assert MAX_RESULT_ENTRIES < 1500 * 1500
    with pytest.raises(ExpressionError, match="2,250,000 entries"):
        batch_jacobian("x", x)
    jac = batch_jacobian(anp.negative, x)
    assert jac.shape == (1, 1500, 1500) and jac[0, 7, 7] == -1.0 and jac[0, 7, 8] == 0.0
    with pytest.raises(ExpressionError, match="2,250,000 entries"):
        check_entries(1, (1, 1500, 1500))  # what the explorer checks after f(x)


def test_the_full_jacobian_goes_forward_when_inputs_are_fewer_and_agrees():
    def mixing(x):  # couples the examples; 3 inputs, 6 outputs per example
        return anp.concatenate([anp.sin(x) * anp.sum(x, axis=0), x**2], axis=1)

    x = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]])
    expected = autograd.jacobian(mixing)(x)  # one backward pass per output entry
    np.testing.assert_allclose(full_jacobian(mixing, x), expected, rtol=1e-12, atol=1e-15)
    assert full_jacobian(mixing, x.astype(np.float32)).dtype == np.float32
