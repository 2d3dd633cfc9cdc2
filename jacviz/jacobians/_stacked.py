"""Stacked passes: every per-example block from one JVP or VJP.

Layer: ``jacobians``. Imports numpy and autograd only.

``g`` maps rows to rows, ``(R, n) -> (R, m)``. Stacking ``k`` copies of the
rows along axis 0 and seeding copy ``i`` with the basis vector ``e_i`` gives
column ``i`` (forward mode, ``k = n``) or row ``i`` (reverse mode, ``k = m``)
of every block at once. More copies with other seeds ride along in the same
pass (the coupling probe's). Everything here is built from ``autograd.numpy``
so the order-1 pass can itself be differentiated for order 2
(:func:`lifted`), whichever way the blocks are computed (here, or ``_basis``).
"""

from functools import partial

import autograd.numpy as anp
import numpy as np
from autograd import make_jvp, make_vjp

CHUNK_ENTRIES = 2**18  # automatic chunks: about this many stacked entries per pass


def _seeded(g, x2d, seeds, forward):
    """Copy ``i`` of the rows seeded with rows ``i·R ... (i+1)·R - 1`` of ``seeds``.

    One JVP (``forward``) or VJP of ``g`` on all the copies; the results
    ``(copies, R, out)``.
    """
    rows = x2d.shape[0]
    copies = anp.concatenate([x2d] * (len(seeds) // rows), axis=0)
    if forward:
        _, out = make_jvp(g)(copies)(seeds)
    else:
        vjp, _ = make_vjp(g)(copies)
        out = vjp(seeds)
    return anp.reshape(out, (-1, rows, np.shape(out)[-1]))


def probed_blocks(g, m, mode, x2d, probes=None):
    """Per-example Jacobians ``(R, m, n)`` of ``g`` by one stacked pass, and the probe's copies.

    ``probes(k)`` gives seeds ``(K·R, k)`` for ``K`` more copies (``k = n``
    forward, ``m`` reverse), stacked first; their results ``(K, R, m or n)``
    are returned next to the blocks (empty without ``probes``).
    """
    rows, n = x2d.shape
    forward = mode == "forward" or (mode == "auto" and n <= m)
    k = n if forward else m
    seeds = np.repeat(np.eye(k, dtype=x2d.dtype), rows, axis=0)  # copy i: e_i on every row
    if probes is not None:
        seeds = np.concatenate([probes(k), seeds])
    out = _seeded(g, x2d, seeds, forward)
    return anp.transpose(out[-k:], (1, 2, 0) if forward else (1, 0, 2)), out[:-k]


def stacked_blocks(g, m, mode, x2d):
    """Per-example Jacobians ``(R, m, n)`` of the row map ``g``, by one stacked pass."""
    return probed_blocks(g, m, mode, x2d)[0]


def flat_blocks(blocks, g, m, mode, x2d):
    """Flatten the order-1 blocks to rows ``(R, m·n)``: a row map to differentiate again."""
    return anp.reshape(blocks(g, m, mode, x2d), (x2d.shape[0], -1))


def lifted(blocks, g, m, order, mode, n):
    """Return ``(g, m)`` whose order-1 blocks are the derivative of order ``order``.

    Order 2 differentiates the flat order-1 blocks again: ``(R, m·n, n)``.
    """
    if order == 2:
        return partial(flat_blocks, blocks, g, m, mode), m * n
    return g, m


def derivative(blocks, g, m, order, mode, x2d):
    """``(R, m, n)`` for order 1, ``(R, m·n, n)`` for order 2, by ``blocks`` twice."""
    g, m = lifted(blocks, g, m, order, mode, x2d.shape[1])
    return blocks(g, m, mode, x2d)


def auto_chunk_size(n, m, order):
    """Examples per pass keeping ``n**order·(n + m)`` entries per example under the budget.

    Stacked arrays of a few MB stay in cache and reuse freed memory; one giant
    pass over a huge batch is slower (fresh pages) as well as memory-hungry.
    """
    return max(1, CHUNK_ENTRIES // (n**order * (n + m)))


def chunked(compute, chunk_size, x2d, y2d):
    """``compute(x_chunk, y_chunk)`` on consecutive chunks of ``chunk_size`` examples."""
    if chunk_size >= x2d.shape[0]:
        return compute(x2d, y2d)
    starts = range(0, x2d.shape[0], chunk_size)
    return np.concatenate(
        [compute(x2d[s : s + chunk_size], y2d[s : s + chunk_size]) for s in starts]
    )
