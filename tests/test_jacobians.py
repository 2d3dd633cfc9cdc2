"""The engine against independent references: per-example autograd loops and hand maths."""

import inspect
import warnings

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jacviz import (
    BatchCouplingError,
    BatchCouplingWarning,
    ExpressionError,
    batch_coupling,
    batch_hessian,
    batch_jacobian,
    finite_difference_jacobian,
    full_jacobian,
    parse_function,
)

SEED_X = [[4, 2], [1, 3]]
SEED_JAC = [[[48, 0], [0, 12]], [[3, 0], [0, 27]]]
SEED_HESS = [[[[24, 0], [0, 0]], [[0, 0], [0, 12]]], [[[6, 0], [0, 0]], [[0, 0], [0, 18]]]]

RNG = np.random.default_rng(7)
W_DENSE = RNG.standard_normal((4, 3))
B_DENSE = RNG.standard_normal(3)
W_WIDE = RNG.standard_normal((16, 16)) / 4


# ---------------------------------------------------------------- functions


def cube(x):
    return x * x * x


def dense_tanh(x):
    return anp.tanh(anp.dot(x, W_DENSE) + B_DENSE)


def softmax(x):
    z = anp.exp(x - anp.max(x, axis=1, keepdims=True))
    return z / anp.sum(z, axis=1, keepdims=True)


def rank3(x):
    """(B, 3, 5) -> (B, 3, 5): every entry of an example talks to every other."""
    return anp.sin(x) * anp.sum(x**2, axis=(1, 2), keepdims=True)


def mixed(x):
    """(B, 3) -> (B, 4): more outputs than inputs, entries mixing the inputs."""
    x0, x1, x2 = x[:, 0], x[:, 1], x[:, 2]
    return anp.stack([x0 * x1, anp.sin(x0) + x2**2, anp.exp(-x1) * x2, x0 * x1 * x2], axis=1)


def squash(x):
    """(B, 4) -> (B, 2): fewer outputs than inputs."""
    return anp.stack([anp.sum(anp.tanh(x), axis=1), anp.prod(x, axis=1)], axis=1)


def sum_coupled(x):
    """tensorflow#38428: the gradient of x0² + x1² + x0·x1 is x + sum(x)."""
    return x + anp.sum(x, axis=0, keepdims=True)


def first_row_coupled(x):
    """Only example 0 looks at another example (example 1)."""
    return anp.concatenate([x[:1] * x[1:2], x[1:]], axis=0)


def cube_plus_square_of_sum(x):
    """f_b = x_b³ + (Σx)²: coupled non-linearly, so its Hessians are wrong under TF too."""
    return x**3 + anp.sum(x, axis=0, keepdims=True) ** 2


def constant(x):
    return anp.ones((x.shape[0], 3))


CASES = [
    (dense_tanh, (5, 4)),
    (softmax, (4, 3)),
    (rank3, (2, 3, 5)),
    (mixed, (3, 3)),
    (squash, (3, 4)),
]
CASE_IDS = ["dense_tanh", "softmax", "rank3", "mixed", "squash"]


def per_example_reference(f, x, order):
    """Independent reference: ``autograd.jacobian`` nested ``order`` times, per example."""

    def one_example(xb):
        return f(xb[None])[0]

    derivative = one_example
    for _ in range(order):
        derivative = autograd.jacobian(derivative)
    return np.stack([derivative(xb) for xb in x])


def random_batch(shape, scale=1.0):
    return np.random.default_rng(sum(shape)).standard_normal(shape) * scale


# ------------------------------------------------------------------- the seed


def test_seed_order_1_is_exact_float32():
    jac = batch_jacobian(cube, np.array(SEED_X, dtype=np.float32))
    assert jac.dtype == np.float32
    np.testing.assert_array_equal(jac, SEED_JAC)


def test_seed_order_2_is_exact_float32():
    hess = batch_jacobian(cube, np.array(SEED_X, dtype=np.float32), order=2)
    assert hess.dtype == np.float32
    np.testing.assert_array_equal(hess, SEED_HESS)
    np.testing.assert_array_equal(batch_hessian(cube, np.float32(SEED_X)), SEED_HESS)


def test_formula_text_is_parsed():
    x = np.array(SEED_X, dtype=np.float32)
    np.testing.assert_array_equal(batch_jacobian("x**3", x), SEED_JAC)
    np.testing.assert_array_equal(batch_hessian("x**3", x), SEED_HESS)


# --------------------------------------------- agreement with the references


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("mode", ["auto", "forward", "reverse"])
@pytest.mark.parametrize(("f", "shape"), CASES, ids=CASE_IDS)
def test_matches_per_example_autograd(f, shape, mode, order):
    x = random_batch(shape)
    jac = batch_jacobian(f, x, order=order, mode=mode)
    expected = per_example_reference(f, x, order)
    assert jac.shape == expected.shape
    np.testing.assert_allclose(jac, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize(("f", "shape"), CASES, ids=CASE_IDS)
def test_matches_finite_differences(f, shape, order):
    x = random_batch(shape)
    tolerance = 1e-8 if order == 1 else 1e-5
    fd = finite_difference_jacobian(f, x, order=order)
    np.testing.assert_allclose(batch_jacobian(f, x, order=order), fd, atol=tolerance)


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 100])
def test_chunks_give_the_same_result(chunk_size):
    x = random_batch((7, 4))
    whole = batch_jacobian(dense_tanh, x, order=2)
    np.testing.assert_array_equal(
        batch_jacobian(dense_tanh, x, order=2, chunk_size=chunk_size), whole
    )


def test_scalar_per_example_gives_gradients():
    x = random_batch((3, 2, 5))
    grads = batch_jacobian(lambda x: anp.sum(x**2, axis=(1, 2)), x)
    np.testing.assert_allclose(grads, 2 * x)
    hess = batch_hessian(lambda x: anp.sum(x**2, axis=(1, 2)), x)
    np.testing.assert_allclose(
        hess, np.broadcast_to(2 * np.eye(10).reshape(2, 5, 2, 5), hess.shape)
    )


def test_batch_of_one():
    x = random_batch((1, 4))
    np.testing.assert_allclose(
        batch_jacobian(dense_tanh, x), per_example_reference(dense_tanh, x, 1)
    )
    np.testing.assert_allclose(
        batch_hessian(dense_tanh, x), per_example_reference(dense_tanh, x, 2)
    )


@pytest.mark.parametrize(
    ("function", "order", "shape"),
    [
        (batch_jacobian, 1, (0, 3, 4)),
        (batch_jacobian, 2, (0, 3, 4, 4)),
        (finite_difference_jacobian, 1, (0, 3, 4)),
        (finite_difference_jacobian, 2, (0, 3, 4, 4)),
        (full_jacobian, 1, (0, 3, 0, 4)),
    ],
)
def test_empty_batch_gives_empty_result(function, order, shape):
    kw = {"order": order} if function is not full_jacobian else {}
    result = function(dense_tanh, np.zeros((0, 4), dtype=np.float32), **kw)
    assert result.shape == shape
    assert result.dtype == np.float32


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_empty_batch_has_no_coupling(dtype):
    assert batch_coupling(dense_tanh, np.zeros((0, 4), dtype=dtype)) == 0.0


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("mode", ["auto", "forward", "reverse"])
def test_output_independent_of_x_gives_zeros_silently(order, mode):
    x = np.float32(SEED_X)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        jac = batch_jacobian(constant, x, order=order, mode=mode)
        full = full_jacobian(constant, x)
        fd = finite_difference_jacobian(constant, x, order=order)
    assert caught == []
    assert jac.shape == (2, 3, *(2,) * order)
    assert jac.dtype == np.float32
    assert not jac.any()
    assert full.shape == (2, 3, 2, 2)
    assert not full.any()
    assert not fd.any()


def integer_ones(x):
    return np.ones((x.shape[0], 2), int)


def bool_ones(x):
    return np.ones((x.shape[0], 2), bool)


def rounded_class(x):
    """Integer-valued (a class label per input): piecewise constant in x."""
    return (x > 2).astype(np.int8)


@pytest.mark.parametrize("f", [integer_ones, bool_ones, rounded_class])
@pytest.mark.parametrize("x", [SEED_X, np.float32(SEED_X), [[4.0, 2.0]]], ids=["f64", "f32", "B1"])
@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("check", ["warn", "off"])
@pytest.mark.parametrize("mode", ["auto", "forward", "reverse"])
def test_integer_or_bool_output_gives_zeros_of_xs_dtype(f, x, order, check, mode):
    """autograd used to raise "data type int64 not inexact" on such outputs."""
    dtype = np.asarray(x).dtype if np.asarray(x).dtype != int else np.float64
    B = len(x)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        jac = batch_jacobian(f, x, order=order, check=check, mode=mode)
    assert jac.shape == (B, 2, *(2,) * order)
    assert jac.dtype == dtype
    np.testing.assert_array_equal(jac, 0.0)


@pytest.mark.parametrize("f", [integer_ones, bool_ones])
@pytest.mark.parametrize("order", [1, 2])
def test_integer_or_bool_output_in_the_other_entry_points(f, order):
    x = np.float32(SEED_X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fd = finite_difference_jacobian(f, x, order=order)  # bool used to fail: bool - bool
        full = full_jacobian(f, x)
        coupling = batch_coupling(f, x)
    assert fd.shape == (2, 2, *(2,) * order)
    assert fd.dtype == full.dtype == np.float32
    np.testing.assert_array_equal(fd, 0.0)
    np.testing.assert_array_equal(full, np.zeros((2, 2, 2, 2)))
    assert coupling == 0.0


def test_float16_is_kept_and_exact_where_float16_can_be():
    """The seed's values are small integers, all exact in float16 (11-bit significand)."""
    x = np.float16(SEED_X)
    jac = batch_jacobian(cube, x)
    hess = batch_hessian(cube, x)
    assert jac.dtype == hess.dtype == np.float16
    np.testing.assert_array_equal(jac, SEED_JAC)
    np.testing.assert_array_equal(hess, SEED_HESS)
    fd = finite_difference_jacobian(cube, x)
    assert fd.dtype == np.float16
    np.testing.assert_allclose(fd.astype(float), SEED_JAC, rtol=2e-2, atol=0.1)
    assert not np.array_equal(fd, jac)  # h ≈ 0.1·|x| in float16: visibly inexact


def test_output_partly_independent_of_x():
    def half(x):
        return anp.stack([x[:, 0] ** 2, anp.ones(x.shape[0])], axis=1)

    jac = batch_jacobian(half, [[3.0, 1.0], [-1.0, 2.0]])
    np.testing.assert_array_equal(jac, [[[6, 0], [0, 0]], [[-2, 0], [0, 0]]])


def log_raw(x):
    """``log`` written with autograd.numpy directly: no ``errstate`` of its own."""
    return anp.log(x)


LOG_AT_ZERO = np.array([[0.0, 1.0], [2.0, 4.0]])  # d log(x)/dx = 1/x: inf at x = 0


@pytest.mark.parametrize("f", ["log(x)", log_raw], ids=["formula", "callable"])
@pytest.mark.parametrize("check", ["warn", "raise", "off"])
@pytest.mark.parametrize("mode", ["auto", "forward", "reverse"])
@pytest.mark.parametrize("order", [1, 2])
def test_numerical_trouble_stays_in_the_values(f, check, mode, order):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        jac = batch_jacobian(f, LOG_AT_ZERO, order=order, check=check, mode=mode)
    assert caught == []
    if order == 1:
        assert jac[0, 0, 0] == np.inf  # 1/0
        np.testing.assert_array_equal(jac[1], [[0.5, 0.0], [0.0, 0.25]])
    else:
        assert not np.isfinite(jac[0, 0, 0, 0])  # -1/0²
        np.testing.assert_array_equal(jac[1, 1], [[0.0, 0.0], [0.0, -1 / 16]])


@pytest.mark.parametrize("f", ["log(x)", log_raw], ids=["formula", "callable"])
@pytest.mark.parametrize(
    "function",
    [full_jacobian, batch_coupling, finite_difference_jacobian, batch_hessian],
    ids=["full", "coupling", "finite", "hessian"],
)
def test_numerical_trouble_spills_no_warning_from_any_entry_point(f, function):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = function(f, LOG_AT_ZERO)
    assert caught == []
    # batch_coupling is nan too: autograd's rule for log, g / x, gives 0 / 0 = nan
    # in the column of x = 0 of every other example's block
    assert not np.all(np.isfinite(result))


# ------------------------------------------------------------------- dtypes


@pytest.mark.parametrize(
    ("x", "dtype"),
    [
        (np.array(SEED_X, dtype=np.float32), np.float32),
        (np.array(SEED_X, dtype=np.float64), np.float64),
        (np.array(SEED_X, dtype=np.int32), np.float64),
        (SEED_X, np.float64),
        ([[True, False]], np.float64),
    ],
)
def test_dtype_rules(x, dtype):
    for function in (batch_jacobian, finite_difference_jacobian, full_jacobian):
        assert function(cube, x).dtype == dtype


# -------------------------------------------------------------- error cases


@pytest.mark.parametrize("function", [batch_jacobian, full_jacobian, finite_difference_jacobian])
def test_complex_input_is_a_type_error(function):
    with pytest.raises(TypeError, match="complex"):
        function(cube, np.ones((2, 2), dtype=complex))


def test_complex_output_is_a_type_error():
    with pytest.raises(TypeError, match="complex"):
        batch_jacobian(lambda x: x * 1j, np.ones((2, 2)))


def test_non_numeric_input_is_a_type_error():
    with pytest.raises(TypeError, match="real numbers"):
        batch_jacobian(cube, [["a", "b"]])


@pytest.mark.parametrize("function", [batch_jacobian, full_jacobian, finite_difference_jacobian])
@pytest.mark.parametrize("x", [[1.0, 2.0, 3.0], 4.0])
def test_rank_below_two_asks_for_a_batch_axis(function, x):
    with pytest.raises(ValueError, match=r"batch axis.*x\[None\]"):
        function(cube, x)


@pytest.mark.parametrize("function", [batch_jacobian, full_jacobian, finite_difference_jacobian])
def test_output_batch_size_must_match(function):
    with pytest.raises(ValueError, match=r"shape \(3,\).*shape \(2, 3\)"):
        function(lambda x: anp.sum(x, axis=0), np.ones((2, 3)))


def test_scalar_output_is_rejected():
    with pytest.raises(ValueError, match=r"f\(x\) has shape \(\) but x has shape \(2, 3\)"):
        batch_jacobian(anp.sum, np.ones((2, 3)))


def fixed_weights(x):
    """TF's contract allows it (one row per example) but only at B = 2: w is (2, 1)."""
    return x * np.array([[1.0], [2.0]])


def fixed_reshape(x):
    return anp.reshape(x, (2, 2)) ** 2


def fixed_rows(x):
    return x[:2] ** 2


FIXED_X = np.array([[1.0, 2.0], [3.0, 4.0]])
FIXED = {  # order 1 and order 2 by hand, at FIXED_X
    fixed_weights: ([np.eye(2), 2 * np.eye(2)], np.zeros((2, 2, 2, 2))),
    fixed_reshape: ([np.diag([2.0, 4.0]), np.diag([6.0, 8.0])], None),
    fixed_rows: ([np.diag([2.0, 4.0]), np.diag([6.0, 8.0])], None),
}
TWOS = np.zeros((2, 2, 2, 2))
TWOS[:, [0, 1], [0, 1], [0, 1]] = 2.0  # d²(x_i²)/dx_i² = 2, on the diagonal only


@pytest.mark.parametrize("f", list(FIXED), ids=lambda f: f.__name__)
@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("mode", ["auto", "forward", "reverse"])
def test_function_that_works_at_its_own_batch_size_only(f, order, mode):
    """Fixed (B, 1) weights, a fixed reshape, fixed rows: fine for TF, and now for jacviz."""
    jac_1, hess = FIXED[f]
    expected = np.array(jac_1) if order == 1 else (TWOS if hess is None else hess)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        jac = batch_jacobian(f, FIXED_X, order=order, mode=mode, check="raise")
        fd = finite_difference_jacobian(f, FIXED_X, order=order)
    np.testing.assert_array_equal(jac, expected)
    np.testing.assert_allclose(fd, expected, atol=1e-5)


def test_a_list_output_is_refused_with_the_way_out():
    """A list of traced rows is a constant to autograd: it would give zeros silently."""
    with pytest.raises(TypeError, match=r"f\(x\) is a list.*anp.stack") as info:
        batch_jacobian(lambda x: [x[0]], [[1.0, 2.0]])
    assert "not an array" in str(info.value)


@pytest.mark.parametrize("check", ["warn", "off"])
@pytest.mark.parametrize("function", [batch_jacobian, finite_difference_jacobian])
def test_errors_of_f_on_x_itself_are_not_rewritten(function, check):
    def wrong_width(x):
        return anp.dot(x, np.ones((3, 3)))

    kw = {"check": check} if function is batch_jacobian else {}
    with pytest.raises(ValueError, match="shapes") as info:
        function(wrong_width, np.ones((2, 2)), **kw)
    assert "stacked" not in str(info.value)
    assert info.value.__cause__ is None


def test_errors_that_are_not_about_the_batch_size_are_not_rewritten():
    """Plain numpy on autograd's boxes fails while traced; untraced it takes any size."""

    def plain_numpy(x):
        return anp.sin(np.asarray(x, dtype=float))

    plain_numpy(np.ones((12, 2)))  # any size works untraced
    with pytest.raises(ValueError, match="setting an array element") as info:
        batch_jacobian(plain_numpy, np.ones((3, 2)), check="off")
    assert "stacked" not in str(info.value)


@pytest.mark.parametrize(
    "options",
    [{"order": 3}, {"order": 0}, {"check": "loud"}, {"mode": "sideways"}, {"chunk_size": 0}],
)
def test_bad_options(options):
    with pytest.raises(ValueError, match=next(iter(options))):
        batch_jacobian(cube, SEED_X, **options)


ORDER_TYPE_ERRORS = [
    ({"order": 1.0}, r"order must be the int 1 or 2, got 1.0 \(float\)"),
    ({"order": True}, r"order must be the int 1 or 2, got True \(bool\)"),
    ({"order": None}, r"order must be the int 1 or 2, got None"),
]
CHUNK_TYPE_ERRORS = [
    ({"chunk_size": True}, r"chunk_size must be a positive int or None, got True \(bool\)"),
    ({"chunk_size": 2.0}, r"chunk_size must be a positive int or None, got 2.0 \(float\)"),
]


@pytest.mark.parametrize(
    ("function", "options", "message"),
    [(batch_jacobian, *case) for case in ORDER_TYPE_ERRORS + CHUNK_TYPE_ERRORS]
    + [(finite_difference_jacobian, *case) for case in ORDER_TYPE_ERRORS],
)
def test_integer_options_refuse_bool_and_float(function, options, message):
    with pytest.raises(TypeError, match=message):
        function(cube, SEED_X, **options)


@pytest.mark.parametrize("integer", [np.int64, np.int32, np.uint8, int])
def test_integer_options_take_numpy_integers(integer):
    x = np.float32(SEED_X)
    np.testing.assert_array_equal(batch_jacobian(cube, x, order=integer(2)), SEED_HESS)
    np.testing.assert_array_equal(batch_jacobian(cube, x, chunk_size=integer(1)), SEED_JAC)
    fd = finite_difference_jacobian(cube, SEED_X, order=integer(2))
    np.testing.assert_allclose(fd, SEED_HESS, atol=1e-5)


@pytest.mark.parametrize(
    ("eps", "error", "message"),
    [
        (np.inf, ValueError, r"eps must be a positive finite step h, or None, got inf"),
        (np.nan, ValueError, r"eps must be a positive finite step h, or None, got nan"),
        ("a", TypeError, r"eps must be a positive real step h, or None, got 'a' \(str\)"),
        ([1e-3], TypeError, r"eps must be a positive real step h.*got \[0.001\] \(list\)"),
        (True, TypeError, r"eps must be a positive real step h.*got True \(bool\)"),
        (1e-20, ValueError, r"eps=1e-20 is below the float64 spacing of x"),
    ],
)
@pytest.mark.parametrize("order", [1, 2])
def test_finite_difference_step_must_be_a_positive_finite_real(eps, error, message, order):
    with pytest.raises(error, match=message):
        finite_difference_jacobian(cube, SEED_X, eps=eps, order=order)


def test_finite_difference_step_below_float32_spacing_is_explained():
    with pytest.raises(ValueError, match=r"eps=1e-08 is below the float32 spacing"):
        finite_difference_jacobian(cube, np.float32(SEED_X), eps=1e-8)
    fd = finite_difference_jacobian(cube, SEED_X, eps=np.float32(1e-3))  # numpy reals are fine
    np.testing.assert_allclose(fd, SEED_JAC, atol=1e-5)


def test_f_must_be_callable_or_text():
    with pytest.raises(TypeError, match="callable"):
        batch_jacobian(3, SEED_X)


@pytest.mark.parametrize("eps", [0.0, -1e-3])
def test_finite_difference_step_must_be_positive(eps):
    with pytest.raises(ValueError, match="eps"):
        finite_difference_jacobian(cube, SEED_X, eps=eps)


# ------------------------------------------------------- per-example data

TF_X = np.array([[1.0, 2.0], [3.0, 4.0]])
TF_C = np.array([[3.0, 4.0], [5.0, 6.0]])
TF_JAC = [[[6.0, 0.0], [0.0, 16.0]], [[30.0, 0.0], [0.0, 48.0]]]  # d(c x²)/dx = 2 c x


def tf_test_function(x):
    """TensorFlow's own batch_jacobian test: y = x * x * c, c one row per example."""
    return x * x * TF_C


@pytest.mark.parametrize("check", ["warn", "raise", "off"])
@pytest.mark.parametrize("mode", ["auto", "forward", "reverse"])
def test_tensorflows_per_example_data_test(check, mode):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no false coupling alarm
        jac = batch_jacobian(tf_test_function, TF_X, check=check, mode=mode)
        hess = batch_hessian(tf_test_function, TF_X, check=check, mode=mode)
    np.testing.assert_array_equal(jac, TF_JAC)
    expected = np.zeros((2, 2, 2, 2))
    expected[:, [0, 1], [0, 1], [0, 1]] = 2 * TF_C  # d²(c x²)/dx² = 2c, diagonal only
    np.testing.assert_array_equal(hess, expected)


def test_per_example_data_in_the_other_entry_points():
    full = full_jacobian(tf_test_function, TF_X)
    np.testing.assert_array_equal(full[[0, 1], :, [0, 1], :], TF_JAC)
    full[[0, 1], :, [0, 1], :] = 0
    assert not full.any()  # off-diagonal blocks: examples are independent
    assert batch_coupling(tf_test_function, TF_X) == 0.0
    np.testing.assert_allclose(finite_difference_jacobian(tf_test_function, TF_X), TF_JAC)
    fd = finite_difference_jacobian(tf_test_function, TF_X, order=2)
    np.testing.assert_allclose(fd, batch_hessian(tf_test_function, TF_X), atol=1e-5)


DATA_RNG = np.random.default_rng(14)
TARGETS = DATA_RNG.standard_normal((5, 3))
WEIGHTS = DATA_RNG.uniform(0.5, 2.0, (5, 1))
MASK = (DATA_RNG.uniform(size=(5, 3)) < 0.5).astype(float)


def squared_error(targets):
    def f(x):
        return (x - targets) ** 2

    return f


def weighted_loss(weights):
    """Per-example weight times a scalar loss: (B,) outputs, gradients (B, n)."""

    def f(x):
        return weights[:, 0] * anp.sum(anp.tanh(x) ** 2, axis=1)

    return f


def masked(mask):
    def f(x):
        return anp.sin(x) * mask + x**3 * (1 - mask)

    return f


def weighted_layer(weights):
    def f(x):
        return anp.tanh(anp.dot(x, W_DENSE[:3]) + B_DENSE) * weights

    return f


DATA_CASES = [(squared_error, TARGETS), (weighted_loss, WEIGHTS), (masked, MASK)]
DATA_CASES += [(weighted_layer, WEIGHTS)]


def each_example_alone(closing, data, x, order):
    """Independent reference: example b alone, with f closing over row b of the data."""
    return np.concatenate(
        [
            per_example_reference(closing(data[b : b + 1]), x[b : b + 1], order)
            for b in range(len(x))
        ]
    )


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("mode", ["auto", "forward", "reverse"])
@pytest.mark.parametrize(
    ("closing", "data"), DATA_CASES, ids=lambda case: getattr(case, "__name__", "")
)
def test_targets_weights_and_masks_match_each_example_alone(closing, data, mode, order):
    x = random_batch((5, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        jac = batch_jacobian(closing(data), x, order=order, mode=mode, check="raise")
    expected = each_example_alone(closing, data, x, order)
    np.testing.assert_allclose(jac, expected, rtol=1e-12, atol=1e-12)


def test_targets_weights_and_masks_by_hand():
    x = random_batch((5, 3))
    jac = batch_jacobian(squared_error(TARGETS), x)
    np.testing.assert_allclose(jac, [np.diag(row) for row in 2 * (x - TARGETS)])
    grads = batch_jacobian(weighted_loss(WEIGHTS), x)  # d(w Σ tanh²)/dx = 2 w tanh / cosh²
    np.testing.assert_allclose(grads, 2 * WEIGHTS * np.tanh(x) / np.cosh(x) ** 2)
    jac = batch_jacobian(masked(MASK), x)
    by_hand = np.where(MASK == 1, np.cos(x), 3 * x**2)
    np.testing.assert_allclose(jac, [np.diag(row) for row in by_hand])


def test_coupling_through_per_example_data_is_still_caught():
    """f_b = c_b x_b Σx: ∂f_b/∂x_b = c_b (Σx + x_b), and every example moves every other."""
    x, c = np.array([[1.0], [2.0], [4.0]]), np.array([[1.0], [3.0], [0.5]])

    def f(x):
        return c * x * anp.sum(x, axis=0, keepdims=True)

    with pytest.raises(BatchCouplingError, match=r"examples \[0, 1, 2\]"):
        batch_jacobian(f, x, check="raise")
    with pytest.warns(BatchCouplingWarning):
        jac = batch_jacobian(f, x)
    np.testing.assert_allclose(jac.ravel(), c.ravel() * (x.sum() + x.ravel()))


@pytest.mark.parametrize("mode", ["auto", "forward", "reverse"])
def test_a_formula_with_per_example_data_in_every_entry_point(mode):
    """(x - t)² written as a formula: TF's semantics, each example with its own target."""
    loss = parse_function("(x - t)**2", data={"t": TARGETS})
    x = random_batch((5, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        jac = batch_jacobian(loss, x, mode=mode, check="raise")
        hess = batch_hessian(loss, x, mode=mode, check="raise")
    np.testing.assert_allclose(jac, [np.diag(row) for row in 2 * (x - TARGETS)], rtol=1e-15)
    np.testing.assert_array_equal(hess, by_hand_twos(5, 3))
    np.testing.assert_allclose(finite_difference_jacobian(loss, x), jac, atol=1e-8)
    full = full_jacobian(loss, x)
    np.testing.assert_allclose(full[np.arange(5), :, np.arange(5)], jac)
    assert batch_coupling(loss, x) == 0.0


def by_hand_twos(B, n):
    """∂²(x_i - t_i)²/∂x_i² = 2 for every example: (B, n, n, n), 2 where i = j = k."""
    hess = np.zeros((B, n, n, n))
    hess[:, np.arange(n), np.arange(n), np.arange(n)] = 2.0
    return hess


def test_a_formula_with_data_for_another_batch_size_says_so():
    loss = parse_function("(x - t)**2", data={"t": TARGETS})
    for function in (batch_jacobian, finite_difference_jacobian, full_jacobian):
        with pytest.raises(ExpressionError, match=r"x holds 4 examples .* the data 't' holds 5"):
            function(loss, random_batch((4, 3)))


LONG_C = np.arange(1.0, 41.0).reshape(20, 2)  # more rows than the batch


def sliced_to_the_batch(x):
    """Per-example data sliced to x's length: stacked copies would read other rows."""
    return x * LONG_C[: len(x)]


def divided_by_the_batch_size(x):
    return x / len(x)


def weighted_by_the_index(x):
    return x * anp.arange(len(x), dtype=float)[:, None]


def paired_with_the_next_copy(x):
    """x² on its own batch; on stacked copies, each row meets its twin in the next copy."""
    partner = (np.arange(len(x)) + 3) % len(x)  # 3 = the batch size below
    return x * x[partner]


QUIET_SIZES = np.ones((3, 2)) * [[1.0], [2.0], [3.0]]


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        (sliced_to_the_batch, [np.diag(row) for row in LONG_C[:3]]),
        (divided_by_the_batch_size, [np.eye(2) / 3] * 3),
        (weighted_by_the_index, [b * np.eye(2) for b in range(3)]),
        (paired_with_the_next_copy, [np.diag(2 * row) for row in QUIET_SIZES]),
    ],
    ids=lambda case: getattr(case, "__name__", ""),
)
@pytest.mark.parametrize("mode", ["auto", "forward", "reverse"])
def test_stacked_copies_that_would_give_wrong_numbers_silently_are_caught(f, expected, mode):
    """None of these raises on stacked copies; each would give them other values or slopes."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        jac = batch_jacobian(f, QUIET_SIZES, mode=mode)
        hess = batch_hessian(f, QUIET_SIZES, mode=mode)
    np.testing.assert_allclose(jac, expected, rtol=1e-15)
    assert hess.shape == (3, 2, 2, 2)
    np.testing.assert_allclose(finite_difference_jacobian(f, QUIET_SIZES), expected, atol=1e-8)


def test_the_fallback_does_not_loop_over_examples():
    """The number of calls of f depends on n and m, never on B."""
    calls = []

    def counted(x):
        calls.append(len(x))
        return anp.tanh(x) * weights[: len(x)]

    counts = []
    for B in (3, 40):
        weights = np.linspace(1.0, 2.0, 3 * B).reshape(B, 3)
        calls.clear()
        jac = batch_jacobian(counted, random_batch((B, 3)))
        counts.append(len(calls))
        assert jac.shape == (B, 3, 3)
    assert counts[0] == counts[1]


# ----------------------------------------------------------------- coupling


def test_coupling_tensorflow_38428_warns_and_returns_true_blocks():
    x = [[1.0], [1.0]]
    with pytest.warns(BatchCouplingWarning, match=r"examples \[0, 1\].*full_jacobian"):
        jac = batch_jacobian(sum_coupled, x)
    np.testing.assert_array_equal(jac, [[[2.0]], [[2.0]]])


@pytest.mark.parametrize("function", [batch_jacobian, batch_hessian])
def test_coupling_warning_points_at_the_callers_line(function):
    with pytest.warns(BatchCouplingWarning) as record:
        line = inspect.currentframe().f_lineno + 1
        function(cube_plus_square_of_sum, [[1.0], [1.0]])
    assert len(record) == 1
    assert record[0].filename == __file__
    assert record[0].lineno == line


def test_coupling_off_returns_the_stacked_sum_trick_value():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        jac = batch_jacobian(sum_coupled, [[1.0], [1.0]], check="off")
    np.testing.assert_array_equal(jac, [[[3.0]], [[3.0]]])


def test_coupling_raise():
    with pytest.raises(BatchCouplingError, match="full_jacobian") as info:
        batch_jacobian(sum_coupled, [[1.0], [1.0]], check="raise")
    assert isinstance(info.value, ValueError)


def test_coupling_message_names_the_example_whose_input_leaks():
    with pytest.raises(BatchCouplingError, match=r"inputs of examples \[1\] move"):
        batch_jacobian(first_row_coupled, random_batch((4, 2)), check="raise")


@pytest.mark.parametrize("B", [2, 3, 7, 16, 64])
@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_coupling_between_any_two_examples_is_found(B, mode):
    """Up to 64 examples every ordered pair is probed: example c feeding example b alone."""
    x = random_batch((B, 2))
    for b, c in [(0, B - 1), (B - 1, 0), (B // 2, B // 3 if B // 3 != B // 2 else 0)]:

        def f(x, b=b, c=c):
            rows = x.shape[0]  # the engine also calls f on stacked copies
            leak = anp.concatenate([anp.zeros((b, 2)), x[c : c + 1], anp.zeros((rows - b - 1, 2))])
            return anp.sin(x) + 0.5 * leak

        with pytest.raises(BatchCouplingError, match=rf"examples \[{c}\] move"):
            batch_jacobian(f, x, check="raise", mode=mode)


@pytest.mark.parametrize("order", [1, 2])
def test_a_row_mixing_function_is_caught_with_a_single_example(order):
    """x³ + mean(x)² over one example is x³ + x², but stacked copies dilute the mean's slope."""

    def f(x):
        return x**3 + anp.mean(x, axis=0, keepdims=True) ** 2

    x = np.array([[0.5, -1.0]])
    with pytest.warns(BatchCouplingWarning, match="not a function of each example alone"):
        jac = batch_jacobian(f, x, order=order)
    if order == 1:
        by_hand = np.diag(3 * x[0] ** 2 + 2 * x[0])
    else:
        by_hand = np.zeros((2, 2, 2))
        by_hand[[0, 1], [0, 1], [0, 1]] = 6 * x[0] + 2
    np.testing.assert_allclose(jac[0], by_hand, atol=1e-15)
    with pytest.raises(BatchCouplingError):
        batch_jacobian(f, x, order=order, check="raise")


def test_coupling_order_2_returns_true_blocks():
    """f = x³ + (Σx)²: ∂f_b/∂x_b = 3x_b² + 2Σx and ∂²f_b/∂x_b² = 6x_b + 2, by hand."""
    x = [[1.0], [2.0]]
    with pytest.warns(BatchCouplingWarning):
        jac = batch_jacobian(cube_plus_square_of_sum, x)
    with pytest.warns(BatchCouplingWarning):
        hess = batch_hessian(cube_plus_square_of_sum, x)
    np.testing.assert_allclose(jac.ravel(), [9.0, 18.0])
    np.testing.assert_allclose(hess.ravel(), [8.0, 14.0])


def test_hessians_left_exact_by_a_linear_coupling_are_not_reported():
    """x + Σx couples examples, but only linearly: every Hessian is 0, as stacked."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hess = batch_hessian(sum_coupled, [[1.0], [1.0]], check="raise")
    np.testing.assert_array_equal(hess, np.zeros((2, 1, 1, 1)))


def test_coupling_found_at_a_point_where_first_order_coupling_vanishes():
    """x·Σx at 0: the off-diagonal first derivatives x_b are 0, the second ones are not."""

    def f(x):
        return x * anp.sum(x, axis=0, keepdims=True)

    x = [[0.0], [0.0]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(batch_jacobian(f, x, check="raise"), np.zeros((2, 1, 1)))
    with pytest.warns(BatchCouplingWarning):
        hess = batch_hessian(f, x)
    np.testing.assert_array_equal(hess.ravel(), [2.0, 2.0])  # ∂²(x_b Σx)/∂x_b² = 2


def test_a_non_finite_example_does_not_hide_coupling():
    """log(0) = -inf in example 0 must not blind the check for the others."""

    def f(x):
        return anp.log(x) + anp.sum(x, axis=0, keepdims=True)

    with pytest.warns(BatchCouplingWarning):
        jac = batch_jacobian(f, [[0.0], [1.0], [2.0]])
    np.testing.assert_array_equal(jac.ravel(), [np.inf, 2.0, 1.5])


def test_a_huge_example_does_not_hide_coupling_between_small_ones():
    def f(x):
        return anp.concatenate([x[:1] ** 3, x[1:] + anp.sum(x[1:], axis=0, keepdims=True)])

    with pytest.warns(BatchCouplingWarning):
        jac = batch_jacobian(f, [[1e8], [1.0], [1.0]])
    np.testing.assert_array_equal(jac.ravel(), [3e16, 2.0, 2.0])


def test_coupling_across_chunks_is_found():
    def centre(x):
        return x - anp.mean(x, axis=0, keepdims=True)

    with pytest.warns(BatchCouplingWarning):
        jac = batch_jacobian(centre, random_batch((6, 2)), chunk_size=1)
    np.testing.assert_allclose(jac, np.broadcast_to((1 - 1 / 6) * np.eye(2), (6, 2, 2)))


def test_reverse_mode_works_for_primitives_without_a_jvp():
    """autograd's det has a VJP but no JVP: the probe must not need one."""

    def det(x):
        return anp.linalg.det(anp.reshape(x, (-1, 2, 2)))

    x = random_batch((3, 4))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        jac = batch_jacobian(det, x, mode="reverse")
    a, b, c, d = x.T  # det = a·d - b·c
    np.testing.assert_allclose(jac, np.stack([d, -c, -b, a], axis=1), rtol=1e-12)


def test_full_jacobian_of_coupled_function():
    full = full_jacobian(sum_coupled, [[1.0], [1.0]])
    np.testing.assert_array_equal(full.reshape(2, 2), [[2.0, 1.0], [1.0, 2.0]])


def test_full_jacobian_diagonal_blocks_are_the_batch_jacobian():
    x = random_batch((3, 2, 5))
    full = full_jacobian(rank3, x)
    assert full.shape == (3, 2, 5, 3, 2, 5)
    diagonal = np.stack([full[b, :, :, b] for b in range(3)])
    np.testing.assert_allclose(diagonal, batch_jacobian(rank3, x), rtol=1e-12)


def test_batch_coupling_values():
    assert batch_coupling(sum_coupled, [[1.0], [1.0]]) == 1.0
    x = random_batch((4, 2))
    # example 0 gets x[0] * x[1]: its block for example 1 is diag(x[0])
    assert batch_coupling(first_row_coupled, x) == pytest.approx(np.abs(x[0]).max())
    assert batch_coupling(dense_tanh, random_batch((5, 4))) == 0.0
    assert batch_coupling(cube, [[2.0, 1.0]]) == 0.0


big_float32 = [
    (cube, (64, 3), 1e3),
    (softmax, (64, 8), 30.0),
    (dense_tanh, (64, 4), 1e-2),
    (lambda x: anp.dot(anp.dot(x, W_WIDE), W_WIDE.T) * 1e4, (64, 16), 1e4),
    (lambda x: anp.exp(x) * anp.exp(-x) + x, (64, 5), 20.0),
    (lambda x: anp.sin(x) ** 2 + anp.cos(x) ** 2, (64, 3), 3.0),  # J = 0 up to round-off
    (lambda x: x - x * 1.0, (64, 3), 1e3),
    (lambda x: anp.log(x**2), (64, 3), 1e-30),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("f", "shape", "scale"), big_float32)
def test_no_false_coupling_alarm_from_round_off(f, shape, scale, dtype):
    x = random_batch(shape, scale).astype(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        batch_jacobian(f, x, check="raise")
        batch_hessian(f, x[:8], check="raise")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_weak_coupling_is_still_seen(dtype):
    """Centring over a batch of 64 couples examples by 1/64 only; big values, float32."""

    def centre(x):
        return x - anp.mean(x, axis=0, keepdims=True)

    x = random_batch((64, 3), 1e3).astype(dtype)
    with pytest.warns(BatchCouplingWarning):
        jac = batch_jacobian(centre, x)
    np.testing.assert_allclose(jac, np.broadcast_to((1 - 1 / 64) * np.eye(3), jac.shape), rtol=1e-6)


# ------------------------------------------------------- finite differences


@pytest.mark.parametrize("order", [1, 2])
def test_finite_difference_error_shrinks_like_eps_squared(order):
    x = random_batch((3, 4))
    exact = batch_jacobian(dense_tanh, x, order=order)
    eps = 1e-2 if order == 1 else 4e-2
    errors = [
        np.abs(finite_difference_jacobian(dense_tanh, x, order=order, eps=h) - exact).max()
        for h in (eps, eps / 2)
    ]
    assert 3.5 < errors[0] / errors[1] < 4.5


FD_STEPS = {1: (1e-2, 5e-3, 2.5e-3, 1.25e-3), 2: (4e-2, 2e-2, 1e-2, 5e-3)}
FD_SWEEP = {1: np.logspace(-1, -9, 33), 2: np.logspace(-0.5, -6, 23)}


def _fd_error(f, x, order, eps=None):
    exact = batch_jacobian(f, x, order=order)
    return np.abs(finite_difference_jacobian(f, x, order=order, eps=eps) - exact).max()


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("f", [dense_tanh, softmax])
def test_finite_difference_error_has_slope_two_until_round_off_takes_over(f, order):
    x = random_batch((3, 4))
    steps = np.array(FD_STEPS[order])
    errors = np.array([_fd_error(f, x, order, h) for h in steps])
    slope = np.polyfit(np.log(steps), np.log(errors), 1)[0]
    assert slope == pytest.approx(2.0, abs=0.05)  # O(h²) over 3 halvings
    np.testing.assert_allclose(errors[:-1] / errors[1:], 4.0, rtol=0.1)
    sweep = np.array([_fd_error(f, x, order, h) for h in FD_SWEEP[order]])
    best = np.argmin(sweep)
    assert 0 < best < len(sweep) - 1  # truncation above the best step, round-off below
    assert sweep[-1] > 100 * sweep[best]  # tiny steps: round-off ~ eps_mach / h**order
    assert _fd_error(f, x, order) < 10 * sweep[best]  # the default step is near-optimal


def test_finite_differences_in_float32_are_close_but_not_exact():
    x = np.float32(SEED_X)
    fd = finite_difference_jacobian(cube, x)
    assert fd.dtype == np.float32
    np.testing.assert_allclose(fd, SEED_JAC, rtol=1e-3, atol=1e-2)
    fd2 = finite_difference_jacobian(cube, x, order=2)
    np.testing.assert_allclose(fd2, SEED_HESS, rtol=1e-2, atol=5e-2)


def test_finite_difference_seed_in_float64():
    np.testing.assert_allclose(finite_difference_jacobian(cube, SEED_X), SEED_JAC, atol=1e-8)


# --------------------------------------------------------------- hypothesis


def rowwise(x):
    """Row-wise for any example shape: every entry of an example depends on all of them."""
    axes = tuple(range(1, x.ndim))
    return anp.tanh(x) * anp.sum(x**2, axis=axes, keepdims=True)


def random_case(order):
    """``(order, B, in_shape)``; order 2 on smaller shapes (``n³`` entries per example)."""
    top_B, top_side = (4, 3) if order == 1 else (3, 2)
    sides = st.lists(st.integers(1, top_side), min_size=1, max_size=2)
    return st.tuples(st.just(order), st.integers(0, top_B), sides)


@settings(max_examples=60, deadline=None)
@given(
    case=st.one_of(random_case(1), random_case(2)),
    seed=st.integers(0, 2**16),
    mode=st.sampled_from(["auto", "forward", "reverse"]),
)
def test_random_shapes_match_the_reference(case, seed, mode):
    order, B, in_shape = case
    x = np.random.default_rng(seed).uniform(-2, 2, (B, *in_shape))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        jac = batch_jacobian(rowwise, x, order=order, mode=mode, check="raise")
    assert jac.shape == (B, *in_shape, *in_shape * order)
    if B:
        np.testing.assert_allclose(
            jac, per_example_reference(rowwise, x, order), rtol=1e-12, atol=1e-12
        )


@settings(max_examples=40, deadline=None)
@given(
    order=st.sampled_from([1, 2]),
    B=st.integers(1, 6),
    n=st.integers(1, 3),
    seed=st.integers(0, 2**16),
    mode=st.sampled_from(["auto", "forward", "reverse"]),
)
def test_random_per_example_data_matches_each_example_alone(order, B, n, seed, mode):
    rng = np.random.default_rng(seed)
    x, data = rng.uniform(-2, 2, (B, n)), rng.uniform(-2, 2, (B, 2, n))

    def closing(data):
        def f(x):
            return anp.tanh(x) * data[:, 0] + (x - data[:, 1]) ** 2

        return f

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        jac = batch_jacobian(closing(data), x, order=order, mode=mode, check="raise")
    expected = each_example_alone(closing, data, x, order)
    np.testing.assert_allclose(jac, expected, rtol=1e-12, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    B=st.integers(2, 300),
    shift=st.integers(1, 299),
    strength=st.sampled_from([1.0, 1e-6, 1e-12]),
    dtype=st.sampled_from([np.float32, np.float64]),
    mode=st.sampled_from(["forward", "reverse"]),
)
def test_probe_finds_a_coupling_made_at_any_batch_size_however_weak(
    B, shift, strength, dtype, mode
):
    """Example b - shift feeds example b: a roll over whatever batch f is given."""
    shift = 1 + (shift - 1) % (B - 1)
    x = random_batch((B, 2)).astype(dtype)

    def f(x):
        return anp.sin(x) + strength * anp.concatenate([x[-shift:], x[:-shift]])

    with pytest.raises(BatchCouplingError, match="inputs of examples"):
        batch_jacobian(f, x, check="raise", mode=mode)


@settings(max_examples=40, deadline=None)
@given(
    B=st.integers(2, 64),
    pair=st.tuples(st.integers(0, 63), st.integers(0, 63)),
    strength=st.sampled_from([0.5, 1e-6]),
)
def test_probe_finds_one_coupled_pair_up_to_64_examples(B, pair, strength):
    """Example c alone feeds example b, at their places in f's own batch.

    On stacked copies only the first copy has the coupling: the copies' values
    disagree with f(x) (down to 4e-11 of them in float64), so the exact probe
    runs on the batch as it is. Weaker than that, see docs/coupling.md.
    """
    b, c = pair[0] % B, pair[1] % B
    if b == c:
        c = (b + 1) % B
    x = random_batch((B, 2))

    def f(x):
        rows = x.shape[0]
        leak = anp.concatenate([anp.zeros((b, 2)), x[c : c + 1], anp.zeros((rows - b - 1, 2))])
        return anp.sin(x) + strength * leak

    with pytest.raises(BatchCouplingError, match=rf"inputs of examples \[{c}\] move"):
        batch_jacobian(f, x, check="raise")
