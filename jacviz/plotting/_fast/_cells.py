"""The numbers written in the cells of a heatmap: one artist per panel.

Layer: plotting (fast path). Imports numpy, matplotlib and this package only.

:class:`CellValues` stamps cached line bitmaps centred on the cells on Agg
while the switch is on; on vector backends, or on the plain path, it writes
real text through one reusable Text. All values of a panel share one size:
when the widest does not fit its cell, every value is written smaller (half-point
steps, down to :data:`MIN_SIZE`, the least that prints legibly); strings are
clipped to the axes, so the panel's box is all a redraw needs to restore.
"""

import math

import numpy as np
from matplotlib.artist import Artist
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.transforms import Bbox, IdentityTransform

from jacviz.plotting._fast._switch import API_ERRORS, drawing_switch
from jacviz.plotting._fast._text import Stamper, agg_of

MIN_SIZE = 6.0  # points: the smallest a panel's values are shrunk to, to fit their cells
FILL = 0.92  # share of a cell's width a value may take
_WIDTHS = 4096  # widths kept per panel before the memo is emptied


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
        Size in points of values that fit their cells; when one does not, all
        of the panel's values shrink (see :meth:`drawn_size`).
    switch : Switch, optional
        The fast/plain switch (default the process's).

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

    def __init__(self, ax, shape, *, fontsize=8.0, switch=None):
        super().__init__()
        self._switch = switch or drawing_switch()
        self.axes = ax
        self.set_figure(ax.figure)
        self.set_transform(ax.transData)
        self._strings = np.full(shape, "", dtype=object)
        self._colors = np.full(shape, "black", dtype=object)
        self._size = float(fontsize)
        self._drawn_size = self._size
        self._stampers = {}  # font size -> Stamper
        self._widths = {}  # (text, dpi) -> width as the renderer measures it (plain path)
        self._text = Text(fontproperties=FontProperties(size=fontsize), ha="center", va="center")
        self._text.set_transform(IdentityTransform())
        self.set_clip_box(ax.bbox)
        self._text.set_clip_box(ax.bbox)

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
        if self._switch.on and agg_of(renderer) is not None:
            try:
                self._stamp(renderer, self._cells(renderer, self._stamped_width))
            except API_ERRORS as error:
                self._switch.turn_off(error)
                self._write(renderer, self._cells(renderer, self._text_width))
        else:
            self._write(renderer, self._cells(renderer, self._text_width))
        self.stale = False

    def drawn_size(self):
        """Return the size (points) the values were written at in the last draw."""
        return self._drawn_size

    def _cells(self, renderer, measure):
        """``(x, y, text, colour, size)`` of every non-empty cell; widths from ``measure``.

        One size for all: the set size, or what fits the widest string.
        """
        cells = [
            (x, y, text, color)
            for (x, y), text, color in zip(
                self._centres(), self._strings.ravel(), self._colors.ravel(), strict=True
            )
            if text
        ]
        widest = max((measure(text, renderer) for _, _, text, _ in cells), default=0.0)
        self._drawn_size = self._fitted(widest, FILL * self._cell_width())
        return [(*cell, self._drawn_size) for cell in cells]

    def _stamp(self, renderer, cells):
        """Agg, fast path: stamp each cell's cached bitmap in its colour."""
        gc = renderer.new_gc()
        gc.set_antialiased(True)
        self._set_gc_clip(gc)
        try:
            for x, y, text, color, size in cells:
                gc.set_foreground(color)
                stamper = self._stamper(size)
                stamper.stamp(renderer, gc, *stamper.centred(x, y, text, dpi=renderer.dpi), text)
        finally:
            gc.restore()

    def _write(self, renderer, cells):
        """Other backends, or the plain path: real text, centred on each cell."""
        for x, y, text, color, size in cells:
            self._place_text(x, y, text, color).set_fontsize(size)
            self._text.draw(renderer)

    def _stamped_width(self, text, renderer):
        """Ink width of ``text`` at the set size, from the cached glyphs."""
        return self._stamper(self._size).line(text, dpi=renderer.dpi).width

    def _text_width(self, text, renderer):
        """Width of ``text`` at the set size, as the renderer measures it (memoised)."""
        key = (text, renderer.dpi)
        if key not in self._widths:
            if len(self._widths) >= _WIDTHS:
                self._widths.clear()
            prop = FontProperties(size=self._size)
            self._widths[key] = renderer.get_text_width_height_descent(text, prop, False)[0]
        return self._widths[key]

    def _stamper(self, size):
        """Return the :class:`Stamper` of the font at ``size`` points (made once)."""
        if size not in self._stampers:
            self._stampers[size] = Stamper(FontProperties(size=size))
        return self._stampers[size]

    def _cell_width(self):
        """Width of one cell in display units (pixels on Agg)."""
        (x0, _), (x1, _) = self.get_transform().transform([(0.0, 0.0), (1.0, 0.0)])
        return abs(x1 - x0)

    def _fitted(self, natural, width):
        """Return the size fitting a ``natural``-wide string in ``width``: the set size or less.

        Shrinks in half points, to at most :data:`MIN_SIZE`.
        """
        if natural <= width:
            return self._size
        return max(MIN_SIZE, math.floor(2.0 * self._size * width / natural) / 2.0)

    def get_window_extent(self, renderer=None):
        """Return the display box the strings may cover: the axes (they are clipped to it).

        Parameters
        ----------
        renderer : matplotlib.backend_bases.RendererBase, optional
            Unused; the axes box needs no measuring.

        Returns
        -------
        matplotlib.transforms.Bbox
        """
        return Bbox(self.axes.bbox.get_points())

    def _place_text(self, x, y, text, color):
        """Return the reusable Text, set to write ``text`` centred on ``(x, y)``."""
        self._text.set_figure(self.figure)
        self._text.set(text=text, color=color, position=(x, y))
        return self._text
