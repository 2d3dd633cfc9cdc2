"""The explorer's pictures: heatmaps and the linear map as PNG, and the figure behind them.

Layer: widget (private). Imports the standard library, numpy, matplotlib (``Figure``
and the Agg canvas, never pyplot) and the public names of ``jacviz.plotting``
and ``jacviz.views``.

Two makers draw: the live :class:`jacviz.HeatmapGrid` and a
:class:`jacviz.views.LinearMapView`, both updated in place. A maker that fails while
drawing may leave its figure half built, so it is replaced by a fresh one and
the picture still on screen is drawn again into it: :attr:`Pictures.figure`
always matches the picture shown, so ``save`` writes what the class sees.
"""

import warnings

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from jacviz.plotting import HeatmapGrid, png_bytes
from jacviz.views import LinearMapView, linear_map_geometry

#: Size of the linear-map figure, inches (two panels side by side).
LINEAR_MAP_SIZE = (9.0, 4.4)
#: The heatmaps' kind for each order.
KINDS = {1: "jacobian", 2: "hessian", "full": "full"}


class Pictures:
    r"""Draw the explorer's pictures and remember the figure behind the one shown.

    Parameters
    ----------
    dpi : float
        Pixels per inch of every picture.
    mark : callable, optional
        ``mark("drawn")`` is called between drawing heatmaps and encoding them
        (``Trace.mark``: the browser benchmark's phase times).
    view_cache : Mapping, optional
        ``cached_views``, ``cache_bytes`` and ``pool`` of the :class:`jacviz.HeatmapGrid`.
    frame : tuple of float, optional
        ``(width, max_height)`` in inches the pictures may take (the compact
        layout's); the renderer's defaults when omitted. The linear map is
        scaled down to ``width`` too.

    Attributes
    ----------
    figure : matplotlib.figure.Figure or None
        The figure of the picture last returned (``None`` before one).
    heatmap_grid : jacviz.HeatmapGrid
        The live renderer (replaced after a failure).

    Examples
    --------
    >>> import numpy as np
    >>> pictures = Pictures(dpi=60)
    >>> png = pictures.heatmaps("jacobian", np.ones((1, 2, 2)), x=np.ones((1, 2)))
    >>> png[:4], pictures.figure is pictures.heatmap_grid.figure
    (b'\x89PNG', True)
    """

    def __init__(self, dpi, mark=None, view_cache=None, frame=None):
        self._dpi = dpi
        self._view_cache = dict(view_cache or {})
        self._frame = (
            {} if frame is None else dict(zip(("width", "max_height"), frame, strict=True))
        )
        width = self._frame.get("width", LINEAR_MAP_SIZE[0])
        self._map_size = tuple(
            side * min(1.0, width / LINEAR_MAP_SIZE[0]) for side in LINEAR_MAP_SIZE
        )
        self._mark = mark or _unmarked
        self.heatmap_grid = self._new_grid()
        self._map_view = None
        self._shown = None  # (maker name, args, kwargs) of the picture on screen

    def _new_grid(self):
        """Return a renderer at the current dpi naming no keyword (the readers have controls)."""
        return HeatmapGrid(dpi=self._dpi, api_hints=False, **self._view_cache, **self._frame)

    def set_dpi(self, dpi):
        """Draw the next pictures at ``dpi`` pixels per inch (new figures, same views)."""
        self._dpi = dpi
        self.heatmap_grid = self._new_grid()
        self._map_view = None

    @property
    def figure(self):
        """The figure of the picture last returned (``None`` before one)."""
        if self._shown is None:
            return None
        if self._shown[0] == "heatmaps":
            return self.heatmap_grid.figure  # lent out: the grid borrows a view again
        return None if self._map_view is None else self._map_view.figure  # None: dpi changed

    def release(self):
        """Let go of every figure: the renderer's views go to its pool (a closed explorer's)."""
        self.heatmap_grid.release()
        self._map_view = self._shown = None

    def draw(self, f, outcome, view, examples):
        """Return PNG bytes of an outcome in a view, and the drawing's warnings as notes.

        ``view`` (``_controls.ViewOptions``) says linear map (of example
        ``examples[0]``, at ``view.radius``) or heatmaps (of ``examples``; ``()``
        for the full Jacobian; Hessians on a scale per output if ``view.per_output``).
        """
        with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
            warnings.simplefilter("always")
            if view.linear_map:
                (b,) = examples
                png = self.linear_map(f, outcome.x, example=b, radius=view.radius)
            else:
                kind = KINDS[outcome.order]
                options = {} if kind == "full" else {"examples": examples}
                if kind == "hessian" and view.per_output:
                    options["scale"] = "output"
                png = self.heatmaps(kind, outcome.result, x=outcome.x, y=outcome.y, **options)
        return png, [f"drawing: {warning.message}" for warning in caught]

    def heatmaps(self, kind, data, **kwargs):
        """Return PNG bytes of heatmaps of ``kind`` (see :meth:`jacviz.HeatmapGrid.render`)."""
        return self._draw("heatmaps", (kind, data), kwargs)

    def linear_map(self, f, x, **kwargs):
        """Return PNG bytes of the linear map of ``f`` at ``x (B, 2)`` (``example``, ``radius``)."""
        return self._draw("linear_map", (f, x), kwargs)

    def _draw(self, maker, args, kwargs):
        """Draw with ``maker``; on failure replace it and restore the picture shown."""
        try:
            png = getattr(self, f"_{maker}")(*args, **kwargs)
        except Exception:
            self._replace(maker)
            raise
        self._shown = maker, args, kwargs
        return png

    def _replace(self, maker):
        """Throw away ``maker``'s figure; redraw the picture on screen if it was ``maker``'s."""
        if maker == "heatmaps":
            self.heatmap_grid = self._new_grid()
        else:
            self._map_view = None
        if self._shown is None or self._shown[0] != maker:
            return
        _, args, kwargs = self._shown
        try:
            getattr(self, f"_{maker}")(*args, **kwargs)
        except Exception:  # cannot happen for a picture drawn before; keep nothing half built
            self._shown = None

    def _heatmaps(self, kind, data, **kwargs):
        self.heatmap_grid.draw(kind, data, **kwargs)  # its figure: the grid's, while shown
        self._mark("drawn")
        return self.heatmap_grid.png()

    def _linear_map(self, f, x, *, example, radius):
        geometry = linear_map_geometry(f, x, example=example, radius=radius)
        view = self._map_view
        if view is None or not view.show(geometry, example, radius):
            figure = Figure(figsize=self._map_size, dpi=self._dpi)
            FigureCanvasAgg(figure)
            view = self._map_view = LinearMapView(figure, geometry, example, radius)
        return png_bytes(view.figure)


def _unmarked(phase):
    """Note nothing (no trace)."""
