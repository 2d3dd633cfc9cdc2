r"""The registry: one entry per function and operator of the language.

Layer: expressions (private). Imports the standard library and autograd.

Each :class:`Rule` keeps side by side what the language knows about one
operation: its kind (arity, how it acts on shapes, what it costs: see
:mod:`~jacviz.expressions._kinds`), its batched implementation over
``autograd.numpy``, its derivative rule, its formula on symbols and its LaTeX.
The parser, the evaluator, the estimate, the expansion, the derivatives and the
LaTeX renderer all read :data:`RULES`, so adding a function is adding one
entry (``tests/test_expressions.py`` adds this one)::

    Rule("arcsinh", ELEMENTWISE, anp.arcsinh,
         derivative=lambda u: div(ONE, call("sqrt", add(ONE, power(u, TWO)))),
         latex=r"\sinh^{-1}\left(#1\right)")

Implementations work on one array whose axis 0 is the batch when ``batched``
is true, act on each example's own axes only, and are built from
``autograd.numpy`` primitives so that nested differentiation works.
"""

import math
from collections.abc import Callable
from types import MappingProxyType
from typing import NamedTuple

import autograd.numpy as anp

from jacviz.expressions import _symbols
from jacviz.expressions._kinds import (
    BROADCAST,
    ELEMENTWISE,
    MATMUL,
    OUTER,
    REDUCTION,
    WHOLE_EXAMPLE,
    Kind,
)
from jacviz.expressions._simplify import (
    ONE,
    TWO,
    add,
    add_all,
    call,
    depends_on_x,
    div,
    is_num,
    mul,
    mul_all,
    neg,
    power,
    sub,
)
from jacviz.expressions._tree import Binary, Call, Num

# The numbers a formula may name.
NAMED_NUMBERS = MappingProxyType({"pi": math.pi, "e": math.e})


class Rule(NamedTuple):
    r"""One operation of the language: everything about it, in one place.

    Attributes
    ----------
    name : str
        What a formula writes: ``"sin"``, or an operator such as ``"+"``.
    kind : Kind
        Its arity, shape rule, work and how it is applied (:mod:`._kinds`).
    numeric : callable or None
        The batched implementation: ``f(v)`` elementwise, ``f(v, batched)`` of a
        whole example, ``f(a, b)`` for two arguments; ``None`` where the kind
        computes it (products).
    derivative : callable or None
        One argument: the outer derivative ``f'(u)`` of the chain rule, as a
        tree. Two: the total derivative from ``(a, b, da, db)``. ``None``: no
        formula (``max``, ``min``).
    expand : callable or None
        The formula on symbols, where the result is not just ``name(args)``
        entry by entry: a reduction's of its list of entries, a whole-example
        function's of a symbolic array, an operator's of two scalar trees.
    latex : str
        A template: ``#1``, ``#2`` are the arguments' LaTeX; ``(#1)`` is
        parenthesised where needed (a sum as a factor, a power as a base).
    work : int
        Numbers computed per entry the kind counts (a product of pairs: 2).
    needs_entries : bool
        Whether an example with no entries has no value (``max``, ``softmax``).
    """

    name: str
    kind: Kind
    numeric: "Callable | None"
    derivative: "Callable | None" = None
    expand: "Callable | None" = None
    latex: "str | None" = None
    work: int = 1
    needs_entries: bool = False

    def __repr__(self):
        return f"<rule {self.name}/{self.kind.arity}: {self.kind.name}>"


def _named(command, arity=1):
    r"""Return the LaTeX template ``\sin\left(#1\right)`` of a function written by its name."""
    return rf"{command}\left({', '.join(f'#{k + 1}' for k in range(arity))}\right)"


# -- implementations ------------------------------------------------------------------------


def _sigmoid(v):
    return 0.5 * (anp.tanh(0.5 * v) + 1.0)


def _relu(v):
    return anp.maximum(v, 0.0)


def _softplus(v):
    return anp.logaddexp(0.0, v)


def example_axes(value, batched):
    """Return the axes of ``value`` that belong to one example (all but the batch axis)."""
    return tuple(range(1 if batched else 0, anp.ndim(value)))


def _sum(value, batched):
    return anp.sum(value, axis=example_axes(value, batched))


def _prod(value, batched):
    """Multiply each example's entries pairwise, halving them at each step (log2 steps).

    Not ``anp.prod``: autograd's rule for it divides by the entries, which gives
    nan derivatives as soon as one entry is 0. Products of pairs have exact
    derivatives of every order, and the halving keeps it vectorised.
    """
    flat = _rows(value, batched)
    if flat.shape[-1] == 0:
        return anp.ones(flat.shape[:-1], dtype=value.dtype)
    while flat.shape[-1] > 1:
        if flat.shape[-1] % 2:
            flat = anp.concatenate([flat, anp.ones((*flat.shape[:-1], 1), value.dtype)], -1)
        flat = flat[..., 0::2] * flat[..., 1::2]
    return flat[..., 0]


def _rows(value, batched):
    """Flatten each example: shape ``(B, size)`` if batched, else ``(size,)``."""
    count = math.prod(value.shape[axis] for axis in example_axes(value, batched))
    return anp.reshape(value, (value.shape[0], count) if batched else (count,))


def _mean(value, batched):
    # The sum over the count, not anp.mean: an empty example gives 0/0 = nan (under the
    # caller's errstate) rather than numpy's "Mean of empty slice" warning.
    axes = example_axes(value, batched)
    count = math.prod(value.shape[axis] for axis in axes)
    return anp.sum(value, axis=axes) / float(count)


def _max(value, batched):
    return anp.max(value, axis=example_axes(value, batched))


def _min(value, batched):
    return anp.min(value, axis=example_axes(value, batched))


def _norm(value, batched):
    return anp.sqrt(anp.sum(value * value, axis=example_axes(value, batched)))


def _shifted_exp(value, batched):
    """``exp(v - max v)`` per example, and the max that was taken off."""
    top = anp.max(value, axis=example_axes(value, batched), keepdims=True)
    return anp.exp(value - top), top


def _logsumexp(value, batched):
    axes = example_axes(value, batched)
    if not axes:
        return value
    shifted, top = _shifted_exp(value, batched)
    return anp.log(anp.sum(shifted, axis=axes)) + anp.reshape(top, top.shape[:1] if batched else ())


def _softmax(value, batched):
    axes = example_axes(value, batched)
    shifted, _ = _shifted_exp(value, batched)
    return shifted / anp.sum(shifted, axis=axes, keepdims=True)


# -- derivatives and formulas on symbols ----------------------------------------------------


def _one_minus_square(u):
    return sub(ONE, power(u, TWO))


def _arcsin_derivative(u):
    return div(ONE, call("sqrt", _one_minus_square(u)))


def _sigmoid_derivative(u):
    return mul(call("sigmoid", u), sub(ONE, call("sigmoid", u)))


def _arctan2_derivative(a, b, da, db):
    return div(sub(mul(b, da), mul(a, db)), add(power(a, TWO), power(b, TWO)))


def _product_rule(a, b, da, db):
    return add(mul(da, b), mul(a, db))


def _quotient_rule(a, b, da, db):
    if is_num(db, 0):
        return div(da, b)
    return div(sub(mul(da, b), mul(a, db)), power(b, TWO))


def _power_rule(a, b, da, db):
    if not depends_on_x(b):  # (a^c)' = c a^(c-1) a'
        return mul(mul(b, power(a, sub(b, ONE))), da)
    if not depends_on_x(a):  # (c^b)' = c^b log(c) b'
        return mul(mul(power(a, b), call("log", a)), db)
    inner = add(mul(db, call("log", a)), div(mul(b, da), a))  # a^b (b' log a + b a'/a)
    return mul(power(a, b), inner)


def _mean_formula(entries):
    return div(add_all(entries), Num(float(len(entries))))


def _norm_formula(entries):
    return call("sqrt", add_all(power(entry, TWO) for entry in entries))


def _logsumexp_formula(entries):
    return call("log", add_all(call("exp", entry) for entry in entries))


def _softmax_formula(value):
    exps = _symbols.call_entries("exp", value)
    total = add_all(_symbols.entries(exps))
    return _symbols.map_entries(lambda entry: div(entry, total), exps)


# -- the registry ---------------------------------------------------------------------------

_RULES = (
    Rule("sin", ELEMENTWISE, anp.sin, lambda u: call("cos", u), latex=_named(r"\sin")),
    Rule("cos", ELEMENTWISE, anp.cos, lambda u: neg(call("sin", u)), latex=_named(r"\cos")),
    Rule(
        "tan",
        ELEMENTWISE,
        anp.tan,
        lambda u: div(ONE, power(call("cos", u), TWO)),
        latex=_named(r"\tan"),
    ),
    Rule("arcsin", ELEMENTWISE, anp.arcsin, _arcsin_derivative, latex=_named(r"\arcsin")),
    Rule(
        "arccos",
        ELEMENTWISE,
        anp.arccos,
        lambda u: neg(_arcsin_derivative(u)),
        latex=_named(r"\arccos"),
    ),
    Rule(
        "arctan",
        ELEMENTWISE,
        anp.arctan,
        lambda u: div(ONE, add(ONE, power(u, TWO))),
        latex=_named(r"\arctan"),
    ),
    Rule("sinh", ELEMENTWISE, anp.sinh, lambda u: call("cosh", u), latex=_named(r"\sinh")),
    Rule("cosh", ELEMENTWISE, anp.cosh, lambda u: call("sinh", u), latex=_named(r"\cosh")),
    Rule(
        "tanh",
        ELEMENTWISE,
        anp.tanh,
        lambda u: _one_minus_square(call("tanh", u)),
        latex=_named(r"\tanh"),
    ),
    Rule("exp", ELEMENTWISE, anp.exp, lambda u: call("exp", u), latex="e^{#1}"),
    Rule("log", ELEMENTWISE, anp.log, lambda u: div(ONE, u), latex=_named(r"\log")),
    Rule("log1p", ELEMENTWISE, anp.log1p, lambda u: div(ONE, add(ONE, u))),
    Rule("expm1", ELEMENTWISE, anp.expm1, lambda u: call("exp", u)),  # (e^u - 1)' = e^u
    Rule(
        "sqrt",
        ELEMENTWISE,
        anp.sqrt,
        lambda u: div(ONE, mul(TWO, call("sqrt", u))),
        latex=r"\sqrt{#1}",
    ),
    Rule("abs", ELEMENTWISE, anp.abs, lambda u: call("sign", u), latex=r"\left|#1\right|"),
    Rule("sign", ELEMENTWISE, anp.sign, lambda u: Num(0.0)),
    Rule("square", ELEMENTWISE, anp.square, lambda u: mul(TWO, u), latex="(#1)^{2}"),
    Rule("sigmoid", ELEMENTWISE, _sigmoid, _sigmoid_derivative, latex=_named(r"\sigma")),
    Rule("relu", ELEMENTWISE, _relu, lambda u: div(add(ONE, call("sign", u)), TWO)),
    Rule("softplus", ELEMENTWISE, _softplus, lambda u: call("sigmoid", u)),
    Rule("arctan2", BROADCAST, anp.arctan2, _arctan2_derivative),
    Rule("softmax", WHOLE_EXAMPLE, _softmax, expand=_softmax_formula, work=5, needs_entries=True),
    Rule(
        "logsumexp",
        REDUCTION,
        _logsumexp,
        expand=_logsumexp_formula,
        work=4,
        needs_entries=True,
    ),
    Rule("sum", REDUCTION, _sum, expand=add_all, latex=_named(r"\sum")),
    Rule("prod", REDUCTION, _prod, expand=mul_all, latex=_named(r"\prod"), work=2),
    Rule("mean", REDUCTION, _mean, expand=_mean_formula),
    Rule("max", REDUCTION, _max, latex=_named(r"\max"), needs_entries=True),
    Rule("max", BROADCAST, anp.maximum, latex=_named(r"\max", 2)),
    Rule("min", REDUCTION, _min, latex=_named(r"\min"), needs_entries=True),
    Rule("min", BROADCAST, anp.minimum, latex=_named(r"\min", 2)),
    Rule(
        "norm",
        REDUCTION,
        _norm,
        expand=_norm_formula,
        latex=r"\left\lVert #1 \right\rVert",
        work=2,
    ),
    Rule("dot", MATMUL, None, latex=r"(#1) \cdot (#2)"),
    Rule("outer", OUTER, None, latex=r"(#1) \otimes (#2)"),
    # The operators: their LaTeX depends on precedence (see _latex), the rest is here.
    Rule("+", BROADCAST, anp.add, lambda a, b, da, db: add(da, db), expand=add),
    Rule("-", BROADCAST, anp.subtract, lambda a, b, da, db: sub(da, db), expand=sub),
    Rule("*", BROADCAST, anp.multiply, _product_rule, expand=mul),
    Rule("/", BROADCAST, anp.divide, _quotient_rule, expand=div),
    Rule("**", BROADCAST, anp.power, _power_rule, expand=power),
    Rule("@", MATMUL, None),
    Rule("-", ELEMENTWISE, anp.negative, lambda u: Num(-1.0), expand=neg),
)


def _with_latex(rule):
    if rule.latex is not None or not rule.name.isidentifier():
        return rule
    return rule._replace(latex=_named(rf"\operatorname{{{rule.name}}}", rule.kind.arity))


RULES = MappingProxyType({(rule.name, rule.kind.arity): _with_latex(rule) for rule in _RULES})
"""``(name, number of arguments) -> Rule`` for every function and operator."""


def function_names():
    """Return the names of the functions in :data:`RULES`, in its order."""
    return tuple(dict.fromkeys(name for name, _ in RULES if name.isidentifier()))


def arities(name):
    """Return the numbers of arguments ``name`` takes (``()``: no function or operator).

    Examples
    --------
    >>> arities("max"), arities("sin"), arities("x")
    ((1, 2), (1,), ())
    """
    return tuple(arity for arity in (1, 2) if (name, arity) in RULES)


ALLOWED_FUNCTIONS = function_names()


def rule_of(node):
    """Return the :class:`Rule` of a :class:`Call`, :class:`Binary` or :class:`Unary` node."""
    if isinstance(node, Call):
        return RULES[node.func, len(node.args)]
    if isinstance(node, Binary):
        return RULES[node.op, 2]
    return RULES[node.op, 1]


def fill_latex(template, plain, wrapped):
    """Fill a LaTeX template: ``#k`` with ``plain(k)``, ``(#k)`` with ``wrapped(k, as_base)``.

    ``k`` counts from 0; ``as_base`` tells whether a superscript follows.

    Examples
    --------
    >>> fill_latex(r"(#1)^{2} + #2", lambda k: f"a{k}", lambda k, as_base: f"[a{k}]")
    '[a0]^{2} + a1'
    """
    first, *pieces = template.split("#")
    filled = [first]
    for piece in pieces:  # each starts with the argument's number
        k, rest = int(piece[0]) - 1, piece[1:]
        if filled[-1].endswith("(") and rest.startswith(")"):
            filled[-1] = filled[-1][:-1]
            filled.append(wrapped(k, rest.startswith(")^")) + rest[1:])
        else:
            filled.append(plain(k) + rest)
    return "".join(filled)
