"""Panel axes for the live renderer: no tick objects made only to be hidden.

Layer: plotting (fast path). Imports matplotlib and the standard library only.

Most of making an ``Axes`` is four ``Tick`` objects (five artists each) that
matplotlib makes eagerly just to set their clip path and grid settings,
although the renderer's panels never show a tick (their labels are plain
texts, see :func:`jacviz.plotting._view.Panel`). A
:class:`PanelAxes` stores those settings for ticks not made yet -- the ones
made later read them, as matplotlib's lazy tick lists intend -- and so makes
no tick unless something asks for one. ``_init_axis`` is the hook matplotlib's
own projections override.
"""

from contextlib import contextmanager

from matplotlib.axes import Axes
from matplotlib.axis import XAxis, YAxis

_TICK_LISTS = ("majorTicks", "minorTicks")


@contextmanager
def _unmade_ticks(axis):
    """Let ``axis`` see empty tick lists where no tick has been made yet."""
    unmade = [name for name in _TICK_LISTS if name not in vars(axis)]
    for name in unmade:
        setattr(axis, name, [])
    try:
        yield
    finally:
        for name in unmade:
            if vars(axis).get(name) == []:
                delattr(axis, name)  # lazy again: the first tick asked for is made then


class _LazyTicks:
    """Axis mixin: tick settings are kept for the ticks made later, not applied by making them."""

    def set_clip_path(self, path, transform=None):
        """Clip the axis (and the ticks already made) to ``path``."""
        with _unmade_ticks(self):
            super().set_clip_path(path, transform)

    def set_tick_params(self, which="major", reset=False, **kwargs):
        """Store tick settings (see ``Axis.set_tick_params``); make no tick for them."""
        with _unmade_ticks(self):
            super().set_tick_params(which, reset, **kwargs)


class _PanelXAxis(_LazyTicks, XAxis):
    """An x axis making ticks only when asked for."""


class _PanelYAxis(_LazyTicks, YAxis):
    """A y axis making ticks only when asked for."""


class PanelAxes(Axes):
    """An ``Axes`` whose axes make ticks only when something asks for them.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    rect : tuple of float
        ``(left, bottom, width, height)`` in figure fractions.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure()
    >>> ax = fig.add_axes(PanelAxes(fig, (0.1, 0.1, 0.8, 0.8)))
    >>> "majorTicks" in vars(ax.xaxis)
    False
    """

    def _init_axis(self):
        """Make the two lazy axes, as ``Axes._init_axis`` makes its own."""
        self.xaxis = _PanelXAxis(self, clear=False)
        self.spines.bottom.register_axis(self.xaxis)
        self.spines.top.register_axis(self.xaxis)
        self.yaxis = _PanelYAxis(self, clear=False)
        self.spines.left.register_axis(self.yaxis)
        self.spines.right.register_axis(self.yaxis)
