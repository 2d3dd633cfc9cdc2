"""Stacked passes: every per-example block from one JVP or VJP.

Layer: ``jacobians``. Imports numpy and autograd only.

``g`` maps rows to rows, ``(R, n) -> (R, m)``. Stacking ``k`` copies of the
rows along axis 0 and seeding copy ``i`` with the basis vector ``e_i`` gives
column ``i`` (forward mode, ``k = n``) or row ``i`` (reverse mode, ``k = m``)
of every block at once. The coupling probe's copies, of the first few
examples, ride along in front (:class:`Stack`). Everything here is built
from ``autograd.numpy`` so the order-1 pass can itself be differentiated for
order 2 (:func:`lifted`), whichever way the blocks are computed (here, or
``_basis``).
"""

from functools import partial
from typing import NamedTuple

import autograd.numpy as anp
import numpy as np
from autograd import make_jvp, make_vjp

from jacviz.jacobians._checks import agree

CHUNK_ENTRIES = 2**18  # automatic chunks: about this many stacked entries per pass


class Stack(NamedTuple):
    """The rows of one stacked pass: probe copies of the first examples, then whole copies.

    ``probe_copies`` copies of the first ``probed`` of the ``rows``
    examples, then ``copies`` copies of all of them; ``forward`` tells which
    mode the basis seeds are for (``copies`` is ``n`` forward, ``m`` reverse).
    """

    rows: int
    copies: int
    forward: bool
    probed: int = 0
    probe_copies: int = 0

    @property
    def head(self):
        """The number of stacked rows before the whole copies: the probe's."""
        return self.probed * self.probe_copies

    def build(self, x2d):
        """Stack the rows of ``x2d`` ``(R, n)`` in this layout."""
        return anp.concatenate([x2d[: self.probed]] * self.probe_copies + [x2d] * self.copies)

    def agrees(self, y2d, values):
        """Tell whether the first and last copies in ``values`` agree with ``y2d`` = ``f(x)``.

        ``values`` ``(rows, m)`` are ``f`` of this stack, or of repeats of it
        (an order-2 pass stacks the order-1 pass's rows again). An ``f`` that
        reads the batch size changes every copy but the first; one that picks
        rows by number (``x[0]``, ``x[-1]``) changes the first or the last.
        """
        first = self.probed if self.head else self.rows
        ends = np.concatenate([values[:first], values[-self.rows :]])
        return agree(ends, np.concatenate([y2d[:first], y2d]))


def stacking(mode, n, m, rows, probes=None):
    """Lay out a pass over ``rows`` examples of a map ``(R, n) -> (R, m)``: a :class:`Stack`."""
    forward = mode == "forward" or (mode == "auto" and n <= m)
    copies = n if forward else m
    if probes is None:
        return Stack(rows, copies, forward)
    return Stack(rows, copies, forward, probes.rows, probes.copies)


def _seeded(g, x2d, stack, seeds):
    """One JVP (forward) or VJP of ``g`` on the stacked rows, row ``r`` seeded with ``seeds[r]``."""
    copies = stack.build(x2d)
    if stack.forward:
        _, out = make_jvp(g)(copies)(seeds)
    else:
        vjp, _ = make_vjp(g)(copies)
        out = vjp(seeds)
    return out


def probed_blocks(g, stack, x2d, probes=None):
    """Per-example Jacobians ``(R, m, n)`` of ``g`` by one stacked pass, and the probe's copies.

    ``probes(k)`` gives the seeds ``(stack.head, k)`` of the probe's copies;
    their results ``(stack.head, m or n)`` are returned next to the blocks
    (empty without ``probes``).
    """
    k, rows = stack.copies, stack.rows
    seeds = np.repeat(np.eye(k, dtype=x2d.dtype), rows, axis=0)  # copy i: e_i on every row
    if probes is not None:
        seeds = np.concatenate([probes(k), seeds])
    out = _seeded(g, x2d, stack, seeds)
    whole = anp.reshape(out[stack.head :], (k, rows, -1))
    return anp.transpose(whole, (1, 2, 0) if stack.forward else (1, 0, 2)), out[: stack.head]


def stacked_blocks(g, m, mode, x2d):
    """Per-example Jacobians ``(R, m, n)`` of the row map ``g``, by one stacked pass."""
    rows, n = x2d.shape
    return probed_blocks(g, stacking(mode, n, m, rows), x2d)[0]


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
