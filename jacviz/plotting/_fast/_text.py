"""Fast text on the Agg canvas: each distinct line rasterised once, then stamped.

Layer: plotting (fast path). Imports numpy, matplotlib and this package only.

A :class:`Stamper` takes a line's bitmap from :mod:`._glyphs` (rasterised
once) and draws it with one ``draw_text_image`` call on the Agg renderer,
instead of a Text's layout and FreeType calls per draw. :class:`StampedText`
(titles, notes, colour-bar numbers) and :class:`StampedLabel` (tick labels)
are Texts that draw themselves that way on Agg while the switch is on, and
as ordinary text on other backends or after the switch turned off.
"""

import math

import numpy as np
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from jacviz.plotting._fast._glyphs import face_of
from jacviz.plotting._fast._switch import API_ERRORS, drawing_switch


def agg_of(renderer):
    """Return the Agg drawing object of ``renderer``, or ``None`` for other backends."""
    agg = getattr(renderer, "_renderer", None)
    return agg if hasattr(agg, "draw_text_image") else None


class Stamper:
    """Bitmaps of text lines in one font, and where to stamp them.

    Positions are a line's pen origin on its baseline, in display
    coordinates (y up), placed as matplotlib's Agg text places its bitmap.

    Parameters
    ----------
    prop : matplotlib.font_manager.FontProperties
        The font.

    Examples
    --------
    >>> from matplotlib.font_manager import FontProperties
    >>> stamper = Stamper(FontProperties(size=8))
    >>> x, y = stamper.centred(100.0, 50.0, "48", dpi=80)
    >>> box = stamper.box(x, y, "48", dpi=80, height=200)
    >>> bool(90 < box.x0 < box.x1 < 110 and 40 < box.y0 < box.y1 < 60)
    True
    """

    def __init__(self, prop):
        self._prop = prop
        self._faces = {}

    def line(self, text, *, dpi):
        """Return the :class:`~._glyphs.LineBitmap` of ``text`` at ``dpi``."""
        return self._face(dpi).line(text)

    def centred(self, x, y, text, *, dpi):
        """Pen origin that centres ``text`` on ``(x, y)`` (the font's middle on ``y``)."""
        face = self._face(dpi)
        return x - face.line(text).width / 2, y - face.middle

    def metrics(self, text, *, dpi):
        """Width, ascent and descent of ``text`` in pixels, at least those of ``"lp"``.

        What matplotlib measures to align a line of text.
        """
        face = self._face(dpi)
        line, lp = face.line(text), face.line("lp")
        return line.width, max(_ascent(line), _ascent(lp)), max(line.descent, lp.descent)

    def box(self, x, y, text, *, dpi, height):
        """Display box of the pixels :meth:`stamp` draws for pen origin ``(x, y)``."""
        line = self._face(dpi).line(text)
        column, row = _pixel(x, y, line, height)
        rows, cols = line.bitmap.shape
        return Bbox([[column, height - row], [column + cols, height - row + rows]])

    def stamp(self, renderer, gc, x, y, text):
        """Draw ``text`` from pen origin ``(x, y)`` on an Agg renderer in ``gc``'s colour."""
        line = self._face(renderer.dpi).line(text)
        column, row = _pixel(x, y, line, renderer.height)
        agg_of(renderer).draw_text_image(line.bitmap, column, row, 0, gc)

    def _face(self, dpi):
        """Return the font at ``dpi`` (looked up once per resolution)."""
        if dpi not in self._faces:
            self._faces[dpi] = face_of(self._prop, dpi)
        return self._faces[dpi]


def _pixel(x, y, line, height):
    """Column and row ``draw_text_image`` takes for pen origin ``(x, y)``, as Agg text."""
    return round(x + line.x_off), round(height - y + line.descent) + 1


def _ascent(line):
    """Height of a line's ink above its baseline, pixels (as FreeType's box measures it)."""
    inked = np.flatnonzero(line.bitmap.any(axis=1))
    top = int(inked[0]) if inked.size else 0
    return line.bitmap.shape[0] - 1 - line.descent - top


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
    """
    xs, ys = [], []
    for box in boxes:
        (x0, y0), (x1, y1) = box.get_points().tolist()
        if math.isfinite(x0 + y0 + x1 + y1):
            xs += (x0, x1)
            ys += (y0, y1)
    return Bbox([[min(xs), min(ys)], [max(xs), max(ys)]]) if xs else Bbox.null()


def add_figure_text(fig, *args, switch=None, **kwargs):
    """Add a :class:`StampedText` to ``fig.texts``, as ``fig.text`` would.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    *args, **kwargs
        ``x, y, s`` and Text properties; coordinates are figure fractions.
    switch : Switch, optional
        The fast/plain switch (default the process's).

    Returns
    -------
    StampedText
    """
    text = StampedText(*args, transform=fig.transSubfigure, switch=switch, **kwargs)
    text.set_figure(fig)
    fig.texts.append(text)
    text._remove_method = fig.texts.remove
    fig.stale = True
    return text


class StampableText(Text):
    """A :class:`~matplotlib.text.Text` stamped from bitmaps on Agg while the switch is on.

    A subclass says what it would stamp (:meth:`_fast_form`, ``None`` to let
    matplotlib draw), how (:meth:`_stamp_form`) and where (:meth:`_form_box`).
    Off Agg, with the switch off, or when a stamp raises, the text is drawn
    and measured the ordinary way (the switch turned off once, with its
    warning).

    Parameters
    ----------
    *args, **kwargs
        As for :class:`matplotlib.text.Text`.
    switch : Switch, optional
        The fast/plain switch (default the process's).
    """

    def __init__(self, *args, switch=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._switch = switch or drawing_switch()
        self._stamper = Stamper(self.get_fontproperties())

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
        if not (self._switch.on and agg_of(renderer) is not None):
            return None
        return self._fast_form(renderer)

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
            self._switch.turn_off(error)
            super().draw(renderer)
        finally:
            gc.restore()
        self.stale = False

    def get_window_extent(self, renderer=None, dpi=None):
        """Return the display box of the stamped pixels (Agg) or of the text."""
        if renderer is None and self.figure is not None:
            renderer = self.figure.canvas.get_renderer()
        form = self._form_on(renderer)
        if form is None:
            return super().get_window_extent(renderer, dpi)
        try:
            return self._form_box(renderer, form)
        except API_ERRORS as error:
            self._switch.turn_off(error)
            return super().get_window_extent(renderer, dpi)


class StampedText(StampableText):
    r"""Titles and notes: lines stamped from cached bitmaps on Agg.

    Horizontal alignment ``"center"`` or ``"left"``, vertical ``"bottom"``,
    ``"top"`` or ``"center"``, lines centred on the font's middle, no
    rotation.

    Parameters
    ----------
    *args, **kwargs
        As for :class:`StampableText`.

    Examples
    --------
    >>> from jacviz.plotting._fast._switch import Switch
    >>> text = StampedText(0.5, 0.5, "example 0\nx = [4, 2]", ha="center", switch=Switch(True))
    >>> text.get_text().split("\n")
    ['example 0', 'x = [4, 2]']
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        spacing = kwargs.get("linespacing")
        self._spacing = spacing if isinstance(spacing, (int, float)) else 1.2  # "normal"

    def _fast_form(self, renderer):
        """Each non-empty line with its pen origin."""
        return self._lines(renderer.dpi)

    def _stamp_form(self, renderer, gc, lines):
        """Stamp every line."""
        for x, y, line in lines:
            self._stamper.stamp(renderer, gc, x, y, line)

    def _form_box(self, renderer, lines):
        """Return the union of the lines' stamped boxes."""
        dpi, height = renderer.dpi, renderer.height
        return union_box(
            self._stamper.box(x, y, line, dpi=dpi, height=height) for x, y, line in lines
        )

    def _lines(self, dpi):
        """Each non-empty line with its pen origin (display coordinates)."""
        x, y = self.get_transform().transform(self.get_unitless_position())
        lines = self.get_text().split("\n")
        pitch = self.get_fontsize() * dpi / 72.0 * self._spacing
        count = len(lines)
        offsets = {
            "bottom": [count - k - 0.5 for k in range(count)],
            "top": [-(k + 0.5) for k in range(count)],
        }.get(self.get_verticalalignment(), [(count - 1) / 2 - k for k in range(count)])
        centre = self.get_horizontalalignment() == "center"
        placed = []
        for dy, line in zip(offsets, lines, strict=True):
            if line:
                x0, y0 = self._stamper.centred(x, y + pitch * dy, line, dpi=dpi)
                placed.append((x0 if centre else x, y0, line))
        return placed


class StampedLabel(StampableText):
    """A one-line label (a tick label) stamped on Agg, aligned as matplotlib aligns a Text.

    ``ha`` left/center/right, ``va`` top/center/center_baseline/baseline/bottom,
    no rotation; otherwise (and its arguments) as :class:`StampableText`.
    """

    def _fast_form(self, renderer):
        """Return the label (one line, not rotated), else ``None`` for matplotlib."""
        text = self.get_text()
        return text if text and "\n" not in text and self.get_rotation() == 0 else None

    def _stamp_form(self, renderer, gc, text):
        """Stamp the line at its pen origin."""
        self._stamper.stamp(renderer, gc, *self._origin(renderer.dpi, text), text)

    def _form_box(self, renderer, text):
        """Display box of the stamped pixels."""
        x, y = self._origin(renderer.dpi, text)
        return self._stamper.box(x, y, text, dpi=renderer.dpi, height=renderer.height)

    def _origin(self, dpi, text):
        """Pen origin on the baseline, display coordinates."""
        x, y = self.get_transform().transform(self.get_unitless_position())
        width, ascent, descent = self._stamper.metrics(text, dpi=dpi)
        u = {"center": width / 2, "right": width}.get(self.get_horizontalalignment(), 0.0)
        v = {
            "top": ascent,
            "bottom": -descent,
            "center": (ascent - descent) / 2,
            "center_baseline": ascent / 2,
        }.get(self.get_verticalalignment(), 0.0)
        return x - u, y - v
