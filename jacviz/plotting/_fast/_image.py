"""The heatmap image, its pixels made directly on Agg.

Layer: plotting (fast path). Imports numpy, matplotlib and the plotting package only.

A heatmap's cells fill its axes exactly, so :class:`BlockImage` overrides
``AxesImage.make_image`` (matplotlib's hook, semi-private) to repeat each
cell's colour over its pixel rectangle instead of resampling through a chain
of transforms. Off Agg, or with the switch off, it is an ordinary ``AxesImage``.
"""

import numpy as np
from matplotlib.image import AxesImage
from matplotlib.transforms import IdentityTransform

from jacviz.plotting._colors import cell_colors, clipped
from jacviz.plotting._fast._switch import API_ERRORS, drawing_switch
from jacviz.plotting._fast._text import agg_of


class BlockImage(AxesImage):
    """An ``AxesImage`` of a matrix whose cells exactly fill the axes.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes; their limits are set to the cells' edges by ``add_block_image``.
    switch : Switch, optional
        The fast/plain switch (default the process's).
    **kwargs
        As for :class:`matplotlib.image.AxesImage` (``cmap``, ``norm``, ...).
    """

    _edges = None  # (key, widths, heights) of the last axes box drawn into

    def __init__(self, ax, *, switch=None, **kwargs):
        super().__init__(ax, **kwargs)
        self._switch = switch or drawing_switch()

    def make_image(self, renderer, magnification=1.0, unsampled=False):
        """Return the RGBA pixels of the cells over the axes' box (Agg, fast path)."""
        if agg_of(renderer) is not None and not unsampled and self._switch.on:
            try:
                return self._blocks()
            except API_ERRORS as error:
                self._switch.turn_off(error)
        return self._resampled(renderer, magnification, unsampled)

    def _blocks(self):
        """Each cell's colour repeated over its pixel rectangle, and where it goes."""
        box = self.axes.bbox
        x0, x1, y0, y1 = (round(v) for v in (box.x0, box.x1, box.y0, box.y1))
        widths, heights = self._cell_edges(x0, x1, y0, y1)
        rgba = cell_colors(self.get_array(), self.cmap, self.norm, bytes=True)[::-1]  # bottom first
        pixels = np.repeat(np.repeat(rgba, heights, axis=0), widths, axis=1)
        return pixels, x0, y0, IdentityTransform()

    def _resampled(self, renderer, magnification, unsampled):
        """Return matplotlib's pixels of the cells clipped to the scale (the same colours).

        Values beyond the scale get its end colours either way; clipped,
        values near the float limit cannot overflow matplotlib's resampling
        (which before 3.11 turned ~1e308 into the "bad" colour).
        """
        values = self.get_array()
        self.set_data(clipped(values, self.norm))
        try:
            with np.errstate(over="ignore", invalid="ignore"):
                return super().make_image(renderer, magnification, unsampled)
        finally:
            self.set_data(values)

    def _cell_edges(self, x0, x1, y0, y1):
        """Pixel widths of the columns and heights of the rows (cell edges rounded)."""
        rows, cols = self.get_array().shape
        key = (x0, x1, y0, y1, rows, cols)
        if self._edges is None or self._edges[0] != key:
            widths = np.diff(np.round(np.linspace(x0, x1, cols + 1)).astype(int))
            heights = np.diff(np.round(np.linspace(y0, y1, rows + 1)).astype(int))
            self._edges = (key, widths, heights)
        return self._edges[1:]
