"""The coupling probe: exact zeros tell whether examples influence each other.

Layer: ``jacobians``. Imports numpy and autograd only.

A *side* ``S`` is a set of examples. A derivative pass seeded with random
numbers on ``S`` and zeros on the rest gives the rest off-diagonal blocks
only: exactly zero for independent examples, since zero seeds propagate as
exact zeros through every autograd rule. A finite non-zero entry is
coupling, never round-off. Two probes use it:

- :class:`Probes`: copies of the first examples that ride along in the
  engine's stacked pass, one per side (no pass of their own);
- :func:`exhaustive_probe`: VJPs of ``f`` at the batch as it is, one per
  side, naming the examples whose inputs move other examples' outputs.

Which sides (:func:`sides`), and what each probe finds: ``docs/coupling.md``.
"""

import itertools
import math

import numpy as np
from autograd import make_vjp

PROBE_SEED = 20200415  # the probe is reproducible: same x, same verdict
EXHAUSTIVE = 64  # up to this many examples every pair is split apart
SAMPLED = 16  # beyond, the stacked pass probes this many examples


class Leak(Exception):
    """The probe's copies moved where they were seeded with zeros: examples interact."""


def sides(B, rng):
    """Sides ``(K, B)``: for every ordered pair of examples, a side holding one, not the other.

    Up to :data:`EXHAUSTIVE` examples, the fewest: ``K`` with ``C(K, K//2) >=
    B``, each example on its own set of ``K//2`` sides (sets of one size never
    contain one another: Sperner), e.g. 8 sides for 64 examples. Beyond, a
    random half (the first and last examples apart) and the other half.
    """
    if B > EXHAUSTIVE:
        half = rng.random(B) < 0.5
        half[0], half[-1] = True, False
        return np.stack([half, ~half])
    K = next(k for k in itertools.count(1) if math.comb(k, k // 2) >= B)
    codes = itertools.islice(itertools.combinations(range(K), K // 2), B)
    on = np.zeros((B, K), dtype=bool)
    np.put_along_axis(on, np.array(list(codes), dtype=np.intp).reshape(B, K // 2), True, axis=1)
    return on.T


def _random(rng, shape, dtype, where=True):
    """Random numbers in ``[1, 2)`` where ``where``, else 0, of a float ``dtype`` (else float64)."""
    dtype = np.dtype(dtype) if np.dtype(dtype).kind == "f" else np.dtype(float)
    values = rng.random(shape, dtype=np.float32)  # random enough, faster than float64
    values += 1
    return np.multiply(values, where, dtype=dtype)


class Probes:
    """Seeds for copies of the first examples in a stacked pass, and the check of their results.

    One copy per side of :func:`sides`: random seeds on the side's examples,
    zeros on the others. A single example gets one copy seeded with zeros: it
    has no other example, but the pass stacks copies of it, which an ``f``
    mixing the rows of its batch mixes.

    Parameters
    ----------
    rows : int
        The number of examples probed, at most :data:`EXHAUSTIVE`: every pair
        of them is split apart.
    dtype : numpy.dtype
        The dtype of the seeds (that of ``x``).

    Attributes
    ----------
    rows, copies : int
        The examples probed, and the probe's copies of them.
    """

    def __init__(self, rows, dtype):
        self.rng = np.random.default_rng(PROBE_SEED)
        seeded = sides(rows, self.rng)
        self.rows, self.copies = rows, len(seeded)
        self.seeded = seeded.ravel()  # copy by copy, row by row
        self.dtype = dtype

    def __call__(self, k):
        """Seeds ``(copies·rows, k)``: random where :attr:`seeded`, zero elsewhere."""
        shape = (len(self.seeded), k)
        return _random(self.rng, shape, self.dtype, np.repeat(self.seeded, k).reshape(shape))

    def check(self, probed):
        """Raise :class:`Leak` when the copies' results ``(copies·rows, d)`` moved off side."""
        off_side = np.compress(~self.seeded, np.reshape(probed, (len(self.seeded), -1)), axis=0)
        if off_side.any() and np.any((off_side != 0) & np.isfinite(off_side)):
            raise Leak("the probe's copies moved where their seeds are zero")


def probe(f, x):
    """Return ``(f(x), vjp)``: the output and its VJP, from one forward pass of ``f``.

    Reverse mode because autograd defines a VJP for every primitive it
    differentiates at all (some, such as ``det``, have no JVP).
    """
    vjp, y = make_vjp(f)(x)
    return y, vjp


def _entries(side, array):
    """``side`` ``(B,)`` repeated over each example's entries: a bool array like ``array``."""
    return np.repeat(side, array.size // len(side)).reshape(array.shape)


def _moved(leak):
    """Examples with a finite non-zero entry in ``leak`` ``(B, ...)``: bool ``(B,)``."""
    if not leak.any():  # independent examples: nothing moved, skip the per-row look
        return np.zeros(len(leak), dtype=bool)
    return ((leak != 0) & np.isfinite(leak)).reshape(len(leak), -1).any(axis=1)


def _moved_from(vjp, u, side):
    """Examples off ``side`` whose inputs move its outputs: one VJP, ``u`` on its outputs."""
    moved = vjp(u * _entries(side, u))
    return _moved(np.where(_entries(side, moved), 0, moved))


def exhaustive_probe(vjp, y):
    """Find the examples whose inputs move other examples' outputs, on the batch as it is.

    For each side of :func:`sides`, a VJP with a random cotangent ``u`` on
    the side's outputs and zero elsewhere: an example off the side receives
    off-diagonal blocks only (``K`` backward passes after one forward pass: 8
    for 64 examples, 2 beyond).

    Parameters
    ----------
    vjp : callable
        The VJP of ``f`` at the batch (from :func:`probe`).
    y : numpy.ndarray, shape (B, *out)
        ``f(x)``, ``B >= 2``.

    Returns
    -------
    numpy.ndarray of int
        The examples whose inputs move another example's output, sorted.
    """
    rng = np.random.default_rng(PROBE_SEED)
    u = _random(rng, y.shape, y.dtype)
    found = np.zeros(len(y), dtype=bool)
    for side in sides(len(y), rng):
        found |= _moved_from(vjp, u, side)
    return np.flatnonzero(found)
