"""The formula language: values, derivatives, shapes, errors and LaTeX.

References are written independently, per example, with ``autograd.numpy``;
the compiled (vectorised) formula must agree with them in value and in its
first and second derivatives, and must not couple examples.
"""

import re
import warnings

import autograd
import autograd.numpy as anp
import numpy as np
import pytest

from jacviz import (
    ALLOWED_FUNCTIONS,
    ExpressionError,
    Function,
    batch_hessian,
    batch_jacobian,
    jacobian_formulas,
    parse_function,
)

X2 = np.array([[0.3, 0.7], [0.5, 0.2], [0.9, 0.4]])
X3 = np.array([[0.3, 0.7, 0.1], [0.5, 0.2, 0.8], [0.9, 0.4, 0.6]])
XM = np.array([[[0.3, 0.7], [0.1, 0.5]], [[0.2, 0.8], [0.9, 0.4]]])
A = np.array([[2.0, 1.0], [-0.5, 3.0]])
W = np.array([[1.0, -0.5, 0.25], [0.5, 0.75, -1.0]])
B_VEC = np.array([0.1, -0.2])
CONSTANTS = {"A": A, "W": W, "b": B_VEC}


def _sigmoid(v):
    return 1 / (1 + anp.exp(-v))


def _softmax(v):
    return anp.exp(v) / anp.sum(anp.exp(v))


# (formula, batch, per-example reference in autograd.numpy)
CASES = [
    ("x**3", X2, lambda v: v**3),
    ("sin(x)", X2, anp.sin),
    ("[x[0]*x[1], x[0] + x[1]]", X2, lambda v: anp.array([v[0] * v[1], v[0] + v[1]])),
    (
        "[x[0]*cos(x[1]), x[0]*sin(x[1])]",
        X2,
        lambda v: anp.array([v[0] * anp.cos(v[1]), v[0] * anp.sin(v[1])]),
    ),
    ("A @ x", X2, lambda v: anp.dot(A, v)),
    ("x @ A", X2, lambda v: anp.dot(v, A)),
    ("x @ A @ x", X2, lambda v: anp.dot(v, anp.dot(A, v))),
    ("tanh(W @ x + b)", X3, lambda v: anp.tanh(anp.dot(W, v) + B_VEC)),
    ("softmax(x)", X3, _softmax),
    ("logsumexp(x)", X3, lambda v: anp.log(anp.sum(anp.exp(v)))),
    ("norm(x)", X3, lambda v: anp.sqrt(anp.sum(v**2))),
    ("sum(x**2)", X3, lambda v: anp.sum(v**2)),
    ("prod(x)", X3, lambda v: v[0] * v[1] * v[2]),
    ("prod([x[0], 0, x[1]]) + prod(x - x[0])", X2, lambda v: 0 * v[0] + (v[1] - v[0]) * 0),
    ("prod(x * [[1], [2], [3]])", X2, lambda v: 36 * (v[0] * v[1]) ** 3),  # 6 entries: halving
    ("mean(x)", X3, lambda v: (v[0] + v[1] + v[2]) / 3),
    ("max(x)", X3, lambda v: anp.max(v)),
    ("min(x)", X3, lambda v: anp.min(v)),
    ("[x[0], 1]", X2, lambda v: anp.array([v[0], 1.0])),
    (  # more than 8 entries: stacked in a tree of stacks
        "[" + ", ".join(f"{k}*x[{k % 2}]" for k in range(19)) + "]",
        X2,
        lambda v: anp.array([k * v[k % 2] for k in range(19)]),
    ),
    ("x[-1] * x[0:2]", X3, lambda v: v[2] * v[:2]),
    ("x[::2] + x[1]", X3, lambda v: v[::2] + v[1]),
    ("outer(x, x)", X2, lambda v: anp.outer(v, v)),
    ("dot(x, x)", X2, lambda v: anp.dot(v, v)),
    ("arctan2(x[0], x[1])", X2, lambda v: anp.arctan2(v[0], v[1])),
    ("sigmoid(x)", X2, _sigmoid),
    ("relu(x - 0.4)", X2, lambda v: anp.maximum(v - 0.4, 0)),
    ("softplus(x)", X2, lambda v: anp.log(1 + anp.exp(v))),
    (
        "exp(x) + log(x) + log1p(x) + expm1(x)",
        X2,
        lambda v: 2 * anp.exp(v) + anp.log(v) + anp.log(1 + v) - 1,
    ),
    ("sqrt(x) + abs(x - 0.4) + square(x)", X2, lambda v: v**0.5 + anp.abs(v - 0.4) + v * v),
    (
        "tan(x) + arcsin(x) + arccos(x) + arctan(x)",
        X2,
        lambda v: anp.tan(v) + anp.pi / 2 + anp.arctan(v),
    ),
    ("sinh(x) * cosh(x)", X2, lambda v: anp.sinh(2 * v) / 2),
    ("pi*x + e", X2, lambda v: anp.pi * v + anp.exp(1.0)),
    ("2**x + x**x", X2, lambda v: 2.0**v + v**v),
    ("-x + +x - x/2 + 1/x", X2, lambda v: -v / 2 + 1 / v),
    ("max(x, 0.5) + min(x[0], x[1])", X2, lambda v: anp.maximum(v, 0.5) + anp.minimum(v[0], v[1])),
    ("[[x[0], 0], [0, x[1]]] @ x", X2, lambda v: v**2),
    ("A @ [x[0], 1]", X2, lambda v: anp.dot(A, anp.array([v[0], 1.0]))),
    ("[1, 2] @ x + x @ [3, 4]", X2, lambda v: 4 * v[0] + 6 * v[1]),
    ("W @ [1, 2, 3] + x[0]", X2, lambda v: anp.dot(W, anp.array([1.0, 2.0, 3.0])) + v[0]),
    ("x @ x", XM, lambda v: anp.dot(v, v)),
    ("x[0, 1] * x[1, 0] + sum(x)", XM, lambda v: v[0, 1] * v[1, 0] + anp.sum(v)),
    ("x @ [1, 2] + x[:, 0]", XM, lambda v: anp.dot(v, anp.array([1.0, 2.0])) + v[:, 0]),
    (
        "[[x[0, 0], x[0, 1]], [x[1, 0], 1]]",
        XM,
        lambda v: anp.array([[v[0, 0], v[0, 1]], [v[1, 0], 1.0]]),
    ),
    (
        "softmax(x) * x[0] + x * x[0, 0]",
        XM,
        lambda v: anp.exp(v) / anp.sum(anp.exp(v)) * v[0] + v * v[0, 0],
    ),
    ("sum(x)", X2[:, 0], lambda v: v),
    ("x**2 * sin(x)", X2[:, 0], lambda v: v**2 * anp.sin(v)),
    ("[x, 2*x]", X2[:, 0], lambda v: anp.array([v, 2 * v])),
    ("A @ (x*[1, 1])", X2[:, 0], lambda v: anp.dot(A, v * anp.ones(2))),
]
IDS = [case[0] for case in CASES]


def _parse(text):
    return parse_function(text, constants=CONSTANTS)


def _reference_batch(reference, x):
    return np.stack([reference(example) for example in x])


@pytest.mark.parametrize(("text", "x", "reference"), CASES, ids=IDS)
def test_values_match_the_reference(text, x, reference):
    np.testing.assert_allclose(
        _parse(text)(x), _reference_batch(reference, x), rtol=1e-12, atol=1e-12
    )


@pytest.mark.parametrize(("text", "x", "reference"), CASES, ids=IDS)
def test_first_derivatives_match_and_examples_do_not_couple(text, x, reference):
    f = _parse(text)
    full = autograd.jacobian(f)(x)  # (B, *out, B, *in)
    expected = np.stack([autograd.jacobian(reference)(example) for example in x])
    out_ndim = full.ndim - 1 - x.ndim
    for b in range(x.shape[0]):
        blocks = full[b]  # (*out, B, *in): output example b against every input example
        np.testing.assert_allclose(np.take(blocks, b, axis=out_ndim), expected[b], rtol=1e-10)
        assert np.all(np.delete(blocks, b, axis=out_ndim) == 0)


@pytest.mark.filterwarnings("ignore:Output seems independent of input")  # linear formulas
@pytest.mark.parametrize(("text", "x", "reference"), CASES, ids=IDS)
def test_second_derivatives_match(text, x, reference):
    f = _parse(text)
    example_hessian = autograd.jacobian(autograd.jacobian(_one_example(f)))
    for example in x:
        expected = autograd.jacobian(autograd.jacobian(reference))(example)
        np.testing.assert_allclose(example_hessian(example), expected, rtol=1e-9, atol=1e-10)


def _one_example(f):
    def on_one(example):
        return f(anp.expand_dims(example, 0))[0]

    return on_one


BATCHED_CASES = [case for case in CASES if case[1].ndim >= 2]  # the engine wants (B, *in)


@pytest.mark.filterwarnings("ignore:Output seems independent of input")
@pytest.mark.parametrize("mode", ["forward", "reverse"])
@pytest.mark.parametrize(
    ("text", "x", "reference"), BATCHED_CASES, ids=[case[0] for case in BATCHED_CASES]
)
def test_engine_orders_one_and_two_match_the_reference(text, x, reference, mode):
    f = _parse(text)
    jac = batch_jacobian(f, x, mode=mode)
    hess = batch_hessian(f, x, mode=mode)
    for b, example in enumerate(x):
        np.testing.assert_allclose(jac[b], autograd.jacobian(reference)(example), rtol=1e-10)
        expected = autograd.jacobian(autograd.jacobian(reference))(example)
        np.testing.assert_allclose(hess[b], expected, rtol=1e-9, atol=1e-10)


def test_engine_takes_formula_text():
    jac = batch_jacobian("x**3", np.array([[4.0, 2.0], [1.0, 3.0]]))
    np.testing.assert_array_equal(jac, [[[48, 0], [0, 12]], [[3, 0], [0, 27]]])


@pytest.mark.parametrize(
    "text",
    ["x**3", "tanh(W @ x + b)", "2*x + pi", "softmax(x) + norm(x)", "[x[0], 1] * e", "9**9**9 + x"],
)
def test_float32_stays_float32(text):
    x = X3.astype(np.float32) if "W" in text else X2.astype(np.float32)
    f = _parse(text)
    assert f(x).dtype == np.float32
    assert autograd.jacobian(f)(x).dtype == np.float32


def test_integer_and_nested_list_input_becomes_float():
    y = parse_function("x / 2")([[1, 2], [3, 4]])
    np.testing.assert_array_equal(y, [[0.5, 1.0], [1.5, 2.0]])
    assert y.dtype == np.float64


def test_mean_of_no_entries_is_nan_and_float32_stays_float32():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = parse_function("mean(x[0:0])")(X2.astype(np.float32))
        jac = batch_jacobian("mean(x[0:0])", X2)
    np.testing.assert_array_equal(y, [np.nan] * 3)
    assert y.dtype == np.float32
    np.testing.assert_array_equal(jac, np.zeros((3, 2)))


@pytest.mark.parametrize(
    ("x", "fragment"),
    [
        ([[1, 2], [3]], "different shapes"),
        ([[[1, 2]], [[3, 4], [5, 6]]], "different shapes"),
        ([["a", "b"]], "real numbers, got dtype <U1"),
        ([[None, 1.0]], "real numbers"),
        ([[{}, 1.0]], "real numbers"),
    ],
)
def test_a_bad_batch_is_an_expression_error(x, fragment):
    with pytest.raises(ExpressionError, match=fragment):
        parse_function("x")(x)


@pytest.mark.parametrize("x", [np.ones((2, 2)) + 1j, [[1j, 2.0]], np.ones((2, 2), np.complex64)])
def test_a_complex_batch_is_a_type_error_like_the_engines(x):
    with pytest.raises(TypeError, match=r"complex dtype .*real functions only"):
        parse_function("x")(x)
    with pytest.raises(TypeError, match=r"complex dtype .*real functions only"):
        batch_jacobian("x", x)


def test_fractions_and_bools_become_floats():
    from fractions import Fraction

    y = parse_function("2*x")([[Fraction(1, 2), True]])
    np.testing.assert_array_equal(y, [[1.0, 2.0]])
    assert y.dtype == np.float64


def test_constant_formula_is_broadcast_over_the_batch():
    y = parse_function("[pi, 1]")(np.zeros((3, 5)))
    np.testing.assert_allclose(y, [[np.pi, 1.0]] * 3)


def test_huge_power_is_inf_not_a_big_integer():
    np.testing.assert_array_equal(parse_function("9**9**9")(X2), [np.inf] * 3)
    np.testing.assert_array_equal(parse_function("x * 10**400")(X2), np.full_like(X2, np.inf))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("log(x)", -np.inf),
        ("x / x", np.nan),
        ("1 / x", np.inf),
        ("sqrt(x - 1)", np.nan),
        ("exp(x + 1000)", np.inf),
        ("mean(x[0:0]) + x", np.nan),  # the mean of no entries
        ("prod(x[0:0]) * log(x)", -np.inf),
    ],
)
def test_numerical_trouble_gives_inf_or_nan_without_warnings(text, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = parse_function(text)(np.zeros((2, 2)))
    np.testing.assert_array_equal(y, np.full((2, 2), expected))


@pytest.mark.parametrize(
    ("text", "x", "fragments"),
    [
        ("x[5]", X2, ["index 5", "(2,)"]),
        ("x[0, 1]", X2, ["too many indices", "(2,)"]),
        ("x[0]", X2[:, 0], ["too many indices", "()"]),
        ("A @ x", X3, ["@", "(2, 2)", "(3,)"]),
        ("x @ x", X2[:, 0], ["@", "()"]),
        ("x + [1, 2, 3]", X2, ["cannot combine", "(2,)", "(3,)", "'+'"]),
        ("[x, 1]", X2, ["same shape", "(2,)", "()"]),
        ("outer(x, x)", XM, ["outer", "(2, 2)"]),
        ("arctan2(x, [1, 2, 3])", X2, ["arctan2", "(2,)", "(3,)"]),
        ("dot(x, [1, 2, 3])", X2, ["dot", "(2,)", "(3,)"]),
    ],
)
def test_shape_errors_name_the_shapes_at_first_call(text, x, fragments):
    f = _parse(text)  # parsing succeeds: shapes are only known with data
    with pytest.raises(ExpressionError) as info:
        f(x)
    for fragment in fragments:
        assert fragment in str(info.value)


def test_shape_error_points_at_the_operator():
    with pytest.raises(ExpressionError) as info:
        _parse("x[0] + (A @ x)")(X3)
    assert info.value.position == 10


@pytest.mark.parametrize(
    ("text", "fragment", "position"),
    [
        ("sine(x)", "did you mean 'sin'?", 0),
        ("x + y", "unknown name 'y'", 4),
        ("X**2", "did you mean 'x'?", 0),
        ("2 * sin", "'sin' is a function", 4),
        ("x(2)", "'x' is not a function", 0),
        ("sum(x, 1)", "sum takes 1 argument, got 2", 0),
        ("max(x, 1, 2)", "max takes 1 or 2 arguments, got 3", 0),
        ("x % 2", "operator '%' is not allowed", 2),
        ("x // 2", "operator '//' is not allowed", 2),
        ("x[0.5]", "whole numbers", 2),
        ("x[x[0]]", "whole numbers", 2),
        ("x +", "syntax error", 3),
        ("[x[0], x[1]", "syntax error", 0),
        ("", "empty", 0),
        ("x < 1", "comparisons", 0),
        ("[]", "empty vector", 0),
        ("x, 1", "tuples are not allowed", 0),
        ("3j * x", "complex", 0),
        ("True * x", "True", 0),
        ("2x", "write * for a product, e.g. 2*x", 1),
        ("x[0]x[1]", "e.g. x[0]*x[1]", 4),
        ("(x+1)(x-1)", "write * for a product", 0),
        ("x^2", "write ** for a power", 1),
        ("np.sin(x)", "write sin(x) without a module prefix", 0),
        ("np.arctan2(x[0],\n x)", "write arctan2(x[0],\n x) without a module prefix", 0),
        ("np.sin(x, __import__)", "write sin(x) without a module prefix", 0),
        # syntax errors say what to type instead
        ("arctan2(x, x", "'(' is never closed: add a ')'", 7),
        ("log1p(x) +", "ends with '+'", 10),
        ("expm1(x))", "')' closes nothing", 8),
        ("sin x", "parentheses around its argument: write sin(x)", 4),
        ("2 x", "write * for a product, e.g. 2*x", 2),
        ("x y", "write * for a product, e.g. x*y", 2),
        ("sin(x) cos(x)", "e.g. sin(x)*cos(x)", 7),
        ("1e-5x", "e.g. 1e-5*x", 4),
        ("x[]", "an index is missing", 2),
        ("x;x", "';' is not allowed", 1),
        ("y = x**2", "type only the right-hand side, e.g. x**2", 2),
        ("f(x) = x**2", "type only the right-hand side, e.g. x**2", 5),
        ("x += 1", "type only the right-hand side", 2),
        ("08", "write 8 rather than 08", 0),
        ("x + 0008", "write 8 rather than 0008", 4),
        ("0x2", "0x2 is not a number here", 0),
        ("0b11 * x", "0b11 is not a number here", 0),
        ("x * 0o7", "0o7 is not a number here", 4),
        ("x[0x1]", "0x1 is not a number here", 2),
        ("x $ 2", "a formula is one expression", 2),
        ("'abc", "strings", 0),
        # surrounding whitespace is not an indent; positions are the user's columns
        (" x + y", "unknown name 'y'", 5),
        ("\t\tsine(x)", "did you mean 'sin'?", 2),
        ("  2x", "e.g. 2*x", 3),
        ("\n x +", "ends with '+'", 5),
        # a carriage return is the line break Python sees, column for column (#11)
        ("[x[0],\r0x10]", "0x10 is not a number here", 7),
        ("(x +\r0b11*x)", "0b11 is not a number here", 5),
        ("[x[0],\r\n0o7]", "0o7 is not a number here", 8),
        ("(x\r+ y)", "unknown name 'y'", 5),
        ("(x\r\n+ y)", "unknown name 'y'", 6),
        ("\r\rx + y", "unknown name 'y'", 6),
        ("([x[0],\r x[1]]\r\n + y)", "unknown name 'y'", 19),
    ],
)
def test_language_errors_say_what_is_allowed_and_where(text, fragment, position):
    with pytest.raises(ExpressionError) as info:
        _parse(text)
    assert fragment in str(info.value)
    assert info.value.position == position


@pytest.mark.parametrize(
    "name", [name for name in ALLOWED_FUNCTIONS if any(c.isdigit() for c in name)]
)
@pytest.mark.parametrize("broken", ["{f}(x, x", "{f}(x) +", "{f}(x))", "[{f}(x), x", "{f}(x) x"])
def test_digits_inside_names_are_never_split(name, broken):
    text = broken.format(f=name)
    with pytest.raises(ExpressionError) as info:
        parse_function(text)
    digit = next(k for k, c in enumerate(name) if c.isdigit())
    assert f"{name[:digit]}*" not in str(info.value)
    assert info.value.position not in range(1, len(name))  # never inside the name


@pytest.mark.parametrize("text", [" x**3", "\tx**3", "x**3 ", "\n  x**3\n", "\t x**3\t"])
def test_surrounding_whitespace_is_ignored(text):
    f = parse_function(text)
    np.testing.assert_array_equal(f(X2), X2**3)
    assert f.source == text
    assert f.latex == "x^{3}"


def test_shape_errors_point_at_the_users_column_after_leading_whitespace():
    with pytest.raises(ExpressionError) as info:
        _parse("  x[0] + (A @ x)")(X3)
    assert info.value.position == 12


def test_unknown_names_say_how_to_pass_a_constant():
    with pytest.raises(ExpressionError) as info:
        parse_function("W @ x")
    assert str(info.value) == (
        "unknown name 'W' — pass it in constants={'W': ...} (or data={'W': ...}, one row "
        "per example), or use one of: x, pi, e"
    )
    with pytest.raises(ExpressionError) as info:
        parse_function("X**2", constants={"A": 1.0}, data={"t": [[1.0]]})
    assert str(info.value) == (
        "unknown name 'X' — did you mean 'x'? Otherwise pass it in constants={'X': ...} "
        "(or data={'X': ...}, one row per example), or use one of: x, pi, e, A, t"
    )


def test_unknown_function_lists_the_allowed_ones():
    with pytest.raises(ExpressionError) as info:
        parse_function("2 * foo(x)")
    assert info.value.position == 4
    assert str(info.value).startswith("unknown function 'foo'. Allowed: sin, cos,")
    assert all(name in str(info.value) for name in ALLOWED_FUNCTIONS)


def test_position_counts_across_lines():
    with pytest.raises(ExpressionError) as info:
        parse_function("[x[0],\n y]")
    assert info.value.position == 8


LATEX_CASES = [
    ("x[0]*x[1]", "x_{0} x_{1}"),
    ("sin(x[0])", r"\sin\left(x_{0}\right)"),
    ("x[0]/x[1]", r"\frac{x_{0}}{x_{1}}"),
    ("W @ x + b", "W x + b"),
    ("[x[0], x[1]**2]", r"\begin{bmatrix} x_{0} \\ x_{1}^{2} \end{bmatrix}"),
    ("[[1, x[0]], [0, 1]]", r"\begin{bmatrix} 1 & x_{0} \\ 0 & 1 \end{bmatrix}"),
    ("(x[0] + 1)*(x[1] - 2)", r"\left(x_{0} + 1\right) \left(x_{1} - 2\right)"),
    ("x - (x - 1)", r"x - \left(x - 1\right)"),
    ("x - 2*x", "x - 2 x"),
    ("x*-2", r"x \left(-2\right)"),
    ("-(x + 1)", r"-\left(x + 1\right)"),
    ("2*3", r"2 \cdot 3"),
    ("(-x)**2", r"\left(-x\right)^{2}"),
    ("-x**2", "-x^{2}"),
    ("(x**2)**3", r"\left(x^{2}\right)^{3}"),
    ("x**2**3", "x^{2^{3}}"),
    ("exp(-x)", "e^{-x}"),
    ("sqrt(x) + abs(x)", r"\sqrt{x} + \left|x\right|"),
    ("norm(x)", r"\left\lVert x \right\rVert"),
    ("sigmoid(x)", r"\sigma\left(x\right)"),
    ("softmax(x)", r"\operatorname{softmax}\left(x\right)"),
    ("pi*x[0:2]", r"\pi x_{0:2}"),
    ("(A @ x)[1]", r"\left(A x\right)_{1}"),
    ("theta * W1 * bias", r"\theta W_{1} \mathrm{bias}"),
    ("0.5*x + 1e-05", r"0.5 x + 1 \times 10^{-5}"),
    # a base that carries a superscript gets parentheses before another one
    ("exp(x)**2", r"\left(e^{x}\right)^{2}"),
    ("square(exp(x))", r"\left(e^{x}\right)^{2}"),
    ("exp(x[0])**2", r"\left(e^{x_{0}}\right)^{2}"),
    ("exp(x)**exp(x)", r"\left(e^{x}\right)^{e^{x}}"),
    ("1e-5**2", r"\left(1 \times 10^{-5}\right)^{2}"),
    ("-(-x)", r"-\left(-x\right)"),
    # matrix products side by side; elementwise products of non-scalars with odot
    ("x*(W@x)", r"x \odot \left(W x\right)"),
    ("x@A@x", "x A x"),
    ("b*x", r"b \odot x"),
    ("x*x*x", r"x \odot x \odot x"),
    ("theta*x + x[0]*x", r"\theta x + x_{0} x"),
    ("2*W @ x", "2 W x"),
    ("(x*x) @ A", r"\left(x \odot x\right) A"),
    ("A[0, 1]*x + A[0]*x", r"A_{0,1} x + A_{0} \odot x"),
    (
        "sum(x)*x + norm(x)*softmax(x)",
        r"\sum\left(x\right) x + \left\lVert x \right\rVert \operatorname{softmax}\left(x\right)",
    ),
    ("dot(x*x, x)", r"\left(x \odot x\right) \cdot x"),
]


@pytest.mark.parametrize(("text", "latex"), LATEX_CASES)
def test_latex_is_rendered_from_the_tree(text, latex):
    assert parse_function(text, constants=LATEX_CONSTANTS).latex == latex


LATEX_CONSTANTS = {"A": A, "W": W, "b": B_VEC, "theta": 1.0, "W1": 2.0, "bias": 3.0}


def test_elementwise_and_matrix_products_read_differently():
    def latex(text):
        return parse_function(text, constants=LATEX_CONSTANTS).latex

    assert latex("x*(W@x)") != latex("x@W@x")
    assert latex("b*x") != latex("b@x")
    assert latex("(x*x)@A") != latex("x*(x@A)")


def _mathtext_compatible(latex):
    """Swap the MathJax-only constructs (bmatrix, lVert) for ones mathtext knows."""
    for mathjax, mathtext in [
        (r"\begin{bmatrix}", r"\left["),
        (r"\end{bmatrix}", r"\right]"),
        (" & ", r",\ "),
        (r" \\ ", r";\ "),
        (r"\lVert", r"\|"),
        (r"\rVert", r"\|"),
    ]:
        latex = latex.replace(mathjax, mathtext)
    return latex


def _every_test_latex():
    texts = [case[0] for case in CASES] + [case[0] for case in LATEX_CASES]
    latexes = {parse_function(text, constants=LATEX_CONSTANTS).latex for text in texts}
    for text, x in FORMULA_CASES:
        latexes.update(
            entry.latex for entry in _entries(jacobian_formulas(_parse(text), x.shape[1]))
        )
    return sorted(latexes)


def test_every_test_formula_typesets_with_mathtext():
    """Parsing is where mathtext refuses bad LaTeX (``e^{x}^{2}``); drawing adds nothing."""
    from matplotlib.mathtext import MathTextParser

    parser = MathTextParser("path")
    for latex in _every_test_latex():
        assert latex.count(r"\begin{bmatrix}") == latex.count(r"\end{bmatrix}"), latex
        parser.parse(f"${_mathtext_compatible(latex)}$")


def test_function_attributes_and_repr():
    f = parse_function("tanh(W @ x + b) + A[0, 0]", constants=CONSTANTS)
    assert f.source == "tanh(W @ x + b) + A[0, 0]"
    assert f.names == ("W", "b", "A")
    assert repr(parse_function("x**3")) == "Function('x**3')"
    assert "W: (2, 3)" in repr(f)
    assert parse_function(f) is f
    assert isinstance(f, Function)


def test_constants_are_copied_and_read_only():
    weights = np.array([[1.0, 2.0]])
    f = parse_function("W @ x", constants={"W": weights})
    weights[0, 0] = 100.0
    np.testing.assert_allclose(f([[1.0, 1.0]]), [[3.0]])
    with pytest.raises(ValueError, match="read-only"):
        f.constants["W"][0, 0] = 5.0


@pytest.mark.parametrize(
    "constants",
    [
        {"x": 1.0},
        {"sin": 1.0},
        {"pi": 3.0},
        {"_hidden": 1.0},
        {"lambda": 1.0},
        {"two words": 1.0},
        {"s": "text"},
        {"c": [1, [2, 3]]},
        {"z": 1j},
        [("A", 1.0)],
    ],
)
def test_bad_constants_are_rejected(constants):
    with pytest.raises(ExpressionError):
        parse_function("x", constants=constants)


def test_errors_are_value_errors_for_plain_callers():
    with pytest.raises(ValueError, match="unknown name"):
        parse_function("y")


# -- per-example data ---------------------------------------------------------------------

TARGETS = np.array([[1.0, 0.0], [0.5, 2.0], [-1.0, 1.0]])  # one row per example of X2
ROW_WEIGHTS = np.array([2.0, -1.0, 0.5])


def test_data_names_the_examples_own_row():
    f = parse_function("w * sum((x - t)**2)", data={"t": TARGETS, "w": ROW_WEIGHTS})
    by_hand = ROW_WEIGHTS * ((X2 - TARGETS) ** 2).sum(axis=1)
    np.testing.assert_allclose(f(X2), by_hand)
    assert f.names == ("w", "t") and f.batch_size == 3
    assert set(f.data) == {"t", "w"} and not f.constants


def test_data_and_constants_together():
    f = parse_function("W @ (x - t[0:3])", constants={"W": W}, data={"t": X3})
    np.testing.assert_allclose(f(X3), np.zeros((3, 2)))
    np.testing.assert_allclose(f(2 * X3), X3 @ W.T)
    assert f.names == ("W", "t")
    assert (
        repr(f)
        == "Function('W @ (x - t[0:3])', constants of shape {W: (2, 3)}, data of shape {t: (3, 3)})"
    )


def test_data_must_hold_as_many_examples_as_x():
    f = parse_function("(x - t)**2", data={"t": TARGETS})
    with pytest.raises(ExpressionError) as info:
        f(np.ones((4, 2)))
    assert str(info.value) == (
        "x holds 4 examples (shape (4, 2)) but the data 't' holds 3 (shape (3, 2)): give the "
        "data one row per example of x"
    )


def test_data_is_copied_read_only_and_keeps_float32():
    targets = TARGETS.copy()
    f = parse_function("x - t", data={"t": targets})
    targets[0, 0] = 100.0
    y = f(np.float32(X2))
    assert y.dtype == np.float32
    np.testing.assert_allclose(y, np.float32(X2) - TARGETS)
    with pytest.raises(ValueError, match="read-only"):
        f.data["t"][0, 0] = 5.0


@pytest.mark.parametrize(
    ("constants", "data", "fragment"),
    [
        (None, {"t": 1.0}, "one row per example, shape (B, ...); got a scalar"),
        (None, {"t": [[1.0], [2.0]], "w": [1.0, 2.0, 3.0]}, "same number of examples"),
        ({"t": 1.0}, {"t": [1.0, 2.0]}, "both as a constant and as data"),
        (None, {"x": [1.0]}, "cannot name data"),
        (None, {"t": ["a"]}, "data 't' must hold real numbers"),
        (None, [("t", [1.0])], "data must be a mapping"),
    ],
)
def test_bad_data_is_rejected(constants, data, fragment):
    with pytest.raises(ExpressionError, match=re.escape(fragment)):
        parse_function("x", constants=constants, data=data)


def test_a_parsed_function_takes_no_more_data():
    f = parse_function("x - t", data={"t": TARGETS})
    assert parse_function(f) is f
    with pytest.raises(ExpressionError, match="constants and data cannot be given"):
        parse_function(f, data={"t": TARGETS})


def test_data_typesets_like_the_examples_x():
    f = parse_function("w * (x - t)", data={"t": TARGETS, "w": ROW_WEIGHTS})
    assert f.latex == r"w \left(x - t\right)"  # w is a scalar per example: side by side
    vector = parse_function("t * (x - t)", data={"t": TARGETS})
    assert vector.latex == r"t \odot \left(x - t\right)"


def test_data_is_a_constant_to_the_derivatives():
    f = parse_function("w * (x - t)**2", data={"t": TARGETS, "w": ROW_WEIGHTS})
    jac = batch_jacobian(f, X2)
    expected = [
        np.diag(2 * wb * (xb - tb)) for xb, tb, wb in zip(X2, TARGETS, ROW_WEIGHTS, strict=True)
    ]
    np.testing.assert_allclose(jac, expected, rtol=1e-14)
    np.testing.assert_allclose(
        batch_hessian(f, X2), [[np.diag(e) * 2 * wb for e in np.eye(2)] for wb in ROW_WEIGHTS]
    )


def test_formulas_of_a_function_with_data_carry_it():
    f = parse_function("w * (x - t)**2", data={"t": TARGETS, "w": ROW_WEIGHTS})
    formulas = jacobian_formulas(f, 2)
    assert [[entry.source for entry in row] for row in formulas] == [
        ["w*(2*(x[0] - t[0]))", "0"],
        ["0", "w*(2*(x[1] - t[1]))"],
    ]
    assert formulas[0][0].names == ("w", "t")
    np.testing.assert_allclose(formulas[1][1](X2), batch_jacobian(f, X2)[:, 1, 1])
    text = jacobian_formulas("(x - t)**2", 2, data={"t": TARGETS})
    assert text[0][0].source == "2*(x[0] - t[0])"


# -- formulas of Jacobian entries (symbolic differentiation) ------------------------------

FORMULA_CASES = [
    ("x**3", X2),
    ("[x[0]*x[1], x[0] + x[1]]", X2),
    ("[x[0]*cos(x[1]), x[0]*sin(x[1])]", X2),
    ("A @ x", X2),
    ("x @ A @ x", X2),
    ("tanh(W @ x + b)", X3),
    ("softmax(x)", X3),
    ("logsumexp(x)", X3),
    ("norm(x)", X3),
    ("prod(x) + mean(x)", X3),
    ("outer(x, x)", X2),
    ("x[0]/x[1] - x[1]**x[0] + 2**x[0]", X2),
    ("sqrt(x) + log(x) + exp(-x) + log1p(x) + expm1(x)", X2),
    ("tan(x) + arcsin(x) + arccos(x) + arctan(x)", X2),
    ("sinh(x) + cosh(x) + tanh(x)", X2),
    ("abs(x - 0.4) + square(x) + sigmoid(x) + relu(x - 0.5) + softplus(x)", X2),
    ("arctan2(x[0], x[1]) + dot(x, x) + sum(x)", X2),
    ("[x[-1], pi * e, x[0:2] @ x[0:2]]", X3),
    ("-x / (1 + x) - (x - (x[0] - x[1]))", X2),
    ("x * sign(x - 0.4) + [[1, 2], [3, 4]] @ x", X2),
    # signs: two minus signs cancel in products and quotients
    ("(-x[0]) * (-x[1])", X2),
    ("(-2) * (-x[0])", X2),
    ("-sin(x) * -cos(x)", X2),
    ("(-x[0]) / (-x[1])", X2),
    ("(-x[0]) * x[1] + x[0] / (-x[1])", X2),
    ("x[0]/x[0] + x[1] - x[1]", X2),
]


def _evaluate(formulas, x):
    if isinstance(formulas, list):
        return [_evaluate(entry, x) for entry in formulas]
    return formulas(x)


def _entries(formulas):
    if isinstance(formulas, list):
        return [entry for item in formulas for entry in _entries(item)]
    return [formulas]


@pytest.mark.parametrize(("text", "x"), FORMULA_CASES, ids=[case[0] for case in FORMULA_CASES])
def test_formulas_evaluate_to_the_autodiff_jacobian(text, x):
    f = _parse(text)
    formulas = jacobian_formulas(f, x.shape[1])
    values = np.moveaxis(np.array(_evaluate(formulas, x)), -1, 0)  # (*out, n, B) -> (B, *out, n)
    np.testing.assert_allclose(values, batch_jacobian(f, x), rtol=1e-12, atol=1e-14)
    for entry in _entries(formulas):  # each source is valid language text for the same formula
        again = parse_function(entry.source, constants=CONSTANTS)
        np.testing.assert_allclose(again(x), entry(x), rtol=1e-15)
        assert again.latex == entry.latex


def test_formulas_read_like_the_textbook():
    polar = jacobian_formulas("[x[0]*cos(x[1]), x[0]*sin(x[1])]", 2)
    assert [[entry.latex for entry in row] for row in polar] == [
        [r"\cos\left(x_{1}\right)", r"-x_{0} \sin\left(x_{1}\right)"],
        [r"\sin\left(x_{1}\right)", r"x_{0} \cos\left(x_{1}\right)"],
    ]
    cube = jacobian_formulas("x**3", (2,))
    assert [[entry.source for entry in row] for row in cube] == [
        ["3*x[0]**2", "0"],
        ["0", "3*x[1]**2"],
    ]
    gradient = jacobian_formulas("norm(x)", 2)
    assert gradient[1].latex == r"\frac{x_{1}}{\sqrt{x_{0}^{2} + x_{1}^{2}}}"
    layer = jacobian_formulas("W @ x + b", 3, constants={"W": W, "b": B_VEC})
    assert layer[1][2].source == "W[1, 2]"
    assert layer[1][2].names == ("W",)
    assert jacobian_formulas("x[0]/x[1]", 2)[1].source == "-(x[0]/x[1]**2)"


@pytest.mark.parametrize(
    ("text", "sources"),
    [
        ("(-x[0]) * (-x[1])", ["x[1]", "x[0]"]),
        ("(-2) * (-x[0])", ["2", "0"]),
        ("(-x[0]) / (-x[1])", ["1/x[1]", "-(x[0]/x[1]**2)"]),
        ("(-x[0]) * x[1]", ["-x[1]", "-x[0]"]),
        ("x[0]/x[0]", ["0", "0"]),
        ("x[0]*x[1] - x[1]*x[0]", ["0", "0"]),
    ],
)
def test_formula_signs_and_cancellations(text, sources):
    assert [entry.source for entry in jacobian_formulas(text, 2)] == sources


def test_products_of_two_negative_vectors_keep_their_sign():
    formulas = jacobian_formulas("-sin(x) * -cos(x)", 2)
    assert formulas[0][0].source == "cos(x[0])**2 - sin(x[0])**2"


def test_formulas_need_formula_text_not_a_python_function():
    with pytest.raises(TypeError, match=r"formula text or a jacviz\.Function"):
        jacobian_formulas(lambda x: x**2, 2)


@pytest.mark.parametrize("n", [np.int64(2), np.int32(2), np.uint8(2), (np.int64(2),)])
def test_formulas_accept_numpy_integers(n):
    assert [[e.source for e in row] for row in jacobian_formulas("x**2", n)] == [
        ["2*x[0]", "0"],
        ["0", "2*x[1]"],
    ]


@pytest.mark.timeout(30)  # a guard against runaway work, not a speed claim (benchmarks)
@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("softmax(softmax(x))", 12),
        ("softmax(x)", 32),
        ("softmax(softmax(softmax(softmax(x))))", 8),
        ("+".join(["softmax(x)"] * 90), 8),
        ("+".join(["outer(x, x)"] * 80), 8),
        ("+".join(["(x@A@x)*(x@A@x)"] * 60), 8),
        ("x/(" * 45 + "x" + ")" * 45, 32),
        ("sin(" * 45 + "x" + ")" * 45, 32),
        ("sum(outer(x, x) @ outer(x, x) @ outer(x, x))", 32),
        ("tanh(A @ tanh(A @ tanh(A @ tanh(A @ x))))", 8),
    ],
    ids=lambda value: str(value)[:30],
)
def test_huge_formulas_are_declined_quickly(text, n):
    constants = {"A": np.ones((n, n))} if "A" in text else None
    with pytest.raises(ExpressionError, match=r"too large|too long|too many"):
        jacobian_formulas(text, n, constants=constants)


@pytest.mark.timeout(30)  # a guard against runaway work, not a speed claim (benchmarks)
def test_formulas_of_teaching_examples_with_eight_inputs_are_quick():
    rng = np.random.default_rng(0)
    constants = {"A": rng.normal(size=(8, 8)), "W": rng.normal(size=(8, 8)), "b": np.ones(8)}
    x = rng.normal(size=(2, 8))
    for text in ["softmax(x)", "tanh(W @ x + b)", "x @ A @ x", "norm(softmax(x))", "prod(x)"]:
        f = parse_function(text, constants=constants)
        formulas = jacobian_formulas(f, 8)
        values = np.moveaxis(np.array(_evaluate(formulas, x)), -1, 0)
        np.testing.assert_allclose(values, batch_jacobian(f, x), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(
    ("text", "n", "fragment"),
    [
        ("max(x)", 2, "max has no single derivative"),
        ("min(x[0], x[1])", 2, "min has no single derivative"),
        ("x[5]", 2, "index 5"),
        ("x**2", (2, 2), "vector inputs"),
        ("x**2", 0, "whole number of inputs"),
        ("x**2", 33, "whole number of inputs"),
        ("x**2", 2.0, "whole number of inputs"),
        ("x**2", True, "whole number of inputs"),
        ("outer(x, x)", 32, "too many Jacobian entries"),
    ],
)
def test_formulas_decline_clearly(text, n, fragment):
    with pytest.raises(ExpressionError, match=fragment):
        jacobian_formulas(text, n)


@pytest.mark.parametrize(
    ("text", "expected", "jac_shape"),
    [
        ("x[1:1] + 1", [], (0, 3)),  # no outputs
        ("outer(x[1:1], x) + x", [], (0, 3, 3)),  # the axes after the empty one are kept
        ("x[1:1] + [[1], [2]]", [[], []], (2, 0, 3)),
    ],
)
def test_formulas_of_an_empty_output_are_empty_lists(text, expected, jac_shape):
    assert jacobian_formulas(text, 3) == expected
    assert batch_jacobian(text, X3).shape == (3, *jac_shape)


def test_formulas_see_through_empty_parts():
    formulas = jacobian_formulas("sum(outer(x[1:1], x) + x) + x[0]*x[2]", 3)
    assert [entry.source for entry in formulas] == ["x[2]", "0", "x[0]"]


# -- the registry: one entry per function ---------------------------------------------------


def test_one_registry_entry_adds_a_function(monkeypatch):
    """``arcsinh``, added as one entry, is parsed, evaluated, differentiated and typeset."""
    from jacviz.expressions import _functions
    from jacviz.expressions._functions import ELEMENTWISE, ONE, TWO, Rule, add, call, div, power

    arcsinh = Rule(
        "arcsinh",
        ELEMENTWISE,
        anp.arcsinh,
        derivative=lambda u: div(ONE, call("sqrt", add(ONE, power(u, TWO)))),
        latex=r"\sinh^{-1}\left(#1\right)",
    )
    with pytest.raises(ExpressionError, match="unknown function 'arcsinh'"):
        parse_function("arcsinh(x)")
    monkeypatch.setattr(_functions, "RULES", {**_functions.RULES, ("arcsinh", 1): arcsinh})

    f = parse_function("arcsinh(x) * x[0]")
    np.testing.assert_allclose(f(X2), np.arcsinh(X2) * X2[:, :1])
    assert f.latex == r"\sinh^{-1}\left(x\right) x_{0}"
    assert parse_function("arcsinh(x)**2").latex == r"\left(\sinh^{-1}\left(x\right)\right)^{2}"
    jac = batch_jacobian(f, X2)
    expected = np.stack([np.diag(x[0] / np.sqrt(1 + x**2)) for x in X2])
    expected[:, :, 0] += np.arcsinh(X2)
    np.testing.assert_allclose(jac, expected)
    formulas = jacobian_formulas(f, 2)
    np.testing.assert_allclose(np.moveaxis(np.array(_evaluate(formulas, X2)), -1, 0), jac)
    assert formulas[1][1].source == "x[0]/sqrt(1 + x[1]**2)"
    with pytest.raises(ExpressionError, match="arcsinh takes 1 argument, got 2"):
        parse_function("arcsinh(x, x)")


@pytest.mark.parametrize(
    ("name", "arity"),
    [(name, arity) for name in ALLOWED_FUNCTIONS for arity in (1, 2)],
    ids=lambda value: str(value),
)
def test_every_entry_serves_every_reader(name, arity):
    from jacviz.expressions._functions import RULES

    if (name, arity) not in RULES:
        with pytest.raises(ExpressionError, match=f"{name} takes"):
            parse_function(f"{name}({', '.join(['x'] * arity)})")
        return
    f = parse_function(f"{name}({', '.join(['x'] * arity)})")
    assert "#" not in f.latex
    y = f(X3)
    assert y.shape[0] == 3 and np.all(np.isfinite(y))
    if name in ("max", "min"):
        with pytest.raises(ExpressionError, match="no single derivative formula"):
            jacobian_formulas(f, 3)
        return
    formulas = jacobian_formulas(f, 3)
    values = np.moveaxis(np.array(_evaluate(formulas, X3)), -1, 0)
    np.testing.assert_allclose(values, batch_jacobian(f, X3), rtol=1e-12, atol=1e-12)


# -- the estimate: output shape and work from shapes alone ----------------------------------


def _short_id(value):
    text = str(value)
    return text if len(text) <= 30 else f"{text[:24]}...({len(text)})"


def _literal_along(axis_from_end, length=3):
    """``length`` ones along one axis: ``[[1], [1], [1]]`` for ``axis_from_end = 1``."""
    entry = "[" * axis_from_end + "1" + "]" * axis_from_end
    return "[" + ",".join([entry] * length) + "]"


# Formulas whose output or work is much larger than their text (issue #11).
BLOW_UPS = [
    ("x[0] + " + " + ".join(_literal_along(k) for k in range(8)), (8,)),  # 3**8 outputs
    ("x[0] * " + " * ".join(_literal_along(k) for k in range(12)), (8,)),  # 3**12 outputs
    ("[" + ",".join(["x[0]"] * 199) + "]", (8,)),  # 996 characters
    ("outer(x, x) @ outer(x, x)", (16,)),
    ("softmax(outer(x, x)) * sum(x)", (4,)),
    ("sin(x) @ x", (3, 3)),
    ("x[1:1] + [[1], [2]]", (4,)),
    ("prod(x[0:0]) * x", (2, 5)),
]


def _charged(f, x):
    """Evaluate without the up-front estimate; return the output and the work charged."""
    from jacviz.expressions._compile import Run, evaluate

    run = Run(np.float64)
    with np.errstate(all="ignore"):
        y = evaluate(f._compiled, np.asarray(x, dtype=float), run)
    return y, run.spent


ESTIMATE_CASES = [(text, x.shape[1:]) for text, x, _ in CASES] + BLOW_UPS


@pytest.mark.parametrize(("text", "in_shape"), ESTIMATE_CASES, ids=_short_id)
def test_the_estimate_is_what_evaluation_charges(text, in_shape):
    f = parse_function(text, constants=CONSTANTS)
    estimate = f.estimate(in_shape)
    y, charged = _charged(f, np.ones((2, *in_shape)))
    assert estimate.out_shape == y.shape[1:]
    assert estimate.work == charged
    assert f.estimate(in_shape) == estimate  # shapes only: the same every time


# Per-example data for a batch of two: a vector t, a scalar w and a matrix M per example.
DATA = {
    "t": np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]]),
    "w": np.array([2.0, -1.0]),
    "M": np.arange(18.0).reshape(2, 3, 3) / 10,
}
DATA_ESTIMATE_CASES = [
    ("w * sum((x - t)**2)", (3,)),
    ("W @ (x - t) + b", (3,)),
    ("M @ x + t", (3,)),
    ("x @ M @ t", (3,)),
    ("outer(t, x[0:2]) * w", (3,)),
    ("softmax(M * t) @ x", (3,)),
    ("[t[0] * x[1], w, sum(M[1:, 0])]", (3,)),
    ("M * x", (3, 3)),
    ("t @ x", (3, 2)),
]


@pytest.mark.parametrize(("text", "in_shape"), DATA_ESTIMATE_CASES)
def test_the_estimate_with_data_is_what_evaluation_charges(text, in_shape):
    f = parse_function(text, constants=CONSTANTS, data=DATA)
    estimate = f.estimate(in_shape)
    y, charged = _charged(f, np.ones((2, *in_shape)))
    assert estimate.out_shape == y.shape[1:]
    assert estimate.work == charged
    each = [  # each example alone, its data rows as constants
        parse_function(text, constants={**CONSTANTS, **{k: v[b] for k, v in DATA.items()}})
        for b in range(2)
    ]
    assert [g.estimate(in_shape) for g in each] == [estimate] * 2
    x = np.arange(2.0 * np.prod(in_shape)).reshape(2, *in_shape) / 7
    np.testing.assert_allclose(f(x), [g(x[b : b + 1])[0] for b, g in enumerate(each)])


def test_the_estimate_of_the_blow_ups_names_their_size():
    (text_8, _), (text_12, _), (text_vector, _) = BLOW_UPS[:3]
    assert parse_function(text_8).estimate(8).out_shape == (3,) * 8
    assert parse_function(text_12).estimate((8,)) == ((3,) * 12, 797_395)
    assert parse_function(text_vector).estimate(8) == ((199,), 2 * 199)
    assert len(text_8) <= 260 and len(text_12) <= 520 and len(text_vector) <= 1000


@pytest.mark.parametrize(
    ("text", "in_shape"),
    [
        ("x[5]", (2,)),
        ("A @ x", (3,)),
        ("x + [1, 2, 3]", (2,)),
        ("outer(x, x)", (2, 2)),
        ("max(x[1:1])", (4,)),
        ("M @ x", (2,)),  # M is (3, 3) per example
        ("t[3] * x", (3,)),
        ("x + t", (2,)),
        (
            "sin(" * 46 + "x[0]*" + " * ".join(_literal_along(k, 33) for k in range(3)) + ")" * 46,
            (2,),
        ),
    ],
    ids=_short_id,
)
def test_the_estimate_refuses_what_evaluation_refuses(text, in_shape):
    f = parse_function(text, constants=CONSTANTS, data=DATA)
    with pytest.raises(ExpressionError) as refused:
        f.estimate(in_shape)
    with pytest.raises(ExpressionError) as evaluated:
        _charged(f, np.ones((2, *in_shape)))
    assert str(refused.value) == str(evaluated.value)
    assert refused.value.position == evaluated.value.position


@pytest.mark.parametrize("in_shape", [(-1,), (2.0,), "3", True, (True,), None, 2.5])
def test_the_estimate_wants_a_shape(in_shape):
    with pytest.raises(ExpressionError, match="shape of one example"):
        parse_function("x").estimate(in_shape)


def test_a_call_refuses_from_shapes_before_computing_anything():
    import tracemalloc

    text = "sin(" * 46 + "x[0]*" + " * ".join(_literal_along(k, 33) for k in range(3)) + ")" * 46
    f = parse_function(text)
    tracemalloc.start()
    try:
        with pytest.raises(ExpressionError, match="too many numbers per example"):
            f(np.ones((1000, 2)))  # evaluating would hold 1000 × 33**3 numbers per step
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000
