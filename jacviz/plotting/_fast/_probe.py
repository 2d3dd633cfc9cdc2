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
from jacviz.plotting._fast._text import StampedLabel, add_figure_text

_WIDTH, _HEIGHT = 1.5, 1.0  # inches of one scene: 108 x 72 pixels
_RECT = (0.45, 0.1, 0.5, 0.6)  # the panel, fractions of one scene
_BLOCK = np.array([[-0.2, 0.1], [0.15, 0.25]])  # light cells: the dark pixels are the text
_INK = 140  # darker than any cell colour: ink
_TOLERANCE = 2  # pixels an ink box may move (sub-pixel placement, rounding)


def probe():
    """Whether the fast path draws what plain matplotlib draws, here and now.

    One small figure, drawn once: the left half with the fast artists (a
    strict switch: any failing call raises), the right half the same scene
    with plain ones.

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
        pixels = _picture(Switch(True, strict=True), Switch(False))
    except Exception as error:  # any failure of a private call means: plain
        return False, f"the probe failed: {error!r}"
    half = pixels.shape[1] // 2
    return _agree(pixels[:, :half], pixels[:, half:])


def _picture(*switches):
    """Draw the probe's scene once per switch, side by side; return the RGB pixels."""
    fig = Figure(figsize=(_WIDTH * len(switches), _HEIGHT), dpi=72)
    FigureCanvasAgg(fig)
    for k, switch in enumerate(switches):
        _scene(fig, switch, k / len(switches), 1 / len(switches))
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()


def _scene(fig, switch, left, width):
    """Draw the scene with ``switch``'s path into the slice ``[left, left + width]`` of ``fig``."""
    x0, y0, w, h = _RECT
    rect = (left + x0 * width, y0, w * width, h)
    ax = fig.add_axes(PanelAxes(fig, rect) if switch.on else rect)
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
    label = {"ha": "right", "va": "center_baseline"}
    if switch.on:
        add_figure_text(fig, left + 0.02 * width, 0.98, "x = [1, 2]\nAV", switch=switch, **title)
        fig.add_artist(StampedLabel(left + 0.4 * width, 0.4, "∂f₀", switch=switch, **label))
    else:
        fig.text(left + 0.02 * width, 0.98, "x = [1, 2]\nAV", **title)
        fig.add_artist(Text(left + 0.4 * width, 0.4, "∂f₀", **label))


def _agree(fast, plain):
    """Whether two probe pictures show the same cells and the same text, give or take a pixel."""
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
