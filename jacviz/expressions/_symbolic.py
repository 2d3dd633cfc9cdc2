"""Formulas of Jacobian entries, by differentiating the formula tree.

Layer: expressions (private). Imports the standard library and
``jacviz.errors``.

Two steps. *Expand*: run the formula on symbols instead of numbers, so that a
vector formula becomes one scalar tree per output entry (``A @ x`` with
``n = 2`` gives ``A[0, 0]*x[0] + A[0, 1]*x[1]`` and so on). *Differentiate*:
apply the sum, product, quotient, power and chain rules to each scalar tree
with respect to each ``x[j]``. Small constructors (:func:`add`, :func:`mul`,
…) drop the trivial 0s and 1s as they build, so formulas read as a teacher
would write them. ``max`` and ``min`` have no single formula and are declined.
"""

import math
import operator
from functools import partial
from types import MappingProxyType

from jacviz.errors import ExpressionError
from jacviz.expressions._tree import Binary, Call, Index, Name, Num, Slice, Unary, Vector

MAX_INPUTS = 32
MAX_ENTRIES = 1024
MAX_DEPTH = 100
MAX_FORMULA_DEPTH = 250
MAX_FORMULA_NODES = 5000

ZERO, ONE, TWO = Num(0.0), Num(1.0), Num(2.0)
_FOLDS = MappingProxyType(
    {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "**": pow}
)


# -- constructors that simplify as they build ----------------------------------------


def _is_num(node, value=None):
    return isinstance(node, Num) and (value is None or node.value == value)


def _fold(op, a, b):
    """Compute ``a op b`` for two numbers, or ``None`` where floats overflow or fail."""
    try:
        value = _FOLDS[op](a, b)
    except (OverflowError, ZeroDivisionError, ValueError):
        return None
    if isinstance(value, complex) or not math.isfinite(value):
        return None
    return Num(float(value))


def neg(a):
    """Build ``-a``."""
    if _is_num(a):
        return Num(-a.value) if a.value != 0 else ZERO
    if isinstance(a, Unary):
        return a.operand
    return Unary("-", a)


def add(a, b):
    """Build ``a + b``."""
    if _is_num(a, 0):
        return b
    if _is_num(b, 0):
        return a
    if _is_num(a) and _is_num(b):
        return _fold("+", a.value, b.value) or Binary("+", a, b)
    if _negative(b):
        return sub(a, neg(b))
    if isinstance(b, Binary) and b.op in "+-":  # a + (c ± d) reads a + c ± d
        return _BINARY[b.op](add(a, b.left), b.right)
    return Binary("+", a, b)


def sub(a, b):
    """Build ``a - b``."""
    if _is_num(b, 0):
        return a
    if _is_num(a, 0):
        return neg(b)
    if _is_num(a) and _is_num(b):
        return _fold("-", a.value, b.value) or Binary("-", a, b)
    if _negative(b):
        return add(a, neg(b))
    if isinstance(b, Binary) and b.op in "+-":  # a - (c ± d) reads a - c ∓ d
        return _BINARY["-" if b.op == "+" else "+"](sub(a, b.left), b.right)
    return Binary("-", a, b)


def _negative(node):
    return isinstance(node, Unary) or (_is_num(node) and node.value < 0)


def mul(a, b):
    """Build ``a * b``, numbers first (``3*x``) and signs pulled out."""
    if _is_num(a, 0) or _is_num(b, 0):
        return ZERO
    if _is_num(a, 1):
        return b
    if _is_num(b, 1):
        return a
    if _is_num(a) and _is_num(b):
        return _fold("*", a.value, b.value) or Binary("*", a, b)
    if _negative(a) or _negative(b):
        return neg(mul(neg(a) if _negative(a) else a, neg(b) if _negative(b) else b))
    if _is_num(b) or (depends_on_x(a) and not depends_on_x(b)):
        return mul(b, a)  # numbers, then constants, then what depends on x
    if _is_num(a) and isinstance(b, Binary) and b.op == "*" and _is_num(b.left):
        return mul(mul(a, b.left), b.right)
    if _is_reciprocal(a):
        return div(b, a.right)
    if _is_reciprocal(b):
        return div(a, b.right)
    if a == b:
        return power(a, TWO)
    return Binary("*", a, b)


def _is_reciprocal(node):
    return isinstance(node, Binary) and node.op == "/" and _is_num(node.left, 1)


def _common_number(a, b):
    """Return the number ``c`` if ``a = c*r`` and ``b = c*s``, else ``None``."""
    if all(isinstance(t, Binary) and t.op == "*" and _is_num(t.left) for t in (a, b)):
        return a.left.value if a.left.value == b.left.value else None
    return None


def div(a, b):
    """Build ``a / b``."""
    if _is_num(a, 0):
        return ZERO
    if _is_num(b, 1):
        return a
    if _is_num(a) and _is_num(b):
        return _fold("/", a.value, b.value) or Binary("/", a, b)
    if _negative(a) or _negative(b):
        return neg(div(neg(a) if _negative(a) else a, neg(b) if _negative(b) else b))
    if _common_number(a, b):  # (2*r)/(2*s) reads r/s
        return div(a.right, b.right)
    return Binary("/", a, b)


def power(a, b):
    """Build ``a ** b``."""
    if _is_num(b, 1):
        return a
    if _is_num(b, 0):
        return ONE
    if _is_num(a) and _is_num(b):
        return _fold("**", a.value, b.value) or Binary("**", a, b)
    return Binary("**", a, b)


def call(func, *args):
    """Build ``func(args...)``."""
    return Call(func, args)


def _add_all(terms):
    total = ZERO
    for term in terms:
        total = add(total, term)
    return total


def _mul_all(factors):
    total = ONE
    for factor in factors:
        total = mul(total, factor)
    return total


# -- expansion: the formula on symbols ------------------------------------------------
#
# A symbolic value is a scalar tree, or a (nested) list of them for vectors and matrices.


def expand(node, n, constants):
    """Expand a formula tree into scalar trees, one per output entry.

    Parameters
    ----------
    node : tuple
        The formula tree of a function of a vector ``x`` with ``n`` entries.
    n : int
        Number of inputs per example.
    constants : Mapping[str, ndarray]
        The formula's constants (only their shapes are used).

    Returns
    -------
    tree or list
        A scalar tree, or nested lists of them with the output's shape.
    """
    if isinstance(node, Num):
        return Num(node.value)
    if isinstance(node, Name):
        return _expand_name(node.id, n, constants)
    if isinstance(node, Index):
        return _take(expand(node.base, n, constants), node.index)
    if isinstance(node, Unary):
        return _map(neg, expand(node.operand, n, constants))
    if isinstance(node, Vector):
        return [expand(item, n, constants) for item in node.items]
    if isinstance(node, Binary):
        left, right = expand(node.left, n, constants), expand(node.right, n, constants)
        if node.op == "@":
            return _matmul(left, right)
        return _broadcast(_BINARY[node.op], left, right)
    return _expand_call(node, [expand(arg, n, constants) for arg in node.args])


def _expand_name(name, n, constants):
    if name == "x":
        return [Index(Name("x"), (j,)) for j in range(n)]
    if name in constants:
        return _constant_symbols(name, constants[name].shape, ())
    return Name(name)


def _constant_symbols(name, shape, index):
    if not shape:
        return Index(Name(name), index) if index else Name(name)
    return [_constant_symbols(name, shape[1:], (*index, i)) for i in range(shape[0])]


def _take(value, index):
    """``value[index]`` on nested lists, for whole numbers and slices."""
    if not index:
        return value
    first, rest = index[0], index[1:]
    if isinstance(first, Slice):
        return [_take(item, rest) for item in value[first.start : first.stop : first.step]]
    return _take(value[first], rest)


def _map(function, value):
    if isinstance(value, list):
        return [_map(function, item) for item in value]
    return function(value)


def _shape(value):
    shape = []
    while isinstance(value, list):
        shape.append(len(value))
        value = value[0] if value else None
    return tuple(shape)


def _lift(value, rank):
    for _ in range(rank - len(_shape(value))):
        value = [value]
    return value


def _broadcast(function, a, b):
    rank = max(len(_shape(a)), len(_shape(b)))
    return _zip(function, _lift(a, rank), _lift(b, rank))


def _zip(function, a, b):
    if not isinstance(a, list):
        return function(a, b)
    size = max(len(a), len(b))
    return [
        _zip(function, a[0 if len(a) == 1 else i], b[0 if len(b) == 1 else i]) for i in range(size)
    ]


def _flatten(value):
    if not isinstance(value, list):
        return [value]
    return [entry for item in value for entry in _flatten(item)]


def _dot(a, b):
    return _add_all(mul(u, v) for u, v in zip(a, b, strict=True))


def _matmul(a, b):
    """Multiply vectors/matrices held as nested lists (shapes were checked numerically)."""
    columns = list(zip(*b, strict=True)) if len(_shape(b)) == 2 else None
    if len(_shape(a)) == 1:
        return _dot(a, b) if columns is None else [_dot(a, column) for column in columns]
    if columns is None:
        return [_dot(row, b) for row in a]
    return [[_dot(row, column) for column in columns] for row in a]


def _softmax(value):
    exps = _map(partial(call, "exp"), value)
    total = _add_all(_flatten(exps))
    return _map(partial(_divide_by, total), exps)


def _divide_by(denominator, numerator):
    return div(numerator, denominator)


def _expand_call(node, args):
    name = node.func
    if name in ("max", "min"):
        raise ExpressionError(
            f"{name} has no single derivative formula (it switches between its arguments); "
            "the numeric Jacobian is still exact",
            node.pos,
        )
    if name in _REDUCE:
        return _REDUCE[name](_flatten(args[0]))
    if name == "softmax":
        return _softmax(args[0])
    if name == "arctan2":
        return _broadcast(partial(call, "arctan2"), *args)
    if name == "dot":
        return _matmul(*args)
    if name == "outer":
        return [[mul(a, b) for b in args[1]] for a in args[0]]
    return _map(partial(call, name), args[0])


def _norm(entries):
    return call("sqrt", _add_all(power(entry, TWO) for entry in entries))


def _mean(entries):
    return div(_add_all(entries), Num(float(len(entries))))


def _logsumexp(entries):
    return call("log", _add_all(call("exp", entry) for entry in entries))


_REDUCE = MappingProxyType(
    {"sum": _add_all, "prod": _mul_all, "mean": _mean, "norm": _norm, "logsumexp": _logsumexp}
)
_BINARY = MappingProxyType({"+": add, "-": sub, "*": mul, "/": div, "**": power})


# -- differentiation ------------------------------------------------------------------


def depends_on_x(node):
    """Tell whether a scalar tree contains an entry of ``x``."""
    if isinstance(node, Index):
        return node.base == Name("x") or depends_on_x(node.base)
    if isinstance(node, (Num, Name)):
        return False
    if isinstance(node, Unary):
        return depends_on_x(node.operand)
    if isinstance(node, Binary):
        return depends_on_x(node.left) or depends_on_x(node.right)
    return any(depends_on_x(arg) for arg in node.args)


def derivative(node, j):
    """Differentiate a scalar tree with respect to ``x[j]``, simplifying as it goes.

    Examples
    --------
    >>> from jacviz.expressions._tree import to_source
    >>> x0 = Index(Name("x"), (0,))
    >>> to_source(derivative(Binary("**", x0, Num(3.0)), 0))
    '3*x[0]**2'
    """
    if isinstance(node, Index):
        return ONE if node == Index(Name("x"), (j,)) else ZERO
    if isinstance(node, (Num, Name)):
        return ZERO
    if isinstance(node, Unary):
        return neg(derivative(node.operand, j))
    if isinstance(node, Binary):
        return _binary_rule(node, j)
    return _chain_rule(node, j)


def _binary_rule(node, j):
    a, b = node.left, node.right
    da, db = derivative(a, j), derivative(b, j)
    if node.op == "+":
        return add(da, db)
    if node.op == "-":
        return sub(da, db)
    if node.op == "*":
        return add(mul(da, b), mul(a, db))
    if node.op == "/":
        if _is_num(db, 0):
            return div(da, b)
        return div(sub(mul(da, b), mul(a, db)), power(b, TWO))
    return _power_rule(a, b, da, db, j)


def _power_rule(a, b, da, db, j):
    if not depends_on_x(b):
        return mul(mul(b, power(a, sub(b, ONE))), da)
    if not depends_on_x(a):
        return mul(mul(power(a, b), call("log", a)), db)
    inner = add(mul(db, call("log", a)), div(mul(b, da), a))
    return mul(power(a, b), inner)


def _chain_rule(node, j):
    if node.func == "arctan2":
        a, b = node.args
        da, db = derivative(a, j), derivative(b, j)
        if _is_num(da, 0) and _is_num(db, 0):
            return ZERO
        numerator = sub(mul(b, da), mul(a, db))
        return div(numerator, add(power(a, TWO), power(b, TWO)))
    (u,) = node.args
    du = derivative(u, j)
    if _is_num(du, 0):
        return ZERO
    return mul(_OUTER_DERIVATIVES[node.func](u), du)


def _one_over(u):
    return div(ONE, u)


def _one_minus_square(u):
    return sub(ONE, power(u, TWO))


_OUTER_DERIVATIVES = MappingProxyType(
    {
        "sin": lambda u: call("cos", u),
        "cos": lambda u: neg(call("sin", u)),
        "tan": lambda u: div(ONE, power(call("cos", u), TWO)),
        "arcsin": lambda u: div(ONE, call("sqrt", _one_minus_square(u))),
        "arccos": lambda u: neg(div(ONE, call("sqrt", _one_minus_square(u)))),
        "arctan": lambda u: div(ONE, add(ONE, power(u, TWO))),
        "sinh": lambda u: call("cosh", u),
        "cosh": lambda u: call("sinh", u),
        "tanh": lambda u: _one_minus_square(call("tanh", u)),
        "exp": lambda u: call("exp", u),
        "log": _one_over,
        "log1p": lambda u: div(ONE, add(ONE, u)),
        "expm1": lambda u: call("exp", u),
        "sqrt": lambda u: div(ONE, mul(TWO, call("sqrt", u))),
        "abs": lambda u: call("sign", u),
        "sign": lambda u: ZERO,
        "square": lambda u: mul(TWO, u),
        "sigmoid": lambda u: mul(call("sigmoid", u), sub(ONE, call("sigmoid", u))),
        "relu": lambda u: div(add(ONE, call("sign", u)), TWO),
        "softplus": lambda u: call("sigmoid", u),
    }
)


def tree_size(node):
    """Count the nodes of a tree and measure its depth, without recursion."""
    count, deepest, stack = 0, 0, [(node, 1)]
    while stack:
        current, depth = stack.pop()
        count, deepest = count + 1, max(deepest, depth)
        stack.extend((child, depth + 1) for child in _children(current))
    return count, deepest


def _children(node):
    if isinstance(node, Index):
        return (node.base,)
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Call):
        return node.args
    if isinstance(node, Vector):
        return node.items
    return ()
