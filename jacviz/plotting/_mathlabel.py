r"""The picture's math labels (``∂f_i``, ``∂x_{(0,1)}``, ``∂f_i / ∂x_j``) typeset from glyphs.

Layer: plotting. Imports numpy, matplotlib and this package only.

Every axis label and the colour bar's label are mathtext strings. Their first
use in a process costs ~0.1 s (matplotlib builds its mathtext grammar and
looks up a dozen fonts), and every new label 7-11 ms more: about a third of
starting the explorer, and most of building a picture for a new input size.
These labels use a small part of mathtext: ``\partial``, letters, digits and
punctuation, sub- and superscripts, ``\,`` and ``/``. :func:`parse_label`
reads exactly that part; :class:`MathText` typesets it on Agg from cached
glyph bitmaps (letters in the oblique face, the rest upright, scripts at 70 %
shifted by mathtext's DejaVu Sans constants) and hands anything else --
other TeX, any label of the user's, vector backends -- to matplotlib's
mathtext unchanged.
"""

import re
from functools import cache, lru_cache
from typing import NamedTuple

import numpy as np
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.transforms import Bbox

from jacviz.plotting._glyphs import API_ERRORS, LineBitmap, face_of
from jacviz.plotting._stamps import StampableText, agg_of

SCRIPT_SCALE = 0.7  # mathtext's shrink factor for sub- and superscripts
# shifts in em of the base font: mathtext's DejaVu Sans constants (x-height units) x 0.547
SUB_SHIFT = 0.15  # a subscript alone
SUB_SHIFT_BOTH = 0.31  # a subscript under a superscript
SUP_SHIFT = 0.45  # 0.41 in mathtext's constants; its boxes sit about half a pixel higher
THIN_SPACE = 1 / 6  # \, in em
SCRIPT_SPACE = 0.05  # em after a script
_TOKENS = re.compile(r"\\partial|\\,|[A-Za-z]|[0-9]+|[(),.+\-=/\[\]]|[_^{}]| ")


class Run(NamedTuple):
    r"""A stretch of a label in one face.

    Attributes
    ----------
    text : str
        The characters (``"∂"`` for ``\partial``).
    italic : bool
        Set in the oblique face (letters, as mathtext sets them).
    space : float
        For a thin space (``\,``): its width in em, and ``text`` is empty.
    """

    text: str
    italic: bool = False
    space: float = 0.0


class Scripts(NamedTuple):
    """The superscript and subscript of the run before, as runs (either may be empty)."""

    sup: tuple
    sub: tuple


@lru_cache(maxsize=1024)  # read at every draw and measure; labels repeat
def parse_label(text):
    r"""Read ``text`` as the labels' small part of mathtext.

    Parameters
    ----------
    text : str
        One math span (``"$...$"``) of ``\partial``, letters, digits,
        ``(),.+-=/[]``, ``\,``, spaces (ignored, as in TeX) and ``_`` / ``^``
        followed by one character or a braced group of those (no scripts
        inside scripts).

    Returns
    -------
    tuple of Run and Scripts, or None
        Left to right; ``None`` for anything else (then matplotlib typesets it).

    Examples
    --------
    >>> parse_label(r"$\partial f_{0}$")  # doctest: +NORMALIZE_WHITESPACE
    (Run(text='∂', italic=False, space=0.0), Run(text='f', italic=True, space=0.0),
     Scripts(sup=(), sub=(Run(text='0', italic=False, space=0.0),)))
    >>> [type(item).__name__ for item in parse_label(r"$\partial f^{(b)}_i\,/\,x$")]
    ['Run', 'Run', 'Scripts', 'Run', 'Run', 'Run', 'Run']
    >>> parse_label(r"$\sqrt{x}$") is None, parse_label("plain") is None
    (True, True)
    """
    if len(text) < 3 or text[0] != "$" or text[-1] != "$" or "$" in text[1:-1]:
        return None
    body = text[1:-1]
    tokens = _TOKENS.findall(body)
    if "".join(tokens) != body:
        return None  # something this reader does not know
    try:
        items = _items(tokens)
    except ValueError:
        return None
    return tuple(items) or None


def _items(tokens):
    """Read a label's tokens into runs and scripts (braces at the top level only group)."""
    items, k, depth = [], 0, 0
    while k < len(tokens):
        token = tokens[k]
        depth += {"{": 1, "}": -1}.get(token, 0)
        if depth < 0:
            raise ValueError("unopened brace")
        if token in "_^":
            if not items or isinstance(items[-1], Scripts):
                raise ValueError("a script needs a base")
            scripts, k = _scripts(tokens, k)
            items.append(scripts)
            continue
        if token not in " {}":
            items.extend(_runs([token]))
        k += 1
    if depth:
        raise ValueError("unclosed brace")
    return items


def _scripts(tokens, k):
    """Read the scripts at ``tokens[k]`` (``_``, ``^`` or both); return them and the end."""
    found = {}
    while k < len(tokens) and tokens[k] in "_^" and tokens[k] not in found:
        kind = tokens[k]
        group, k = _group(tokens, k + 1)
        found[kind] = tuple(_runs(group))
    return Scripts(found.get("^", ()), found.get("_", ())), k


def _group(tokens, k):
    """One script's tokens from ``tokens[k]``: a braced group or one character; and the end."""
    if k >= len(tokens) or tokens[k] in "_^} ":
        raise ValueError("empty script")
    if tokens[k] != "{":
        token = tokens[k]
        if token.isdigit() and len(token) > 1:  # x_12 subscripts the 1 only, as in TeX
            tokens[k] = token[1:]  # the rest stays on the baseline
            return [token[0]], k
        return [token], k + 1
    end = tokens.index("}", k) if "}" in tokens[k:] else -1
    inner = tokens[k + 1 : end]
    if end < 0 or any(token in "_^{" for token in inner):
        raise ValueError("unclosed or nested group")
    return inner, end + 1


def _runs(tokens):
    """Make the runs of script-free tokens (a thin space after a comma, as mathtext)."""
    runs = []
    for token in tokens:
        if token == r"\partial":
            runs.append(Run("∂"))
        elif token == r"\,":
            runs.append(Run("", space=THIN_SPACE))
        elif token != " ":
            runs.append(Run(token, italic=token.isalpha()))
            if token == ",":
                runs.append(Run("", space=THIN_SPACE))
    return runs


def typeset(items, size, dpi):
    r"""Put a label's runs and scripts together into one bitmap.

    Parameters
    ----------
    items : sequence of Run and Scripts
        From :func:`parse_label`.
    size : float
        The base font size, points.
    dpi : float
        Resolution of the canvas.

    Returns
    -------
    LineBitmap
        Coverage, ink width and where the bitmap sits against the baseline
        (as :meth:`jacviz.plotting._glyphs.Face.line` returns).

    Examples
    --------
    >>> line = typeset(parse_label(r"$\partial f_{0}$"), 8.5, 100)
    >>> line.bitmap.dtype, bool(12 < line.width < 30), bool(line.descent > 0)  # the 0 hangs
    (dtype('uint8'), True, True)
    """
    return _typeset(tuple(items), float(size), float(dpi))


@cache
def _typeset(items, size, dpi):
    """Memoised :func:`typeset` (a picture has a few dozen distinct labels)."""
    em = size * dpi / 72.0
    pieces, pen = [], 0.0
    for item in items:
        if isinstance(item, Run):
            pen = _place(pieces, item, pen, 0.0, size, dpi)
            continue
        sub_shift = SUB_SHIFT_BOTH if item.sup else SUB_SHIFT
        ends = [pen]
        for runs, rise in ((item.sup, SUP_SHIFT * em), (item.sub, -sub_shift * em)):
            at = pen
            for run in runs:
                at = _place(pieces, run, at, rise, size * SCRIPT_SCALE, dpi)
            ends.append(at)
        pen = max(ends) + SCRIPT_SPACE * em
    return _composed(pieces)


def _place(pieces, run, pen, rise, size, dpi):
    """Add ``run`` at ``pen``, raised by ``rise`` pixels; return the pen after it."""
    if run.space:
        return pen + run.space * size * dpi / 72.0
    face = _face(size, run.italic, dpi)
    for char in run.text:  # glyph by glyph at unhinted advances, as mathtext
        pieces.append((pen, rise, face.line(char)))
        pen += face.advance(char, hinted=False)
    return pen


def _composed(pieces):
    """One bitmap of ``(pen, rise, line)`` pieces: lines at pen positions, raised by ``rise``."""
    placed = []
    for pen, rise, line in pieces:
        rows = line.bitmap.shape[0]
        left = int(np.floor(pen + line.x_off))
        top = round(line.descent - rise) - rows + 1  # top row, downwards from the baseline row
        placed.append((left, top, line.bitmap))
    x0 = min(left for left, _, _ in placed)
    y0 = min(top for _, top, _ in placed)
    width = max(left + bitmap.shape[1] for left, _, bitmap in placed) - x0
    height = max(top + bitmap.shape[0] for _, top, bitmap in placed) - y0
    out = np.zeros((height, width), dtype=np.uint8)
    for left, top, bitmap in placed:
        rows, cols = bitmap.shape
        target = out[top - y0 : top - y0 + rows, left - x0 : left - x0 + cols]
        np.maximum(target, bitmap, out=target)
    ink_left = min(pen + line.x_off for pen, _, line in pieces)
    ink_right = max(pen + line.x_off + line.width for pen, _, line in pieces)
    descent = height - 1 + y0  # rows of the last bitmap row below the baseline row
    return LineBitmap(out, ink_right - ink_left, float(descent), float(x0))


def _face(size, italic, dpi):
    """Return the DejaVu face of the labels at ``size`` points, oblique for ``italic``."""
    return face_of(_prop(size, italic), dpi)


@cache
def _typo_ascent(size, dpi):
    """Return the upright face's typographic ascent (OS/2 table, else hhea) in pixels."""
    font = get_font(findfont(_prop(size, False)))
    table = font.get_sfnt_table("OS/2")
    ascender = table["sTypoAscender"] if table else font.ascender
    return ascender / font.units_per_EM * size * dpi / 72.0


@cache
def _prop(size, italic):
    """Return the font of mathtext's ``dejavusans`` set: DejaVu Sans, oblique for letters."""
    return FontProperties(family="DejaVu Sans", style="italic" if italic else "normal", size=size)


class MathText(StampableText):
    r"""A :class:`~matplotlib.text.Text` whose math labels are typeset from glyphs on Agg.

    Text :func:`parse_label` reads is stamped on Agg canvases (alignments
    ``ha`` left/center/right, ``va`` top/center/center_baseline/baseline/bottom,
    rotation 0 or 90 degrees); anything else, and every other backend, is
    drawn by matplotlib (mathtext) as an ordinary Text.

    Parameters
    ----------
    *args, **kwargs
        As for :class:`matplotlib.text.Text`.

    Examples
    --------
    >>> label = MathText(0.5, 0.5, r"$\partial x_{1}$", ha="right")
    >>> label.get_text(), label.label_items() is not None
    ('$\\partial x_{1}$', True)
    """

    def label_items(self):
        """Return the runs and scripts of this text, or ``None`` when matplotlib draws it."""
        if self.get_rotation() not in (0.0, 90.0):
            return None
        return parse_label(self.get_text())

    def _fast_form(self, renderer):
        """Return the label's runs and scripts, or ``None`` for matplotlib's mathtext."""
        return self.label_items()

    def _stamp_form(self, renderer, gc, items):
        """Draw the typeset bitmap."""
        column, row, bitmap = self._placed(renderer, items)
        agg_of(renderer).draw_text_image(bitmap, column, row, 0, gc)

    def _form_box(self, renderer, items):
        """Display box of the typeset bitmap."""
        column, row, bitmap = self._placed(renderer, items)
        rows, cols = bitmap.shape
        height = renderer.height
        return Bbox([[column, height - row], [column + cols, height - row + rows]])

    def _placed(self, renderer, items):
        """``(column, row, bitmap)`` for ``draw_text_image``: left column, row under the bitmap.

        Alignment is in the text's own frame, as matplotlib's
        ``rotation_mode="anchor"``: ``u`` along the text from its ink start,
        ``v`` up from its baseline; turned by 90 degrees the text reads
        upwards, its top to the left.
        """
        line = typeset(items, self.get_fontsize(), renderer.dpi)
        x, y = self.get_transform().transform(self.get_unitless_position())
        rows = line.bitmap.shape[0]
        above = rows - 1 - line.descent  # rows of ink above the baseline row
        u = {"center": line.width / 2, "right": line.width}.get(self.get_horizontalalignment(), 0)
        # as matplotlib: halfway up the line's ascent, at least the font's typographic one
        ascent = max(above, _typo_ascent(self.get_fontsize(), renderer.dpi))
        v = {
            "top": above,
            "bottom": -line.descent,
            "center": (above - line.descent) / 2,
            "center_baseline": ascent / 2,
        }.get(self.get_verticalalignment(), 0.0)
        height = renderer.height
        if self.get_rotation() == 90.0:
            bitmap = np.ascontiguousarray(np.rot90(line.bitmap))
            baseline_x = x + v  # the text's up points left; its baseline row becomes the
            # column just left of baseline_x, where matplotlib's rotated text puts it
            return round(baseline_x - above) - 1, round(height - (y - u + line.x_off)) + 1, bitmap
        baseline_row = height - (y - v)
        return round(x - u + line.x_off), round(baseline_row + line.descent), line.bitmap


def typeset_copy(text):
    r"""Return a :class:`MathText` with ``text``'s string, style, place and transform.

    For a label or title matplotlib made and lays out (an axis label, an
    axes title): put the copy where the original was (``axis.label``,
    ``ax.title``) and it is positioned and drawn as before, typeset without
    mathtext.

    Parameters
    ----------
    text : matplotlib.text.Text

    Returns
    -------
    MathText or None
        ``None`` if a future matplotlib refuses the copy (keep the original).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> _ = ax.set_ylabel(r"$\partial f_i$")
    >>> ax.yaxis.label = typeset_copy(ax.yaxis.label) or ax.yaxis.label
    >>> type(ax.yaxis.label).__name__, ax.get_ylabel()
    ('MathText', '$\\partial f_i$')
    """
    try:
        copy = MathText(*text.get_position(), text.get_text())
        copy.update_from(text)
        copy.set_rotation_mode(text.get_rotation_mode())
        copy.set_transform(text.get_transform())
        copy.set_figure(text.get_figure(root=False))
        copy.axes = text.axes
    except API_ERRORS:
        return None
    return copy
