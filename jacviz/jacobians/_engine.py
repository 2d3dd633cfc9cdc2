"""``batch_jacobian`` and ``batch_hessian``: stacked passes plus the coupling check.

Layer: ``jacobians``. May import ``jacviz.errors`` and ``jacviz.expressions``
(through ``_checks``), numpy and autograd.
"""

import math
import warnings
from functools import partial

import numpy as np

from jacviz.errors import BatchCouplingError, BatchCouplingWarning
from jacviz.jacobians._checks import (
    as_batch,
    as_function,
    check_options,
    layout,
    quiet,
    row_map,
)
from jacviz.jacobians._coupling import coupling_message, leaking_examples, probe, true_blocks
from jacviz.jacobians._stacked import auto_chunk_size, chunked, flat_blocks, stacked


def batch_jacobian(f, x, *, order=1, check="warn", mode="auto", chunk_size=None):
    """Per-example Jacobians of a batched function, stacked: ``J[b] = ∂f(x)[b] / ∂x[b]``.

    The meaning of TensorFlow's ``GradientTape.batch_jacobian``, computed with
    autograd in one stacked forward- or reverse-mode pass (no Python loop over
    examples), and checked for cross-example coupling, which TensorFlow misses.

    Parameters
    ----------
    f : callable or str
        Maps the whole batch ``(B, *in)`` to ``(B, *out)``, written with
        ``autograd.numpy``; example ``b`` of the output should depend on example
        ``b`` of the input only. ``f`` must accept a batch of any size: it is
        evaluated on ``k·B`` stacked rows. Formula text (``"x**3"``) is parsed
        with :func:`jacviz.parse_function`.
    x : array_like, shape (B, *in)
        The batch, rank >= 2. Every real floating dtype is kept: float32 and
        float64, and also float16 (about 3 significant digits, ``inf`` above
        65504: fine for showing what low precision does, cast to float32 for
        real work) and longdouble. Integer and bool become float64.
    order : {1, 2}, optional
        1 for the Jacobian; 2 for the batch Jacobian of the batch Jacobian
        (what nested ``GradientTape.batch_jacobian`` calls give).
    check : {"warn", "raise", "off"}, optional
        Cross-example coupling check, exact: on the batch as it is (not
        stacked), VJPs of ``f`` with random cotangents on one side of a split
        of the examples and zero on the other. Zero cotangents propagate as
        exact zeros, so an example on the zero side gets an exactly zero
        gradient unless its input moves another example's output: round-off
        never alarms, and any coupling is seen. Up to 64 examples every pair
        is tested (``2·ceil(log2 B)`` backward passes after one forward pass
        that also gives ``f(x)``); beyond, one random split (two backward
        passes) finds every coupling with the rest of the batch (means, sums,
        normalisation) and a coupling between two particular examples with
        probability 1/2. A single example is probed against a twin of
        itself (the stacked pass feeds ``f`` copies of it, which an ``f``
        mixing the rows of its batch would mix). For order 2 the probe
        follows the order-1 blocks as functions of ``x``: a coupling that
        leaves the Hessians exact (``f`` linear in the other examples) is
        not reported. When coupling is
        found, ``"warn"`` emits :class:`jacviz.BatchCouplingWarning` and
        returns the *true* diagonal blocks of :func:`full_jacobian` (exact,
        but ``O(B·m)`` backward passes and a ``B²·m·n`` array: meant for
        teaching-sized batches); ``"raise"`` raises
        :class:`jacviz.BatchCouplingError`; ``"off"`` skips the probe and
        returns the stacked result, which is only meaningful for independent
        examples.
    mode : {"auto", "forward", "reverse"}, optional
        ``"forward"`` stacks ``n`` copies and takes one JVP, ``"reverse"``
        stacks ``m`` copies and takes one VJP; ``"auto"`` picks forward when
        ``n <= m``. Order 2 applies the mode to both passes (auto: forward
        over the order-1 pass).
    chunk_size : int or None, optional
        Bounds memory: the batch is processed ``chunk_size`` examples at a
        time, so at most ``k·chunk_size`` rows (``n·k·chunk_size`` for order
        2) are alive in one pass. ``None`` picks it so that one pass holds
        about ``2**18`` stacked entries (``chunk_size·n**order·(n + m)``), a
        few MB, which is also faster than one giant pass. For independent
        examples the result does not depend on it; the coupling probe always
        sees the whole batch.

    Returns
    -------
    jac : numpy.ndarray, shape (B, *out, *in) or (B, *out, *in, *in)
        dtype of ``x`` (float64 for integer input). An output of shape
        ``(B,)`` gives per-example gradients ``(B, *in)``. An output that does
        not depend on ``x``, or only through integer or bool values (a
        piecewise-constant output, e.g. ``np.ones((B, 2), int)``), gives
        zeros of this dtype, with no warning. Numerical trouble (``log`` of 0,
        ``0/0``) gives ``inf`` or ``nan`` entries: never an exception, and no
        NumPy warning is spilled; the caller decides how to show them.

    Raises
    ------
    ValueError
        ``x`` has rank < 2, ``f(x)`` has a different batch size, ``f`` works
        on ``x`` but not on the stacked copies (it fixes the batch size: the
        message names both shapes and chains ``f``'s own error), or an
        option is outside its values. Errors of ``f(x)`` itself propagate
        unchanged.
    TypeError
        ``x`` or ``f(x)`` is complex or not numeric, or an option has the
        wrong type: ``order`` and ``chunk_size`` take Python or numpy
        integers, never bool or float (``order=1.0`` and ``order=True`` are
        refused).
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

    One scalar per example gives per-example gradients:

    >>> import autograd.numpy as anp
    >>> batch_jacobian(lambda x: anp.sum(x**2, axis=1), [[1, 2], [3, 4]])
    array([[2., 4.],
           [6., 8.]])

    Numerical trouble stays in the values (``d log(x) / dx = 1/x``):

    >>> batch_jacobian("log(x)", [[0.0], [2.0]])
    array([[[inf]],
    <BLANKLINE>
           [[0.5]]])
    """
    jac, message = _batch_derivative(f, x, order, check, mode, chunk_size)
    if message:
        warnings.warn(message, BatchCouplingWarning, stacklevel=2)  # the caller's line
    return jac


def _batch_derivative(f, x, order, check, mode, chunk_size):
    """Return ``(jac, message)``: the message of a coupling warning to emit, or ``None``."""
    f, x = as_function(f), as_batch(x)
    order, chunk_size = check_options(order, check, mode, chunk_size)
    probing = check != "off"
    with quiet():  # order 1 on a real batch: f(x) and the probe's VJP from one forward pass
        reuse = probing and order == 1 and x.shape[0] >= 2
        y, vjp = probe(f, x) if reuse else (f(x), None)
    in_shape, out_shape, shape = layout(x, y, order)
    n, m = math.prod(in_shape), math.prod(out_shape)
    if x.size == 0 or m == 0:
        return np.zeros(shape, dtype=x.dtype), None
    g, x2d = partial(row_map, f, x.shape, m), x.reshape(-1, n)
    chunk_size = chunk_size or auto_chunk_size(n, m, order)
    with quiet():
        jac = chunked(partial(stacked, g, m, order, mode), x2d, chunk_size)
        coupled = _coupled(g, m, mode, order, x2d, y, vjp) if probing else ()
    message = None
    if len(coupled):
        jac, message = _coupled_result(g, x2d, order, check, coupled)
    return np.reshape(jac, shape).astype(x.dtype, copy=False), message


def _coupled(g, m, mode, order, x2d, y, vjp):
    """Return the examples the probe finds coupled (see ``leaking_examples``).

    Order 2 probes what the Hessians depend on, the order-1 blocks as
    functions of ``x``. A single example is probed against a twin of itself:
    no other example exists, but the stacked pass feeds ``f`` copies of it,
    which a function mixing the rows of its batch (``x - mean(x)``) sees.
    """
    if vjp is None:
        target = g if order == 1 else partial(flat_blocks, g, m, mode)
        rows = x2d if len(x2d) >= 2 else np.concatenate([x2d, x2d])
        y, vjp = probe(target, rows)
    return np.unique(leaking_examples(vjp, np.asarray(y)) % len(x2d))


def _coupled_result(g, x2d, order, check, coupled):
    """Raise for ``check="raise"``; else return the true diagonal blocks and the warning."""
    if check == "raise":
        raise BatchCouplingError(coupling_message(coupled, len(x2d)))
    with quiet():
        blocks = true_blocks(g, order, x2d)
    return blocks, coupling_message(coupled, len(x2d)) + " Returning the true diagonal blocks."


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
