"""Cross-example coupling: the full Jacobian, its diagonal blocks, the warning's words.

Layer: ``jacobians``. May import ``jacviz.errors`` and ``jacviz.expressions``
(through ``_checks``), numpy and autograd.
"""

from functools import partial

import autograd
import autograd.numpy as anp
import numpy as np

from jacviz.expressions import Function
from jacviz.jacobians._budget import check_request
from jacviz.jacobians._checks import as_batch, as_function, check_output, quiet

MAX_LISTED = 10  # examples named in a coupling message


def _full_rows(g, x2d):
    """Full Jacobian ``(B, m, B, n)`` of the row map ``g`` (no batch assumption)."""
    return anp.reshape(autograd.jacobian(g)(x2d), (x2d.shape[0], -1, *x2d.shape))


def _diagonal_blocks(g, x2d):
    """Return the true diagonal blocks ``(B, m, n)`` of the full Jacobian (differentiable)."""
    index = np.arange(x2d.shape[0])
    return _full_rows(g, x2d)[index, :, index, :]


def _flat_diagonal_blocks(g, x2d):
    """Flatten the true diagonal blocks to rows ``(B, m·n)``."""
    return anp.reshape(_diagonal_blocks(g, x2d), (x2d.shape[0], -1))


def true_blocks(g, order, x2d):
    """Exact ``(B, m, n)`` or ``(B, m·n, n)`` blocks, valid for coupled functions too."""
    if order == 2:
        g = partial(_flat_diagonal_blocks, g)
    return _diagonal_blocks(g, x2d)


def coupling_message(examples, batch_size):
    """Tell the user which examples interact and where to look next."""
    listed = ", ".join(str(b) for b in examples[:MAX_LISTED])
    more = f" (and {len(examples) - MAX_LISTED} more)" if len(examples) > MAX_LISTED else ""
    if batch_size == 1:
        what = (
            "f mixes the rows of its input batch, so it is not a function of each example "
            "alone: with one example there is no other, but the stacked pass feeds f copies "
            "of x, which such an f mixes"
        )
    else:
        what = (
            f"examples of the batch influence each other: the inputs of examples [{listed}]"
            f"{more} move the outputs of other examples, so the per-example blocks are not the "
            "whole Jacobian"
        )
    return (
        f"{what} (TensorFlow's batch_jacobian would silently return a wrong value here). "
        "Use jacviz.full_jacobian(f, x) to see every block and jacviz.batch_coupling(f, x) "
        "for the size of the coupling."
    )


def full_jacobian(f, x):
    """Compute the whole Jacobian of ``f`` at the batch, with no batch assumption.

    Every block ``full[b, ..., c, ...] = ∂f(x)[b] / ∂x[c]``, including the
    off-diagonal ones (``b != c``) that :func:`batch_jacobian` assumes are
    zero. Computed exactly with autograd: one forward pass per input entry
    when there are fewer inputs than outputs, else one backward pass per
    output entry (``B·min(n, m)`` passes): meant for teaching and checking on
    small batches.

    Parameters
    ----------
    f : callable or str
        Maps ``(B, *in)`` to ``(B, *out)``; may mix examples.
    x : array_like, shape (B, *in)
        The batch, rank >= 2.

    Returns
    -------
    full : numpy.ndarray, shape (B, *out, B, *in)
        dtype of ``x`` (float64 for integer input). Numerical trouble gives
        ``inf``/``nan`` entries, with no NumPy warning spilled.

    Raises
    ------
    ValueError, TypeError
        As in :func:`batch_jacobian`.

    Examples
    --------
    Each output adds the sum of the batch, so every block is non-zero:

    >>> import autograd.numpy as anp
    >>> from jacviz import full_jacobian
    >>> full_jacobian(lambda x: x + anp.sum(x, axis=0), [[1.0], [1.0]])[:, 0, :, 0]
    array([[2., 1.],
           [1., 2.]])
    """
    f, x = as_function(f), as_batch(x)
    if isinstance(f, Function):  # a formula's cost is known from shapes: refuse before work
        check_request(f, x.shape, "full")
    with quiet():
        y = f(x)
        check_output(y, x.shape)
        shape = (*np.shape(y), *x.shape)
        if x.size == 0 or np.size(y) == 0:
            return np.zeros(shape, dtype=x.dtype)
        full = _forward_full(f, x) if x.size < np.size(y) else autograd.jacobian(f)(x)
        return np.reshape(full, shape).astype(x.dtype, copy=False)


def _forward_full(f, x):
    """``(*y.shape, x.size)`` by one JVP per input entry: fewer passes than outputs."""
    jvp, seed = autograd.make_jvp(f)(x), np.zeros(x.size, dtype=x.dtype)
    columns = []
    for i in range(x.size):
        seed[i] = 1
        columns.append(np.asarray(jvp(seed.reshape(x.shape))[1]))
        seed[i] = 0
    return np.stack(columns, axis=-1)


def batch_coupling(f, x):
    """How much examples influence each other: the largest off-diagonal-block entry.

    ``max |∂f(x)[b] / ∂x[c]|`` over ``b != c``, computed exactly from
    :func:`full_jacobian` (not the randomized probe of
    :func:`batch_jacobian`). ``0.0`` means the batch Jacobian is the whole
    story.

    Parameters
    ----------
    f : callable or str
        Maps ``(B, *in)`` to ``(B, *out)``.
    x : array_like, shape (B, *in)
        The batch, rank >= 2.

    Returns
    -------
    float
        ``0.0`` for independent examples (and for ``B <= 1``); ``nan`` when an
        off-diagonal entry is ``nan`` (autograd's ``0 / 0``, e.g. ``log`` at 0).

    Raises
    ------
    ValueError, TypeError
        As in :func:`batch_jacobian`.

    Examples
    --------
    >>> import autograd.numpy as anp
    >>> from jacviz import batch_coupling
    >>> batch_coupling(lambda x: x + anp.sum(x, axis=0), [[1.0], [1.0]])
    1.0
    >>> batch_coupling(lambda x: x**3, [[1.0], [2.0]])
    0.0
    """
    x = as_batch(x)
    full = full_jacobian(f, x)
    B = x.shape[0]
    if B <= 1 or full.size == 0:
        return 0.0
    full = full.reshape(B, -1, B, x[0].size)
    off_diagonal = ~np.eye(B, dtype=bool)[:, None, :, None]
    return float(np.max(np.where(off_diagonal, np.abs(full), 0.0)))
