"""What each view draws: a :class:`ViewSpec` and a :class:`Frame` from arrays.

Layer: plotting. Imports numpy and this package only.

One function per view turns the engine's array (and ``x``/``y`` for titles)
into the structure of the picture and its content. The ``plot_*`` functions
and the live renderer call the same functions, so both draw the same thing.
"""

from dataclasses import dataclass, replace
from math import prod

import numpy as np

from jacviz.plotting._arrays import (
    as_full,
    as_hessian,
    as_jacobian,
    choose_examples,
    choose_indices,
    example_rows,
)
from jacviz.plotting._layout import (
    CHAR,
    LINE,
    MIN_ANNOTATED_CELL,
    Margins,
    grid_layout,
    title_width,
)
from jacviz.plotting._notes import (
    bad_cell_parts,
    coupling_parts,
    empty_parts,
    flattened_parts,
    note,
    subset_parts,
)
from jacviz.plotting._spec import Frame, PanelSpec, TextSpec, ViewSpec
from jacviz.plotting._style import (
    FALLBACK_LIMIT,
    component_labels,
    format_vector,
    symmetric_limit,
)

#: Figure width (inches): the notebook's default output width.
WIDTH = 8.0
#: Size (points) of titles and tick labels unless a caller asks for another.
FONTSIZE = 8.5
#: Right margin (inches) at the default font size: the colour bar, its label and ticks.
RIGHT = 1.25
#: Most height a figure takes (inches) before its cells shrink.
MAX_HEIGHT = 9.0
#: Height reserved at the top for the figure note.
NOTE_HEIGHT = 0.32
#: Height of one more line of note (9 pt at 1.2 line spacing).
NOTE_LINE = 0.15
#: Most output columns of a Hessian grid unless ``outputs=`` asks for more.
MAX_OUTPUTS = 8
#: Most cells annotated in one figure (text is what makes redraws slow).
MAX_ANNOTATED = 256
#: Most tick labels drawn along one axis by default.
MAX_TICKS = 24
#: Below this cell side (inches) Hessian ticks read ``x_j`` instead of ``∂x_j``.
SHORT_LABEL_CELL = 0.28


@dataclass(frozen=True)
class Scene:
    """A picture's structure and content.

    Attributes
    ----------
    spec : ViewSpec
    frame : Frame
    """

    spec: ViewSpec
    frame: Frame


@dataclass(frozen=True)
class Canvas:
    """Where a scene is drawn.

    Attributes
    ----------
    width, max_height : float
        Inches available for a new layout.
    axes_size : tuple of float or None
        ``(width, height)`` in inches of an existing axes to draw into
        instead; the layout is then the caller's.
    exact_width : bool
        Make the figure exactly ``width`` wide (asked for by the caller)
        rather than as narrow as the panels allow.
    fontsize : float
        Size (points) of titles and tick labels; the layout's room for text
        grows with it.
    api_hints : bool
        Notes name the keyword that changes what is shown (``examples=``);
        off for pictures whose readers have controls instead.
    """

    width: float = WIDTH
    max_height: float = MAX_HEIGHT
    axes_size: tuple | None = None
    exact_width: bool = False
    fontsize: float = FONTSIZE
    api_hints: bool = True

    @property
    def scale(self):
        """How much larger than the default text is: room for text grows by this."""
        return self.fontsize / FONTSIZE

    def layout(self, count, shape, margins, **kw):
        """Lay out ``count`` panels of ``shape`` cells on this canvas (see ``grid_layout``)."""
        return grid_layout(
            count,
            shape,
            width=self.width,
            max_height=self.max_height,
            margins=margins,
            exact_width=self.exact_width,
            **kw,
        )

    def cell(self, shape):
        """Side (inches) of a cell of a ``shape`` block filling the axes."""
        width, height = self.axes_size
        return min(width / shape[1], height / shape[0])


def jacobian_scene(
    jac,
    *,
    x=None,
    y=None,
    examples=None,
    annotate="auto",
    in_labels=None,
    out_labels=None,
    canvas=Canvas(),
):
    """One panel per example of ``jac (B, *out, *in)``; see ``plot_batch_jacobian``."""
    blocks = as_jacobian(jac, x, y)
    batch, m, n = blocks.data.shape
    shown = choose_examples(batch, examples)
    xs, ys = example_rows(x, batch, "x"), example_rows(y, batch, "y")
    rows = _labels(out_labels, "f", blocks.out_shape, m, "out_labels")
    cols = _labels(in_labels, "x", blocks.in_shape, n, "in_labels")
    static = flattened_parts(blocks.out_shape, blocks.in_shape)
    if not shown or m * n == 0:
        return empty_scene(note(empty_parts(batch, (m, n)), static), canvas)
    data = blocks.data[list(shown)]
    dynamic = [*_subsets(canvas, (shown, batch, "examples")), *bad_cell_parts(data)]
    frame = Frame(
        blocks=tuple(data),
        texts=tuple(_example_title(b, xs, ys) for b in shown),
        note=note(dynamic, static),
        limit=symmetric_limit(blocks.data),
    )
    quantity = "∂fᵢ / ∂xⱼ"
    if canvas.axes_size is not None:
        _require_one(len(shown), "one example's block", "pass examples=[b]")
        cell = canvas.cell((m, n))
        panel = PanelSpec((m, n), None, rows, cols)
        annotated = _annotate(annotate, cell, (m, n), m * n)
        return Scene(_axes_spec(panel, (TextSpec(None),), annotated, cell, quantity), frame)
    worst = _example_title(batch - 1, xs, ys, n_items=(n, m))
    spec = _titled_grid(len(shown), (m, n), rows, cols, worst, static, canvas, annotate, quantity)
    return _with_values_note(Scene(spec, frame), annotate, (m, n), dynamic, static, canvas)


def hessian_scene(
    hess,
    *,
    x=None,
    examples=None,
    outputs=None,
    annotate="auto",
    in_labels=None,
    out_labels=None,
    canvas=Canvas(),
):
    """Describe a row per example, a column per output of ``hess``; see ``plot_batch_hessian``."""
    blocks = as_hessian(hess, x)
    batch, m, n, _ = blocks.data.shape
    shown = choose_examples(batch, examples)
    outputs = choose_indices(m, outputs, name="outputs", of=f"{m} outputs", default=MAX_OUTPUTS)
    xs = example_rows(x, batch, "x")
    axis_labels = _labels(in_labels, "x", blocks.in_shape, n, "in_labels")
    headers = _hessian_headers(out_labels, blocks.out_shape, m)
    static = flattened_parts(blocks.out_shape, blocks.in_shape)
    if not shown or not outputs or n == 0:
        return empty_scene(note(empty_parts(batch, (m, n)), static), canvas)
    data = blocks.data[np.ix_(shown, outputs)]
    subsets = _subsets(canvas, (shown, batch, "examples"), (outputs, m, "outputs"))
    dynamic = [*subsets, *bad_cell_parts(data)]
    frame = Frame(
        blocks=tuple(data.reshape(-1, n, n)),
        texts=tuple(_example_title(b, xs, None).replace("\n", "    ") for b in shown),
        note=note(dynamic, static),
        limit=symmetric_limit(blocks.data),
    )
    quantity = "∂²fᵢ / ∂xⱼ∂xₖ"
    if canvas.axes_size is not None:
        _require_one(
            len(shown) * len(outputs),
            "one Hessian panel",
            "pass examples=[b] and outputs=[i]",
        )
        (b,), (i,) = shown, outputs
        title = _hessian_title(b, xs, headers[i])
        cell = canvas.cell((n, n))
        panel = PanelSpec((n, n), None, axis_labels, axis_labels)
        annotated = _annotate(annotate, cell, (n, n), n * n)
        spec = _axes_spec(panel, (TextSpec(None),), annotated, cell, quantity)
        return Scene(spec, replace(frame, texts=(title,)))
    if len(outputs) == 1:  # a grid of examples, like the Jacobian's, each titled
        (i,) = outputs
        titles = tuple(_hessian_title(b, xs, headers[i]) for b in shown)
        worst = _hessian_title(batch - 1, xs, headers[i], n_items=n)
        spec = _titled_grid(
            len(shown), (n, n), axis_labels, axis_labels, worst, static, canvas, annotate, quantity
        )
        scene = Scene(spec, replace(frame, texts=titles))
        return _with_values_note(scene, annotate, (n, n), dynamic, static, canvas)
    scale = canvas.scale
    label_w, label_h = _label_width(axis_labels, scale), _label_height(axis_labels, scale)
    line = LINE * scale
    row_title = len(_example_title(batch - 1, xs, None, n_items=(n, 0)).replace("\n", "    "))
    margins = Margins(
        left=label_w + 0.15,
        top=_note_height(static, scale) + 2 * line + 0.2,
        bottom=label_h + 0.12,
        gap_x=0.2,
        gap_y=line + 0.16,
        min_width=title_width([row_title], scale),
        right=RIGHT * scale,
    )
    ncols = len(outputs)
    layout = canvas.layout(len(shown) * ncols, (n, n), margins, max_cols=ncols, ncols=ncols)
    last_row = layout.nrows - 1
    if in_labels is None and axis_labels and layout.cell < SHORT_LABEL_CELL:
        axis_labels = tuple(label.replace("∂", "") for label in axis_labels)
    fits = axis_labels and _label_width(axis_labels, scale) - 0.1 <= layout.cell
    col_labels = axis_labels if fits else None  # side by side they would overlap
    panels = tuple(
        PanelSpec(
            (n, n),
            rect,
            row_labels=axis_labels if k % ncols == 0 else None,
            col_labels=col_labels if k // ncols == last_row else None,
            header=headers[outputs[k]] if k < ncols else None,
            header_pad=(line + 0.1) * 72,
        )
        for k, rect in enumerate(layout.panels)
    )
    fig_h = layout.figsize[1]
    spec = ViewSpec(
        figsize=layout.figsize,
        panels=panels,
        texts=tuple(
            TextSpec((layout.panels[row * ncols][0], layout.row_top(row) + 0.05 / fig_h), ha="left")
            for row in range(len(shown))
        ),
        colorbar=layout.colorbar,
        note_xy=_note_xy(layout.figsize),
        annotate=_annotate(annotate, layout.cell, (n, n), len(panels) * n * n),
        value_size=_value_size(layout.cell, scale),
        quantity=quantity,
        fontsize=canvas.fontsize,
    )
    return _with_values_note(Scene(spec, frame), annotate, (n, n), dynamic, static, canvas)


def full_scene(full, *, batch_size, annotate="auto", out_ndim=None, canvas=Canvas()):
    """Describe the ``(B·m) × (B·n)`` matrix with its blocks; see ``plot_full_jacobian``."""
    blocks = as_full(full, batch_size, out_ndim)
    batch, m, _, n = blocks.data.shape
    static = flattened_parts(blocks.out_shape, blocks.in_shape)
    if batch * m * n == 0:
        return empty_scene(note(empty_parts(batch, (m, n)), static), canvas)
    matrix = blocks.data.reshape(batch * m, batch * n)
    rows = _full_labels("f", blocks.out_shape, batch, m)
    cols = _full_labels("x", blocks.in_shape, batch, n)
    dynamic = [*coupling_parts(blocks.data), *bad_cell_parts(matrix)]
    frame = Frame((matrix,), (), note(dynamic, static), symmetric_limit(matrix))
    header = f"full Jacobian of a batch of {batch}:\noutlined diagonal blocks = batch Jacobian"
    quantity = "∂f⁽ᵇ⁾ᵢ / ∂x⁽ᶜ⁾ⱼ"
    shape = (batch * m, batch * n)
    if canvas.axes_size is not None:
        cell = canvas.cell(shape)
        annotated = _annotate(annotate, cell, (m, n), prod(shape))
        panel = PanelSpec(shape, None, rows, cols, header, (m, n))
        return Scene(_axes_spec(panel, (), annotated, cell, quantity), frame)
    scale = canvas.scale
    label_w, label_h = _label_width(rows, scale), _label_height(cols, scale)
    margins = Margins(
        left=label_w + 0.15,
        top=_note_height(static, scale) + 2 * LINE * scale + 0.25,
        bottom=label_h + 0.12,
        min_slot=title_width([len(line) for line in header.split("\n")], scale),
        right=RIGHT * scale,
    )
    layout = canvas.layout(1, shape, margins)
    spec = ViewSpec(
        figsize=layout.figsize,
        panels=(PanelSpec(shape, layout.panels[0], rows, cols, header, (m, n)),),
        texts=(),
        colorbar=layout.colorbar,
        note_xy=_note_xy(layout.figsize),
        annotate=_annotate(annotate, layout.cell, (m, n), prod(shape)),
        value_size=_value_size(layout.cell, scale),
        quantity=quantity,
        fontsize=canvas.fontsize,
    )
    return _with_values_note(Scene(spec, frame), annotate, (m, n), dynamic, static, canvas)


def _titled_grid(count, shape, rows, cols, worst_title, static, canvas, annotate, quantity):
    """Spec of ``count`` panels of ``shape`` in a grid, each under its own title.

    ``worst_title`` is the longest title any panel may get (it sizes the
    room above each panel).
    """
    lines = [len(line) for line in worst_title.split("\n")]
    scale = canvas.scale
    label_w, label_h = _label_width(rows, scale), _label_height(cols, scale)
    margins = Margins(
        left=label_w + 0.15,
        top=_note_height(static, scale) + len(lines) * LINE * scale + 0.12,
        bottom=label_h + 0.12,
        gap_x=label_w + 0.3,
        gap_y=label_h + len(lines) * LINE * scale + 0.2,
        min_slot=title_width(lines, scale),
        right=RIGHT * scale,
    )
    layout = canvas.layout(count, shape, margins)
    fig_h = layout.figsize[1]
    return ViewSpec(
        figsize=layout.figsize,
        panels=tuple(PanelSpec(shape, rect, rows, cols) for rect in layout.panels),
        texts=tuple(
            TextSpec((left + width / 2, bottom + height + 0.07 / fig_h))
            for left, bottom, width, height in layout.panels
        ),
        colorbar=layout.colorbar,
        note_xy=_note_xy(layout.figsize),
        annotate=_annotate(annotate, layout.cell, shape, count * prod(shape)),
        value_size=_value_size(layout.cell, scale),
        quantity=quantity,
        fontsize=canvas.fontsize,
    )


def empty_scene(words, canvas=Canvas()):
    """Describe a picture of nothing but its note (an empty batch, blocks without cells).

    Examples
    --------
    >>> scene = empty_scene("empty batch: nothing to show")
    >>> scene.spec.panels, scene.frame.note
    ((), 'empty batch: nothing to show')
    """
    lines = words.count("\n") + 1
    figsize = None if canvas.axes_size is not None else (canvas.width, 0.2 + lines * NOTE_LINE)
    spec = ViewSpec(
        figsize=figsize,
        panels=(),
        texts=(),
        colorbar=None,
        note_xy=None if figsize is None else _note_xy(figsize),
        annotate=False,
        value_size=_value_size(MIN_ANNOTATED_CELL),
        quantity="",
        note_below=0.1,
    )
    return Scene(spec, Frame((), (), words, FALLBACK_LIMIT))


def _axes_spec(panel, texts, annotated, cell, quantity):
    """Spec for drawing one panel into the caller's axes (the note as its caption)."""
    return ViewSpec(
        figsize=None,
        panels=(panel,),
        texts=texts,
        colorbar=None,
        note_xy=None,
        annotate=annotated,
        value_size=_value_size(cell),
        quantity=quantity,
        note_below=_label_height(panel.col_labels) + 0.05,
    )


def _with_values_note(scene, annotate, block_shape, dynamic, static, canvas):
    """Say in the note when ``annotate="auto"`` left the values out only for small cells."""
    cells = sum(block.size for block in scene.frame.blocks)
    small = max(block_shape) <= 8 and cells <= MAX_ANNOTATED
    if annotate != "auto" or scene.spec.annotate or not small:
        return scene
    how = " (annotate=True writes them; a wider figure has larger cells)"
    part = "values not written: the cells are too small" + (how if canvas.api_hints else "")
    return replace(scene, frame=replace(scene.frame, note=note([*dynamic, part], static)))


def _require_one(count, what, how):
    """``ax=`` holds exactly one block."""
    if count != 1:
        raise ValueError(
            f"ax= draws {what} but {count} are shown; {how}, or draw them all with fig="
        )


def _subsets(canvas, *choices):
    """Say which examples/outputs are shown (not in ``ax=`` mode: the caller chose one)."""
    if canvas.axes_size is not None:
        return []
    return [part for choice in choices for part in subset_parts(*choice, hint=canvas.api_hints)]


def _note_height(static, scale=1.0):
    """Height reserved at the top for the note: one line more for shapes flattened."""
    return (NOTE_HEIGHT + (NOTE_LINE if static else 0.0)) * scale


def _labels(given, symbol, shape, count, name):
    """Given tick labels (checked) or ``∂f_i`` labels, ``None`` if too many."""
    if given is not None:
        given = tuple(str(label) for label in given)
        if len(given) != count:
            raise ValueError(f"{name} has {len(given)} labels; the blocks need {count}")
        return given
    if count > MAX_TICKS:
        return None
    return tuple(component_labels(symbol, shape if prod(shape) == count else (count,)))


def _full_labels(symbol, shape, batch, count):
    """``∂f^(b)_i`` for every example ``b`` and component ``i``."""
    if batch * count > MAX_TICKS:
        return None
    return tuple(
        label for b in range(batch) for label in component_labels(symbol, shape, superscript=b)
    )


def _hessian_headers(out_labels, out_shape, m):
    """Column headers ``∂²f_i``, one per output component."""
    if out_labels is not None:
        headers = tuple(str(label) for label in out_labels)
        if len(headers) != m:
            raise ValueError(f"out_labels has {len(headers)} labels; the Hessian has {m} outputs")
        return headers
    return tuple(label.replace("∂", "∂²", 1) for label in component_labels("f", out_shape))


def _example_title(b, xs, ys, n_items=None):
    """Title ``example b`` plus ``x = [...]`` and ``f(x) = [...]`` lines when known.

    With ``n_items`` a worst-case title of that many values is made instead
    (for sizing the layout before the values are known).
    """
    lines = [f"example {b}"]
    for name, values, k in (("x", xs, 0), ("f(x)", ys, 1)):
        if values is not None:
            row = values[b] if n_items is None else np.full(n_items[k], -8.88)
            lines.append(format_vector(name, row))
    return "\n".join(lines)


def _hessian_title(b, xs, header, n_items=None):
    """Title ``example b: ∂²f_i`` plus ``x = [...]`` of one panel of a one-output grid."""
    items = None if n_items is None else (n_items, 0)
    title = _example_title(b, xs, None, n_items=items)
    return title.replace(f"example {b}", f"example {b}: {header}", 1)


def _annotate(annotate, cell, block_shape, cells):
    """Whether to write values in the cells (``annotate="auto"`` decides by size)."""
    if annotate == "auto":
        small = max(block_shape) <= 8 and cells <= MAX_ANNOTATED
        return bool(small and cell >= MIN_ANNOTATED_CELL)
    if isinstance(annotate, bool):
        return annotate
    raise ValueError(f"annotate must be 'auto', True or False, not {annotate!r}")


def _value_size(cell, scale=1.0):
    """Font size (points) of cell values for cells of side ``cell`` inches (≥ 6 pt)."""
    return float(np.clip(cell * 72 * 0.27, 6.0, 10.0 * max(scale, 1.0)))


def _note_xy(figsize):
    """Top-left corner of the note, 0.1 inch in from the figure's corner."""
    fig_w, fig_h = figsize
    return (0.1 / fig_w, 1 - 0.1 / fig_h)


def _label_width(labels, scale=1.0):
    """Inches taken by a column of tick labels."""
    if not labels:
        return 0.1
    return 0.1 + CHAR * scale * 1.1 * max(len(label) for label in labels)


def _label_height(labels, scale=1.0):
    """Inches taken by a row of tick labels."""
    return 0.3 * scale if labels else 0.1
