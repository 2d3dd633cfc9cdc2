"""The colour of each heatmap cell, bit-identical to matplotlib's, without its masked path.

Layer: plotting. Imports numpy and matplotlib only.
"""

import numpy as np
from matplotlib.colors import Normalize


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
