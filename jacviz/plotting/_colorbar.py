"""The colour bar of the shared symmetric scale ``[-L, L]``.

Layer: plotting. Imports numpy, matplotlib and this package only.

The colours of a scale centred on zero never depend on ``L``: only the
numbers beside the bar do. So a figure laid out by jacviz (``rect`` given)
gets a bar whose gradient, frame, tick marks (at ``-L, -L/2, 0, L/2, L``) and
label (left of the bar) are drawn once, and five tick labels that
:meth:`ColorBar.show` rewrites when the limit changes: the live renderer
redraws just those five strings instead of matplotlib's colour-bar axes with
its tick machinery. Drawn into a caller's axes (``rect=None``), it is
matplotlib's own colour bar.
"""

import numpy as np
from matplotlib import rcParams
from matplotlib.lines import TICKRIGHT, Line2D
from matplotlib.ticker import NullLocator
from matplotlib.transforms import ScaledTranslation

from jacviz.plotting._fast import axes_text
from jacviz.plotting._style import compact_value

#: Where the ticks are, as fractions of the limit ``L``, bottom to top.
TICK_FRACTIONS = (-1.0, -0.5, 0.0, 0.5, 1.0)
LABEL_SIZE = 8.5  # points, the tick labels; the bar's own label is a point larger


class ColorBar:
    r"""One colour bar for the shared symmetric scale of a figure's heatmaps.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    mappable : matplotlib.cm.ScalarMappable
        The image whose norm the bar shows (every panel shares it).
    quantity : str
        Label of the bar, e.g. ``"∂fᵢ / ∂xⱼ"``.
    rect : tuple of float, optional
        ``(left, bottom, width, height)`` of the bar in figure fractions:
        fixed ticks, labels as texts (see the module docstring). ``None``
        takes room from ``parent`` as ``fig.colorbar(ax=parent)`` does.
    parent : matplotlib.axes.Axes, optional
        The axes to take room from when ``rect`` is ``None``.
    fontsize : float, optional
        Size of the tick labels, points; the bar's label is a point larger.
    unit : str, optional
        Write the ticks as fractions of this symbol (``"Lᵢ"``: ``-Lᵢ``,
        ``-Lᵢ/2``, ``0``, ``Lᵢ/2``, ``Lᵢ``), whatever the limit; needs ``rect``.

    Attributes
    ----------
    ax : matplotlib.axes.Axes
        The bar's axes.
    labels : list of matplotlib.text.Text
        The tick labels that change with the limit (empty when ``rect`` is
        ``None``: matplotlib's ticks then follow the norm by themselves).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure()
    >>> image = fig.add_axes((0.1, 0.1, 0.6, 0.8)).imshow([[0.0, 1.0]])
    >>> bar = ColorBar(fig, image, "f", rect=(0.8, 0.1, 0.03, 0.8))
    >>> bar.show(2.5)
    >>> [label.get_text() for label in bar.labels]
    ['-2.5', '-1.25', '0', '1.25', '2.5']
    """

    def __init__(
        self, fig, mappable, quantity, *, rect=None, parent=None, fontsize=LABEL_SIZE, unit=""
    ):
        self.colorbar = None
        self.labels = []
        self.unit = unit
        if rect is None:
            self.colorbar = fig.colorbar(mappable, ax=parent, fraction=0.05, pad=0.04)
            self.colorbar.ax.tick_params(labelsize=fontsize)
            self.colorbar.set_label(quantity, fontsize=fontsize + 1)
            self.colorbar.outline.set_linewidth(0.6)
            self.ax = self.colorbar.ax
        else:
            self.ax = _gradient_bar(fig, rect, mappable.get_cmap(), quantity, fontsize)
            self.labels = _fixed_ticks(self.ax, fontsize)

    def show(self, limit):
        """Write the tick labels of the scale ``[-limit, limit]`` (or of the unit's)."""
        for fraction, label in zip(TICK_FRACTIONS, self.labels, strict=False):
            label.set_text(
                _fraction_of(fraction, self.unit) if self.unit else compact_value(fraction * limit)
            )

    def artists(self):
        """Return what changes with the limit: the tick labels (or the whole bar's axes)."""
        return list(self.labels) or [self.ax]

    def remove(self):
        """Take the bar out of the figure (a subplot gets its grid cell back)."""
        if self.colorbar is not None:
            self.colorbar.remove()
        else:
            self.ax.remove()


def _fraction_of(fraction, unit):
    """Write ``fraction`` (one of :data:`TICK_FRACTIONS`) of ``unit``: ``"-Lᵢ/2"``."""
    if fraction == 0:
        return "0"
    sign = "-" if fraction < 0 else ""
    return f"{sign}{unit}" if abs(fraction) == 1 else f"{sign}{unit}/{round(1 / abs(fraction))}"


def _gradient_bar(fig, rect, cmap, quantity, fontsize):
    """Add the bar's axes at ``rect``: the colour map bottom to top, framed, label at left.

    Its data limits are fixed (``[-1, 1]``), so its pixels are the same for
    every limit (matplotlib's colour bar re-meshes in data units, which moves
    a row of pixels now and then).
    """
    cax = fig.add_axes(rect, label="<colorbar>")
    gradient = np.linspace(-1.0, 1.0, cmap.N)[:, None]
    cax.imshow(
        gradient,
        cmap=cmap,
        vmin=-1.0,
        vmax=1.0,
        aspect="auto",
        origin="lower",
        extent=(0.0, 1.0, -1.0, 1.0),
        interpolation="nearest",
    )
    for axis in (cax.xaxis, cax.yaxis):
        axis.set_major_locator(NullLocator())
        axis.set_minor_locator(NullLocator())
    for spine in cax.spines.values():
        spine.set_linewidth(0.6)
    cax.yaxis.set_label_position("left")
    cax.set_ylabel(quantity, fontsize=fontsize + 1)
    return cax


def _fixed_ticks(cax, fontsize):
    """Draw tick marks right of the bar at :data:`TICK_FRACTIONS`; return their (empty) labels.

    Marks and labels sit where matplotlib puts a vertical colour bar's ticks
    (its tick size, width, pad and colours from ``rcParams``).
    """
    heights = [(fraction + 1.0) / 2.0 for fraction in TICK_FRACTIONS]
    marks = Line2D(
        np.ones(len(heights)),
        heights,
        transform=cax.transAxes,
        linestyle="none",
        marker=TICKRIGHT,
        markersize=rcParams["ytick.major.size"],
        markeredgewidth=rcParams["ytick.major.width"],
        color=rcParams["ytick.color"],
        clip_on=False,
    )
    cax.add_artist(marks)
    shift = (rcParams["ytick.major.size"] + rcParams["ytick.major.pad"]) / 72.0
    transform = cax.transAxes + ScaledTranslation(shift, 0.0, cax.figure.dpi_scale_trans)
    color = rcParams["ytick.labelcolor"]
    color = rcParams["ytick.color"] if color == "inherit" else color
    style = {"ha": "left", "va": "center", "fontsize": fontsize, "color": color}
    return [
        axes_text(cax, 1.0, height, "", transform=transform, clip_on=False, **style)
        for height in heights
    ]
