"""Idle live views handed from renderer to renderer: one process drawing for many students.

Layer: plotting. Imports the standard library and numpy only.

Building a view (a figure, its axes, ticks and background) costs ~0.1 s; refilling
a built one with new values costs a few milliseconds, and after the refill its
pixels are those of a fresh draw of the same values, whoever's values it held
before. So where one process holds a renderer per student (the class server),
a view a renderer drops need not be thrown away: it waits in a
:class:`ViewPool` until another renderer needs the same structure -- the next
student toggling the order, a page opened again. A view is always owned by
one renderer or by the pool, never by two at once.
"""

import hashlib
import itertools
import threading
from collections import OrderedDict

import numpy as np

#: Bytes of pixels a pool keeps by default (canvas and background of each idle view).
POOL_BYTES = 96 * 2**20


class ViewPool:
    """Idle views that renderers of one process hand on to each other, within a byte budget.

    Thread-safe: renderers on different threads may give and take at once.
    Pass one to every :class:`jacviz.HeatmapGrid` that should share
    (``HeatmapGrid(pool=pool)``); a renderer gives the views it drops and
    takes one of the same structure before building anew.

    Parameters
    ----------
    max_bytes : int, optional
        The idle views' pixels (canvas and background) kept at most; the
        views given longest ago are dropped first. :data:`POOL_BYTES` when
        omitted; 0 keeps none.

    Attributes
    ----------
    hits, misses : int
        :meth:`take` calls that found a view and that did not.

    Examples
    --------
    >>> import numpy as np
    >>> from jacviz.plotting import HeatmapGrid
    >>> pool = ViewPool()
    >>> alice = HeatmapGrid(dpi=40, pool=pool, cached_views=1, cache_bytes=0)
    >>> bob = HeatmapGrid(dpi=40, pool=pool, cached_views=1, cache_bytes=0)
    >>> png = alice.render("jacobian", np.ones((2, 1, 1)))
    >>> png = alice.render("jacobian", np.ones((3, 1, 1)))  # drops B = 2 into the pool
    >>> len(pool)
    1
    >>> png = bob.render("jacobian", np.full((2, 1, 1), 5.0))  # takes it, refills it
    >>> len(pool), pool.hits, bob.redrawn != ["all"]
    (0, 1, True)
    """

    def __init__(self, max_bytes=POOL_BYTES):
        if max_bytes < 0:
            raise ValueError(f"max_bytes must be 0 or more, got {max_bytes}")
        self.max_bytes = int(max_bytes)
        self.hits = self.misses = 0
        self._lock = threading.Lock()
        self._idle = OrderedDict()  # ticket -> (key, view), given longest ago first
        self._tickets = {}  # key -> tickets of its idle views, last given last
        self._count = itertools.count()
        self._bytes = 0

    def __len__(self):
        return len(self._idle)

    @property
    def nbytes(self):
        """int: Bytes of pixels the idle views hold now."""
        return self._bytes

    def take(self, key, ticket=None):
        """Remove and return an idle view of ``key``, or None.

        Parameters
        ----------
        key : hashable
            ``(spec, look_of(dpi, cmap))``: what the view draws and how.
        ticket : int, optional
            What :meth:`give` returned for a view: that one if it is still
            idle here (its pixels are still the giver's last picture, so the
            refill redraws least); otherwise the view of ``key`` given last.

        Returns
        -------
        LiveView or None
        """
        with self._lock:
            if ticket not in self._idle or self._idle[ticket][0] != key:
                ticket = self._tickets.get(key, [None])[-1]
            if ticket is None:
                self.misses += 1
                return None
            self.hits += 1
            _, view = self._remove(ticket)
            return view

    def give(self, key, view):
        """Keep ``view`` (no longer drawn by anyone) for a renderer needing ``key``.

        Views given longest ago are dropped while all exceed ``max_bytes``;
        a view larger than the whole budget is dropped at once.

        Returns
        -------
        int
            The view's ticket, for :meth:`take` to prefer it.
        """
        with self._lock:
            ticket = next(self._count)
            self._idle[ticket] = (key, view)
            self._tickets.setdefault(key, []).append(ticket)
            self._bytes += view.nbytes
            while self._bytes > self.max_bytes:
                self._remove(next(iter(self._idle)))
            return ticket

    def clear(self):
        """Drop every idle view."""
        with self._lock:
            self._idle.clear()
            self._tickets.clear()
            self._bytes = 0

    def _remove(self, ticket):
        """Remove one idle view (the lock held); return ``(key, view)``."""
        key, view = self._idle.pop(ticket)
        tickets = self._tickets[key]
        tickets.remove(ticket)
        if not tickets:
            del self._tickets[key]
        self._bytes -= view.nbytes
        return key, view

    def __repr__(self):
        return (
            f"ViewPool({len(self)} idle views, {self._bytes / 2**20:.1f} of "
            f"{self.max_bytes / 2**20:.0f} MB; {self.hits} hits, {self.misses} misses)"
        )


def look_of(dpi, cmap):
    """Return what else makes two views of one structure interchangeable: pixels per inch, colours.

    A pool's key is ``(spec, look_of(dpi, cmap))``.

    Parameters
    ----------
    dpi : float
    cmap : matplotlib.colors.Colormap

    Returns
    -------
    tuple
        Hashable; equal for equal dpi and equal colours (table, under, over
        and bad colours), whichever copy of the colormap.

    Examples
    --------
    >>> import matplotlib
    >>> look = look_of(80, matplotlib.colormaps["RdBu_r"])
    >>> look == look_of(80, matplotlib.colormaps["RdBu_r"])  # another copy, same colours
    True
    >>> look == look_of(80, matplotlib.colormaps["viridis"])
    False
    """
    table = cmap(np.linspace(0.0, 1.0, cmap.N))
    edges = np.array([cmap.get_under(), cmap.get_over(), cmap.get_bad()])
    digest = hashlib.blake2b(table.tobytes() + edges.tobytes(), digest_size=16).digest()
    return float(dpi), cmap.name, digest
