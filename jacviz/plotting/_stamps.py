"""Fast text on the Agg canvas: each distinct line rasterised once, then stamped.

Layer: plotting. Imports numpy and matplotlib only.

Drawing a :class:`matplotlib.text.Text` costs about a millisecond (layout,
font lookup, one FreeType call per glyph), which dominated live updates.
A :class:`Stamper` renders a whole line with FreeType once, keeps the
bitmap, and afterwards draws it with a single ``draw_text_image`` call on the
Agg renderer. :class:`StampedText` is a Text that draws itself that way on
Agg (and as ordinary text on PDF/SVG). The same code draws the first and every
later frame, so updated and fresh pictures are pixel-identical.
"""

import numpy as np
from matplotlib.backends.backend_agg import get_hinting_flag
from matplotlib.font_manager import findfont, get_font
from matplotlib.text import Text
from matplotlib.transforms import Bbox

_CACHE_SIZE = 4096  # distinct lines kept before the cache is emptied


def agg_of(renderer):
    """Return the Agg drawing object of ``renderer``, or ``None`` for other backends."""
    agg = getattr(renderer, "_renderer", None)
    return agg if hasattr(agg, "draw_text_image") else None


class Stamper:
    """Bitmaps of text lines in one font, and where to stamp them.

    Parameters
    ----------
    prop : matplotlib.font_manager.FontProperties
        The font.

    Examples
    --------
    >>> from matplotlib.font_manager import FontProperties
    >>> stamper = Stamper(FontProperties(size=8))
    >>> box = stamper.box(100.0, 50.0, "48", dpi=80, height=200)
    >>> bool(90 < box.x0 < box.x1 < 110 and 40 < box.y0 < box.y1 < 60)
    True
    """

    def __init__(self, prop):
        self._prop = prop
        self._bitmaps = {}

    def place(self, x, y, text, *, dpi, height, ha="center"):
        """Pixel column (left) and row (bottom, downwards) of ``text`` at ``(x, y)``.

        ``(x, y)`` is in display coordinates (y up); ``ha`` is ``"center"``
        or ``"left"``; the line is centred vertically on ``y``.
        """
        _, width, descent, x_off, middle = self._bitmap(text, dpi)
        left = x - width / 2 if ha == "center" else x
        baseline_down = height - (y - middle)
        return round(left + x_off), round(baseline_down + descent) + 1

    def box(self, x, y, text, *, dpi, height, ha="center"):
        """Display box of the pixels :meth:`stamp` draws."""
        bitmap = self._bitmap(text, dpi)[0]
        column, row = self.place(x, y, text, dpi=dpi, height=height, ha=ha)
        rows, cols = bitmap.shape
        return Bbox([[column, height - row], [column + cols, height - row + rows]])

    def stamp(self, renderer, gc, x, y, text, *, ha="center"):
        """Draw ``text`` at ``(x, y)`` on an Agg renderer in ``gc``'s colour."""
        bitmap = self._bitmap(text, renderer.dpi)[0]
        column, row = self.place(x, y, text, dpi=renderer.dpi, height=renderer.height, ha=ha)
        agg_of(renderer).draw_text_image(bitmap, column, row, 0, gc)

    def _bitmap(self, text, dpi):
        """Rasterise ``text`` once: bitmap, width, descent, x offset, mid height."""
        key = (text, dpi)
        if key not in self._bitmaps:
            if len(self._bitmaps) >= _CACHE_SIZE:
                self._bitmaps.clear()
            font = get_font(findfont(self._prop))
            font.clear()
            size = self._prop.get_size_in_points()
            font.set_size(size, dpi)
            font.set_text(text, 0.0, flags=get_hinting_flag())
            font.draw_glyphs_to_bitmap(antialiased=True)
            width = font.get_width_height()[0] / 64.0
            x_off = font.get_bitmap_offset()[0] / 64.0
            em = size * dpi / 72.0
            middle = em * (font.ascender + font.descender) / (2.0 * font.units_per_EM)
            bitmap = np.array(font.get_image(), dtype=np.uint8)
            self._bitmaps[key] = (bitmap, width, font.get_descent() / 64.0, x_off, middle)
        return self._bitmaps[key]


def add_figure_text(fig, *args, **kwargs):
    """Add a :class:`StampedText` to ``fig.texts``, as ``fig.text`` would.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    *args, **kwargs
        ``x, y, s`` and Text properties; coordinates are figure fractions.

    Returns
    -------
    StampedText
    """
    text = StampedText(*args, transform=fig.transSubfigure, **kwargs)
    text.set_figure(fig)
    fig.texts.append(text)
    text._remove_method = fig.texts.remove
    fig.stale = True
    return text


class StampedText(Text):
    r"""A :class:`~matplotlib.text.Text` drawn from cached line bitmaps on Agg.

    Supports what the heatmap titles and notes need: horizontal alignment
    ``"center"`` or ``"left"``, vertical ``"bottom"``, ``"top"`` or
    ``"center"``, no rotation. On other backends it is ordinary text.

    Parameters
    ----------
    *args, **kwargs
        As for :class:`matplotlib.text.Text`.

    Examples
    --------
    >>> text = StampedText(0.5, 0.5, "example 0\nx = [4, 2]", ha="center")
    >>> text.get_text().split("\n")
    ['example 0', 'x = [4, 2]']
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._stamper = Stamper(self.get_fontproperties())

    def draw(self, renderer):
        """Stamp each line on Agg; draw as ordinary text elsewhere."""
        if agg_of(renderer) is None:
            super().draw(renderer)
            return
        if not self.get_visible():
            return
        gc = renderer.new_gc()
        gc.set_foreground(self.get_color())
        gc.set_antialiased(True)
        for x, y, line in self._lines(renderer.dpi):
            self._stamper.stamp(renderer, gc, x, y, line, ha=self.get_horizontalalignment())
        gc.restore()
        self.stale = False

    def get_window_extent(self, renderer=None, dpi=None):
        """Return the display box of the stamped pixels (Agg) or of the text."""
        figure = self.get_figure(root=True)
        if renderer is None and figure is not None:
            renderer = figure.canvas.get_renderer()
        if agg_of(renderer) is None:
            return super().get_window_extent(renderer, dpi)
        ha = self.get_horizontalalignment()
        boxes = [
            self._stamper.box(x, y, line, dpi=renderer.dpi, height=renderer.height, ha=ha)
            for x, y, line in self._lines(renderer.dpi)
        ]
        return Bbox.union(boxes) if boxes else Bbox.null()

    def _lines(self, dpi):
        """Each non-empty line with the display point of its (mid-)anchor."""
        x, y = self.get_transform().transform(self.get_unitless_position())
        lines = self.get_text().split("\n")
        spacing = self.get_linespacing()
        spacing = spacing if isinstance(spacing, (int, float)) else 1.2  # "normal"
        pitch = self.get_fontsize() * dpi / 72.0 * spacing
        count = len(lines)
        offsets = {
            "bottom": [count - k - 0.5 for k in range(count)],
            "top": [-(k + 0.5) for k in range(count)],
        }.get(self.get_verticalalignment(), [(count - 1) / 2 - k for k in range(count)])
        return [(x, y + pitch * dy, line) for dy, line in zip(offsets, lines, strict=True) if line]
