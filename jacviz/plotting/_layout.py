"""Where the panels go: a fixed grid layout computed from shapes alone.

Layer: plotting. Imports nothing outside the standard library.

The layout depends only on the number of panels, the block shape and how much
text surrounds each panel, never on the values, so a live renderer can keep
it while values change (no constrained-layout pass per frame) and a fresh
figure of the same shape is laid out identically, pixel for pixel.
All lengths are in inches.
"""

import math
from dataclasses import dataclass

#: Largest cell side: a 2 × 2 block does not fill the notebook.
MAX_CELL = 0.55
#: Smallest cell side: more panels than fit make the figure wider than asked.
MIN_CELL = 0.04
#: Smallest cell side that still gets its value written in it.
MIN_ANNOTATED_CELL = 0.3
#: Height of one line of title text (8 pt plus leading).
LINE = 0.16
#: Width of one character of 8 pt title text, a generous average.
CHAR = 0.068


BAR_GAP = 0.45  # inches from the panels to the colour bar: a gap and the bar's label
BAR_WIDTH = 0.15  # inches
#: Least height of the colour bar (inches): room for five tick labels and its label.
MIN_BAR = 1.3


@dataclass(frozen=True)
class Margins:
    """Space around and between panels, in inches.

    Attributes
    ----------
    left, right, top, bottom : float
        Figure margins; ``right`` holds the colour bar with its label (left
        of the bar) and its tick labels (right of it).
    gap_x, gap_y : float
        Space between panel columns and rows (tick labels, titles).
    min_slot : float
        Least width a panel column takes, so titles wider than a small panel
        do not collide.
    min_width : float
        Least width of the whole grid (titles running across a row of panels).
    """

    left: float = 0.6
    right: float = 1.25
    top: float = 0.6
    bottom: float = 0.45
    gap_x: float = 0.5
    gap_y: float = 0.8
    min_slot: float = 0.0
    min_width: float = 0.0


@dataclass(frozen=True)
class GridLayout:
    """Figure size and the rectangle of every panel and of the colour bar.

    Attributes
    ----------
    figsize : tuple of float
        ``(width, height)`` in inches.
    panels : tuple of tuple of float
        ``(left, bottom, width, height)`` of each panel in figure fractions,
        row-major.
    colorbar : tuple of float
        Rectangle of the colour bar, figure fractions.
    cell : float
        Side of one heatmap cell, inches.
    ncols, nrows : int
        Panel grid size.
    """

    figsize: tuple
    panels: tuple
    colorbar: tuple
    cell: float
    ncols: int
    nrows: int

    def row_top(self, row):
        """Top edge of panel row ``row`` as a figure fraction."""
        _, bottom, _, height = self.panels[row * self.ncols]
        return bottom + height


def grid_layout(
    count,
    block_shape,
    *,
    width,
    max_height,
    margins,
    max_cols=4,
    ncols=None,
    exact_width=False,
    min_fig_width=0.0,
):
    """Lay out ``count`` panels of ``block_shape`` cells with square cells.

    Parameters
    ----------
    count : int
        Number of panels.
    block_shape : tuple of int
        ``(rows, cols)`` of cells in each panel.
    width, max_height : float
        Figure width and the most height it may take, inches.
    margins : Margins
        Space reserved for text.
    max_cols : int, optional
        At most this many panels side by side.
    ncols : int, optional
        Exactly this many panels side by side (e.g. one per output).
    exact_width : bool, optional
        Make the figure exactly ``width`` wide when the panels need less
        (they are centred); otherwise the figure is as narrow as they allow.
    min_fig_width : float, optional
        Make the figure at least this wide (a one-line note), panels centred.

    Returns
    -------
    GridLayout
        Cells are at most :data:`MAX_CELL` and at least :data:`MIN_CELL`
        inches; at that least, the figure grows past ``width``/``max_height``.
        The colour bar is at least :data:`MIN_BAR` tall (a short grid is
        centred on it) and sits :data:`BAR_GAP` right of the panels -- of
        their slots (titles) when text may stand beside it.

    Examples
    --------
    >>> layout = grid_layout(4, (2, 2), width=8.0, max_height=9.0, margins=Margins())
    >>> layout.ncols, layout.nrows, len(layout.panels)
    (4, 1, 4)
    >>> grid_layout(1, (2, 2), width=6.0, max_height=9.0, margins=Margins(),
    ...             exact_width=True).figsize[0]
    6.0
    """
    rows, cols = block_shape
    ncols = ncols or _columns(count, cols, width, margins, max_cols)
    nrows = math.ceil(count / ncols)
    free_w = width - margins.left - margins.right - (ncols - 1) * margins.gap_x
    free_h = max_height - margins.top - margins.bottom - (nrows - 1) * margins.gap_y
    free_h -= max(0.0, MIN_BAR - max_height + margins.top + margins.bottom)
    cell = max(MIN_CELL, min(MAX_CELL, free_w / (ncols * cols), free_h / (nrows * rows)))
    panel_w, panel_h = cols * cell, rows * cell
    slot = max(panel_w, margins.min_slot)
    grid_w = max(ncols * slot + (ncols - 1) * margins.gap_x, margins.min_width)
    grid_h = nrows * panel_h + (nrows - 1) * margins.gap_y
    pad_y = max(0.0, MIN_BAR - grid_h) / 2  # a short grid is centred on the bar
    inset = (slot - panel_w) / 2  # between a slot's edge and its panel
    hug = nrows == 1 and pad_y == 0.0 and margins.min_width == 0.0  # no text beside the bar
    bar_left = margins.left + grid_w - (inset if hug else 0.0) + BAR_GAP
    fig_w = max(bar_left - BAR_GAP + margins.right, margins.left + grid_w + 0.1)
    target = max(min_fig_width, width if exact_width else 0.0)
    shift = (target - fig_w) / 2 if fig_w < target else 0.0
    fig_w += 2 * shift
    fig_h = margins.top + grid_h + 2 * pad_y + margins.bottom
    panels = []
    for k in range(count):
        row, col = divmod(k, ncols)
        x0 = shift + margins.left + col * (slot + margins.gap_x) + inset
        y0 = fig_h - margins.top - pad_y - row * (panel_h + margins.gap_y) - panel_h
        panels.append((x0 / fig_w, y0 / fig_h, panel_w / fig_w, panel_h / fig_h))
    bar_h = grid_h + 2 * pad_y
    colorbar = (
        (shift + bar_left) / fig_w,
        margins.bottom / fig_h,
        BAR_WIDTH / fig_w,
        bar_h / fig_h,
    )
    return GridLayout((fig_w, fig_h), tuple(panels), colorbar, cell, ncols, nrows)


def _columns(count, cols, width, margins, max_cols):
    """Count the most panel columns (≤ ``max_cols``) whose slots are wide enough."""
    for ncols in range(min(count, max_cols), 1, -1):
        free = width - margins.left - margins.right - (ncols - 1) * margins.gap_x
        if free / ncols >= max(margins.min_slot, 0.6 * cols * MIN_ANNOTATED_CELL):
            return ncols
    return 1


def title_width(lines, scale=1.0):
    """Estimated width (inches) of title text with the given line lengths (chars).

    ``scale``: the text's size relative to the default 8.5 pt.

    Examples
    --------
    >>> round(title_width([10, 20]), 2)
    1.46
    """
    return CHAR * scale * max(lines) + 0.1
