"""The probe: a tiny picture drawn the fast way and the plain way, compared.

Layer: plotting (fast path). Imports numpy, matplotlib and this package only.

Every private entry point the fast path relies on is exercised: FreeType
bitmaps of a composed ASCII line and of a whole Unicode line, their
``draw_text_image`` stamps (clipped, as cell values are), the block image's
``make_image`` hook and the lazy-tick axes. Any error, a blank canvas or a
picture that differs from plain matplotlib's by more than anti-aliasing and
a pixel of placement means: plain path.
"""

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.text import Text

from jacviz.plotting._fast._axes import PanelAxes
from jacviz.plotting._fast._cells import CellValues
from jacviz.plotting._fast._image import BlockImage
from jacviz.plotting._fast._switch import Switch
from jacviz.plotting._fast._text import StampedLabel, StampedText, add_figure_text

_RECT = (0.45, 0.1, 0.5, 0.6)  # the panel, figure fractions
_BLOCK = np.array([[-0.2, 0.1], [0.15, 0.25]])  # light cells: the dark pixels are the text
_INK = 140  # darker than any cell colour: ink
_TOLERANCE = 2  # pixels an ink box may move (sub-pixel placement, rounding)


def probe():
    """Whether the fast path draws what plain matplotlib draws, here and now.

    Returns
    -------
    works : bool
    reason : str
        Why not (empty when it works).

    Examples
    --------
    >>> probe()
    (True, '')
    """
    try:
        fast = _picture(Switch(True, strict=True))
        plain = _picture(Switch(False))
    except Exception as error:
        return False, f"the probe failed: {error!r}"
    return _agree(fast, plain)


def _picture(switch):
    """Draw the probe's picture with ``switch``'s path; return its RGB pixels."""
    fig = Figure(figsize=(1.6, 1.0), dpi=72)
    FigureCanvasAgg(fig)
    ax = fig.add_axes(PanelAxes(fig, _RECT) if switch.on else _RECT)
    ax.set_axis_off()
    extent = (-0.5, 1.5, 1.5, -0.5)
    image = BlockImage(ax, switch=switch, cmap="RdBu_r", norm=Normalize(-1, 1), extent=extent)
    image.set_data(_BLOCK)
    ax.add_image(image)
    ax.set(xlim=(-0.5, 1.5), ylim=(1.5, -0.5))
    cells = CellValues(ax, _BLOCK.shape, fontsize=7, switch=switch)
    cells.set_cells([["-0.2", "0.1"], ["é", "-1234567"]], [["black"] * 2] * 2)  # the last shrinks
    ax.add_artist(cells)
    title = {"ha": "left", "va": "top", "fontsize": 7}
    if switch.on:
        add_figure_text(fig, 0.02, 0.98, "x = [1, 2]\nAV", switch=switch, **title)
        label = StampedLabel(0.4, 0.4, "∂f₀", ha="right", va="center_baseline", switch=switch)
        fig.add_artist(label)
        fig.add_artist(StampedText(0.02, 0.1, "∂x₁", ha="left", va="bottom", switch=switch))
    else:
        fig.text(0.02, 0.98, "x = [1, 2]\nAV", **title)
        fig.add_artist(Text(0.4, 0.4, "∂f₀", ha="right", va="center_baseline"))
        fig.add_artist(Text(0.02, 0.1, "∂x₁", ha="left", va="bottom"))
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()


def _agree(fast, plain):
    """Whether two probe pictures show the same cells and the same text, give or take a pixel."""
    if fast.shape != plain.shape:
        return False, f"the fast picture is {fast.shape}, the plain one {plain.shape}"
    height, width = fast.shape[:2]
    x0, y0, w, h = _RECT
    left, top = x0 * width, (1 - y0 - h) * height  # the panel's top-left pixel
    rows, cols = _BLOCK.shape
    for i, j in np.ndindex(rows, cols):  # a corner of each cell, away from its value
        row = round(top + (i + 0.15) * h * height / rows)
        col = round(left + (j + 0.15) * w * width / cols)
        if np.abs(fast[row, col].astype(int) - plain[row, col].astype(int)).max() > 2:
            return False, "the block image's colours differ from matplotlib's"
    inside = np.zeros(fast.shape[:2], dtype=bool)
    inside[
        round(top) + 2 : round(top + h * height) - 2, round(left) + 2 : round(left + w * width) - 2
    ] = True
    for region in (inside, ~inside):
        boxes = [_ink_box(pixels, region) for pixels in (fast, plain)]
        if boxes[0] is None or boxes[1] is None:
            return False, "text went missing on the fast path"
        if np.abs(boxes[0] - boxes[1]).max() > _TOLERANCE:
            return False, f"text moved: ink box {boxes[0].tolist()} against {boxes[1].tolist()}"
    return True, ""


def _ink_box(pixels, region):
    """Rows and columns ``[top, left, bottom, right]`` of the ink in ``region``, or ``None``."""
    ink = np.argwhere((pixels.min(axis=2) < _INK) & region)
    if not len(ink):
        return None
    return np.concatenate([ink.min(axis=0), ink.max(axis=0)])
