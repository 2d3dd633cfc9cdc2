"""The heatmap image, drawn fast on Agg.

Layer: plotting. Imports numpy, matplotlib and this package only.

``AxesImage`` resamples its data through a chain of transforms on every
draw (~1 ms per panel in Python overhead). A heatmap's cells fill its axes
exactly, so :class:`BlockImage` makes the pixels directly: each cell's colour
repeated over its pixel rectangle (cell edges rounded to whole pixels). On
backends other than Agg it is an ordinary ``AxesImage``.
"""

import numpy as np
from matplotlib.image import AxesImage
from matplotlib.transforms import IdentityTransform

from jacviz.plotting._stamps import agg_of


class BlockImage(AxesImage):
    """An ``AxesImage`` of a matrix whose cells exactly fill the axes.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes; their limits are set to the cells' edges by :func:`add_block_image`.
    **kwargs
        As for :class:`matplotlib.image.AxesImage` (``cmap``, ``norm``, ...).
    """

    def make_image(self, renderer, magnification=1.0, unsampled=False):
        """Return the RGBA pixels of the cells over the axes' box (Agg)."""
        if agg_of(renderer) is None or unsampled:
            with np.errstate(over="ignore", invalid="ignore"):  # ~1e308 ends up in the end colour
                return super().make_image(renderer, magnification, unsampled)
        box = self.axes.bbox
        x0, x1, y0, y1 = (round(v) for v in (box.x0, box.x1, box.y0, box.y1))
        rows, cols = self.get_array().shape
        widths = np.diff(np.round(np.linspace(x0, x1, cols + 1)).astype(int))
        heights = np.diff(np.round(np.linspace(y0, y1, rows + 1)).astype(int))
        rgba = self.to_rgba(clipped(self.get_array(), self.norm), bytes=True)[::-1]  # bottom first
        pixels = np.repeat(np.repeat(rgba, heights, axis=0), widths, axis=1)
        return pixels, x0, y0, IdentityTransform()


def clipped(block, norm):
    """``block`` clipped to the colour scale (no overflow in ``norm`` near the float limit).

    Values beyond the scale get its end colours either way.

    Examples
    --------
    >>> from matplotlib.colors import Normalize
    >>> clipped(np.array([-3.0, 0.5, np.inf]), Normalize(-1.0, 1.0)).tolist()
    [-1.0, 0.5, 1.0]
    """
    return np.clip(block, norm.vmin, norm.vmax)


def add_block_image(ax, data, *, cmap, norm):
    """Add a :class:`BlockImage` of ``data (rows, cols)`` filling ``ax``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    data : numpy.ndarray or numpy.ma.MaskedArray, shape (rows, cols)
        Row 0 at the top, as in ``ax.imshow``.
    cmap : matplotlib.colors.Colormap
    norm : matplotlib.colors.Normalize

    Returns
    -------
    BlockImage

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from matplotlib.colors import Normalize
    >>> ax = Figure().add_subplot()
    >>> image = add_block_image(ax, np.eye(2), cmap="RdBu_r", norm=Normalize(-1, 1))
    >>> ax.images[0] is image, [float(v) for v in ax.get_ylim()]
    (True, [1.5, -0.5])
    """
    rows, cols = np.shape(data)
    extent = (-0.5, cols - 0.5, rows - 0.5, -0.5)
    image = BlockImage(ax, cmap=cmap, norm=norm, interpolation="nearest", extent=extent)
    image.set_data(data)
    ax.add_image(image)
    ax.set_xlim(-0.5, cols - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    return image
