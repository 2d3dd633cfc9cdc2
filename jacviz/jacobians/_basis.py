"""Basis passes: every per-example block from ``k`` passes at the batch's own size.

Layer: ``jacobians``. Imports numpy and autograd only.

The fallback for an ``f`` that works on its own batch only -- it closes over
per-example data (targets, weights, masks) or reads the batch size. A JVP
seeded with ``e_i`` on every example gives column ``i`` of every block
(forward mode, ``n`` passes); a VJP seeded with ``e_j`` on every example
gives row ``j`` (reverse mode: one forward pass, then ``m`` backward passes).
Still no loop over examples: the same arithmetic as one stacked pass, cut in
``k`` passes of ``B`` rows, so ``k`` times the Python overhead of a pass.
"""

import autograd.numpy as anp
import numpy as np
from autograd import make_jvp, make_vjp


def _seed(shape, dtype, i):
    """``e_i`` on every row: an array of ``shape`` ``(R, k)``, ones in column ``i``."""
    seed = np.zeros(shape, dtype=dtype)
    seed[:, i] = 1
    return seed


def _forward_blocks(g, x2d):
    """``(R, m, n)`` blocks from ``n`` JVPs of ``g``, the ``i``-th seeded with ``e_i``."""
    columns = [make_jvp(g)(x2d)(_seed(x2d.shape, x2d.dtype, i))[1] for i in range(x2d.shape[1])]
    return anp.stack(columns, axis=2)


def _reverse_blocks(g, m, x2d):
    """``(R, m, n)`` blocks from one forward pass of ``g`` and ``m`` VJPs seeded with ``e_j``."""
    vjp, _ = make_vjp(g)(x2d)
    return anp.stack([vjp(_seed((x2d.shape[0], m), x2d.dtype, j)) for j in range(m)], axis=1)


def basis_blocks(g, m, mode, x2d):
    """Per-example Jacobians ``(B, m, n)`` of the row map ``g``, by ``min(n, m)`` passes.

    ``"auto"`` goes forward only when ``n < m``: on a tie reverse mode
    shares one forward pass among its backward passes.
    """
    n = x2d.shape[1]
    if mode == "forward" or (mode == "auto" and n < m):
        return _forward_blocks(g, x2d)
    return _reverse_blocks(g, m, x2d)
