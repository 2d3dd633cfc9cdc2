"""Expansion: run a formula on symbols, so each output entry is a scalar tree.

Layer: expressions (private). Imports the standard library and
``jacviz.errors``.

``A @ x`` with ``n = 2`` becomes ``[A[0, 0]*x[0] + A[0, 1]*x[1], …]``. A
symbolic value is a scalar tree, or a (nested) list of them for vectors and
matrices. Shared parts stay shared: the denominator of ``softmax`` is one
tree object used by every entry, which :mod:`jacviz.expressions._derivative`
differentiates once.
"""

from functools import partial
from types import MappingProxyType

from jacviz.errors import ExpressionError
from jacviz.expressions._simplify import BUILD, TWO, add_all, call, div, mul, mul_all, neg, power
from jacviz.expressions._tree import Binary, Index, Name, Num, Slice, Unary, Vector


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

    Examples
    --------
    >>> from jacviz.expressions._parse import parse_tree
    >>> from jacviz.expressions._tree import to_source
    >>> [to_source(entry) for entry in expand(parse_tree("x * x[0]", ())[0], 2, {})]
    ['x[0]**2', 'x[1]*x[0]']
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
        return _broadcast(BUILD[node.op], left, right)
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
    return add_all(mul(u, v) for u, v in zip(a, b, strict=True))


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
    total = add_all(_flatten(exps))
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
    return call("sqrt", add_all(power(entry, TWO) for entry in entries))


def _mean(entries):
    return div(add_all(entries), Num(float(len(entries))))


def _logsumexp(entries):
    return call("log", add_all(call("exp", entry) for entry in entries))


_REDUCE = MappingProxyType(
    {"sum": add_all, "prod": mul_all, "mean": _mean, "norm": _norm, "logsumexp": _logsumexp}
)
