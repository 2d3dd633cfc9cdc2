"""The linear-map view's picture: the curves of ``_geometry`` on two panels.

Layer: ``views``. Imports numpy, matplotlib's Figure API (never pyplot) and
``jacviz.views._geometry``.
"""

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from jacviz.views._geometry import linear_map_geometry


def _draw_curves(ax, curves, gid, **style):
    """Draw one Line2D per curve, each tagged ``gid``; return the (thicker) circle's."""
    for index, curve in enumerate(curves):
        width = 2.0 if index == len(curves) - 1 else 0.8
        (line,) = ax.plot(curve[:, 0], curve[:, 1], linewidth=width, **style)
        line.set_gid(gid)
    return line


def _area_title(geometry, example):
    """Title text stating ``det J[b]`` and what it means for areas."""
    det = geometry.det
    flip = ", orientation flipped" if det < 0 else ""
    return (
        f"det J[{example}] = {det:.3g} (areas ×{abs(det):.3g}{flip})\n"
        f"f(disc) / disc = {geometry.area_ratio:.3g}, max |f − lin| = {geometry.max_error:.2g}"
    )


def plot_linear_map(
    f, x, *, example=0, radius=0.5, num=9, samples=41, fig=None, ax=None, constants=None
):
    """Draw the Jacobian of a plane map as a local linear map.

    Left: a grid and a circle around ``x[b]``. Right, overlaid: their image
    under ``f`` (solid) and under the linearisation ``f(x[b]) + J[b]·(u − x[b])``
    (dashed). Where the two part, the linearisation stops being good; the
    title gives ``det J[b]``, the area scaling, next to the measured ratio of
    the disc's image area to the disc's area.

    Parameters
    ----------
    f : callable or str
        Batch function ``(B, 2) → (B, 2)`` (``autograd.numpy``), or formula text.
    x : array_like, shape (B, 2)
        The batch; only ``x[example]`` is drawn.
    example : int, optional
        The example ``b`` to linearise around.
    radius : float, optional
        Size of the neighbourhood: finite, > 0.
    num : int, optional
        Grid lines per direction, >= 2.
    samples : int, optional
        Points per curve, >= 4.
    fig : matplotlib.figure.Figure, optional
        Figure to draw both panels into; its contents are replaced. A new one
        when neither ``fig`` nor ``ax`` is given.
    ax : matplotlib.axes.Axes or pair of Axes, optional
        Draw into axes of your own layout instead (for course figures): a
        pair ``(ax_in, ax_out)`` gets both panels; a single ``Axes`` gets the
        output panel only (the images under ``f`` and the linearisation,
        overlaid, with the ``det`` title), e.g. one panel per example in a
        row. The axes are drawn on, not cleared, as matplotlib functions do;
        the rest of their figure is left alone. Not together with ``fig``.
    constants : dict, optional
        Named constants for formula text.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn into (for ``ax``, the top-level figure holding it).
        Input panel: lines with gid ``"input"``; output panel: ``"image"``
        for ``f``, ``"linear"`` for the linearisation; one ``Line2D`` per
        curve in the order of :class:`LinearMapGeometry`.

    Raises
    ------
    ValueError, IndexError, TypeError
        As in :func:`linear_map_geometry`; also ``ValueError`` when both
        ``fig`` and ``ax`` are given or the pair of axes lies in two figures,
        and ``TypeError`` when ``ax`` is neither an ``Axes`` nor a pair.

    Examples
    --------
    >>> import autograd.numpy as anp
    >>> def shear_square(x):
    ...     return anp.stack([x[:, 0] + x[:, 1] ** 2, x[:, 1]], axis=1)
    >>> fig = plot_linear_map(shear_square, [[0.0, 1.0]], radius=0.2)
    >>> [ax.get_xlabel() for ax in fig.axes]
    ['u₀', 'y₀']
    >>> fig.axes[1].get_title().splitlines()[0]
    'det J[0] = 1 (areas ×1)'

    A course figure: the image panel at three points of the polar map, side
    by side in one row (``ax=`` a single Axes each):

    >>> from matplotlib.figure import Figure
    >>> def polar(x):
    ...     r, theta = x[:, 0], x[:, 1]
    ...     return anp.stack([r * anp.cos(theta), r * anp.sin(theta)], axis=1)
    >>> x = [[0.5, 0.0], [1.0, 0.0], [2.0, 0.0]]
    >>> course = Figure(figsize=(9.0, 3.0), layout="constrained")
    >>> for b, ax in enumerate(course.subplots(1, 3)):
    ...     _ = plot_linear_map(polar, x, example=b, radius=0.2, ax=ax)
    >>> [ax.get_title().split(" (")[0] for ax in course.axes]
    ['det J[0] = 0.5', 'det J[1] = 1', 'det J[2] = 2']
    """
    geometry = linear_map_geometry(
        f, x, example=example, radius=radius, num=num, samples=samples, constants=constants
    )
    fig, ax_in, ax_out = _panels(fig, ax)
    if ax_in is not None:
        _draw_input(ax_in, geometry, example, radius)
    _draw_image(ax_out, geometry, example)
    return fig


def _given_axes(ax):
    """``(ax_in or None, ax_out)`` from one Axes or a pair; raise for anything else."""
    if isinstance(ax, Axes):
        return None, ax
    pair = np.asarray(ax, dtype=object).ravel()
    if len(pair) != 2 or not all(isinstance(a, Axes) for a in pair):
        raise TypeError(
            "ax must be a matplotlib Axes (the output panel only) or a pair of Axes "
            f"(input panel, output panel), got {ax!r}"
        )
    if pair[0].figure.figure is not pair[1].figure.figure:
        raise ValueError("the two axes of ax must belong to the same figure")
    return pair[0], pair[1]


def _panels(fig, ax):
    """``(figure, ax_in or None, ax_out)``: the given axes, or two fresh ones in ``fig``."""
    if ax is not None:
        if fig is not None:
            raise ValueError("give fig= (replaced by both panels) or ax= (drawn into), not both")
        ax_in, ax_out = _given_axes(ax)
        return ax_out.figure.figure, ax_in, ax_out
    if fig is None:
        fig = Figure(figsize=(9.0, 4.4))
    fig.clear()
    if fig.get_layout_engine() is None:  # fixed margins: half the time of "constrained"
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.12, top=0.85, wspace=0.25)
    return fig, *fig.subplots(1, 2)


def _draw_input(ax, geometry, example, radius):
    """Input panel: the grid and circle around ``x[b]``."""
    _draw_curves(ax, geometry.u, "input", color="tab:gray")
    ax.plot(*geometry.x0, "o", color="black")
    ax.set(title=f"around x[{example}] (radius {radius:g})", xlabel="u₀", ylabel="u₁")
    ax.set_aspect("equal", adjustable="datalim")


def _draw_image(ax, geometry, example):
    """Output panel: the images under ``f`` and under the linearisation, overlaid."""
    image = _draw_curves(ax, geometry.y, "image", color="tab:blue")
    linear = _draw_curves(ax, geometry.y_linear, "linear", color="tab:orange", ls="--")
    ax.plot(*geometry.y0, "o", color="black")
    ax.set(title=_area_title(geometry, example), xlabel="y₀", ylabel="y₁")
    ax.legend(
        handles=[image, linear],
        labels=["f(u)", f"f(x[{example}]) + J[{example}]·(u − x[{example}])"],
        loc="best",
        fontsize="small",
    )
    ax.set_aspect("equal", adjustable="datalim")
