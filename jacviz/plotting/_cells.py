"""The numbers written in the cells of a heatmap, drawn fast.

Layer: plotting. Imports numpy and matplotlib only.

A panel of ``m × n`` cells would need ``m·n`` :class:`matplotlib.text.Text`
artists, and drawing a Text costs ~0.5 ms (layout plus glyph rendering), which
is most of the time of a live update. :class:`CellValues` is one artist for
all the cells of a panel: on the Agg canvas it rasterises each distinct string
once with FreeType, keeps the bitmap, and stamps it centred on its cell; on
vector backends (PDF, SVG) it writes real text through a reusable Text. The
same artist draws the first picture and every update, so an updated canvas has
the same pixels as a fresh one.
"""

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import get_hinting_flag
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.text import Text
from matplotlib.transforms import IdentityTransform

_CACHE_SIZE = 2048  # distinct strings kept per artist before the cache is emptied


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
        self._bitmaps = {}
        self._text = Text(fontproperties=self._prop, ha="center", va="center")
        self._text.set_transform(IdentityTransform())

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
        agg = getattr(renderer, "_renderer", None)
        fast = hasattr(agg, "draw_text_image")
        gc = renderer.new_gc()
        gc.set_antialiased(True)
        cells = zip(self._centres(), self._strings.ravel(), self._colors.ravel(), strict=True)
        for (x, y), text, color in cells:
            if not text:
                continue
            if fast:
                gc.set_foreground(color)
                self._stamp(agg, gc, renderer, x, y, text)
            else:
                self._write(renderer, x, y, text, color)
        gc.restore()
        self.stale = False

    def _stamp(self, agg, gc, renderer, x, y, text):
        """Agg: draw the cached bitmap of ``text`` centred on ``(x, y)``."""
        bitmap, left, bottom = self._bitmap(text, renderer.dpi)
        column = round(x + left)
        row = round(renderer.height - y + bottom) + 1
        agg.draw_text_image(bitmap, column, row, 0, gc)

    def _bitmap(self, text, dpi):
        """Return the glyph bitmap of ``text`` and its offset from a centred origin."""
        key = (text, dpi)
        if key not in self._bitmaps:
            if len(self._bitmaps) >= _CACHE_SIZE:
                self._bitmaps.clear()
            font = get_font(findfont(self._prop))
            font.clear()
            font.set_size(self._prop.get_size_in_points(), dpi)
            font.set_text(text, 0.0, flags=get_hinting_flag())
            font.draw_glyphs_to_bitmap(antialiased=True)
            width, height = (v / 64.0 for v in font.get_width_height())
            x_off, y_off = (v / 64.0 for v in font.get_bitmap_offset())
            bitmap = np.array(font.get_image(), dtype=np.uint8)
            self._bitmaps[key] = (bitmap, x_off - width / 2, y_off + height / 2)
        return self._bitmaps[key]

    def _write(self, renderer, x, y, text, color):
        """Vector backends: real text, centred on ``(x, y)``."""
        self._text.set_figure(self.get_figure(root=False))
        self._text.set(text=text, color=color, position=(x, y))
        self._text.draw(renderer)
