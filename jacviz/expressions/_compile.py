"""Compile a formula tree into one vectorised closure over ``autograd.numpy``.

Layer: expressions (private). Imports the standard library, autograd and
``jacviz.errors``.

The formula is written for one example; the closure runs it on the whole
batch at once. Each compiled node is a pair ``(apply, batched)``: ``apply(x,
dtype)`` returns the node's value, and ``batched`` (known before any data is
seen) says whether that value carries the batch as axis 0. ``x[0]`` becomes
``x[:, 0]``, a constant matrix ``W`` times a batched vector becomes
``x @ W.T``, and a reduction sums each example's own axes. Literal numbers and
constants are cast to the input's dtype at call time, so float32 stays float32.
"""

import math
from types import MappingProxyType

import autograd.numpy as anp

from jacviz.errors import ExpressionError
from jacviz.expressions import _functions
from jacviz.expressions._tree import Binary, Index, Name, Num, Slice, Unary, Vector, format_index

MAX_EXAMPLE_SIZE = 10**6  # numbers per example that broadcasting may create
NAMED_NUMBERS = MappingProxyType({"pi": anp.pi, "e": anp.e})


def compile_tree(node, constants):
    """Compile ``node`` into ``(apply, batched)``.

    Parameters
    ----------
    node : tuple
        A formula tree from :mod:`jacviz.expressions._tree`.
    constants : Mapping[str, ndarray]
        The named constants, as read-only float arrays.

    Returns
    -------
    apply : callable
        ``apply(x, dtype)`` with ``x`` of shape ``(B, *in)``.
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
        return _negate(compile_tree(node.operand, constants))
    if isinstance(node, Binary):
        return _binary(
            node, compile_tree(node.left, constants), compile_tree(node.right, constants)
        )
    if isinstance(node, Vector):
        return _vector([compile_tree(item, constants) for item in node.items], node.pos)
    return _call(node, [compile_tree(arg, constants) for arg in node.args])


def example_shape(value, batched):
    """Return the shape of one example's part of ``value``."""
    return tuple(anp.shape(value)[1:] if batched else anp.shape(value))


def _constant(value):
    def constant(x, dtype):
        return anp.asarray(value, dtype=dtype)

    return constant


def _name(name, constants):
    if name == "x":
        return _input, True
    if name in NAMED_NUMBERS:
        return _constant(NAMED_NUMBERS[name]), False
    return _constant(constants[name]), False


def _input(x, dtype):
    return x


def _negate(operand):
    apply_operand, batched = operand

    def negate(x, dtype):
        return -apply_operand(x, dtype)

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

    def elementwise(x, dtype):
        a, b = apply_left(x, dtype), apply_right(x, dtype)
        shape_a, shape_b = example_shape(a, left_batched), example_shape(b, right_batched)
        try:
            shape = anp.broadcast_shapes(shape_a, shape_b)
        except ValueError:
            shapes = f"{shape_a} and {shape_b}"
            raise ExpressionError(f"cannot combine shapes {shapes} with {symbol}", pos) from None
        _check_growth(shape, shape_a, shape_b, pos)
        rank = len(shape)
        return op(_align(a, left_batched, rank), _align(b, right_batched, rank))

    return elementwise, left_batched or right_batched


def _check_growth(shape, shape_a, shape_b, pos):
    """Refuse a broadcast that makes each example far larger than both operands."""
    size = math.prod(shape)
    if size > max(MAX_EXAMPLE_SIZE, math.prod(shape_a), math.prod(shape_b)):
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

    def matmul(x, dtype):
        a, b = apply_left(x, dtype), apply_right(x, dtype)
        shape_a, shape_b = example_shape(a, left_batched), example_shape(b, right_batched)
        ok_ranks = len(shape_a) in (1, 2) and len(shape_b) in (1, 2)
        if not ok_ranks or shape_a[-1] != shape_b[0]:
            raise ExpressionError(
                f"{symbol} needs vectors or matrices with matching inner sizes; "
                f"got shapes {shape_a} and {shape_b}",
                pos,
            )
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

    def outer(x, dtype):
        a, b = apply_left(x, dtype), apply_right(x, dtype)
        shape_a, shape_b = example_shape(a, left_batched), example_shape(b, right_batched)
        if len(shape_a) != 1 or len(shape_b) != 1:
            raise ExpressionError(
                f"outer needs two vectors; got shapes {shape_a} and {shape_b}", pos
            )
        _check_growth(shape_a + shape_b, shape_a, shape_b, pos)
        return anp.expand_dims(a, -1) * anp.expand_dims(b, -2)

    return outer, left_batched or right_batched


def _index(base, node):
    apply_base, batched = base

    def index(x, dtype):
        value = apply_base(x, dtype)
        _check_index(node, example_shape(value, batched))
        return value[(slice(None),) * batched + tuple(_as_python_index(i) for i in node.index)]

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

    def vector(x, dtype):
        values = [apply(x, dtype) for apply, _ in items]
        shapes = [example_shape(v, b) for v, (_, b) in zip(values, items, strict=True)]
        if len(set(shapes)) > 1:
            listed = ", ".join(str(s) for s in shapes)
            raise ExpressionError(f"entries of [...] must have the same shape; got {listed}", pos)
        if not batched:
            return anp.stack(values, axis=0)
        batch = (anp.shape(x)[0],)
        values = [
            v if b else v + anp.zeros(batch + anp.shape(v), dtype)
            for v, (_, b) in zip(values, items, strict=True)
        ]
        return anp.stack(values, axis=1)

    return vector, batched


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
        return _elementwise(_functions.ELEMENTWISE[name], apply_arg), batched
    table = _functions.REDUCTIONS if name in _functions.REDUCTIONS else _functions.SHAPE_KEEPING
    return _per_example(table[name], apply_arg, batched, node), batched


def _elementwise(function, apply_arg):
    def elementwise(x, dtype):
        return function(apply_arg(x, dtype))

    return elementwise


def _per_example(function, apply_arg, batched, node):
    def per_example(x, dtype):
        value = apply_arg(x, dtype)
        if 0 in example_shape(value, batched) and node.func in (
            "max",
            "min",
            "softmax",
            "logsumexp",
        ):
            shape = example_shape(value, batched)
            raise ExpressionError(f"{node.func} of an empty example (shape {shape})", node.pos)
        return function(value, batched)

    return per_example
