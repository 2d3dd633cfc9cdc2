"""The plotting functions: one figure per call, from plain arrays.

Layer: plotting. Imports numpy, matplotlib (``Figure`` API, never pyplot) and
this package only.
"""

import re
import warnings

from jacviz.plotting._figure import JacvizFigure
from jacviz.plotting._scenes import (
    FONTSIZE,
    MAX_HEIGHT,
    WIDTH,
    Canvas,
    full_scene,
    hessian_scene,
    jacobian_scene,
)
from jacviz.plotting._style import DEFAULT_CMAP, compact_value, format_value, resolve_cmap
from jacviz.plotting._view import HeatmapView, axes_position

#: Least figure width (inches) and text size (points) a caller may ask for.
MIN_WIDTH, MIN_FONTSIZE = 1.0, 6.0
#: Most cell values the text alternative lists (the picture holds up to 8 x 64 x 64).
MAX_SPOKEN = 64


def plot_batch_jacobian(
    jac,
    *,
    x=None,
    y=None,
    fig=None,
    ax=None,
    examples=None,
    annotate="auto",
    cmap=DEFAULT_CMAP,
    in_labels=None,
    out_labels=None,
    width=None,
    fontsize=None,
):
    r"""Draw heatmaps of the per-example Jacobian blocks ``J[b] = ∂f(x)[b] / ∂x[b]``.

    One panel per example, titled ``example b`` (and ``x = [...]``,
    ``f(x) = [...]`` when given); rows ``∂f_i``, columns ``∂x_j``; one
    symmetric colour scale shared by the whole batch, centred on zero, with
    one colour bar. NaN/inf cells are grey and counted in a note. Beyond
    eight examples the first eight are shown and the figure says so; an
    empty batch (``B = 0``) or empty blocks give a figure with only a note.

    Parameters
    ----------
    jac : array_like, shape (B, m, n) or (B, *out, *in)
        Batch Jacobian; higher ranks are flattened in C order, with tick
        labels like ``∂f_(0,1)`` (pass ``x`` or ``y`` to tell the axes apart).
    x : array_like, shape (B, *in), optional
        The inputs, written in the titles.
    y : array_like, shape (B, *out), optional
        The outputs ``f(x)``, written in the titles.
    fig : matplotlib.figure.Figure, optional
        Figure to draw into: it is cleared, keeps its width (or takes
        ``width``) and gets the height the panels need.
    ax : matplotlib.axes.Axes, optional
        Axes to draw a single example's block into (with ``examples=[b]``
        unless ``B == 1``); the colour bar takes room from it and the note is
        written under it. Drawing into the same axes again replaces what
        jacviz drew there (image, values, title, note, colour bar); anything
        else in the axes is left alone.
    examples : int or sequence of int, optional
        Which examples to show, each once (negative counts from the end);
        default the first eight.
    annotate : {"auto", True, False}, optional
        Write the values in the cells; ``"auto"`` does when blocks are at
        most 8 × 8, cells large enough and at most 256 cells in all.
    cmap : str or matplotlib.colors.Colormap, optional
        A diverging colormap; default ColorBrewer's colour-blind-safe
        ``"RdBu_r"``.
    in_labels : sequence of str, optional
        ``n`` column labels instead of ``∂x_j``.
    out_labels : sequence of str, optional
        ``m`` row labels instead of ``∂f_i``.
    width : float, optional
        Figure width in inches, kept exactly (e.g. 3.2 for a Beamer column,
        6.3 for an A4 text width); the height is fitted. Panels that cannot
        fit (cells of 0.04 in, titles) make it wider, with a warning.
        Default: the width of ``fig``, or as narrow as the panels allow up
        to 8 inches.
    fontsize : float, optional
        Size in points (at least 6) of titles, tick labels and the colour
        bar's numbers, default 8.5; the layout makes room for it. Cell values
        are never smaller than 6 pt: where cells are too small for that,
        ``annotate="auto"`` leaves them out and the note says so.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If shapes or labels do not fit, ``examples`` are out of range or
        repeated, ``ax`` is given with more than one example shown (or with
        ``width``), or ``width``/``fontsize`` are too small.
    TypeError
        If ``examples`` holds something other than integers.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[4.0, 2.0], [1.0, 3.0]])
    >>> jac = np.stack([np.diag(3 * row**2) for row in x])   # f(x) = x**3
    >>> fig = plot_batch_jacobian(jac, x=x)
    >>> [ax.images[0].get_array().tolist() for ax in fig.axes[:2]]
    [[[48.0, 0.0], [0.0, 12.0]], [[3.0, 0.0], [0.0, 27.0]]]
    >>> fig.texts[1].get_text()
    'example 1\nx = [1, 3]'

    For a slide column 3.2 inches wide, with 7 pt text:

    >>> fig = plot_batch_jacobian(jac, x=x, width=3.2, fontsize=7)
    >>> float(fig.get_figwidth())
    3.2
    """
    fig, canvas = _target(fig, ax, width, fontsize)
    scene = jacobian_scene(
        jac,
        x=x,
        y=y,
        examples=examples,
        annotate=annotate,
        in_labels=in_labels,
        out_labels=out_labels,
        canvas=canvas,
    )
    return _draw(scene, fig, cmap, ax, "batch Jacobian", canvas)


def plot_batch_hessian(
    hess,
    *,
    x=None,
    fig=None,
    ax=None,
    examples=None,
    outputs=None,
    annotate="auto",
    cmap=DEFAULT_CMAP,
    in_labels=None,
    out_labels=None,
    scale="shared",
    width=None,
    fontsize=None,
):
    """Draw a grid of Hessians: a row per example, a column per output component.

    Panel ``(b, i)`` is the ``n × n`` matrix ``∂²f_i / ∂x_j ∂x_k`` of example
    ``b``, all panels on one symmetric colour scale centred on zero (shared by
    the whole batch, shown or not). Beyond eight examples or eight outputs
    the first eight are shown and the note says so.

    Parameters
    ----------
    hess : array_like, shape (B, m, n, n), (B, n, n) or (B, *out, *in, *in)
        Batch Hessian (``(B, n, n)``: scalar output); higher ranks need ``x``.
    x : array_like, shape (B, *in), optional
        The inputs, written in the row headers.
    fig : matplotlib.figure.Figure, optional
        Figure to draw into (cleared, width kept, height fitted).
    ax : matplotlib.axes.Axes, optional
        Axes to draw a single panel into: one example and one output, e.g.
        ``examples=[b], outputs=[i]`` (see :func:`plot_batch_jacobian`).
    examples : int or sequence of int, optional
        Which examples (rows) to show, each once; default the first eight.
    outputs : int or sequence of int, optional
        Which output components (columns) to show, each once; default the
        first eight.
    annotate : {"auto", True, False}, optional
        Write values in the cells (see :func:`plot_batch_jacobian`).
    cmap : str or matplotlib.colors.Colormap, optional
        Diverging colormap, default ``"RdBu_r"``.
    in_labels : sequence of str, optional
        ``n`` labels for the rows and columns of each panel instead of ``∂x_j``.
    out_labels : sequence of str, optional
        ``m`` column headers instead of ``∂²f_i``.
    scale : {"shared", "output"}, optional
        ``"output"`` colours each output column on its own symmetric scale
        ``[-Lᵢ, Lᵢ]`` (``L₁ = …`` in its header, the colour bar's ticks in
        ``Lᵢ``, a note to compare colours within a column only): an output
        whose second derivatives are small next to another's no longer
        looks blank. Default one scale for all.
    width, fontsize : float, optional
        Figure width (inches, kept) and text size (points, ≥ 6); see
        :func:`plot_batch_jacobian`.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If shapes or labels do not fit, ``examples`` or ``outputs`` are out of
        range or repeated, or ``ax`` is given with more than one panel shown.
    TypeError
        If ``examples`` or ``outputs`` hold something other than integers.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[4.0, 2.0], [1.0, 3.0]])
    >>> hess = np.zeros((2, 2, 2, 2))                        # f(x) = x**3
    >>> for b in range(2):
    ...     for i in range(2):
    ...         hess[b, i, i, i] = 6 * x[b, i]
    >>> fig = plot_batch_hessian(hess, x=x)
    >>> len(fig.axes)                                         # 4 panels + colour bar
    5
    >>> fig.axes[3].images[0].get_array().tolist()           # example 1, ∂²f_1
    [[0.0, 0.0], [0.0, 18.0]]
    """
    fig, canvas = _target(fig, ax, width, fontsize)
    scene = hessian_scene(
        hess,
        x=x,
        examples=examples,
        outputs=outputs,
        annotate=annotate,
        in_labels=in_labels,
        out_labels=out_labels,
        scale=scale,
        canvas=canvas,
    )
    return _draw(scene, fig, cmap, ax, "batch Hessian", canvas)


def plot_full_jacobian(
    full,
    *,
    batch_size,
    fig=None,
    ax=None,
    annotate="auto",
    cmap=DEFAULT_CMAP,
    out_ndim=None,
    width=None,
    fontsize=None,
):
    """Draw the whole ``(B·m) × (B·n)`` Jacobian of a batch, blocks outlined.

    Block ``(b, c)`` holds ``∂f(x)[b] / ∂x[c]``. The diagonal blocks are the
    batch Jacobian and are outlined; the off-diagonal blocks are zero exactly
    when the examples do not influence each other, which the figure's note
    states (or how large they get).

    Parameters
    ----------
    full : array_like, shape (B, *out, B, *in) or (B·m, B·n)
        The engine's full Jacobian, or the same as a 2-D matrix.
    batch_size : int
        ``B``.
    fig : matplotlib.figure.Figure, optional
        Figure to draw into (cleared, width kept, height fitted).
    ax : matplotlib.axes.Axes, optional
        Axes to draw into instead (see :func:`plot_batch_jacobian`).
    annotate : {"auto", True, False}, optional
        Write values in the cells (``"auto"``: blocks ≤ 8 × 8, ≤ 256 cells,
        cells large enough).
    cmap : str or matplotlib.colors.Colormap, optional
        Diverging colormap, default ``"RdBu_r"``.
    out_ndim : int, optional
        Rank of ``out`` when the shape ``(B, *out, B, *in)`` is ambiguous.
    width, fontsize : float, optional
        Figure width (inches, kept) and text size (points, ≥ 6); see
        :func:`plot_batch_jacobian`.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``full`` has no shape of either kind for ``batch_size``.

    Examples
    --------
    >>> import numpy as np
    >>> full = np.zeros((2, 2, 2, 2))
    >>> full[0, :, 0, :] = np.diag([48.0, 12.0])
    >>> full[1, :, 1, :] = np.diag([3.0, 27.0])
    >>> fig = plot_full_jacobian(full, batch_size=2)
    >>> fig.axes[0].images[0].get_array().shape
    (4, 4)
    >>> fig.texts[0].get_text()
    'off-diagonal blocks are 0: the examples are independent'
    """
    fig, canvas = _target(fig, ax, width, fontsize)
    scene = full_scene(
        full, batch_size=batch_size, annotate=annotate, out_ndim=out_ndim, canvas=canvas
    )
    return _draw(scene, fig, cmap, ax, "full Jacobian", canvas)


def new_figure(dpi=100):
    """Make a pyplot-free figure of the default width (8 inches) that displays itself."""
    return JacvizFigure(figsize=(WIDTH, MAX_HEIGHT), dpi=dpi)


def _target(fig, ax, width=None, fontsize=None):
    """Return the figure to draw into and the canvas to lay its scene out for."""
    fontsize = _checked_size(fontsize, "fontsize", FONTSIZE, MIN_FONTSIZE, "points")
    if ax is None:
        exact = fig is not None or width is not None
        fig = new_figure() if fig is None else fig
        width = _checked_size(width, "width", fig.get_figwidth(), MIN_WIDTH, "inches")
        return fig, Canvas(width=width, exact_width=exact, fontsize=fontsize)
    if fig is not None and fig is not ax.figure:
        raise ValueError("fig= and ax= disagree: pass one of them (ax= draws into ax's figure)")
    if width is not None:
        raise ValueError("ax= draws into an existing axes; give width= with fig= or alone")
    return ax.figure, _axes_canvas(ax, fontsize)


def _checked_size(value, name, default, least, unit):
    """``value`` as a float of at least ``least`` (``default`` when None)."""
    if value is None:
        return float(default)
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number of {unit}, not {value!r}") from None
    if not least <= value <= 1000:
        raise ValueError(f"{name} must be {least:g} to 1000 {unit}, not {value:g}")
    return value


def _draw(scene, fig, cmap, ax, what, canvas):
    """Build the view of ``scene`` in ``fig`` (or ``ax``), show its frame, describe it."""
    needed = scene.spec.figsize[0] if scene.spec.figsize else 0.0
    if canvas.exact_width and needed > canvas.width + 1e-6:
        warnings.warn(
            f"the {what} needs a figure {needed:.2f} in wide, not {canvas.width:g}: "
            "show fewer examples= (or outputs=), or ask for a smaller fontsize=",
            stacklevel=3,
        )
    view = HeatmapView(fig, scene.spec, resolve_cmap(cmap), ax=ax)
    view.show(scene.frame)
    if isinstance(fig, JacvizFigure):
        fig.alt_text = alt_text(what, scene)
    return fig


def alt_text(what, scene):
    """Say in words what a scene shows: its panels, colour scale, titles, note and values.

    Examples
    --------
    >>> import numpy as np
    >>> from jacviz.plotting._scenes import jacobian_scene
    >>> words = alt_text("batch Jacobian", jacobian_scene(np.eye(2)[None]))
    >>> words.split(": ")[0]
    'Heatmap of the batch Jacobian ∂fᵢ / ∂xⱼ'
    >>> for sentence in words.split(". ")[1:]:
    ...     print(sentence)
    Panels: example 0
    Values, row by row: example 0: [1, 0], [0, 1].
    """
    spec, frame = scene.spec, scene.frame
    words = [f"Heatmap of the {what}"]
    if spec.panels:
        rows, cols = spec.panels[0].shape
        count = len(spec.panels)
        plural = "" if count == 1 else "s"
        limit = compact_value(frame.limit)
        scale = f"one colour scale from -{limit} to {limit}, 0 in the middle"
        if spec.tick_unit:
            scale = "each output column on its own colour scale, 0 in the middle"
        words = [
            f"Heatmap of the {what} {spec.quantity}: {count} panel{plural} of "
            f"{rows} × {cols} cells; {scale}."
        ]
    if frame.texts:
        titles = (re.sub(r"\n|\s{2,}", ", ", text) for text in frame.texts)
        words.append(f"Panels: {'; '.join(titles)}.")
    if frame.note:
        words.append(frame.note.replace("\n", " ").rstrip(".") + ".")
    if spec.panels:
        words.append(_values_words(frame))
    return " ".join(words)


def _values_words(frame):
    """Say the numbers of the panels, row by row, or how many there are if too many."""
    cells = sum(block.size for block in frame.blocks)
    if cells > MAX_SPOKEN:
        return f"Values: {cells} cells, too many to list here."
    rows = [
        ", ".join("[" + ", ".join(format_value(v) for v in row) + "]" for row in block)
        for block in frame.blocks
    ]
    if not frame.names:
        return f"Values, row by row: {'; '.join(rows)}."
    named = (f"{name}: {said}" for name, said in zip(frame.names, rows, strict=True))
    return f"Values, row by row: {'; '.join(named)}."


def _axes_canvas(ax, fontsize):
    """Make a canvas of the existing axes ``ax`` (its size in inches)."""
    bbox = axes_position(ax)
    fig_w, fig_h = ax.figure.get_size_inches()
    return Canvas(axes_size=(bbox.width * fig_w, bbox.height * fig_h), fontsize=fontsize)
