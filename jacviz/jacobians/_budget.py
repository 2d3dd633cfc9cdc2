"""The budget of one request: its cost estimated from shapes, before anything is evaluated.

Layer: ``jacobians``. May import ``jacviz.errors`` and ``jacviz.expressions``.

A formula's :meth:`~jacviz.expressions.Function.estimate` gives the work of one
example of one evaluation (at most ``10**6`` numbers). A request evaluates far
more: the stacked pass runs ``k·B`` rows (``k = min(n, m)`` copies at order 1,
``n·min(n, m)`` at order 2), the fallback for per-example data ``k`` passes of
``B`` rows, the full Jacobian ``B·min(n, m)`` passes of ``B`` rows, and each
pass pays Python's overhead once per operation. :func:`request_cost` counts
all of that in numbers; :func:`check_request` refuses a request over
:data:`MAX_REQUEST_WORK` numbers or whose result holds more than
:data:`MAX_RESULT_ENTRIES` entries, naming the size, the limit and what to
reduce. A Python function cannot be estimated without running it: the engine
does not budget it (it is code its author chose to run); the explorer checks
its result's size after the one evaluation ``f(x)`` it makes anyway.
"""

import math
from typing import NamedTuple

from jacviz.errors import ExpressionError

#: Most numbers one request (evaluation and every derivative pass) may compute.
MAX_REQUEST_WORK = 2 * 10**8
#: Most entries of one result: ``B·m·n``, ``B·m·n²`` or ``B·m·B·n``.
MAX_RESULT_ENTRIES = 2 * 10**6
#: Numbers a pass is charged per operation of the formula (Python's overhead,
#: about 10 µs for autograd's forward and backward step of one operation).
OPERATION_COST = 2000
#: Numbers computed per number of one evaluation, by order: a JVP or VJP costs
#: about three evaluations, order 2 (a JVP of a JVP) about nine.
PASS_FACTOR = {1: 3, 2: 9, "full": 3}
#: Numbers a finite-difference pass is charged per operation (plain numpy, no
#: tape: about 1 µs of Python per operation).
FINITE_OPERATION_COST = 200


class Cost(NamedTuple):
    """What a request computes, from shapes alone.

    Attributes
    ----------
    work : int
        Numbers computed: ``passes·(rows·(work + outputs)·factor + operations·OPERATION_COST)``,
        where a row's outputs are ``m`` (``m·n`` at order 2, whose pass differentiates
        the order-1 blocks).
    entries : int
        Entries of the result.
    passes : int
        Derivative passes (autograd traces).
    rows : int
        Rows (examples and their stacked copies) each pass evaluates.
    """

    work: int
    entries: int
    passes: int
    rows: int


def request_cost(order, shape, work, operations=1, *, stacked=True):
    """Estimate what a derivative of ``order`` costs for ``B`` examples, from shapes alone.

    Parameters
    ----------
    order : {1, 2, "full"}
        Jacobian, Hessian or full Jacobian.
    shape : tuple of int
        ``(B, m, n)``: examples, outputs and inputs per example.
    work : int
        Numbers one evaluation computes per example (``Function.estimate``).
    operations : int, optional
        Operations of the formula: each pass pays :data:`OPERATION_COST` for each.
    stacked : bool, optional
        Whether the engine stacks copies of the batch (``False``: the fallback
        for per-example data, ``min(n, m)`` passes on the batch as it is).

    Returns
    -------
    Cost

    Examples
    --------
    >>> request_cost(1, (16, 729, 8), work=1170, operations=40)
    Cost(work=827936, entries=93312, passes=1, rows=128)
    >>> request_cost("full", (16, 729, 8), work=1170, operations=40).passes
    128
    """
    B, m, n = shape
    k = min(n, m)
    if order == "full":
        passes, rows, entries, outputs = B * k, B, B * m * B * n, m
    else:
        copies, outputs = k * n ** (order - 1), m * n ** (order - 1)
        passes, rows = (1, copies * B) if stacked else (copies, B)
        entries = B * m * n**order
    per_pass = rows * (work + outputs) * PASS_FACTOR[order] + operations * OPERATION_COST
    return Cost(B * work + passes * per_pass, entries, passes, rows)


def finite_cost(order, shape, work, operations=1, *, stacked=True):
    """Estimate what central differences of ``order`` cost for ``B`` examples, from shapes.

    Order 1 evaluates ``2n`` shifted copies of the batch, order 2 ``4n²``, as
    ``finite_difference_jacobian`` does: stacked in one call, or (per-example
    data) one call per copy. Plain evaluations: no pass factor.

    Parameters
    ----------
    order : {1, 2}
    shape : tuple of int
        ``(B, m, n)``.
    work : int
        Numbers one evaluation computes per example.
    operations : int, optional
        Each call pays :data:`FINITE_OPERATION_COST` per operation.
    stacked : bool, optional
        ``False``: one call per shifted copy.

    Returns
    -------
    Cost

    Examples
    --------
    >>> finite_cost(2, (16, 2, 8), work=40, operations=5)
    Cost(work=173672, entries=2048, passes=1, rows=4096)
    """
    B, m, n = shape
    copies = (2 * n) ** order
    passes, rows = (1, copies * B) if stacked else (copies, B)
    per_pass = rows * (work + m) + operations * FINITE_OPERATION_COST
    return Cost(B * work + passes * per_pass, B * m * n**order, passes, rows)


def check_cost(cost, what):
    """Raise ExpressionError when ``cost`` is over :data:`MAX_REQUEST_WORK` or the result too big.

    ``what`` names the request in the message, e.g. ``"the full Jacobian of 16 examples"``.

    Examples
    --------
    >>> check_cost(Cost(10**9, 10, 1, 1), "the Hessian of 16 examples")
    Traceback (most recent call last):
    ...
    jacviz.errors.ExpressionError: the Hessian of 16 examples would compute about 1e+09 \
numbers (at most 2e+08): use fewer outputs per example (smaller vector literals), \
inputs or examples, or order 1
    """
    reduce = "use fewer outputs per example (smaller vector literals), inputs or examples"
    if cost.entries > MAX_RESULT_ENTRIES:
        raise ExpressionError(
            f"{what} has {cost.entries:,} entries (at most {MAX_RESULT_ENTRIES:,}): {reduce}"
        )
    if cost.work > MAX_REQUEST_WORK:
        raise ExpressionError(
            f"{what} would compute about {cost.work:.3g} numbers (at most "
            f"{MAX_REQUEST_WORK:.3g}): {reduce}, or order 1"
        )


def check_request(f, x_shape, order, *, stacked=True, finite=False):
    """Refuse a formula's request over budget, from shapes alone, before evaluating anything.

    Parameters
    ----------
    f : Function
        The formula.
    x_shape : tuple of int
        The batch's shape ``(B, *in)``.
    order : {1, 2, "full"}
    stacked : bool, optional
        As in :func:`request_cost`.
    finite : bool, optional
        Cost central differences (:func:`finite_cost`) instead of autodiff.

    Raises
    ------
    ExpressionError
        The formula does not fit the examples (as evaluating would say), or the
        request is over :data:`MAX_REQUEST_WORK` or :data:`MAX_RESULT_ENTRIES`.

    Examples
    --------
    >>> from jacviz.expressions import parse_function
    >>> wide = "[" + ",".join(["x[0]"] * 199) + "]"  # 199 outputs, 996 characters
    >>> check_request(parse_function(wide), (16, 8), "full")  # about 1 s: fine
    >>> check_request(parse_function(wide), (32, 8), "full")  # twice the passes
    Traceback (most recent call last):
    ...
    jacviz.errors.ExpressionError: the full Jacobian of 32 examples would compute about \
2.19e+08 numbers (at most 2e+08): use fewer outputs per example (smaller vector literals), \
inputs or examples, or order 1
    """
    estimate = f.estimate(x_shape[1:])
    shape = (x_shape[0], math.prod(estimate.out_shape), math.prod(x_shape[1:]))
    estimator = finite_cost if finite else request_cost
    cost = estimator(order, shape, estimate.work, f.operations, stacked=stacked)
    check_cost(cost, describe(order, x_shape[0], finite=finite))


def check_entries(order, shape):
    """Raise ExpressionError when the result for ``shape = (B, m, n)`` is too big.

    For a Python function, whose work cannot be known before it runs: its
    output size is known after one evaluation.

    Examples
    --------
    >>> check_entries("full", (16, 6561, 8))
    Traceback (most recent call last):
    ...
    jacviz.errors.ExpressionError: the full Jacobian of 16 examples has 13,436,928 entries \
(at most 2,000,000): use fewer outputs per example (smaller vector literals), inputs or \
examples
    """
    check_cost(request_cost(order, shape, 0)._replace(work=0), describe(order, shape[0]))


def describe(order, B, *, finite=False):
    """Name a request for messages: ``"the Hessian of 16 examples"``.

    Examples
    --------
    >>> describe(1, 1)
    'the Jacobian of 1 example'
    >>> describe(2, 16, finite=True)
    'the finite-difference Hessian of 16 examples'
    """
    name = {1: "Jacobian", 2: "Hessian", "full": "full Jacobian"}[order]
    method = "finite-difference " if finite else ""
    return f"the {method}{name} of {B} example{'s' if B != 1 else ''}"
