"""The heatmap image, drawn fast on Agg.

Layer: plotting. Imports numpy, matplotlib and this package only.

``AxesImage`` resamples its data through a chain of transforms on every
draw (~1 ms per panel in Python overhead). A heatmap's cells fill its axes
exactly, so :class:`BlockImage` makes the pixels directly: each cell's colour
repeated over its pixel rectangle (cell edges rounded to whole pixels). On
backends other than Agg it is an ordinary ``AxesImage``.
"""

import numpy as np
from matplotlib.colors import Normalize
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

    _edges = None  # (key, widths, heights) of the last axes box drawn into

    def make_image(self, renderer, magnification=1.0, unsampled=False):
        """Return the RGBA pixels of the cells over the axes' box (Agg)."""
        if agg_of(renderer) is None or unsampled:
            with np.errstate(over="ignore", invalid="ignore"):  # ~1e308 ends up in the end colour
                return super().make_image(renderer, magnification, unsampled)
        box = self.axes.bbox
        x0, x1, y0, y1 = (round(v) for v in (box.x0, box.x1, box.y0, box.y1))
        widths, heights = self._cell_edges(x0, x1, y0, y1)
        rgba = cell_colors(self.get_array(), self.cmap, self.norm, bytes=True)[::-1]  # bottom first
        pixels = np.repeat(np.repeat(rgba, heights, axis=0), widths, axis=1)
        return pixels, x0, y0, IdentityTransform()

    def _cell_edges(self, x0, x1, y0, y1):
        """Pixel widths of the columns and heights of the rows (cell edges rounded)."""
        rows, cols = self.get_array().shape
        key = (x0, x1, y0, y1, rows, cols)
        if self._edges is None or self._edges[0] != key:
            widths = np.diff(np.round(np.linspace(x0, x1, cols + 1)).astype(int))
            heights = np.diff(np.round(np.linspace(y0, y1, rows + 1)).astype(int))
            self._edges = (key, widths, heights)
        return self._edges[1:]


def cell_colors(block, cmap, norm, *, bytes=False):
    """Colour of each cell as the heatmap shows it.

    Values beyond the scale get its end colours; NaN, ±inf and masked cells
    the colour map's "bad" colour. For a linear :class:`~matplotlib.colors.Normalize`
    this is ``cmap(norm(...))`` without the masked-array round trip (a
    quarter of the cost, the same colours); any other norm goes through it.

    Parameters
    ----------
    block : numpy.ndarray or numpy.ma.MaskedArray, shape (rows, cols)
    cmap : matplotlib.colors.Colormap
    norm : matplotlib.colors.Normalize
    bytes : bool, optional
        uint8 components (0-255) instead of floats in ``[0, 1]``.

    Returns
    -------
    numpy.ndarray, shape (rows, cols, 4)

    Examples
    --------
    >>> from matplotlib import colormaps
    >>> cmap, norm = colormaps["RdBu_r"], Normalize(-1.0, 1.0)
    >>> colors = cell_colors(np.array([[-5.0, np.nan]]), cmap, norm)
    >>> bool(np.allclose(colors[0, 0], cmap(0.0))), colors[0, 1].tolist() == list(cmap.get_bad())
    (True, True)
    >>> np.array_equal(colors, cmap(norm(clipped(np.ma.masked_invalid([[-5.0, np.nan]]), norm))))
    True
    """
    if type(norm) is not Normalize or not norm.vmin < norm.vmax:
        with np.errstate(over="ignore", invalid="ignore"):
            return cmap(norm(clipped(np.ma.masked_invalid(block), norm)), bytes=bytes)
    values = np.ma.filled(np.ma.asarray(block, dtype=float), np.nan)
    bad = ~np.isfinite(values)
    scaled = _normalized(np.clip(values, norm.vmin, norm.vmax), float(norm.vmin), float(norm.vmax))
    scaled[bad] = np.nan  # the colour map's "bad" colour, as a masked cell gets
    return cmap(scaled, bytes=bytes)


def _normalized(values, vmin, vmax):
    """``(values - vmin) / (vmax - vmin)`` for ``vmin <= values <= vmax``, never overflowing.

    Within the float range the arithmetic is ``Normalize``'s, so the colours
    are bit-identical to matplotlib's. A scale wider than the largest float
    (``vmax - vmin`` overflows, e.g. ``[-1e308, 1e308]``) is halved first:
    halving is exact, so the ratios are those of the true scale (matplotlib's
    own ``Normalize`` gives ``inf`` there and colours every cell alike).
    """
    with np.errstate(invalid="ignore"):  # inf - inf of the bad cells, masked by the caller
        if np.isfinite(vmax - vmin):
            return (values - vmin) / (vmax - vmin)
        return (values * 0.5 - vmin * 0.5) / (vmax * 0.5 - vmin * 0.5)


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
