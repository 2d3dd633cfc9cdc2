"""Fast text on the Agg canvas: each distinct line rasterised once, then stamped.

Layer: plotting. Imports numpy, matplotlib and this package only.

Drawing a :class:`matplotlib.text.Text` costs about a millisecond (layout,
font lookup, one FreeType call per glyph), which dominated live updates.
A :class:`Stamper` takes a line's bitmap from :mod:`jacviz.plotting._glyphs`
(rasterised once) and draws it with a single ``draw_text_image`` call on the
Agg renderer. :class:`StampedText` is a Text that draws itself that way on
Agg (and as ordinary text on PDF/SVG). The same code draws the first and every
later frame, so updated and fresh pictures are pixel-identical.

These calls are semi-private matplotlib API, so they are guarded: the
process-wide :func:`fast_text` switch is probed once, and when the probe fails
or a stamp raises, every text from then on is drawn the ordinary
matplotlib way -- slower, never broken. The switch is the one piece of
process-wide state of the plotting layer, on purpose: a matplotlib that
lacks the API lacks it for the whole process.
"""

import math
import warnings
from functools import cache

import matplotlib
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from jacviz.plotting._glyphs import API_ERRORS, face_of, probe


class FastText:
    """Whether text is stamped from cached bitmaps or drawn by matplotlib.

    Parameters
    ----------
    works : bool
        Whether the fast path is available.

    Examples
    --------
    >>> switch = FastText(True)
    >>> import warnings
    >>> with warnings.catch_warnings(record=True):
    ...     switch.turn_off(TypeError("set_text() got an unexpected keyword 'flags'"))
    >>> switch.works
    False
    """

    def __init__(self, works):
        self.works = bool(works)

    def turn_off(self, error=None):
        """Use ordinary matplotlib text from now on, and say so once."""
        if self.works:
            warnings.warn(
                f"jacviz: fast text drawing failed with matplotlib {matplotlib.__version__} "
                f"({error!r}); drawing text the ordinary way from now on (slower)",
                RuntimeWarning,
                stacklevel=2,
            )
        self.works = False


@cache
def fast_text():
    """Return the process's :class:`FastText` switch (probed on first call).

    Returns
    -------
    FastText

    Examples
    --------
    >>> fast_text() is fast_text()
    True
    """
    return FastText(probe())


def agg_of(renderer):
    """Return the Agg drawing object of ``renderer``, or ``None`` for other backends."""
    agg = getattr(renderer, "_renderer", None)
    return agg if hasattr(agg, "draw_text_image") else None


def stamps_on(renderer):
    """Whether text on ``renderer`` is stamped (Agg and the fast path works)."""
    return agg_of(renderer) is not None and fast_text().works


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
        self._faces = {}

    def place(self, x, y, text, *, dpi, height, ha="center"):
        """Pixel column (left) and row (bottom, downwards) of ``text`` at ``(x, y)``.

        ``(x, y)`` is in display coordinates (y up); ``ha`` is ``"center"``
        or ``"left"``; the line is centred vertically on ``y``.
        """
        face = self._face(dpi)
        line = face.line(text)
        left = x - line.width / 2 if ha == "center" else x
        baseline_down = height - (y - face.middle)
        return round(left + line.x_off), round(baseline_down + line.descent) + 1

    def width(self, text, *, dpi):
        """Ink width of ``text`` in pixels at ``dpi``."""
        return self._face(dpi).line(text).width

    def box(self, x, y, text, *, dpi, height, ha="center"):
        """Display box of the pixels :meth:`stamp` draws."""
        bitmap = self._face(dpi).line(text).bitmap
        column, row = self.place(x, y, text, dpi=dpi, height=height, ha=ha)
        rows, cols = bitmap.shape
        return Bbox([[column, height - row], [column + cols, height - row + rows]])

    def stamp(self, renderer, gc, x, y, text, *, ha="center"):
        """Draw ``text`` at ``(x, y)`` on an Agg renderer in ``gc``'s colour."""
        bitmap = self._face(renderer.dpi).line(text).bitmap
        column, row = self.place(x, y, text, dpi=renderer.dpi, height=renderer.height, ha=ha)
        agg_of(renderer).draw_text_image(bitmap, column, row, 0, gc)

    def _face(self, dpi):
        """Return the font at ``dpi`` (looked up once per resolution)."""
        if dpi not in self._faces:
            self._faces[dpi] = face_of(self._prop, dpi)
        return self._faces[dpi]


def union_box(boxes):
    """Smallest box holding every finite box of ``boxes``; ``Bbox.null()`` if none is.

    What ``Bbox.union`` gives, at a tenth of its cost (it runs for every text
    of every frame), and empty or infinite boxes (an empty text) are left out.

    Parameters
    ----------
    boxes : iterable of matplotlib.transforms.Bbox

    Returns
    -------
    matplotlib.transforms.Bbox

    Examples
    --------
    >>> union_box([Bbox([[0, 1], [2, 3]]), Bbox.null(), Bbox([[1, -1], [5, 2]])]).extents.tolist()
    [0.0, -1.0, 5.0, 3.0]
    >>> union_box([]).extents.tolist()
    [inf, inf, -inf, -inf]
    """
    xs, ys = [], []
    for box in boxes:
        (x0, y0), (x1, y1) = box.get_points().tolist()
        if math.isfinite(x0 + y0 + x1 + y1):
            xs += (x0, x1)
            ys += (y0, y1)
    return Bbox([[min(xs), min(ys)], [max(xs), max(ys)]]) if xs else Bbox.null()


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


class StampableText(Text):
    """A :class:`~matplotlib.text.Text` stamped from bitmaps on Agg where it can be.

    The one place that decides between the fast path and matplotlib's: a
    subclass says what it would stamp (:meth:`_fast_form`, ``None`` to let
    matplotlib draw), how (:meth:`_stamp_form`) and where (:meth:`_form_box`).
    Off Agg, with the fast path switched off, or when a stamp raises, the
    text is drawn and measured the ordinary way (the switch turned off once,
    with its warning).
    """

    def _fast_form(self, renderer):
        """Return what to stamp on ``renderer`` (Agg, fast path on); ``None``: matplotlib."""
        raise NotImplementedError

    def _stamp_form(self, renderer, gc, form):
        """Stamp ``form`` with ``gc`` (colour and antialiasing set)."""
        raise NotImplementedError

    def _form_box(self, renderer, form):
        """Display box of the pixels :meth:`_stamp_form` draws."""
        raise NotImplementedError

    def _form_on(self, renderer):
        """:meth:`_fast_form`, or ``None`` where the fast path does not apply."""
        return self._fast_form(renderer) if stamps_on(renderer) else None

    def draw(self, renderer):
        """Stamp on Agg; draw as ordinary text elsewhere."""
        form = self._form_on(renderer)
        if form is None:
            super().draw(renderer)
            return
        if not self.get_visible():
            return
        gc = renderer.new_gc()
        gc.set_foreground(self.get_color())
        gc.set_antialiased(True)
        try:
            self._stamp_form(renderer, gc, form)
        except API_ERRORS as error:
            fast_text().turn_off(error)
            super().draw(renderer)
        finally:
            gc.restore()
        self.stale = False

    def get_window_extent(self, renderer=None, dpi=None):
        """Return the display box of the stamped pixels (Agg) or of the text."""
        figure = self.get_figure(root=True)
        if renderer is None and figure is not None:
            renderer = figure.canvas.get_renderer()
        form = self._form_on(renderer)
        if form is None:
            return super().get_window_extent(renderer, dpi)
        try:
            return self._form_box(renderer, form)
        except API_ERRORS as error:
            fast_text().turn_off(error)
            return super().get_window_extent(renderer, dpi)


class StampedText(StampableText):
    r"""A :class:`~matplotlib.text.Text` drawn from cached line bitmaps on Agg.

    Supports what the heatmap titles and notes need: horizontal alignment
    ``"center"`` or ``"left"``, vertical ``"bottom"``, ``"top"`` or
    ``"center"``, no rotation. On other backends, or when the fast path is
    unavailable (:func:`fast_text`), it is ordinary text.

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

    def _fast_form(self, renderer):
        """Each non-empty line with the display point of its anchor."""
        return self._lines(renderer.dpi)

    def _stamp_form(self, renderer, gc, lines):
        """Stamp every line."""
        ha = self.get_horizontalalignment()
        for x, y, line in lines:
            self._stamper.stamp(renderer, gc, x, y, line, ha=ha)

    def _form_box(self, renderer, lines):
        """Return the union of the lines' stamped boxes."""
        ha = self.get_horizontalalignment()
        return union_box(
            self._stamper.box(x, y, line, dpi=renderer.dpi, height=renderer.height, ha=ha)
            for x, y, line in lines
        )

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
