"""The live renderer: PNG bytes of heatmap views, redrawn in place.

Layer: plotting. Imports numpy, matplotlib (``Figure`` + ``FigureCanvasAgg``,
never pyplot) and this package only.

:class:`HeatmapGrid` describes each call's data as a scene; a structure
(kind, shapes, labels, examples shown) it has drawn recently is a
:class:`LiveView` kept on its own figure, so new values -- and going back to
a shape seen a moment ago, as when a lecturer toggles the batch size or the
order, or sweeps a slider over the batch sizes -- only refill and blit. A new
structure builds a new view; the least recently shown views beyond the last
:data:`CACHED_VIEWS` are dropped once all views' pixels outgrow
:data:`CACHE_BYTES` (or their number :data:`MAX_VIEWS`), so a slider can drive
it for hours without the figures growing. Renderers given one
:class:`ViewPool` hand the views they drop on to each other instead.
"""

from collections import OrderedDict

import numpy as np
from matplotlib.figure import Figure

from jacviz.plotting._live import LiveView
from jacviz.plotting._pool import look_of
from jacviz.plotting._scenes import Canvas, full_scene, hessian_scene, jacobian_scene
from jacviz.plotting._style import DEFAULT_CMAP, resolve_cmap

KINDS = ("jacobian", "hessian", "full")
#: Built views always kept per renderer: each holds a figure, its canvas and a background.
CACHED_VIEWS = 4
#: Older views are kept too while the pixels of all (canvas and background) fit in this
#: many bytes -- about eight pictures of a 2-input batch, enough for a batch-size sweep.
CACHE_BYTES = 32 * 2**20
#: The most views kept, however small.
MAX_VIEWS = 16


class HeatmapGrid:
    r"""Render batch Jacobians, Hessians or full Jacobians to PNG, fast.

    Parameters
    ----------
    dpi : float, optional
        Pixels per inch; 80 gives a ~640 px wide picture for the notebook.
    cmap : str or matplotlib.colors.Colormap, optional
        Diverging colormap, default ``"RdBu_r"``.
    api_hints : bool, optional
        Notes name the keyword choosing what is shown (``examples=``); pass
        ``False`` when the picture's readers have controls instead.
    cached_views : int, optional
        Built views always kept (the one shown included; at least 1);
        :data:`CACHED_VIEWS` when omitted. With a ``pool``, 0 keeps none
        between pictures: each draw borrows a view from the pool (the one
        this renderer gave back last, if nobody took it since) and gives it
        back once its PNG is encoded, so renderers drawing in turn share a
        few views instead of each holding one (the class server).
    cache_bytes : int, optional
        Older views are kept too while all views' pixels fit in this many
        bytes; :data:`CACHE_BYTES` when omitted. A server holding one
        renderer per student passes ``cached_views=1, cache_bytes=0``.
    width, max_height : float, optional
        Inches a picture may take (8 and 9 when omitted): the figure is as
        narrow as its panels allow up to ``width``, and its cells shrink
        beyond ``max_height`` (the explorer's compact layout passes less).
    pool : ViewPool, optional
        Idle views shared with other renderers of this process: the views
        this one drops go there, and a structure not kept here is taken from
        there (and refilled) before one is built. One process drawing for
        many students passes the same pool to each of their renderers.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        The figure of the picture last rendered (before any, an empty one).
        Each structure drawn recently keeps its own figure, so after a shape
        change this is another figure object; going back to a shape seen
        still kept (see the module docstring) gives its figure back.
        A renderer keeping no views (``cached_views=0``) borrows one again
        and refills it with the last picture when this is read, and keeps it
        until its next draw.
    redrawn : list of tuple
        Groups redrawn by the last :meth:`render` (``("panel", k)``,
        ``("text", k)``, ``("note",)``, ``("colorbar",)``), or ``["all"]``
        after a build -- for tests and curious users.

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

    def __init__(
        self,
        *,
        dpi=80,
        cmap=DEFAULT_CMAP,
        api_hints=True,
        cached_views=None,
        cache_bytes=None,
        width=None,
        max_height=None,
        pool=None,
    ):
        room = {"width": width, "max_height": max_height}
        room = {key: float(value) for key, value in room.items() if value is not None}
        self._canvas = Canvas(api_hints=api_hints, widen_for_note=False, **room)
        self._cmap = resolve_cmap(cmap)
        self._keep, self._cache_bytes = cached_views, cache_bytes
        self._dpi = dpi
        self._pool = pool
        self._look = None if pool is None else look_of(dpi, self._cmap)
        self._lends = pool is not None and cached_views == 0
        self._blank = Figure(dpi=dpi)
        self._views = OrderedDict()  # spec -> LiveView, least recently shown first
        self._shown = None
        self._last = None  # (scene, PNG bytes) of the last picture, when lending views
        self._tickets = {}  # spec -> the pool's ticket for the view of spec given last
        self.redrawn = []

    @property
    def figure(self):
        """The figure of the picture last rendered (see the class docstring)."""
        if self._shown is None and self._last is not None:  # lent out: borrow one again
            redrawn, _ = self.redrawn, self._show(self._last[0])
            self.redrawn = redrawn
        return self._shown.figure if self._shown is not None else self._blank

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
        scale="shared",
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
        scale : {"shared", "output"}, optional
            ``"output"`` colours each output column of a Hessian grid on its
            own scale (see :func:`jacviz.plot_batch_hessian`); only for
            ``kind="hessian"``. Its limits are texts of the picture, so new
            values refill it as fast as on the shared scale.

        Returns
        -------
        bytes
            A PNG image, identical to a fresh full draw of the same data.

        Raises
        ------
        ValueError
            If ``kind`` is unknown, the arrays do not fit together,
            ``examples`` or ``outputs`` are out of range or repeated, or
            ``outputs`` or ``scale="output"`` is given for another kind than
            ``"hessian"``.
        TypeError
            If ``examples`` or ``outputs`` hold something other than integers.
        """
        options = {"x": x, "in_labels": in_labels, "out_labels": out_labels, "examples": examples}
        self.draw(kind, data, y=y, outputs=outputs, scale=scale, **options)
        return self.png()

    def draw(self, kind, data, **options):
        """Draw as :meth:`render` does, without encoding; return the figure drawn on.

        ``render(...)`` is ``draw(...)`` then :meth:`png`; a caller timing the
        two halves (the browser benchmark) calls them apart.

        Examples
        --------
        >>> grid, jac = HeatmapGrid(dpi=40), np.ones((1, 2, 2))
        >>> figure = grid.draw("jacobian", jac)
        >>> figure is grid.figure, grid.png() == grid.render("jacobian", jac)
        (True, True)
        """
        scene = _scene(kind, data, canvas=self._canvas, **options)
        live = self._show(scene)
        if self._lends:  # encode before lending the view out: others may refill it next
            self._last = scene, live.png()
        self._drop_oldest()
        return live.figure

    def png(self):
        """Return the picture last drawn as PNG bytes."""
        return self._last[1] if self._lends else self._shown.png()

    def release(self):
        """Give every view kept here to the pool (or drop them); the next draw starts afresh.

        Called when the renderer's reader is gone (a student's page closed).
        """
        views, self._views, self._shown = self._views, OrderedDict(), None
        self._blank, self._last = Figure(dpi=self._dpi), None
        for spec, live in views.items():
            self._give(spec, live)

    def _show(self, scene):
        """Refill the view of ``scene`` kept here or taken from the pool, or build one."""
        live = self._views.pop(scene.spec, None) or self._take(scene.spec)
        if live is None:
            live = LiveView(self._blank or Figure(dpi=self._dpi), scene, self._cmap)
            self.redrawn = ["all"]
        else:
            self.redrawn = live.update(scene.frame)  # a view that fails here is dropped
        self._blank = None  # the first view is built in it
        self._views[scene.spec] = live  # the most recently shown last
        self._shown = live
        return live

    def _take(self, spec):
        """Return a view of ``spec`` from the pool (the one given from here last first), or None."""
        if self._pool is None:
            return None
        return self._pool.take((spec, self._look), self._tickets.pop(spec, None))

    def _give(self, spec, live):
        """Hand a view this renderer no longer keeps to the pool (or drop it)."""
        if self._pool is not None:
            self._tickets[spec] = self._pool.give((spec, self._look), live)
        if live is self._shown:
            self._shown = None

    def _drop_oldest(self):
        """Drop the least recently shown views beyond the cache (to the pool, if any)."""
        if self._lends:  # keeps none: every view goes back to the pool
            keep, budget = 0, 0
        else:
            keep = CACHED_VIEWS if self._keep is None else max(1, self._keep)
            budget = CACHE_BYTES if self._cache_bytes is None else self._cache_bytes
        while len(self._views) > MAX_VIEWS or (
            len(self._views) > keep and sum(view.nbytes for view in self._views.values()) > budget
        ):
            self._give(*self._views.popitem(last=False))


def _scene(kind, data, *, canvas, y=None, outputs=None, scale="shared", **options):
    """Describe the scene of ``kind`` for ``data`` on a new figure.

    ``options`` are ``x``, ``in_labels``, ``out_labels`` and ``examples``.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    if outputs is not None and kind != "hessian":
        raise ValueError(f"outputs= chooses the columns of a Hessian grid, not of kind={kind!r}")
    if scale != "shared" and kind != "hessian":
        raise ValueError(f"scale= colours the outputs of a Hessian grid, not of kind={kind!r}")
    if kind == "jacobian":
        return jacobian_scene(data, y=y, canvas=canvas, **options)
    if kind == "hessian":
        return hessian_scene(data, outputs=outputs, scale=scale, canvas=canvas, **options)
    data = np.asarray(data, dtype=float)
    return full_scene(data, batch_size=data.shape[0] if data.ndim else 0, canvas=canvas)
