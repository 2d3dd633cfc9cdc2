"""The live renderer: PNG bytes of a heatmap view, redrawn in place.

Layer: plotting. Imports numpy, matplotlib (``Figure`` + ``FigureCanvasAgg``,
never pyplot) and this package only.

:class:`HeatmapGrid` builds a figure once per structure (kind, shapes,
labels, number of examples) and afterwards only refills it: new values go into
the existing artists, and only the groups of artists whose pixels change
(a panel, a title, the note, the colour bar) are redrawn, each onto its
region of a cached background, before the canvas buffer is encoded as PNG.
No layout engine runs per frame and no artist or figure is ever added, so a
slider can drive it for hours.
"""

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from jacviz.plotting._png import encode_png
from jacviz.plotting._scenes import full_scene, hessian_scene, jacobian_scene
from jacviz.plotting._style import DEFAULT_CMAP, resolve_cmap
from jacviz.plotting._view import HeatmapView

KINDS = ("jacobian", "hessian", "full")
_PAD = 4  # pixels around a panel: its frame and outlines straddle the edge


class HeatmapGrid:
    r"""Render batch Jacobians, Hessians or full Jacobians to PNG, fast.

    Parameters
    ----------
    dpi : float, optional
        Pixels per inch; 80 gives a ~640 px wide picture for the notebook.
    cmap : str or matplotlib.colors.Colormap, optional
        Diverging colormap, default ``"RdBu_r"``.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        The one figure this renderer draws into (the same object for its
        whole life; a change of structure clears and rebuilds it).
    redrawn : list of tuple
        Groups redrawn by the last :meth:`render` (``("panel", k)``,
        ``("text", k)``, ``("note",)``, ``("colorbar",)``), or ``["all"]``
        after a rebuild -- for tests and curious users.

    Examples
    --------
    >>> import numpy as np
    >>> grid = HeatmapGrid()
    >>> x = np.array([[4.0, 2.0], [1.0, 3.0]])
    >>> jac = np.stack([np.diag(3 * row**2) for row in x])
    >>> png = grid.render("jacobian", jac, x=x)
    >>> png[:8]
    b'\x89PNG\r\n\x1a\n'
    >>> grid.redrawn
    ['all']
    >>> x[1] = [1.0, 2.0]
    >>> jac = np.stack([np.diag(3 * row**2) for row in x])
    >>> png = grid.render("jacobian", jac, x=x)
    >>> grid.redrawn
    [('panel', 1), ('text', 1)]
    """

    def __init__(self, *, dpi=80, cmap=DEFAULT_CMAP):
        self._cmap = resolve_cmap(cmap)
        self._figure = Figure(dpi=dpi)
        FigureCanvasAgg(self._figure)
        self._view = None
        self._background = None
        self._extents = {}
        self.redrawn = []

    @property
    def figure(self):
        """The figure drawn into (see the class docstring)."""
        return self._figure

    def render(
        self,
        kind,
        data,
        *,
        x=None,
        y=None,
        in_labels=None,
        out_labels=None,
        examples=None,
        outputs=None,
    ):
        """Draw ``data`` and return the picture as PNG bytes.

        Parameters
        ----------
        kind : {"jacobian", "hessian", "full"}
            What ``data`` is.
        data : array_like
            ``(B, m, n)`` batch Jacobian, ``(B, m, n, n)`` batch Hessian or
            ``(B, m, B, n)`` full Jacobian (higher ranks as in the ``plot_*``
            functions, with ``x`` or ``y`` to tell axes apart).
        x : array_like, shape (B, *in), optional
            Inputs, written in the titles.
        y : array_like, shape (B, *out), optional
            Outputs, written in the titles (Jacobian only).
        in_labels, out_labels : sequence of str, optional
            Axis labels instead of ``∂x_j`` / ``∂f_i``.
        examples : int or sequence of int, optional
            Which examples to show, each once (default the first eight).
        outputs : int or sequence of int, optional
            Which outputs (columns) of a Hessian grid to show, each once
            (default the first eight); only for ``kind="hessian"``.

        Returns
        -------
        bytes
            A PNG image, identical to a fresh full draw of the same data.

        Raises
        ------
        ValueError
            If ``kind`` is unknown, the arrays do not fit together,
            ``examples`` or ``outputs`` are out of range or repeated, or
            ``outputs`` is given for another kind than ``"hessian"``.
        TypeError
            If ``examples`` or ``outputs`` hold something other than integers.
        """
        options = {"x": x, "in_labels": in_labels, "out_labels": out_labels, "examples": examples}
        scene = _scene(kind, data, y=y, outputs=outputs, **options)
        if self._view is None or self._view.spec != scene.spec:
            self._build(scene)
        else:
            self._update(scene.frame)
        return self._encode()

    def _build(self, scene):
        """Rebuild the figure for a new structure and draw everything."""
        self._view = HeatmapView(self._figure, scene.spec, self._cmap)
        self._view.show(scene.frame)
        keys = self._view.group_keys()
        for key in keys:
            for artist in self._view.group_artists(key):
                artist.set_animated(True)
        self._figure.canvas.draw()
        self._background = self._pixels().copy()
        self._draw_groups(keys, {})
        self.redrawn = ["all"]

    def _update(self, frame):
        """Refill the artists and redraw only the groups that changed."""
        dirty = self._view.show(frame)
        extents = {key: self._extent(key) for key in dirty}
        regions = [_union([self._extents[key], extents[key]]) for key in dirty]
        dirty, regions = self._spread(dirty, regions)
        for region in regions:
            self._restore(region)
        self._draw_groups([key for key in self._view.group_keys() if key in dirty], extents)
        self.redrawn = dirty

    def _spread(self, dirty, regions):
        """Add the clean groups whose pixels a restored region would erase."""
        dirty = list(dirty)
        grew = True
        while grew:
            grew = False
            for key in self._view.group_keys():
                if key in dirty:
                    continue
                if any(_overlap(self._extents[key], region) for region in regions):
                    dirty.append(key)
                    regions.append(self._extents[key])
                    grew = True
        return dirty, regions

    def _draw_groups(self, keys, extents):
        """Draw the artists of ``keys`` onto the canvas and note where they are."""
        for key in keys:
            for artist in self._view.group_artists(key):
                self._figure.draw_artist(artist)
            self._extents[key] = extents[key] if key in extents else self._extent(key)

    def _extent(self, key):
        """Display box covering every pixel the group ``key`` draws."""
        if key[0] == "panel":  # cell values are clipped to the axes
            return self._view.panels[key[1]].ax.bbox.padded(_PAD)
        artist = self._view.group_artists(key)[0]
        renderer = self._figure.canvas.get_renderer()
        if key[0] == "colorbar":
            return _colorbar_column(artist, self._figure, renderer)
        return artist.get_window_extent(renderer).padded(2)

    def _pixels(self):
        """Return the canvas's RGBA buffer as a writable ``(H, W, 4)`` array."""
        return np.asarray(self._figure.canvas.buffer_rgba())

    def _restore(self, region):
        """Copy the background back into ``region`` (display coordinates)."""
        if not np.all(np.isfinite(region.extents)):
            return  # an empty text: nothing drawn there
        pixels = self._pixels()
        height, width = pixels.shape[:2]
        col0, col1 = max(0, int(np.floor(region.x0))), min(width, int(np.ceil(region.x1)))
        row0 = max(0, height - int(np.ceil(region.y1)))
        row1 = min(height, height - int(np.floor(region.y0)))
        pixels[row0:row1, col0:col1] = self._background[row0:row1, col0:col1]

    def _encode(self):
        """PNG bytes of the canvas."""
        return encode_png(self._pixels())


def _scene(kind, data, *, y, outputs, **options):
    """Describe the scene of ``kind`` for ``data`` on a new figure.

    ``options`` are ``x``, ``in_labels``, ``out_labels`` and ``examples``.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    if outputs is not None and kind != "hessian":
        raise ValueError(f"outputs= chooses the columns of a Hessian grid, not of kind={kind!r}")
    if kind == "jacobian":
        return jacobian_scene(data, y=y, **options)
    if kind == "hessian":
        return hessian_scene(data, outputs=outputs, **options)
    data = np.asarray(data, dtype=float)
    return full_scene(data, batch_size=data.shape[0] if data.ndim else 0)


def _colorbar_column(cax, fig, renderer):
    """Return the colour bar's box stretched right to the figure edge (its tick labels).

    Also covers everything the colour bar's axes draw (tight box), such as
    the offset text ``1e-5`` that sticks out to the left above the bar.
    """
    bar = cax.bbox
    margin = 1.5 * fig.dpi * 0.125  # half a tick label and more, above and below
    column = Bbox([[bar.x0 - _PAD, bar.y0 - margin], [fig.bbox.x1, bar.y1 + margin]])
    return Bbox.union([column, cax.get_tightbbox(renderer).padded(_PAD)])


def _union(boxes):
    """Smallest box holding the non-empty ``boxes`` (``Bbox.null()`` if none)."""
    finite = [box for box in boxes if np.all(np.isfinite(box.extents))]
    return Bbox.union(finite) if finite else Bbox.null()


def _overlap(a, b):
    """Whether two display boxes share any pixel."""
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1
