"""Compile a formula tree into one vectorised closure; estimate it from shapes alone.

Layer: expressions (private). Imports the standard library, autograd and
``jacviz.errors``.

The formula is written for one example; the closure runs it on the whole
batch at once. Each compiled node is a pair ``(apply, batched)``: ``apply(x,
run)`` returns the node's value, and ``batched`` (known at compile time: ``x``
and per-example data are, constants are not) says whether that value carries
the batch as axis 0. ``run`` is one
evaluation's :class:`Run`: the input's dtype, and the work budget that every
operation pays for the numbers it computes per example, *before* computing
them. What an operation does to shapes and what it costs come from its
registry entry (:mod:`~jacviz.expressions._functions`), and
:func:`estimate_tree` asks the same entries with shapes only, so the estimate
and the evaluation charge the same numbers in the same order.
"""

from typing import NamedTuple

import autograd.numpy as anp

from jacviz.errors import ExpressionError
from jacviz.expressions._functions import NAMED_NUMBERS, rule_of
from jacviz.expressions._kinds import charge, check_rank, size
from jacviz.expressions._tree import Index, Name, Num, Slice, Vector, children, format_index

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

    @property
    def spent(self):
        """The numbers computed so far, per example."""
        return MAX_WORK - self.left

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
    args = [compile_tree(child, constants) for child in children(node)]
    if isinstance(node, Index):
        return _index(args[0], node)
    if isinstance(node, Vector):
        return _vector(args, node.pos)
    return _operation(rule_of(node), args, node.pos)


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


class Estimate(NamedTuple):
    """What one example of a formula outputs and costs, known from shapes alone."""

    out_shape: tuple
    work: int


def estimate_tree(node, in_shape, shapes):
    """Return the :class:`Estimate` of ``node`` for examples ``x`` of shape ``in_shape``.

    Parameters
    ----------
    node : tuple
        A formula tree.
    in_shape : tuple of int
        The shape of one example ``x``.
    shapes : Mapping[str, tuple of int]
        The shape per example of every other name: a constant's whole shape,
        one row's of per-example data.

    Raises
    ------
    ExpressionError
        Exactly where evaluating would: shapes that do not fit, too much work.
    """
    run = Run(None)
    out_shape = _shape(node, in_shape, shapes, run)
    return Estimate(out_shape, run.spent)


def _shape(node, in_shape, shapes, run):
    """Return the shape of ``node`` per example, paying into ``run`` what evaluating costs."""
    if isinstance(node, Num):
        return ()
    if isinstance(node, Name):
        if node.id in NAMED_NUMBERS:
            return ()
        return tuple(in_shape) if node.id == "x" else tuple(shapes[node.id])
    args = [_shape(child, in_shape, shapes, run) for child in children(node)]
    if isinstance(node, Index):
        out, work = index_charge(node, args[0])
    elif isinstance(node, Vector):
        out, work = vector_charge(args, node.pos)
    else:
        out, work = charge(rule_of(node), args, node.pos)
    run.spend(work, node.pos)
    return out


def example_shape(value, batched):
    """Return the shape of one example's part of ``value`` (an array or an autograd box)."""
    return value.shape[1:] if batched else value.shape


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


def _operation(rule, args, pos):
    """Build a function or operator application from its registry entry."""
    flags = tuple(batched for _, batched in args)
    applies = tuple(apply for apply, _ in args)
    apply_rule = rule.kind.apply

    def operation(x, run):
        values = [apply(x, run) for apply in applies]
        shapes = [example_shape(v, b) for v, b in zip(values, flags)]  # noqa: B905
        out, work = charge(rule, shapes, pos)
        run.spend(work, pos)
        return apply_rule(rule, values, flags, out)

    return operation, any(flags)


def index_charge(node, shape):
    """Return ``(out_shape, work)`` of ``node.index`` on an example of ``shape``."""
    _check_index(node, shape)
    out = []
    for part, length in zip(node.index, shape, strict=False):
        if isinstance(part, Slice):
            out.append(len(range(length)[as_python_index(part)]))
    out = (*out, *shape[len(node.index) :])
    return out, size(out)


def _index(base, node):
    apply_base, batched = base

    def index(x, run):
        value = apply_base(x, run)
        _, work = index_charge(node, example_shape(value, batched))
        run.spend(work, node.pos)
        return value[(slice(None),) * batched + tuple(as_python_index(i) for i in node.index)]

    return index, batched


def as_python_index(part):
    """Return a :class:`Slice` as a Python ``slice``; a whole number unchanged."""
    return slice(part.start, part.stop, part.step) if isinstance(part, Slice) else part


def _check_index(node, shape):
    """Raise ExpressionError unless ``node.index`` fits an example of ``shape``."""
    if len(node.index) > len(shape):
        raise ExpressionError(
            f"too many indices: [{format_index(node.index)}] for an example of shape {shape}",
            node.pos,
        )
    for part, length in zip(node.index, shape, strict=False):
        if isinstance(part, Slice):
            if part.step == 0:
                raise ExpressionError("slice step cannot be zero", node.pos)
        elif not -length <= part < length:
            raise ExpressionError(
                f"index {part} is out of range for an example of shape {shape} "
                f"(allowed: {-length} to {length - 1})",
                node.pos,
            )


def vector_charge(shapes, pos):
    """Return ``(out_shape, work)`` of ``[a, b, …]`` with entries of ``shapes``."""
    if len(set(shapes)) > 1:
        listed = ", ".join(str(s) for s in shapes)
        raise ExpressionError(f"entries of [...] must have the same shape; got {listed}", pos)
    out = (len(shapes), *shapes[0])
    check_rank(out, "this vector literal", pos)
    return out, size(out)


def _vector(items, pos):
    batched = any(item_batched for _, item_batched in items)

    def vector(x, run):
        values = [apply(x, run) for apply, _ in items]
        shapes = [example_shape(v, b) for v, (_, b) in zip(values, items, strict=True)]
        _, work = vector_charge(shapes, pos)
        run.spend(work, pos)
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
