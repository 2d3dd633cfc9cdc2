"""The numbers written in the cells of a heatmap, drawn fast.

Layer: plotting. Imports numpy, matplotlib and this package only.

A panel of ``m × n`` cells would need ``m·n`` :class:`matplotlib.text.Text`
artists at about a millisecond each per redraw. :class:`CellValues` is one
artist for all the cells of a panel: on the Agg canvas it stamps cached line
bitmaps (:mod:`jacviz.plotting._stamps`) centred on the cells; on vector
backends (PDF, SVG) it writes real text through one reusable Text.
"""

import numpy as np
from matplotlib.artist import Artist
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.transforms import Bbox, IdentityTransform

from jacviz.plotting._stamps import Stamper, agg_of


class CellValues(Artist):
    """One string per cell of a heatmap, centred, each in its own colour.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The heatmap's axes; cell ``(i, j)`` is centred on data point ``(j, i)``
        as in ``ax.imshow``.
    shape : tuple of int
        ``(rows, cols)`` of the heatmap.
    fontsize : float, optional
        Size in points.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> cells = CellValues(ax, (1, 2))
    >>> cells.set_cells([["48", "0"]], [["white", "black"]])
    True
    >>> cells.get_strings().tolist()
    [['48', '0']]
    """

    zorder = 3

    def __init__(self, ax, shape, *, fontsize=8.0):
        super().__init__()
        self.axes = ax
        self.set_figure(ax.get_figure(root=False))
        self.set_transform(ax.transData)
        self._strings = np.full(shape, "", dtype=object)
        self._colors = np.full(shape, "black", dtype=object)
        self._prop = FontProperties(size=fontsize)
        self._stamper = Stamper(self._prop)
        self._text = Text(fontproperties=self._prop, ha="center", va="center")
        self._text.set_transform(IdentityTransform())
        self._extent_key, self._extent = None, None
        self._version = 0

    def get_strings(self):
        """Return the strings currently written, shape ``(rows, cols)``."""
        return self._strings.copy()

    def get_colors(self):
        """Return the text colour of each cell, shape ``(rows, cols)``."""
        return self._colors.copy()

    def set_cells(self, strings, colors):
        """Replace the strings and colours.

        Parameters
        ----------
        strings, colors : array_like of str, shape (rows, cols)
            What to write in each cell, and in which colour.

        Returns
        -------
        bool
            Whether anything differs from what was written before.
        """
        strings = np.asarray(strings, dtype=object).reshape(self._strings.shape)
        colors = np.asarray(colors, dtype=object).reshape(self._colors.shape)
        changed = not (
            np.array_equal(strings, self._strings) and np.array_equal(colors, self._colors)
        )
        if changed:
            self._strings, self._colors = strings, colors
            self._version += 1
            self.stale = True
        return changed

    def _centres(self):
        """Display coordinates of the cell centres, shape ``(rows·cols, 2)``."""
        rows, cols = self._strings.shape
        i, j = np.mgrid[0:rows, 0:cols]
        return self.get_transform().transform(np.column_stack([j.ravel(), i.ravel()]))

    def draw(self, renderer):
        """Write every non-empty cell string (see the module docstring)."""
        if not self.get_visible():
            return
        fast = agg_of(renderer) is not None
        gc = renderer.new_gc()
        gc.set_antialiased(True)
        cells = zip(self._centres(), self._strings.ravel(), self._colors.ravel(), strict=True)
        for (x, y), text, color in cells:
            if not text:
                continue
            if fast:
                gc.set_foreground(color)
                self._stamper.stamp(renderer, gc, x, y, text)
            else:
                self._write(renderer, x, y, text, color)
        gc.restore()
        self.stale = False

    def get_window_extent(self, renderer=None):
        """Return the display box of all cell strings (Agg metrics).

        Parameters
        ----------
        renderer : matplotlib.backend_bases.RendererBase, optional
            Defaults to the figure's canvas renderer.

        Returns
        -------
        matplotlib.transforms.Bbox
        """
        if renderer is None:
            renderer = self.get_figure(root=True).canvas.get_renderer()
        key = (self._version, renderer.dpi, renderer.height, *self._centres()[0])
        if self._extent_key != key:
            self._extent_key, self._extent = key, self._measure(renderer)
        return self._extent

    def _measure(self, renderer):
        """Compute the display box of all cell strings."""
        boxes = [
            self._stamper.box(x, y, text, dpi=renderer.dpi, height=renderer.height)
            for (x, y), text in zip(self._centres(), self._strings.ravel(), strict=True)
            if text
        ]
        return Bbox.union(boxes).padded(1) if boxes else Bbox.null()

    def _write(self, renderer, x, y, text, color):
        """Vector backends: real text, centred on ``(x, y)``."""
        self._text.set_figure(self.get_figure(root=False))
        self._text.set(text=text, color=color, position=(x, y))
        self._text.draw(renderer)
