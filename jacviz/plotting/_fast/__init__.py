"""The fast drawing path: the one place that uses private matplotlib and FreeType API.

Layer: plotting. Imports numpy, matplotlib and the plotting package only.
Nothing outside this sub-package touches matplotlib's private API
(``tests/test_architecture.py`` enforces it); everything here has a plain
matplotlib fallback behind one switch, :func:`drawing_switch`, probed once
per process (a tiny picture drawn both ways and compared).

The rest of plotting makes its artists through these functions: on the fast
path they are the classes of this package (stamped text, a block image
without resampling, axes without tick objects); on the plain path ordinary
matplotlib artists. Files: ``_switch`` (the switch, :data:`API_ERRORS`),
``_probe``, ``_glyphs`` (FreeType bitmaps), ``_text`` (stamped text),
``_cells`` (cell values), ``_image`` (block image), ``_axes`` (lazy-tick axes).
"""

from matplotlib.text import Text

from jacviz.plotting._fast._axes import PanelAxes
from jacviz.plotting._fast._cells import CellValues
from jacviz.plotting._fast._image import BlockImage
from jacviz.plotting._fast._switch import API_ERRORS, PLAIN_ENV, Switch, drawing_switch
from jacviz.plotting._fast._text import StampedLabel, StampedText, add_figure_text, union_box

__all__ = [
    "API_ERRORS",
    "PLAIN_ENV",
    "CellValues",
    "Switch",
    "add_block_image",
    "add_panel_axes",
    "axes_text",
    "drawing_switch",
    "figure_text",
    "stamp_title",
    "union_box",
]


def add_panel_axes(fig, rect):
    """Add axes for a heatmap panel at ``rect`` (figure fractions) to ``fig``.

    Fast path: a :class:`PanelAxes`, which makes no tick objects; plain path
    (or if matplotlib refuses the hook): an ordinary ``Axes``.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    rect : tuple of float
        ``(left, bottom, width, height)``.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure()
    >>> add_panel_axes(fig, (0.1, 0.1, 0.8, 0.8)) is fig.axes[0]
    True
    """
    if drawing_switch().on:
        try:
            return fig.add_axes(PanelAxes(fig, rect))
        except API_ERRORS:
            pass
    return fig.add_axes(rect)


def add_block_image(ax, data, *, cmap, norm):
    """Add an image of ``data (rows, cols)`` whose cells fill ``ax`` (row 0 at the top).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    data : numpy.ndarray or numpy.ma.MaskedArray, shape (rows, cols)
    cmap : matplotlib.colors.Colormap or str
    norm : matplotlib.colors.Normalize

    Returns
    -------
    matplotlib.image.AxesImage
        A :class:`BlockImage` (plain ``AxesImage`` pixels on the plain path).

    Examples
    --------
    >>> import numpy as np
    >>> from matplotlib.figure import Figure
    >>> from matplotlib.colors import Normalize
    >>> ax = Figure().add_subplot()
    >>> image = add_block_image(ax, np.eye(2), cmap="RdBu_r", norm=Normalize(-1, 1))
    >>> ax.images[0] is image, [float(v) for v in ax.get_ylim()]
    (True, [1.5, -0.5])
    """
    rows, cols = data.shape
    extent = (-0.5, cols - 0.5, rows - 0.5, -0.5)
    image = BlockImage(ax, cmap=cmap, norm=norm, interpolation="nearest", extent=extent)
    image.set_data(data)
    ax.add_image(image)
    ax.set_xlim(-0.5, cols - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    return image


def figure_text(fig, x, y, s, **kwargs):
    """Add a text at ``(x, y)`` in figure fractions to ``fig.texts``, as ``fig.text`` does.

    Returns
    -------
    matplotlib.text.Text
        A :class:`StampedText` on the fast path.
    """
    if drawing_switch().on:
        return add_figure_text(fig, x, y, s, **kwargs)
    return fig.text(x, y, s, **kwargs)


def axes_text(ax, x, y, s, *, label=False, **kwargs):
    """Add a text to ``ax`` (with ``add_artist``): a title or note, or a one-line label.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    x, y : float
        Anchor, in the coordinates of the ``transform`` given (default data).
    s : str
    label : bool, optional
        A one-line label aligned as matplotlib aligns text, any ``ha``/``va``
        (tick labels); otherwise ``ha`` center/left, lines centred on the
        font's middle (titles, notes, colour-bar numbers).
    **kwargs
        Text properties.

    Returns
    -------
    matplotlib.text.Text
        A :class:`StampedLabel` or :class:`StampedText` on the fast path.
    """
    if not drawing_switch().on:
        return ax.add_artist(Text(x, y, s, **kwargs))
    return ax.add_artist((StampedLabel if label else StampedText)(x, y, s, **kwargs))


def stamp_title(ax):
    """Let matplotlib place ``ax``'s title as before, and draw it stamped (fast path only).

    The title is replaced by a :class:`StampedLabel` copy of itself (text, font,
    alignment, transform); ``ax.get_title()`` reads it as before.

    Parameters
    ----------
    ax : matplotlib.axes.Axes

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> _ = ax.set_title("∂²f₀")
    >>> stamp_title(ax)
    >>> ax.get_title(), isinstance(ax.title, StampedLabel) == drawing_switch().on
    ('∂²f₀', True)
    """
    if not drawing_switch().on:
        return
    title = ax.title
    try:
        copy = StampedLabel(*title.get_position(), title.get_text())
        copy.update_from(title)
        copy.set_transform(title.get_transform())
        copy.set_figure(title.figure)
        copy.axes = ax
    except API_ERRORS:
        return
    ax.title = copy
