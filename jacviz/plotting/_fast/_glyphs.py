"""Bitmaps of text lines from FreeType, cached; ASCII lines composed from glyphs.

Layer: plotting (fast path). Imports numpy and matplotlib only.

Calls matplotlib's semi-private FreeType binding (``FT2Font.set_text(...,
flags=...)``, ``draw_glyphs_to_bitmap``, ``get_bitmap_offset``). A line of
printable ASCII is put together from bitmaps of its characters, each
rasterised once, at the pen positions FreeType's own layout gives (kerning
kept); any other line is rasterised whole, once. Caches are bounded
dictionaries per :class:`Face`. See docs/architecture.md, "The fast path".
"""

from dataclasses import dataclass
from functools import cache

import numpy as np
from matplotlib import ft2font, rcParams
from matplotlib.backends import backend_agg
from matplotlib.font_manager import findfont, get_font

_LINES = 4096  # lines kept per face before its line cache is emptied
_PAIRS = 4096  # character pairs likewise
# kerning as set_text applies it: scaled, not rounded (an enum from matplotlib 3.10 on)
_UNFITTED = getattr(getattr(ft2font, "Kerning", None), "UNFITTED", None) or getattr(
    ft2font, "KERNING_UNFITTED", 1
)


@dataclass(frozen=True)
class LineBitmap:
    """A rasterised line of text and where it sits relative to its pen origin.

    Attributes
    ----------
    bitmap : numpy.ndarray of uint8, shape (rows, cols)
        Coverage (0 transparent, 255 ink).
    width : float
        Ink width, pixels.
    descent : float
        The bitmap's last row lies ``descent`` rows below the baseline row.
    x_off : float
        Left ink edge relative to the pen origin, pixels.
    """

    bitmap: np.ndarray
    width: float
    descent: float
    x_off: float


@dataclass(frozen=True)
class _Glyph:
    """One character rasterised alone: bitmap, ink edges (26.6), baseline row."""

    bitmap: np.ndarray
    left: int
    right: int
    baseline_row: int


class Face:
    """A font at a size on a canvas of some resolution, with its bitmap caches.

    Get one from :func:`face_of`, which shares a face between every caller
    asking for the same font, size and resolution.

    Parameters
    ----------
    path : str or os.PathLike
        Font file (what :func:`matplotlib.font_manager.findfont` returns).
    size : float
        Points.
    dpi : float
        Pixels per inch.
    flags : matplotlib.ft2font.LoadFlags
        FreeType load flags (matplotlib's hinting setting).
    oversampling : int, optional
        matplotlib's horizontal hinting factor (``text.hinting_factor``, 8
        before matplotlib 3.11, gone since): a loaded glyph's advance is in
        units that many times finer.

    Attributes
    ----------
    middle : float
        Height of the middle of the font's ascender..descender span above the
        baseline, pixels: where a line is centred vertically.

    Examples
    --------
    >>> from matplotlib.font_manager import FontProperties
    >>> face = face_of(FontProperties(size=8), 80)
    >>> face.size, face.dpi, bool(0 < face.middle < 8 * 80 / 72)
    (8.0, 80.0, True)
    """

    def __init__(self, path, size, dpi, flags, oversampling=1):
        self.path, self.size, self.dpi, self.flags = path, float(size), float(dpi), flags
        self.oversampling = oversampling
        self._lines, self._glyphs, self._advances = {}, {}, {}
        font = self._font()
        em = self.size * self.dpi / 72.0
        self.middle = em * (font.ascender + font.descender) / (2.0 * font.units_per_EM)

    def __repr__(self):
        """Say which font, size and resolution."""
        return f"Face({str(self.path)!r}, size={self.size:g}, dpi={self.dpi:g})"

    def line(self, text):
        """Rasterise one line of ``text`` (memoised).

        Lines of printable ASCII are composed from cached glyphs; any other
        text is rasterised whole by FreeType.

        Parameters
        ----------
        text : str
            One line, not empty.

        Returns
        -------
        LineBitmap

        Examples
        --------
        >>> from matplotlib.font_manager import FontProperties
        >>> face = face_of(FontProperties(size=8), 80)
        >>> line = face.line("-0.125")
        >>> line.bitmap.dtype, bool(line.bitmap.max() > 200), bool(20 < line.width < 40)
        (dtype('uint8'), True, True)
        >>> face.line("-0.125") is line
        True
        """
        found = self._lines.get(text)
        if found is None:
            if len(self._lines) >= _LINES:
                self._lines.clear()
            composable = len(text) > 1 and text.isascii() and text.isprintable()
            found = self._composed(text) if composable else self._whole(text)
            self._lines[text] = found
        return found

    def _font(self):
        """Return matplotlib's shared FT2Font, set to this size."""
        font = get_font(self.path)
        font.clear()
        font.set_size(self.size, self.dpi)
        return font

    def _whole(self, text):
        """Lay out and rasterise ``text`` with one FreeType call."""
        font = self._font()
        font.set_text(text, 0.0, flags=self.flags)
        font.draw_glyphs_to_bitmap(antialiased=True)
        width = font.get_width_height()[0] / 64.0
        x_off = font.get_bitmap_offset()[0] / 64.0
        bitmap = _copied(font.get_image())
        return LineBitmap(bitmap, width, font.get_descent() / 64.0, x_off)

    def _glyph(self, char):
        """Return ``char`` rasterised alone, with its ink edges in 26.6 units."""
        found = self._glyphs.get(char)
        if found is None:
            font = self._font()
            font.set_text(char, 0.0, flags=self.flags)
            font.draw_glyphs_to_bitmap(antialiased=True)
            left = int(font.get_bitmap_offset()[0])
            right = left + int(font.get_width_height()[0])
            bitmap = _copied(font.get_image())
            baseline_row = bitmap.shape[0] - 1 - round(font.get_descent() / 64.0)
            found = self._glyphs[char] = _Glyph(bitmap, left, right, baseline_row)
        return found

    def _advance(self, first, second):
        """Return the pen step from ``first`` to ``second`` (26.6 units), kerning included.

        The hinted advance of ``first`` plus the unrounded kerning of the pair:
        exactly the pen positions ``FT2Font.set_text`` lays a line out at.
        """
        pair = first + second
        found = self._advances.get(pair)
        if found is None:
            if len(self._advances) >= _PAIRS:
                self._advances.clear()
            font = self._font()
            advance = font.load_char(ord(first), flags=self.flags).horiAdvance // self.oversampling
            left, right = (font.get_char_index(ord(char)) for char in pair)
            found = self._advances[pair] = advance + font.get_kerning(left, right, _UNFITTED)
        return found

    def _composed(self, text):
        """Put ``text`` together from cached glyph bitmaps at FreeType's pen positions.

        One pass over the characters (this runs for every new number of a
        frame): the pen moves by the cached advance of each pair, and each
        glyph goes in at the whole pixel column its ink edge falls in.
        """
        glyphs, advances = self._glyphs, self._advances
        placed, pen, previous = [], 0, None
        for char in text:
            if previous is not None:
                step = advances.get(previous + char)
                pen += self._advance(previous, char) if step is None else step
            glyph = glyphs.get(char) or self._glyph(char)
            placed.append((pen + glyph.left, glyph))
            previous = char
        x_min = min(left for left, _ in placed)
        x_max = max(left - glyph.left + glyph.right for left, glyph in placed)
        baseline = max(glyph.baseline_row for _, glyph in placed)
        height = baseline + max(g.bitmap.shape[0] - g.baseline_row for _, g in placed)
        start = x_min // 64
        width = max(left // 64 - start + g.bitmap.shape[1] for left, g in placed)
        bitmap = np.zeros((height, width), dtype=np.uint8)
        for left, glyph in placed:
            rows, cols = glyph.bitmap.shape
            if rows and cols:
                row, col = baseline - glyph.baseline_row, left // 64 - start
                target = bitmap[row : row + rows, col : col + cols]
                np.maximum(target, glyph.bitmap, out=target)
        return LineBitmap(bitmap, (x_max - x_min) / 64.0, height - 1 - baseline, x_min / 64.0)


def face_of(prop, dpi):
    """Return the shared :class:`Face` of font properties ``prop`` at ``dpi``.

    Parameters
    ----------
    prop : matplotlib.font_manager.FontProperties
    dpi : float

    Returns
    -------
    Face

    Examples
    --------
    >>> from matplotlib.font_manager import FontProperties
    >>> face_of(FontProperties(size=8), 80) is face_of(FontProperties(size=8.0), 80.0)
    True
    """
    return _interned(findfont(prop), float(prop.get_size_in_points()), float(dpi))


@cache
def _interned(path, size, dpi):
    """Return the one :class:`Face` of ``path`` at ``size`` and ``dpi``."""
    oversampling = rcParams.get("text.hinting_factor") or 1  # None from 3.11 on
    return Face(path, size, dpi, backend_agg.get_hinting_flag(), oversampling)


def _copied(image):
    """Return a uint8 copy of FreeType's image (the font reuses its buffer).

    Not marked read-only: Agg's ``draw_text_image`` refuses read-only arrays.
    """
    return np.array(image, dtype=np.uint8)
