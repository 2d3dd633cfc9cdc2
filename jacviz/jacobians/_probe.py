"""The coupling probe: exact zeros tell whether examples influence each other.

Layer: ``jacobians``. Imports numpy and autograd only.

A *split* of the examples is a side ``S`` and the rest. A derivative pass
seeded with random numbers on ``S`` and zeros on the rest gives the rest
off-diagonal blocks only: exactly zero for independent examples, since zero
seeds propagate as exact zeros through every autograd rule. A finite non-zero
entry is coupling, never round-off. Two probes use it:

- :class:`Probes`: copies of the rows that ride along in the engine's
  stacked pass, seeded by split (no pass of their own);
- :func:`exhaustive_probe`: VJPs of ``f`` at the batch as it is, two per
  split, naming the examples whose inputs move other examples' outputs.

Which splits, and what each probe finds: ``docs/coupling.md``.
"""

import numpy as np
from autograd import make_vjp

PROBE_SEED = 20200415  # the probe is reproducible: same x, same verdict
EXHAUSTIVE = 64  # up to this many examples every pair is split apart


class Leak(Exception):
    """The probe's copies moved where they were seeded with zeros: examples interact."""


def halves(B, rng):
    """Sides ``(K, B)`` whose splits separate every pair of examples up to :data:`EXHAUSTIVE`.

    Side ``k`` holds the examples whose index has bit ``k`` set: any two
    examples differ in some bit (``ceil(log2 B)`` sides). Beyond, one random
    half, the first and last examples always apart.
    """
    if B <= EXHAUSTIVE:
        bits = np.arange(max(1, B - 1).bit_length())[:, None]
        return ((np.arange(B) >> bits) & 1).astype(bool)
    side = rng.random(B) < 0.5
    side[0], side[-1] = True, False
    return side[None]


def _random(rng, shape, dtype, where=True):
    """Random numbers in ``[1, 2)`` where ``where``, else 0, of a float ``dtype`` (else float64)."""
    dtype = np.dtype(dtype) if np.dtype(dtype).kind == "f" else np.dtype(float)
    values = rng.random(shape, dtype=np.float32)  # plenty of randomness, half the time
    values += 1
    return np.multiply(values, where, dtype=dtype)


class Probes:
    """Seeds for copies of ``R`` rows in a stacked pass, by split, and the check of their results.

    Each split gives two copies: random seeds on one side and zeros on the
    other, then the other way round. A single example gets one copy seeded
    with zeros: it has no other example, but the pass stacks copies of it,
    which an ``f`` mixing the rows of its batch mixes.

    Parameters
    ----------
    rows : int
        ``R``, the number of examples in the pass.
    dtype : numpy.dtype
        The dtype of the seeds (that of ``x``).
    """

    def __init__(self, rows, dtype):
        self.rng = np.random.default_rng(PROBE_SEED)
        if rows == 1:
            seeded = np.zeros((1, 1), dtype=bool)
        else:
            sides = halves(rows, self.rng)
            seeded = np.concatenate([sides, ~sides])
        self.seeded = seeded.ravel()  # copy by copy, row by row
        self.dtype = dtype

    def __call__(self, k):
        """Seeds ``(K·R, k)``: random where :attr:`seeded`, zero elsewhere."""
        shape = (len(self.seeded), k)
        return _random(self.rng, shape, self.dtype, np.repeat(self.seeded, k).reshape(shape))

    def check(self, probed):
        """Raise :class:`Leak` when the copies' results ``(K, R, d)`` moved off their side."""
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


def _split(vjp, u, side):
    """Examples whose inputs moved outputs across ``side``: VJPs with ``u`` on each side."""
    inside = u * _entries(side, u)
    on_side, off_side = vjp(inside), vjp(u - inside)
    return _moved(np.where(_entries(side, on_side), off_side, on_side))


def exhaustive_probe(vjp, y):
    """Find the examples whose inputs move other examples' outputs, on the batch as it is.

    For each side of :func:`halves`, a VJP with a random cotangent ``u`` on
    the side's outputs and one on the rest's: an example receives, from the
    pass in which it is off side, off-diagonal blocks only.

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
    for side in halves(len(y), rng):
        found |= _split(vjp, u, side)
    return np.flatnonzero(found)
