"""``batch_jacobian`` and ``batch_hessian``: stacked passes plus the coupling check.

Layer: ``jacobians``. May import ``jacviz.errors`` and ``jacviz.expressions``
(through ``_checks``), numpy and autograd.
"""

import math
import warnings
from functools import partial
from typing import NamedTuple

import numpy as np

from jacviz.errors import BatchCouplingError, BatchCouplingWarning
from jacviz.expressions import Function
from jacviz.jacobians._basis import basis_blocks
from jacviz.jacobians._budget import check_request
from jacviz.jacobians._checks import (
    Unstackable,
    as_batch,
    as_function,
    check_options,
    has_data,
    layout,
    quiet,
    row_map,
    stacked_row_map,
)
from jacviz.jacobians._coupling import coupling_message, true_blocks
from jacviz.jacobians._probe import (
    EXHAUSTIVE,
    SAMPLED,
    Leak,
    Probes,
    exhaustive_probe,
    probe,
)
from jacviz.jacobians._stacked import (
    auto_chunk_size,
    chunked,
    derivative,
    lifted,
    probed_blocks,
    stacked_blocks,
    stacking,
)


def batch_jacobian(f, x, *, order=1, check="warn", mode="auto", chunk_size=None):
    """Per-example Jacobians of a batched function, stacked: ``J[b] = ∂f(x)[b] / ∂x[b]``.

    The meaning of TensorFlow's ``GradientTape.batch_jacobian``, computed with
    autograd in one pass on stacked copies of the batch (no Python loop over
    examples), and checked for cross-example coupling, which TensorFlow
    misses. How, and what each check costs: ``docs/coupling.md``.

    Parameters
    ----------
    f : callable or str
        Maps the whole batch ``(B, *in)`` to ``(B, *out)``, written with
        ``autograd.numpy``; example ``b`` of the output should depend on example
        ``b`` of the input only. It may close over per-example data with the
        batch axis (targets, weights, masks): then ``f`` works on its own batch
        only, and the engine falls back to ``min(n, m)`` passes on the batch as
        it is (the same arithmetic, that many times the Python overhead of a
        pass). Formula text (``"x**3"``) is parsed with
        :func:`jacviz.parse_function`; for named constants or data, pass the
        :class:`~jacviz.Function` it returns.
    x : array_like, shape (B, *in)
        The batch, rank >= 2. Real floating dtypes are kept (float16 and
        longdouble too); integer and bool become float64.
    order : {1, 2}, optional
        1 for the Jacobian; 2 for the batch Jacobian of the batch Jacobian
        (what nested ``GradientTape.batch_jacobian`` calls give).
    check : {"warn", "raise", "off"}, optional
        When examples influence each other, ``"warn"`` emits
        :class:`jacviz.BatchCouplingWarning` and returns the true diagonal
        blocks of :func:`full_jacobian`; ``"raise"`` raises
        :class:`jacviz.BatchCouplingError`; ``"off"`` skips the probe.
    mode : {"auto", "forward", "reverse"}, optional
        Forward (``n`` seeds) or reverse (``m`` seeds) mode; ``"auto"`` goes
        forward when ``n <= m``. Order 2 uses it for both passes.
    chunk_size : int or None, optional
        Examples per stacked pass (memory: ``k·chunk_size`` rows at once);
        ``None`` keeps a pass near ``2**18`` stacked entries.

    Returns
    -------
    jac : numpy.ndarray, shape (B, *out, *in) or (B, *out, *in, *in)
        dtype of ``x`` (float64 for integer input). An output of shape
        ``(B,)`` gives per-example gradients ``(B, *in)``; an output that does
        not depend on ``x`` gives zeros. Numerical trouble (``log`` of 0)
        gives ``inf`` or ``nan`` entries, never an exception or a NumPy
        warning.

    Raises
    ------
    ValueError
        ``x`` has rank < 2, ``f(x)`` has a different batch size, or an option
        is outside its values. Errors of ``f`` on ``x`` itself propagate
        unchanged.
    jacviz.ExpressionError
        For a formula, when the request is over budget (known from shapes,
        before any work): more than ``MAX_REQUEST_WORK`` numbers or
        ``MAX_RESULT_ENTRIES`` entries (``jacviz.jacobians``). A Python
        function is not budgeted.
    TypeError
        ``x`` or ``f(x)`` is complex, not numeric or not an array, or an
        option has the wrong type (``order=1.0``, ``order=True``).
    jacviz.BatchCouplingError
        With ``check="raise"``, when examples influence each other.

    Warns
    -----
    jacviz.BatchCouplingWarning
        With ``check="warn"``, when examples influence each other.

    See Also
    --------
    batch_hessian, full_jacobian, batch_coupling, finite_difference_jacobian

    Examples
    --------
    The TensorFlow tutorial's example, ``y = x³`` on a float32 batch:

    >>> import numpy as np
    >>> from jacviz import batch_jacobian
    >>> x = np.array([[4, 2], [1, 3]], dtype=np.float32)
    >>> batch_jacobian(lambda x: x * x * x, x)
    array([[[48.,  0.],
            [ 0., 12.]],
    <BLANKLINE>
           [[ 3.,  0.],
            [ 0., 27.]]], dtype=float32)
    """
    jac, message = _batch_derivative(f, x, order, check, mode, chunk_size)
    if message:
        warnings.warn(message, BatchCouplingWarning, stacklevel=2)  # the caller's line
    return jac


def _batch_derivative(f, x, order, check, mode, chunk_size):
    """Return ``(jac, message)``: the message of a coupling warning to emit, or ``None``."""
    f, x = as_function(f), as_batch(x)
    order, chunk_size = check_options(order, check, mode, chunk_size)
    if isinstance(f, Function):  # a formula's cost is known from shapes: refuse before work
        check_request(f, x.shape, order, stacked=not has_data(f))
    with quiet():
        y = f(x)
    in_shape, out_shape, shape = layout(x, y, order)
    n, m = math.prod(in_shape), math.prod(out_shape)
    if x.size == 0 or m == 0:
        return np.zeros(shape, dtype=x.dtype), None
    task = _Task(f, x.shape, m, order, mode, check != "off")
    x2d, y2d = x.reshape(-1, n), np.reshape(y, (-1, m))
    with quiet():
        jac, coupled = _blocks(task, chunk_size, x2d, y2d)
    message = None
    if len(coupled):
        jac, message = _coupled_result(task, x2d, check, coupled)
    return np.reshape(jac, shape).astype(x.dtype, copy=False), message


class _Task(NamedTuple):
    """What one call differentiates: ``f`` on batches of ``x_shape``, and how."""

    f: object
    x_shape: tuple
    m: int
    order: int
    mode: str
    probing: bool


def _blocks(task, chunk_size, x2d, y2d):
    """Return ``(blocks, coupled examples)``: stacked passes, else basis passes."""
    if not has_data(task.f):
        chunk_size = chunk_size or auto_chunk_size(x2d.shape[1], task.m, task.order)
        try:
            return _stacked_passes(task, chunk_size, x2d, y2d), ()
        except Leak:
            if len(x2d) == 1:  # no other example: f mixes the copies of this one
                return None, np.zeros(1, dtype=int)
        except Unstackable:
            pass
    return _basis(task, x2d)


def _stacked_passes(task, chunk_size, x2d, y2d):
    """Blocks by stacked passes, chunk by chunk; the probe rides in the first pass."""
    rest = partial(_stacked, task, False)
    if not task.probing:
        return chunked(rest, chunk_size, x2d, y2d)
    first = _stacked(task, True, x2d[:chunk_size], y2d[:chunk_size])
    if chunk_size >= len(x2d):
        return first
    return np.concatenate([first, chunked(rest, chunk_size, x2d[chunk_size:], y2d[chunk_size:])])


def _stacked(task, probing, x2d, y2d):
    """Blocks of ``x2d`` by one stacked pass, with the probe's copies if ``probing``.

    The probe's copies hold the batch's first examples: all of them up to
    :data:`EXHAUSTIVE`, else :data:`SAMPLED` (a coupling that ``f`` makes at
    any batch size shows among them; see ``docs/coupling.md``).
    Raises :class:`Unstackable` when ``f`` fails on the stacked rows or its
    copies disagree with ``f(x)`` = ``y2d``, :class:`Leak` when the probe's
    copies show examples interacting.
    """
    n = x2d.shape[1]
    examples = task.x_shape[0] if task.x_shape[0] <= EXHAUSTIVE else SAMPLED
    probes = Probes(min(len(x2d), examples), x2d.dtype) if probing else None
    stack = stacking(task.mode, n, task.m * n ** (task.order - 1), len(x2d), probes)
    g = partial(stacked_row_map, task.f, task.x_shape, task.m, partial(stack.agrees, y2d))
    g, _ = lifted(stacked_blocks, g, task.m, task.order, task.mode, n)
    blocks, probed = probed_blocks(g, stack, x2d, probes)
    if probing:
        probes.check(probed)
    return blocks


def _basis(task, x2d):
    """Return ``(blocks, coupled)`` by basis passes on the batch as it is, every pair probed."""
    g = partial(row_map, task.f, task.x_shape, task.m)
    if task.probing and len(x2d) >= 2:
        target, _ = lifted(basis_blocks, g, task.m, task.order, task.mode, x2d.shape[1])
        y, vjp = probe(target, x2d)
        coupled = exhaustive_probe(vjp, np.asarray(y))
        if len(coupled):
            return None, coupled
    return derivative(basis_blocks, g, task.m, task.order, task.mode, x2d), ()


def _coupled_result(task, x2d, check, coupled):
    """Raise for ``check="raise"``; else return the true diagonal blocks and the warning."""
    B = len(x2d)
    if check == "raise":
        raise BatchCouplingError(coupling_message(coupled, B))
    g = partial(row_map, task.f, task.x_shape, task.m)
    with quiet():
        blocks = true_blocks(g, task.order, x2d)
    return blocks, coupling_message(coupled, B) + " Returning the true diagonal blocks."


def batch_hessian(f, x, *, check="warn", mode="auto", chunk_size=None):
    """Batch Jacobian of the batch Jacobian: ``batch_jacobian(f, x, order=2, ...)``.

    For a scalar per example (``f(x)`` of shape ``(B,)``) this is the stack of
    per-example Hessians; in general it has one Hessian per output entry.

    Parameters
    ----------
    f : callable or str
        As in :func:`batch_jacobian`.
    x : array_like, shape (B, *in)
        The batch, rank >= 2.
    check, mode, chunk_size
        As in :func:`batch_jacobian`.

    Returns
    -------
    hess : numpy.ndarray, shape (B, *out, *in, *in)
        ``hess[b, o, i, j] = ∂² f(x)[b, o] / ∂x[b, i] ∂x[b, j]``.

    Raises
    ------
    ValueError, TypeError, jacviz.BatchCouplingError
        As in :func:`batch_jacobian`.

    Warns
    -----
    jacviz.BatchCouplingWarning
        With ``check="warn"``, when examples influence each other.

    Examples
    --------
    >>> import autograd.numpy as anp
    >>> from jacviz import batch_hessian
    >>> batch_hessian(lambda x: anp.sum(x**3, axis=1), [[1, 2], [3, 0]])
    array([[[ 6.,  0.],
            [ 0., 12.]],
    <BLANKLINE>
           [[18.,  0.],
            [ 0.,  0.]]])
    """
    hess, message = _batch_derivative(f, x, 2, check, mode, chunk_size)
    if message:
        warnings.warn(message, BatchCouplingWarning, stacklevel=2)  # the caller's line
    return hess
