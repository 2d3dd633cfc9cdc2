"""Stacked passes: every per-example block from one JVP or VJP.

Layer: ``jacobians``. Imports numpy and autograd only.

``g`` maps rows to rows, ``(R, n) -> (R, m)``. Stacking ``k`` copies of the
rows along axis 0 and seeding copy ``i`` with the basis vector ``e_i`` gives
column ``i`` (forward mode, ``k = n``) or row ``i`` (reverse mode, ``k = m``)
of every block at once. Everything here is built from ``autograd.numpy`` so
the order-1 pass can itself be differentiated for order 2.
"""

from functools import partial

import autograd.numpy as anp
import numpy as np
from autograd import make_jvp, make_vjp

CHUNK_ENTRIES = 2**18  # automatic chunks: about this many stacked entries per pass


def _forward_blocks(g, x2d):
    """``(R, m, n)`` blocks from one JVP of ``g`` on ``n`` copies seeded with ``e_i``."""
    rows, n = x2d.shape
    copies = anp.concatenate([x2d] * n, axis=0)
    tangent = np.repeat(np.eye(n, dtype=x2d.dtype), rows, axis=0)
    _, ydot = make_jvp(g)(copies)(tangent)
    return anp.transpose(anp.reshape(ydot, (n, rows, -1)), (1, 2, 0))


def _reverse_blocks(g, m, x2d):
    """``(R, m, n)`` blocks from one VJP of ``g`` on ``m`` copies seeded with ``e_j``."""
    rows, n = x2d.shape
    copies = anp.concatenate([x2d] * m, axis=0)
    vjp, _ = make_vjp(g)(copies)
    cotangent = np.repeat(np.eye(m, dtype=x2d.dtype), rows, axis=0)
    return anp.transpose(anp.reshape(vjp(cotangent), (m, rows, n)), (1, 0, 2))


def _blocks(g, m, mode, x2d):
    """Per-example Jacobians ``(R, m, n)`` of the row map ``g``, by one stacked pass."""
    n = x2d.shape[1]
    if mode == "forward" or (mode == "auto" and n <= m):
        return _forward_blocks(g, x2d)
    return _reverse_blocks(g, m, x2d)


def flat_blocks(g, m, mode, x2d):
    """Flatten the order-1 blocks to rows ``(R, m·n)``: a row map to differentiate again."""
    return anp.reshape(_blocks(g, m, mode, x2d), (x2d.shape[0], -1))


def stacked(g, m, order, mode, x2d):
    """``(R, m, n)`` for order 1, ``(R, m·n, n)`` for order 2."""
    if order == 2:
        g, m = partial(flat_blocks, g, m, mode), m * x2d.shape[1]
    return _blocks(g, m, mode, x2d)


def auto_chunk_size(n, m, order):
    """Examples per pass keeping ``n**order·(n + m)`` entries per example under the budget.

    Stacked arrays of a few MB stay in cache and reuse freed memory; one giant
    pass over a huge batch is slower (fresh pages) as well as memory-hungry.
    """
    return max(1, CHUNK_ENTRIES // (n**order * (n + m)))


def chunked(compute, x2d, chunk_size):
    """``compute`` on consecutive chunks of ``chunk_size`` examples, concatenated."""
    if chunk_size >= x2d.shape[0]:
        return compute(x2d)
    starts = range(0, x2d.shape[0], chunk_size)
    return np.concatenate([compute(x2d[start : start + chunk_size]) for start in starts])
