"""The linear-map view's picture: the curves of ``_geometry`` on two panels.

Layer: ``views``. Imports numpy, matplotlib's Figure API (never pyplot) and
``jacviz.views._geometry``.
"""

import numpy as np
from matplotlib.axes import Axes

from jacviz.plotting import JacvizFigure
from jacviz.views._geometry import linear_map_geometry


def _draw_curves(ax, curves, gid, **style):
    """Draw one Line2D per curve, each tagged ``gid`` (the last, the circle, thicker)."""
    lines = []
    for index, curve in enumerate(curves):
        width = 2.0 if index == len(curves) - 1 else 0.8
        (line,) = ax.plot(curve[:, 0], curve[:, 1], linewidth=width, **style)
        line.set_gid(gid)
        lines.append(line)
    return lines


def _input_title(example, radius):
    """Title of the input panel."""
    return f"around x[{example}] (radius {radius:g})"


def _legend_labels(example):
    """Name the two kinds of curve on the output panel."""
    return ["f(u)", f"f(x[{example}]) + J[{example}]·(u − x[{example}])"]


def _area_title(geometry, example):
    """Title text stating ``det J[b]`` and what it means for areas."""
    det = geometry.det
    flip = ", flipped" if det < 0 else ""
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
    if ax is None:
        figure = LinearMapView(fig, geometry, example, radius).figure
        if isinstance(figure, JacvizFigure):
            figure.alt_text = _alt_text(figure, example, radius)
        return figure
    if fig is not None:
        raise ValueError("give fig= (replaced by both panels) or ax= (drawn into), not both")
    ax_in, ax_out = _given_axes(ax)
    if ax_in is not None:
        _draw_input(ax_in, geometry, example, radius)
    _draw_image(ax_out, geometry, example, legend_below=False)
    return ax_out.figure.figure


class LinearMapView:
    """The two panels of :func:`plot_linear_map` on a figure, refilled in place.

    Built once for a number of curves and points per curve; :meth:`show`
    then moves the curves, titles and axis limits to a new geometry (another
    example, radius or function) without building anything: a radius
    slider drags at the cost of one draw of the figure. The legend sits
    under the output panel, where no curve can be, so it is not searched
    for a place on every draw.

    Parameters
    ----------
    fig : matplotlib.figure.Figure or None
        Figure to draw both panels into; its contents are replaced. A new
        one (9 × 4.4 inches) when ``None``.
    geometry : LinearMapGeometry
        The first curves to show (:func:`linear_map_geometry`).
    example : int
        The example ``b`` they are drawn around (for the titles).
    radius : float
        Their radius (for the input panel's title).

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    ax_in, ax_out : matplotlib.axes.Axes
        The input and output panels.

    Examples
    --------
    >>> import autograd.numpy as anp
    >>> def swirl(x):
    ...     return anp.stack([x[:, 0] - x[:, 1] ** 3, x[:, 1] + x[:, 0] ** 3], axis=1)
    >>> x = [[0.5, 0.5], [1.0, -1.0]]
    >>> view = LinearMapView(None, linear_map_geometry(swirl, x), example=0, radius=0.5)
    >>> view.show(linear_map_geometry(swirl, x, example=1, radius=0.2), example=1, radius=0.2)
    True
    >>> view.ax_in.get_title(), view.ax_out.get_title().splitlines()[0]
    ('around x[1] (radius 0.2)', 'det J[1] = 10 (areas ×10)')
    >>> view.show(linear_map_geometry(swirl, x, num=3), example=0, radius=0.5)  # other curves
    False
    """

    def __init__(self, fig, geometry, example, radius):
        if fig is None:
            fig = JacvizFigure(figsize=(8.4, 4.2))
        fig.clear()
        if fig.get_layout_engine() is None:  # fixed margins: half the time of "constrained"
            fig.subplots_adjust(left=0.08, right=0.98, bottom=0.22, top=0.87, wspace=0.25)
        self.figure = fig
        self.ax_in, self.ax_out = fig.subplots(1, 2)
        self._shape = geometry.u.shape
        self._input = _draw_input(self.ax_in, geometry, example, radius)
        self._image = _draw_image(self.ax_out, geometry, example, legend_below=True)

    def show(self, geometry, example, radius):
        """Put ``geometry``'s curves in; ``False`` (nothing changed) if their number differs.

        Parameters
        ----------
        geometry : LinearMapGeometry
        example : int
        radius : float

        Returns
        -------
        bool
            Whether the view now shows ``geometry``; when not, build a new
            view for it (another ``num`` or ``samples``).
        """
        if geometry.u.shape != self._shape:
            return False
        _move(self._input, (geometry.u, geometry.x0))
        _move(self._image, (geometry.y, geometry.y_linear, geometry.y0))
        self.ax_in.title.set_text(_input_title(example, radius))  # its font kept
        self.ax_out.title.set_text(_area_title(geometry, example))
        legend = self.ax_out.get_legend()
        for text, label in zip(legend.get_texts(), _legend_labels(example), strict=True):
            text.set_text(label)
        for ax in (self.ax_in, self.ax_out):
            ax.relim()
            ax.autoscale_view()
        return True


def _move(lines, curves):
    """Give each Line2D of ``lines`` its new curve (an ``(P, 2)`` array or a point)."""
    points = [np.reshape(curve, (-1, 2)) for group in curves[:-1] for curve in group]
    points.append(np.reshape(curves[-1], (1, 2)))
    for line, xy in zip(lines, points, strict=True):
        line.set_data(xy[:, 0], xy[:, 1])


def _alt_text(fig, example, radius):
    """Say in words what the two panels of ``fig`` show (the display's text alternative)."""
    verdict = fig.axes[1].get_title().replace("\n", "; ")
    return (
        f"Linear map view of example {example}: left, a grid and a circle of radius "
        f"{radius:g} around x[{example}]; right, their images under f and under the "
        f"linearisation f(x) + J·(u − x). {verdict}"
    )


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


def _draw_input(ax, geometry, example, radius):
    """Input panel: the grid and circle around ``x[b]``; return its lines, centre last."""
    lines = _draw_curves(ax, geometry.u, "input", color="tab:gray")
    lines += ax.plot(*geometry.x0, "o", color="black")
    ax.set_title(_input_title(example, radius), fontsize="medium")
    ax.set(xlabel="u₀", ylabel="u₁")
    ax.set_aspect("equal", adjustable="datalim")
    return lines


def _draw_image(ax, geometry, example, legend_below):
    """Output panel: the images under ``f`` and the linearisation; return its lines.

    The lines are those of ``f``, then the linearisation's, then ``f(x[b])``.
    The legend goes under the panel (``legend_below``) or where it covers
    the least (``loc="best"``, in a layout of the caller's).
    """
    image = _draw_curves(ax, geometry.y, "image", color="tab:blue")
    linear = _draw_curves(ax, geometry.y_linear, "linear", color="tab:orange", ls="--")
    centre = ax.plot(*geometry.y0, "o", color="black")
    ax.set_title(_area_title(geometry, example), fontsize="medium")  # two lines: fit the panel
    ax.set(xlabel="y₀", ylabel="y₁")
    place = {"loc": "best"}
    if legend_below:  # under the x label
        place = {"loc": "upper center", "bbox_to_anchor": (0.5, -0.17), "ncols": 2}
    ax.legend(
        handles=[image[-1], linear[-1]], labels=_legend_labels(example), fontsize="small", **place
    )
    ax.set_aspect("equal", adjustable="datalim")
    return image + linear + centre
