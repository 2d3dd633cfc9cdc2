"""Colours, colour limits and the words written on a heatmap.

Layer: plotting. Imports numpy and matplotlib only.

Conventions every view follows: a diverging colormap centred on zero with one
symmetric colour scale per figure, NaN/inf cells in grey, cell values written
in black or white (whichever contrasts with the cell), axis labels in the
maths notation ``∂f_i`` / ``∂x_j``.
"""

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import Colormap, to_rgba

#: Default colormap: ColorBrewer's red-blue, colour-blind safe, white at zero.
DEFAULT_CMAP = "RdBu_r"

#: Colour of cells whose value is NaN or ±inf (distinct from every RdBu colour).
BAD_COLOR = "#8c8c8c"

#: Relative luminance where cell text switches from white to black: there both
#: have the same contrast ratio with the cell, sqrt(1.05 * 0.05) - 0.05 (4.58:1).
TEXT_SWITCH = (1.05 * 0.05) ** 0.5 - 0.05

#: Colour limit used when a figure has no finite non-zero value at all.
FALLBACK_LIMIT = 1.0

#: Smallest and largest colour limits a matplotlib colour bar draws faithfully
#: (below ~2e-287 it widens the scale to ±0.1; near 1e308 its tick locator
#: overflows). Values beyond ``MAX_LIMIT`` get the end colours.
MIN_LIMIT, MAX_LIMIT = 1e-280, 1e306

_NICE_STEPS = np.array([1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0])


def resolve_cmap(cmap):
    """Return the colormap to draw with, with NaN/inf cells in :data:`BAD_COLOR`.

    Parameters
    ----------
    cmap : str or matplotlib.colors.Colormap
        A registered colormap name or a colormap object.

    Returns
    -------
    matplotlib.colors.Colormap
        A copy whose "bad" colour is :data:`BAD_COLOR`.

    Raises
    ------
    ValueError
        If ``cmap`` is a name matplotlib does not know.

    Examples
    --------
    >>> resolve_cmap("RdBu_r").name
    'RdBu_r'
    """
    if not isinstance(cmap, Colormap):
        if cmap not in colormaps:
            raise ValueError(f"unknown colormap {cmap!r}; try {DEFAULT_CMAP!r} or 'PuOr_r'")
        cmap = colormaps[cmap]
    return cmap.with_extremes(bad=BAD_COLOR)


def symmetric_limit(values):
    """Return the half-width ``L`` of a colour scale ``[-L, L]`` centred on zero.

    ``L`` is the largest finite ``|value|`` rounded up to a "nice" number
    (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten): the colour
    bar gets round end values, and a live picture keeps its scale (and need
    not redraw its colour bar) while values move a little. The rounding is
    done on the decimal digits (no power of ten to underflow or overflow) and
    ``L`` is kept within [:data:`MIN_LIMIT`, :data:`MAX_LIMIT`].

    Parameters
    ----------
    values : array_like
        Every value the scale has to show (any shape); NaN and ±inf are ignored.

    Returns
    -------
    float
        The nice limit, or :data:`FALLBACK_LIMIT` when there is no finite
        non-zero value (so the scale never collapses to ``vmin == vmax``).

    Examples
    --------
    >>> symmetric_limit([[3.0, -5.0], [1.0, float("nan")]])
    5.0
    >>> symmetric_limit([48.0, -12.0])
    50.0
    >>> symmetric_limit([0.0, float("inf")])
    1.0
    >>> symmetric_limit([5e-324]), symmetric_limit([1.7e308])
    (1e-280, 1e+306)
    """
    values = np.asarray(values, dtype=float)
    finite = np.abs(values[np.isfinite(values)])
    largest = float(finite.max()) if finite.size else 0.0
    if not largest > 0.0:
        return FALLBACK_LIMIT
    if not MIN_LIMIT < largest < MAX_LIMIT:
        return MIN_LIMIT if largest <= MIN_LIMIT else MAX_LIMIT
    mantissa, _, exponent = f"{largest:.16e}".partition("e")
    step = _NICE_STEPS[np.searchsorted(_NICE_STEPS, float(mantissa) * (1 - 1e-9))]
    return min(float(f"{step:g}e{exponent}"), MAX_LIMIT)  # ≥ largest to 1e-9


def text_color(rgba):
    """Black or white, whichever reads better on a cell of colour ``rgba``.

    Parameters
    ----------
    rgba : sequence of float
        The cell colour, RGB or RGBA with components in ``[0, 1]``.

    Returns
    -------
    str
        The one of the two with the higher WCAG 2.1 contrast ratio against the
        cell: ``"black"`` above relative luminance :data:`TEXT_SWITCH`,
        ``"white"`` below. Either way the ratio is at least 4.58:1 (the two
        ratios are equal at the switch), so cell numbers meet WCAG 1.4.3 AA
        on every colour.

    Examples
    --------
    >>> text_color((1.0, 1.0, 1.0))
    'black'
    >>> text_color((0.0, 0.0, 0.3))
    'white'
    """
    return str(text_colors(np.asarray(to_rgba(rgba)))[()])


def text_colors(rgba):
    """:func:`text_color` for an array of colours.

    Parameters
    ----------
    rgba : numpy.ndarray, shape (..., 3) or (..., 4)
        Colours with components in ``[0, 1]``.

    Returns
    -------
    numpy.ndarray of str, shape (...)

    Examples
    --------
    >>> text_colors(np.array([[1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.3, 1.0]])).tolist()
    ['black', 'white']
    """
    return np.where(relative_luminance(rgba) > TEXT_SWITCH, "black", "white")


def mark_color(rgba, strength=0.6):
    """Return the colour of a quiet mark on a cell of colour ``rgba``, at 3:1 or more.

    Its text colour (:func:`text_color`) mixed into the cell's at ``strength``,
    or the text colour itself where the mix would contrast less than 3:1
    (WCAG 1.4.11, marks that carry meaning) -- e.g. the dot on an exact 0.

    Parameters
    ----------
    rgba : sequence of float
        The cell colour, RGB or RGBA with components in ``[0, 1]``.
    strength : float, optional
        Share of the text colour in the mix.

    Returns
    -------
    numpy.ndarray, shape (3,)
        RGB.

    Examples
    --------
    >>> mark_color((0.97, 0.97, 0.97)).round(3).tolist()  # RdBu's white: a dark grey
    [0.388, 0.388, 0.388]
    >>> mark_color((0.46, 0.46, 0.46)).tolist()  # a mid grey: only white itself reaches 3:1
    [1.0, 1.0, 1.0]
    """
    cell = np.asarray(to_rgba(rgba))[:3]
    ink = np.full(3, 1.0 if text_color(cell) == "white" else 0.0)
    mixed = strength * ink + (1.0 - strength) * cell
    return mixed if contrast_ratio(mixed, cell) >= 3.0 else ink


def relative_luminance(rgba):
    """WCAG 2.1 relative luminance of colours with components in ``[0, 1]``.

    Parameters
    ----------
    rgba : array_like, shape (..., 3) or (..., 4)
        sRGB colours (alpha ignored).

    Returns
    -------
    numpy.ndarray, shape (...)
        0 for black, 1 for white.

    Examples
    --------
    >>> relative_luminance([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]).tolist()
    [0.0, 1.0]
    """
    rgb = np.asarray(rgba, dtype=float)[..., :3]
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def contrast_ratio(first, second):
    """WCAG 2.1 contrast ratio of two colours, from 1 (same) to 21 (black on white).

    Parameters
    ----------
    first, second : array_like, shape (..., 3) or (..., 4)
        sRGB colours with components in ``[0, 1]`` (broadcast together).

    Returns
    -------
    numpy.ndarray, shape (...)

    Examples
    --------
    >>> round(float(contrast_ratio([1.0, 1.0, 1.0], [0.0, 0.0, 0.0])), 2)
    21.0
    >>> from matplotlib.colors import to_rgb
    >>> round(float(contrast_ratio(to_rgb("white"), to_rgb("#de725b"))), 2)
    3.15
    """
    lighter = np.maximum(relative_luminance(first), relative_luminance(second))
    darker = np.minimum(relative_luminance(first), relative_luminance(second))
    return (lighter + 0.05) / (darker + 0.05)


def format_value(value):
    """Write one cell value as a short string: 3 significant digits, NaN/inf named.

    Parameters
    ----------
    value : float
        The number to write.

    Returns
    -------
    str
        E.g. ``"48"``, ``"-0.125"``, ``"1.23e4"``, ``"NaN"``, ``"inf"``.

    Examples
    --------
    >>> [format_value(v) for v in (48.0, -0.125, 12345.0, -0.0, float("nan"), -float("inf"))]
    ['48', '-0.125', '1.23e4', '0', 'NaN', '-inf']
    """
    value = float(value)
    if np.isnan(value):
        return "NaN"
    if np.isinf(value):
        return "inf" if value > 0 else "-inf"
    if value == 0.0:
        return "0"
    text = f"{value:.3g}"
    mantissa, _, exponent = text.partition("e")
    return f"{mantissa}e{int(exponent)}" if exponent else mantissa


def compact_value(value):
    """Write a number in as few characters as :func:`format_value`'s 3 digits allow.

    The shorter of the plain form and ``mantissa e exponent``: colour-bar
    ticks such as ``2.5e-4`` stay short enough for the margin.

    Parameters
    ----------
    value : float

    Returns
    -------
    str

    Examples
    --------
    >>> [compact_value(v) for v in (2.5e-4, -0.125, 50.0, 12500.0, 0.0)]
    ['2.5e-4', '-0.125', '50', '1.25e4', '0']
    """
    plain = format_value(value)
    if not np.isfinite(value) or value == 0.0:
        return plain
    mantissa, _, exponent = f"{value:.2e}".partition("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    scientific = f"{mantissa}e{int(exponent)}"
    return scientific if len(scientific) < len(plain) else plain


def format_vector(name, values, *, max_items=4):
    """``"x = [4, 2]"``: a short line naming an example's values.

    Parameters
    ----------
    name : str
        What the values are, e.g. ``"x"`` or ``"f(x)"``.
    values : array_like
        The example's values, any shape (flattened in C order).
    max_items : int, optional
        How many values to write before an ellipsis.

    Returns
    -------
    str

    Examples
    --------
    >>> format_vector("x", [4.0, 2.0])
    'x = [4, 2]'
    >>> format_vector("x", range(6))
    'x = [0, 1, 2, 3, …]'
    """
    flat = np.ravel(np.asarray(values, dtype=float))
    items = [format_value(v) for v in flat[:max_items]]
    if flat.size > max_items:
        items.append("…")
    return f"{name} = [{', '.join(items)}]"


def component_labels(symbol, shape, *, superscript=None):
    """Make labels ``∂f₀``, ``∂f₁``, ... for the components of a (flattened) array.

    Plain Unicode (DejaVu Sans has every glyph), no mathtext: the same text
    in live and exported pictures, drawn as fast as any other label.

    Parameters
    ----------
    symbol : str
        The letter, e.g. ``"f"`` or ``"x"``.
    shape : tuple of int
        Shape of one example's output or input; components are numbered in C
        order, higher ranks with index tuples (``∂f₍₀,₁₎``).
    superscript : int, optional
        Written above the letter, e.g. the example index in the full Jacobian.

    Returns
    -------
    list of str
        ``prod(shape)`` labels (one, without index, for a scalar).

    Examples
    --------
    >>> component_labels("f", (2,))
    ['∂f₀', '∂f₁']
    >>> component_labels("x", (1, 2))[1], component_labels("x", (1,), superscript=3)
    ('∂x₍₀,₁₎', ['∂x⁽³⁾₀'])
    """
    head = f"∂{symbol}" + ("" if superscript is None else scripted(f"({superscript})", "sup"))
    if len(shape) == 0:
        return [head]
    if len(shape) == 1:
        return [head + scripted(str(i), "sub") for i in range(shape[0])]
    return [
        head + scripted(f"({','.join(map(str, index))})", "sub") for index in np.ndindex(*shape)
    ]


def scripted(text, script):
    """Write the digits and parentheses of ``text`` as ``"sub"`` or ``"sup"`` scripts.

    Examples
    --------
    >>> scripted("(0,1)", "sub"), scripted("(10)", "sup")
    ('₍₀,₁₎', '⁽¹⁰⁾')
    """
    return text.translate(_SCRIPTS[script])


_SCRIPTS = {  # Unicode has no subscript comma
    "sub": str.maketrans("0123456789()", "₀₁₂₃₄₅₆₇₈₉₍₎"),
    "sup": str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾"),
}
