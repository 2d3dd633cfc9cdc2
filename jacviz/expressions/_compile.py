"""Compile a formula tree into one vectorised closure over ``autograd.numpy``.

Layer: expressions (private). Imports the standard library, autograd and
``jacviz.errors``.

The formula is written for one example; the closure runs it on the whole
batch at once. Each compiled node is a pair ``(apply, batched)``: ``apply(x,
run)`` returns the node's value, and ``batched`` (known before any data is
seen) says whether that value carries the batch as axis 0. ``run`` is one
evaluation's :class:`Run`: the input's dtype, and the work budget that every
operation pays for the numbers it computes per example, *before* computing
them, so that no formula of 1000 characters can keep a class's server busy
(a product of a few literal vectors broadcasts to hundreds of thousands of
numbers; a chain of functions repeats that). ``x[0]`` becomes
``x[:, 0]``, a constant matrix ``W`` times a batched vector becomes
``x @ W.T``, and a reduction sums each example's own axes. Literal numbers and
constants are cast to the input's dtype at call time, so float32 stays float32.
"""

import math
from types import MappingProxyType
from typing import NamedTuple

import autograd.numpy as anp

from jacviz.errors import ExpressionError
from jacviz.expressions import _functions
from jacviz.expressions._functions import NAMED_NUMBERS
from jacviz.expressions._tree import Binary, Index, Name, Num, Slice, Unary, Vector, format_index

MAX_EXAMPLE_SIZE = 10**6  # numbers per example that one broadcast may create
MAX_WORK = 10**6  # numbers per example that one evaluation may compute


class Run:
    """One evaluation of a formula: the batch's dtype and the work budget left.

    Parameters
    ----------
    dtype : numpy.dtype
        The dtype of the batch; literals and constants are cast to it.

    Examples
    --------
    >>> run = Run(float)
    >>> run.spend(10, pos=0)
    >>> run.left == MAX_WORK - 10
    True
    """

    __slots__ = ("dtype", "left")

    def __init__(self, dtype):
        self.dtype = dtype
        self.left = MAX_WORK

    def spend(self, numbers, pos):
        """Pay for ``numbers`` numbers per example; raise ExpressionError when over budget."""
        self.left -= numbers
        if self.left < 0:
            raise ExpressionError(
                f"this formula computes too many numbers per example (at most {MAX_WORK}); "
                "use fewer or smaller vector literals",
                pos,
            )


def compile_tree(node, constants):
    """Compile ``node`` into ``(apply, batched)``.

    Parameters
    ----------
    node : tuple
        A formula tree from :mod:`jacviz.expressions._tree`.
    constants : Mapping[str, ndarray or PerExample]
        The named constants, as read-only float arrays; per-example data
        wrapped in :class:`PerExample`.

    Returns
    -------
    apply : callable
        ``apply(x, run)`` with ``x`` of shape ``(B, *in)`` and ``run`` a :class:`Run`.
    batched : bool
        Whether the value of ``apply`` has the batch as axis 0.
    """
    if isinstance(node, Num):
        return _constant(node.value), False
    if isinstance(node, Name):
        return _name(node.id, constants)
    if isinstance(node, Index):
        return _index(compile_tree(node.base, constants), node)
    if isinstance(node, Unary):
        return _negate(compile_tree(node.operand, constants), node.pos)
    if isinstance(node, Binary):
        return _binary(
            node, compile_tree(node.left, constants), compile_tree(node.right, constants)
        )
    if isinstance(node, Vector):
        return _vector([compile_tree(item, constants) for item in node.items], node.pos)
    return _call(node, [compile_tree(arg, constants) for arg in node.args])


def evaluate(compiled, x, run=None):
    """Run a compiled formula on the batch ``x`` ``(B, *in)``; return ``(B, *out)``.

    ``run`` (a fresh :class:`Run` by default) is left holding the work budget
    that was not used.
    """
    apply, batched = compiled
    y = apply(x, Run(x.dtype) if run is None else run)
    if not batched:
        y = y + anp.zeros(anp.shape(x)[:1] + anp.shape(y), x.dtype)
    return y


def example_shape(value, batched):
    """Return the shape of one example's part of ``value``."""
    return tuple(anp.shape(value)[1:] if batched else anp.shape(value))


def _size(shape):
    return math.prod(shape)


def _constant(value):
    def constant(x, run):
        return anp.asarray(value, dtype=run.dtype)

    return constant


class PerExample(NamedTuple):
    """A named value with one row per example (``data=``): batched, unlike a constant."""

    rows: object  # ndarray (B, *shape)


def _name(name, constants):
    if name == "x":
        return _input, True
    if name in NAMED_NUMBERS:
        return _constant(NAMED_NUMBERS[name]), False
    value = constants[name]
    if isinstance(value, PerExample):
        return _constant(value.rows), True
    return _constant(value), False


def _input(x, run):
    return x


def _negate(operand, pos):
    apply_operand, batched = operand

    def negate(x, run):
        value = apply_operand(x, run)
        run.spend(_size(example_shape(value, batched)), pos)
        return -value

    return negate, batched


def _align(value, batched, rank):
    """Insert axes after the batch axis so each example has ``rank`` axes."""
    own = anp.ndim(value) - batched
    if not batched or own >= rank:
        return value
    shape = anp.shape(value)
    return anp.reshape(value, shape[:1] + (1,) * (rank - own) + shape[1:])


def _broadcasting(op, symbol, left, right, pos):
    """Build an elementwise operation that broadcasts each example's shapes like numpy."""
    (apply_left, left_batched), (apply_right, right_batched) = left, right

    def elementwise(x, run):
        a, b = apply_left(x, run), apply_right(x, run)
        shape_a, shape_b = example_shape(a, left_batched), example_shape(b, right_batched)
        try:
            shape = anp.broadcast_shapes(shape_a, shape_b)
        except ValueError:
            shapes = f"{shape_a} and {shape_b}"
            raise ExpressionError(f"cannot combine shapes {shapes} with {symbol}", pos) from None
        _check_growth(shape, shape_a, shape_b, pos)
        run.spend(_size(shape), pos)
        rank = len(shape)
        return op(_align(a, left_batched, rank), _align(b, right_batched, rank))

    return elementwise, left_batched or right_batched


def _check_growth(shape, shape_a, shape_b, pos):
    """Refuse a broadcast that makes each example far larger than both operands."""
    size = _size(shape)
    if size > max(MAX_EXAMPLE_SIZE, _size(shape_a), _size(shape_b)):
        raise ExpressionError(
            f"combining shapes {shape_a} and {shape_b} gives {shape} per example "
            f"({size} numbers; at most {MAX_EXAMPLE_SIZE})",
            pos,
        )


_ARITHMETIC = MappingProxyType(
    {"+": anp.add, "-": anp.subtract, "*": anp.multiply, "/": anp.divide, "**": anp.power}
)


def _binary(node, left, right):
    if node.op == "@":
        return _matmul(left, right, node.pos, "@")
    return _broadcasting(_ARITHMETIC[node.op], f"'{node.op}'", left, right, node.pos)


def _matmul(left, right, pos, symbol):
    """Build the matrix product of each example's vectors/matrices (``@`` and ``dot``)."""
    (apply_left, left_batched), (apply_right, right_batched) = left, right

    def matmul(x, run):
        a, b = apply_left(x, run), apply_right(x, run)
        shape_a, shape_b = example_shape(a, left_batched), example_shape(b, right_batched)
        ok_ranks = len(shape_a) in (1, 2) and len(shape_b) in (1, 2)
        if not ok_ranks or shape_a[-1] != shape_b[0]:
            raise ExpressionError(
                f"{symbol} needs vectors or matrices with matching inner sizes; "
                f"got shapes {shape_a} and {shape_b}",
                pos,
            )
        run.spend(_size(shape_a) * _size(shape_b[1:]), pos)  # multiply-adds
        if len(shape_a) == 1:
            a = anp.expand_dims(a, -2)
        if len(shape_b) == 1:
            b = anp.expand_dims(b, -1)
        product = anp.matmul(a, b)
        if len(shape_b) == 1:
            product = product[..., 0]
        if len(shape_a) == 1:
            product = product[..., 0] if len(shape_b) == 1 else product[..., 0, :]
        return product

    return matmul, left_batched or right_batched


def _outer(left, right, pos):
    (apply_left, left_batched), (apply_right, right_batched) = left, right

    def outer(x, run):
        a, b = apply_left(x, run), apply_right(x, run)
        shape_a, shape_b = example_shape(a, left_batched), example_shape(b, right_batched)
        if len(shape_a) != 1 or len(shape_b) != 1:
            raise ExpressionError(
                f"outer needs two vectors; got shapes {shape_a} and {shape_b}", pos
            )
        _check_growth(shape_a + shape_b, shape_a, shape_b, pos)
        run.spend(_size(shape_a + shape_b), pos)
        return anp.expand_dims(a, -1) * anp.expand_dims(b, -2)

    return outer, left_batched or right_batched


def _index(base, node):
    apply_base, batched = base

    def index(x, run):
        value = apply_base(x, run)
        _check_index(node, example_shape(value, batched))
        part = value[(slice(None),) * batched + tuple(_as_python_index(i) for i in node.index)]
        run.spend(_size(example_shape(part, batched)), node.pos)
        return part

    return index, batched


def _as_python_index(part):
    return slice(part.start, part.stop, part.step) if isinstance(part, Slice) else part


def _check_index(node, shape):
    """Raise ExpressionError unless ``node.index`` fits an example of ``shape``."""
    if len(node.index) > len(shape):
        raise ExpressionError(
            f"too many indices: [{format_index(node.index)}] for an example of shape {shape}",
            node.pos,
        )
    for part, size in zip(node.index, shape, strict=False):
        if isinstance(part, Slice):
            if part.step == 0:
                raise ExpressionError("slice step cannot be zero", node.pos)
        elif not -size <= part < size:
            raise ExpressionError(
                f"index {part} is out of range for an example of shape {shape} "
                f"(allowed: {-size} to {size - 1})",
                node.pos,
            )


def _vector(items, pos):
    batched = any(item_batched for _, item_batched in items)

    def vector(x, run):
        values = [apply(x, run) for apply, _ in items]
        shapes = [example_shape(v, b) for v, (_, b) in zip(values, items, strict=True)]
        if len(set(shapes)) > 1:
            listed = ", ".join(str(s) for s in shapes)
            raise ExpressionError(f"entries of [...] must have the same shape; got {listed}", pos)
        run.spend(len(values) * _size(shapes[0]), pos)
        if not batched:
            return _stack(values, axis=0)
        batch = (anp.shape(x)[0],)
        values = [
            v if b else v + anp.zeros(batch + anp.shape(v), run.dtype)
            for v, (_, b) in zip(values, items, strict=True)
        ]
        return _stack(values, axis=1)

    return vector, batched


_STACK_AT_ONCE = 8


def _stack(values, axis):
    """``anp.stack``, in a balanced tree of stacks of at most 8 for long vectors.

    Autograd's derivative rules for one concatenation of ``k`` arrays build
    ``k`` zero arrays per array (``k²`` in all): 500 entries would take seconds.
    """
    if len(values) <= _STACK_AT_ONCE:
        return anp.stack(values, axis=axis)
    middle = len(values) // 2
    halves = [_stack(values[:middle], axis), _stack(values[middle:], axis)]
    return anp.concatenate(halves, axis=axis)


def _call(node, args):
    name, pos = node.func, node.pos
    if len(args) == 2:
        if name in _functions.BINARY:
            return _broadcasting(_functions.BINARY[name], name, *args, pos)
        if name == "outer":
            return _outer(*args, pos)
        return _matmul(*args, pos, name)
    apply_arg, batched = args[0]
    if name in _functions.ELEMENTWISE:
        return _elementwise(_functions.ELEMENTWISE[name], apply_arg, batched, pos), batched
    table = _functions.REDUCTIONS if name in _functions.REDUCTIONS else _functions.SHAPE_KEEPING
    return _per_example(table[name], apply_arg, batched, node), batched


def _elementwise(function, apply_arg, batched, pos):
    def elementwise(x, run):
        value = apply_arg(x, run)
        run.spend(_size(example_shape(value, batched)), pos)
        return function(value)

    return elementwise


def _per_example(function, apply_arg, batched, node):
    name = node.func

    def per_example(x, run):
        value = apply_arg(x, run)
        shape = example_shape(value, batched)
        if 0 in shape and name in _functions.NEED_ENTRIES:
            raise ExpressionError(f"{name} of an empty example (shape {shape})", node.pos)
        run.spend(_functions.WORK.get(name, 1) * _size(shape), node.pos)
        return function(value, batched)

    return per_example
