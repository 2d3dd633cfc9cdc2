"""Kinds of operation: how a family acts on shapes, what it costs, how it runs.

Layer: expressions (private). Imports the standard library, autograd and
``jacviz.errors``.

Every operation of a formula -- ``sin``, ``sum``, ``softmax``, ``arctan2``,
``dot``, ``outer``, and the operators ``+ - * / ** @`` -- is one entry of
:data:`jacviz.expressions._functions.RULES`, and each entry belongs to one
:class:`Kind`. From the shapes of one example's arguments alone, the kind
gives the result's shape and the numbers computed (what the work budget
counts); it applies the entry's implementation to batched arrays and its
formula to symbolic ones. The evaluator asks it at each call, the estimate
from shapes alone, so the two always agree.
"""

import math
from collections.abc import Callable
from typing import NamedTuple

import autograd.numpy as anp

from jacviz.errors import ExpressionError
from jacviz.expressions import _symbols

MAX_EXAMPLE_SIZE = 10**6  # numbers per example that one broadcast may create
MAX_RANK = 31  # axes per example: with the batch axis, within what every numpy function takes


class Kind(NamedTuple):
    """A family of operations (see the module docstring).

    ``shape(rule, shapes, pos)`` returns the result's shape per example from the
    arguments' ones (or raises ExpressionError); ``work(shapes, out)`` the numbers
    computed per example, before the entry's factor ``rule.work``;
    ``apply(rule, values, batched, out)`` computes it on arrays whose axis 0 is
    the batch where ``batched`` says so; ``expand(rule, args, pos)`` on symbolic
    arrays (:mod:`~jacviz.expressions._symbols`). ``scalar`` tells LaTeX whether
    the result reads as one number: ``"always"``, ``"never"`` or ``"args"`` (when
    all arguments do).
    """

    name: str
    arity: int
    shape: Callable
    work: Callable
    apply: Callable
    expand: Callable
    scalar: str

    def __repr__(self):
        return f"<kind {self.name}>"


def size(shape):
    """Return the number of entries of an array of ``shape``."""
    return math.prod(shape)


def check_rank(shape, what, pos=None):
    """Raise ExpressionError if ``what`` has more than :data:`MAX_RANK` axes per example."""
    if len(shape) > MAX_RANK:
        raise ExpressionError(f"{what} has {len(shape)} axes per example (at most {MAX_RANK})", pos)


def charge(rule, shapes, pos):
    """Return ``(out_shape, work)`` of ``rule`` on arguments of ``shapes`` (one example each)."""
    out = rule.kind.shape(rule, shapes, pos)
    return out, rule.work * rule.kind.work(shapes, out)


def _out_size(shapes, out):
    return size(out)


def _in_size(shapes, out):
    return size(shapes[0])


def _no_formula(rule, pos):
    return ExpressionError(
        f"{rule.name} has no single derivative formula (it switches between its arguments); "
        "the numeric Jacobian is still exact",
        pos,
    )


def _symbolic(rule, pos):
    """Return the entry's formula on symbols; ``None``: the function itself (it has a rule)."""
    if rule.expand is not None:
        return rule.expand
    if rule.derivative is None:
        raise _no_formula(rule, pos)
    return None


# -- elementwise: one argument, same shape ------------------------------------------------


def _same_shape(rule, shapes, pos):
    return shapes[0]


def _apply_elementwise(rule, values, batched, out):
    return rule.numeric(values[0])


def _expand_elementwise(rule, args, pos):
    formula = _symbolic(rule, pos)
    if formula is None:
        return _symbols.call_entries(rule.name, *args)
    return _symbols.map_entries(formula, args[0])


ELEMENTWISE = Kind(
    "elementwise", 1, _same_shape, _out_size, _apply_elementwise, _expand_elementwise, "args"
)


# -- reductions and functions of the whole example -----------------------------------------


def _check_entries(rule, shape, pos):
    if rule.needs_entries and 0 in shape:
        raise ExpressionError(f"{rule.name} of an empty example (shape {shape})", pos)


def _reduced_shape(rule, shapes, pos):
    _check_entries(rule, shapes[0], pos)
    return ()


def _whole_shape(rule, shapes, pos):
    _check_entries(rule, shapes[0], pos)
    return shapes[0]


def _apply_per_example(rule, values, batched, out):
    return rule.numeric(values[0], batched[0])


def _expand_reduction(rule, args, pos):
    return _symbols.symbols([_symbolic(rule, pos)(_symbols.entries(args[0]))])


def _expand_whole(rule, args, pos):
    return _symbolic(rule, pos)(args[0])


REDUCTION = Kind(
    "reduction", 1, _reduced_shape, _in_size, _apply_per_example, _expand_reduction, "always"
)
WHOLE_EXAMPLE = Kind(
    "whole example", 1, _whole_shape, _in_size, _apply_per_example, _expand_whole, "never"
)


# -- two arguments, broadcast entry by entry -----------------------------------------------


def label(rule):
    """How messages name ``rule``: ``arctan2``, or ``'+'`` for an operator."""
    return rule.name if rule.name.isidentifier() else f"'{rule.name}'"


def _broadcast_shape(rule, shapes, pos):
    shape_a, shape_b = shapes
    try:
        shape = anp.broadcast_shapes(shape_a, shape_b)
    except ValueError:
        raise ExpressionError(
            f"cannot combine shapes {shape_a} and {shape_b} with {label(rule)}", pos
        ) from None
    check_growth(shape, shape_a, shape_b, pos)
    return shape


def check_growth(shape, shape_a, shape_b, pos):
    """Refuse a result that makes each example far larger than both operands."""
    if size(shape) > max(MAX_EXAMPLE_SIZE, size(shape_a), size(shape_b)):
        raise ExpressionError(
            f"combining shapes {shape_a} and {shape_b} gives {shape} per example "
            f"({size(shape)} numbers; at most {MAX_EXAMPLE_SIZE})",
            pos,
        )


def align(value, batched, rank):
    """Insert axes after the batch axis so each example has ``rank`` axes."""
    own = value.ndim - batched
    if not batched or own >= rank:
        return value
    shape = value.shape
    return anp.reshape(value, shape[:1] + (1,) * (rank - own) + shape[1:])


def _apply_broadcast(rule, values, batched, out):
    rank = len(out)
    return rule.numeric(align(values[0], batched[0], rank), align(values[1], batched[1], rank))


def _expand_broadcast(rule, args, pos):
    formula = _symbolic(rule, pos)
    if formula is None:
        return _symbols.call_entries(rule.name, *args)
    return _symbols.broadcast(formula, *args)


BROADCAST = Kind(
    "broadcast", 2, _broadcast_shape, _out_size, _apply_broadcast, _expand_broadcast, "args"
)


# -- products of vectors and matrices -------------------------------------------------------


def _matmul_shape(rule, shapes, pos):
    shape_a, shape_b = shapes
    ok_ranks = len(shape_a) in (1, 2) and len(shape_b) in (1, 2)
    if not ok_ranks or shape_a[-1] != shape_b[0]:
        raise ExpressionError(
            f"{rule.name} needs vectors or matrices with matching inner sizes; "
            f"got shapes {shape_a} and {shape_b}",
            pos,
        )
    return shape_a[:-1] + shape_b[1:]


def _multiply_adds(shapes, out):
    shape_a, shape_b = shapes
    return size(shape_a) * size(shape_b[1:])


def _apply_matmul(rule, values, batched, out):
    a, b = values
    a_vector = a.ndim - batched[0] == 1
    b_vector = b.ndim - batched[1] == 1
    if a_vector:
        a = anp.expand_dims(a, -2)
    if b_vector:
        b = anp.expand_dims(b, -1)
    product = anp.matmul(a, b)
    if b_vector:
        product = product[..., 0]
    if a_vector:
        product = product[..., 0] if b_vector else product[..., 0, :]
    return product


def _expand_matmul(rule, args, pos):
    return _symbols.matmul(*args)


MATMUL = Kind(
    "matrix product", 2, _matmul_shape, _multiply_adds, _apply_matmul, _expand_matmul, "always"
)


def _outer_shape(rule, shapes, pos):
    shape_a, shape_b = shapes
    if len(shape_a) != 1 or len(shape_b) != 1:
        raise ExpressionError(
            f"{rule.name} needs two vectors; got shapes {shape_a} and {shape_b}", pos
        )
    check_growth(shape_a + shape_b, shape_a, shape_b, pos)
    return shape_a + shape_b


def _apply_outer(rule, values, batched, out):
    a, b = values
    return anp.expand_dims(a, -1) * anp.expand_dims(b, -2)


def _expand_outer(rule, args, pos):
    return _symbols.outer(*args)


OUTER = Kind("outer product", 2, _outer_shape, _out_size, _apply_outer, _expand_outer, "never")
