"""Differentiation of scalar formula trees: the rules of the textbook, one by one.

Layer: expressions (private). Imports the standard library.

:class:`Derivative` applies the sum, product, quotient, power and chain rules
with respect to one ``x[j]``, building with the simplifying constructors of
:mod:`jacviz.expressions._simplify`. It remembers the derivative of every
subtree it has seen, so a subtree shared by many entries (the denominator of
``softmax``) is differentiated once. The outer derivative of each function of
the chain rule is a small named function below.
"""

from types import MappingProxyType

from jacviz.expressions._simplify import (
    ONE,
    TWO,
    ZERO,
    add,
    call,
    depends_on_x,
    div,
    is_num,
    mul,
    neg,
    power,
    sub,
)
from jacviz.expressions._tree import Binary, Index, Name, Num, Unary


class Derivative:
    """``d/dx[j]`` of scalar trees, remembering the derivative of each subtree seen.

    Parameters
    ----------
    j : int
        The input to differentiate by.

    Examples
    --------
    >>> from jacviz.expressions._tree import to_source
    >>> x0 = Index(Name("x"), (0,))
    >>> to_source(Derivative(0)(Binary("**", x0, Num(3.0))))
    '3*x[0]**2'
    """

    def __init__(self, j):
        self.x_j = Index(Name("x"), (j,))
        self.done = {}  # id(node) -> (node, derivative); the node is kept so ids stay unique

    @property
    def steps(self):
        """How many subtrees were differentiated so far (the work done)."""
        return len(self.done)

    def __call__(self, node):
        """Return the derivative of ``node``, simplified."""
        seen = self.done.get(id(node))
        if seen is not None:
            return seen[1]
        result = self.rule(node)
        self.done[id(node)] = (node, result)
        return result

    def rule(self, node):
        if isinstance(node, Index):
            return ONE if node == self.x_j else ZERO
        if isinstance(node, (Num, Name)):
            return ZERO
        if isinstance(node, Unary):
            return neg(self(node.operand))
        if isinstance(node, Binary):
            return self.binary_rule(node)
        return self.chain_rule(node)

    def binary_rule(self, node):
        a, b = node.left, node.right
        da, db = self(a), self(b)
        if node.op == "+":
            return add(da, db)
        if node.op == "-":
            return sub(da, db)
        if node.op == "*":
            return add(mul(da, b), mul(a, db))
        if node.op == "/":
            if is_num(db, 0):
                return div(da, b)
            return div(sub(mul(da, b), mul(a, db)), power(b, TWO))
        return _power_rule(a, b, da, db)

    def chain_rule(self, node):
        if node.func == "arctan2":
            a, b = node.args
            da, db = self(a), self(b)
            if is_num(da, 0) and is_num(db, 0):
                return ZERO
            numerator = sub(mul(b, da), mul(a, db))
            return div(numerator, add(power(a, TWO), power(b, TWO)))
        (u,) = node.args
        du = self(u)
        if is_num(du, 0):
            return ZERO
        return mul(OUTER_DERIVATIVES[node.func](u), du)


def _power_rule(a, b, da, db):
    if not depends_on_x(b):  # (a^c)' = c a^(c-1) a'
        return mul(mul(b, power(a, sub(b, ONE))), da)
    if not depends_on_x(a):  # (c^b)' = c^b log(c) b'
        return mul(mul(power(a, b), call("log", a)), db)
    inner = add(mul(db, call("log", a)), div(mul(b, da), a))  # a^b (b' log a + b a'/a)
    return mul(power(a, b), inner)


# -- outer derivatives: f'(u) for the chain rule (f(u))' = f'(u) u' ------------------------


def _sin(u):
    return call("cos", u)


def _cos(u):
    return neg(call("sin", u))


def _tan(u):
    return div(ONE, power(call("cos", u), TWO))


def _one_minus_square(u):
    return sub(ONE, power(u, TWO))


def _arcsin(u):
    return div(ONE, call("sqrt", _one_minus_square(u)))


def _arccos(u):
    return neg(_arcsin(u))


def _arctan(u):
    return div(ONE, add(ONE, power(u, TWO)))


def _sinh(u):
    return call("cosh", u)


def _cosh(u):
    return call("sinh", u)


def _tanh(u):
    return _one_minus_square(call("tanh", u))


def _exp(u):
    return call("exp", u)


def _log(u):
    return div(ONE, u)


def _log1p(u):
    return div(ONE, add(ONE, u))


def _sqrt(u):
    return div(ONE, mul(TWO, call("sqrt", u)))


def _abs(u):
    return call("sign", u)


def _sign(u):
    return ZERO


def _square(u):
    return mul(TWO, u)


def _sigmoid(u):
    return mul(call("sigmoid", u), sub(ONE, call("sigmoid", u)))


def _relu(u):
    return div(add(ONE, call("sign", u)), TWO)


def _softplus(u):
    return call("sigmoid", u)


OUTER_DERIVATIVES = MappingProxyType(
    {
        "sin": _sin,
        "cos": _cos,
        "tan": _tan,
        "arcsin": _arcsin,
        "arccos": _arccos,
        "arctan": _arctan,
        "sinh": _sinh,
        "cosh": _cosh,
        "tanh": _tanh,
        "exp": _exp,
        "log": _log,
        "log1p": _log1p,
        "expm1": _exp,  # (e^u - 1)' = e^u
        "sqrt": _sqrt,
        "abs": _abs,
        "sign": _sign,
        "square": _square,
        "sigmoid": _sigmoid,
        "relu": _relu,
        "softplus": _softplus,
    }
)
