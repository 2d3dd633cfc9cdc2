"""What a heatmap picture is made of, as plain data: its structure and its content.

Layer: plotting. Imports the standard library only.

A :class:`ViewSpec` is the structure of a picture (figure size, panels, tick
labels, where titles go), decided by shapes alone: equal specs give identical
layouts, so the live renderer can refill a picture whose spec did not change.
A :class:`Frame` is its content (the blocks, title strings, note, colour
limit). The scenes (``_scenes``) make both; the view (``_view``) draws them.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class PanelSpec:
    """One heatmap panel.

    Attributes
    ----------
    shape : tuple of int
        ``(rows, cols)`` cells.
    rect : tuple of float or None
        ``(left, bottom, width, height)`` in figure fractions; ``None`` draws
        into the axes given to :class:`HeatmapView`.
    row_labels, col_labels : tuple of str or None
        Tick labels (rows on the left, columns below); ``None`` for none.
    header : str or None
        A fixed title above the panel.
    block_shape : tuple of int or None
        ``(rows, cols)`` of the sub-blocks whose boundaries are drawn, with the
        diagonal blocks outlined (the full Jacobian); ``None`` for none.
    header_pad : float
        Gap between the panel and its header, points.
    col_rotation : float
        Angle of the column labels: 0, or 90 (upright) when they are wider
        than a cell.
    """

    shape: tuple
    rect: tuple | None = None
    row_labels: tuple | None = None
    col_labels: tuple | None = None
    header: str | None = None
    block_shape: tuple | None = None
    header_pad: float = 5.0
    col_rotation: float = 0.0


@dataclass(frozen=True)
class TextSpec:
    """A line (or lines) of text whose words change with the values.

    Attributes
    ----------
    xy : tuple of float
        Anchor in figure fractions.
    ha, va : str
        Alignment at the anchor.
    larger : float
        Points added to the view's font size (1 for a column header).
    """

    xy: tuple
    ha: str = "center"
    va: str = "bottom"
    larger: float = 0.0


@dataclass(frozen=True)
class ViewSpec:
    """The structure of a picture; equal specs give identical layouts.

    Attributes
    ----------
    figsize : tuple of float
        Inches; ``None`` keeps the size of the figure drawn into.
    panels : tuple of PanelSpec
    texts : tuple of TextSpec
        Titles that change with the data, e.g. ``example 0 / x = [4, 2]``.
    colorbar : tuple of float or None
        Colour-bar rectangle (figure fractions); ``None`` lets matplotlib
        take room from the single panel's axes (none without panels).
    note_xy : tuple of float or None
        Top-left anchor of the figure note (subset shown, NaN cells) in
        figure fractions; ``None`` writes it under the axes drawn into.
    annotate : bool
        Whether cell values are written.
    value_size : float
        Font size of cell values, points.
    quantity : str
        Label of the colour bar, e.g. ``"∂f_i / ∂x_j"`` in mathtext.
    note_below : float
        With ``note_xy=None``: inches between the axes' bottom edge and the
        note's top (room for the column labels).
    fontsize : float
        Size (points) of titles, tick labels and the colour bar's numbers;
        the note and headers are a little larger.
    zero_dots : bool
        Mark exact zeros with a dot (pictures without cell numbers whose
        cells are large enough; the note says what the dot means).
    tick_unit : str
        The colour bar's ticks as multiples of this symbol (``"Lᵢ"``: each
        output's own limit, written in its header) instead of numbers.
    """

    figsize: tuple | None
    panels: tuple
    texts: tuple
    colorbar: tuple | None
    note_xy: tuple | None
    annotate: bool
    value_size: float
    quantity: str
    note_below: float = 0.0
    fontsize: float = 8.5
    tick_unit: str = ""
    zero_dots: bool = False


@dataclass(frozen=True)
class Frame:
    """The content of one picture.

    Attributes
    ----------
    blocks : tuple of numpy.ndarray
        One 2-D array per panel, shaped as its :class:`PanelSpec`.
    texts : tuple of str
        One string per :class:`TextSpec`.
    note : str
        The figure note ("" for none).
    limit : float
        The colour scale is ``[-limit, limit]``.
    scales : tuple of float
        One divisor per block: its colours are those of ``block / scale``
        (each Hessian output on its own scale); empty: every block as it is.
    names : tuple of str
        One short name per block for the text alternative (``"example 0"``,
        ``"example 0, ∂²f₁"``); empty: the one block is the whole picture.
    """

    blocks: tuple
    texts: tuple
    note: str
    limit: float
    scales: tuple = ()
    names: tuple = ()
