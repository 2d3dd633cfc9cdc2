"""What each view draws: a :class:`ViewSpec` and a :class:`Frame` from arrays.

Layer: plotting. Imports numpy and this package only.

One function per view turns the engine's array (and ``x``/``y`` for titles)
into the structure of the picture and its content. The ``plot_*`` functions
and the live renderer call the same functions, so both draw the same thing.
"""

import math
import textwrap
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
    BAR_GAP,
    BAR_WIDTH,
    CHAR,
    LINE,
    MIN_ANNOTATED_CELL,
    Margins,
    grid_layout,
    title_width,
)
from jacviz.plotting._notes import (
    SEPARATOR,
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
    compact_value,
    component_labels,
    format_vector,
    scripted,
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
#: Most rows or columns of one block drawn; beyond, a window of the first ones.
MAX_BLOCK_SIDE = 64
#: Most rows or columns of the full Jacobian's matrix drawn (16 examples of 8).
MAX_FULL_SIDE = 128
#: Most cells annotated in one figure (text is what makes redraws slow).
MAX_ANNOTATED = 256
#: Most tick labels drawn along one axis by default.
MAX_TICKS = 24
#: The symbol of an output's own colour limit on the colour bar (``scale="output"``).
UNIT = "Lᵢ"
#: Characters of the longest colour limit :func:`compact_value` writes (``1.2e-280``).
LONGEST_LIMIT = 8
#: The note's legend of the dots on exact zeros, in pictures without cell numbers.
ZERO_DOT_NOTE = "• marks an exact 0"
#: Least cell side (inches) with a dot on an exact 0: below, the dots would be a texture.
MIN_DOT_CELL = 0.1
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
    widen_for_note : bool
        Make the figure wide enough for the note on one line (up to
        ``width``); off for live pictures, whose layout must not follow the
        note's words (they wrap instead).
    """

    width: float = WIDTH
    max_height: float = MAX_HEIGHT
    axes_size: tuple | None = None
    exact_width: bool = False
    fontsize: float = FONTSIZE
    api_hints: bool = True
    widen_for_note: bool = True

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
    batch, m_all, n_all = blocks.data.shape
    shown = choose_examples(batch, examples)
    xs, ys = example_rows(x, batch, "x"), example_rows(y, batch, "y")
    rows = _labels(out_labels, "f", blocks.out_shape, m_all, "out_labels")
    cols = _labels(in_labels, "x", blocks.in_shape, n_all, "in_labels")
    static = flattened_parts(blocks.out_shape, blocks.in_shape)
    if not shown or m_all * n_all == 0:
        return empty_scene(note(empty_parts(batch, (m_all, n_all)), static), canvas)
    (m, n), windowed = _window(
        (m_all, MAX_BLOCK_SIDE, "outputs"), (n_all, MAX_BLOCK_SIDE, "inputs")
    )
    rows, cols = _cut(rows, m), _cut(cols, n)
    data = blocks.data[list(shown), :m, :n]
    subsets = [*_subsets(canvas, (shown, batch, "examples")), *windowed]
    dynamic = [*subsets, *bad_cell_parts(data)]
    frame = Frame(
        blocks=tuple(data),
        texts=tuple(_example_title(b, xs, ys) for b in shown),
        note=note(dynamic, static),
        limit=symmetric_limit(blocks.data),
        names=tuple(f"example {b}" for b in shown),
    )
    quantity = "∂fᵢ / ∂xⱼ"
    if canvas.axes_size is not None:
        _require_one(len(shown), "one example's block", "pass examples=[b]")
        cell = canvas.cell((m, n))
        panel = PanelSpec((m, n), None, rows, cols)
        annotated = _annotate(annotate, cell, (m, n), m * n)
        return Scene(_axes_spec(panel, (TextSpec(None),), annotated, cell, quantity), frame)

    def titles(items):
        texts = tuple(_example_title(b, xs, ys, max_items=items) for b in shown)
        return texts, _example_title(batch - 1, xs, ys, n_items=(n, m), max_items=items)

    words = _Words(dynamic, static, canvas, annotate)
    return _titled_grid(frame, (m, n), (rows, cols), titles, words, quantity)


def hessian_scene(
    hess,
    *,
    x=None,
    examples=None,
    outputs=None,
    annotate="auto",
    in_labels=None,
    out_labels=None,
    scale="shared",
    canvas=Canvas(),
):
    """Describe a row per example, a column per output of ``hess``; see ``plot_batch_hessian``."""
    if scale not in ("shared", "output"):
        raise ValueError(f"scale must be 'shared' or 'output', not {scale!r}")
    per_output = scale == "output"
    blocks = as_hessian(hess, x)
    batch, m, n_all, _ = blocks.data.shape
    shown = choose_examples(batch, examples)
    outputs = choose_indices(m, outputs, name="outputs", of=f"{m} outputs", default=MAX_OUTPUTS)
    xs = example_rows(x, batch, "x")
    axis_labels = _labels(in_labels, "x", blocks.in_shape, n_all, "in_labels")
    headers = _hessian_headers(out_labels, blocks.out_shape, m)
    static = flattened_parts(blocks.out_shape, blocks.in_shape)
    if not shown or not outputs or n_all == 0:
        return empty_scene(note(empty_parts(batch, (m, n_all)), static), canvas)
    (n,), windowed = _window((n_all, MAX_BLOCK_SIDE, "inputs"))
    axis_labels = _cut(axis_labels, n)
    data = blocks.data[np.ix_(shown, outputs)][..., :n, :n]
    subsets = [*_subsets(canvas, (shown, batch, "examples"), (outputs, m, "outputs")), *windowed]
    dynamic = [*subsets, *bad_cell_parts(data)]
    frame = Frame(
        blocks=tuple(data.reshape(-1, n, n)),
        texts=tuple(_example_title(b, xs, None).replace("\n", "    ") for b in shown),
        note=note(dynamic, static),
        limit=symmetric_limit(blocks.data),
        names=tuple(f"example {b}, {headers[i]}" for b in shown for i in outputs),
    )
    quantity = "∂²fᵢ / ∂xⱼ∂xₖ"
    if per_output and len(outputs) == 1:  # one output shown: the scale of that output alone
        frame = replace(frame, limit=symmetric_limit(blocks.data[:, outputs[0]]))
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

        def titles(items):
            texts = tuple(_hessian_title(b, xs, headers[i], max_items=items) for b in shown)
            return texts, _hessian_title(batch - 1, xs, headers[i], n_items=n, max_items=items)

        words = _Words(dynamic, static, canvas, annotate)
        labels = (axis_labels, axis_labels)
        return _titled_grid(frame, (n, n), labels, titles, words, quantity)
    scale = canvas.scale
    line = LINE * scale
    row_title = len(_example_title(batch - 1, xs, None, n_items=(n, 0)).replace("\n", "    "))
    if in_labels is None and axis_labels and n > 4:  # short ``x_j`` where cells get small
        axis_labels = tuple(label.replace("∂", "") for label in axis_labels)

    ncols = len(outputs)
    extra = 0  # characters a header gets besides its output's name
    if per_output:
        frame, extra = _output_scales(blocks.data, outputs, frame, headers)
        dynamic.append(
            f"colours per output column: -{UNIT} to {UNIT}, {UNIT} in its header "
            "(compare colours within a column)"
        )

    def margins(col_h, note_h):
        return Margins(
            left=_label_width(axis_labels, scale) + 0.15,
            top=note_h + 2 * line + 0.2,
            bottom=col_h + 0.12,
            gap_x=0.2,
            gap_y=line + 0.16,
            min_slot=title_width([max(len(headers[i]) for i in outputs) + extra], 1.12 * scale),
            min_width=title_width([row_title], scale),
            right=_right(scale),
        )

    words = _Words(dynamic, static, canvas, annotate)
    labels = (axis_labels, axis_labels)
    fit = _fit(margins, len(shown) * ncols, (n, n), labels, words, ncols=ncols, max_cols=ncols)
    layout, last_row = fit.layout, fit.layout.nrows - 1
    panels = tuple(
        PanelSpec(
            (n, n),
            rect,
            row_labels=fit.rows if k % ncols == 0 else None,
            col_labels=fit.cols if k // ncols == last_row else None,
            header=headers[outputs[k]] if k < ncols and not per_output else None,
            header_pad=(line + 0.1) * 72,
            col_rotation=fit.rotation,
        )
        for k, rect in enumerate(layout.panels)
    )
    fig_h = layout.figsize[1]
    row_titles = tuple(
        TextSpec((layout.panels[row * ncols][0], layout.row_top(row) + 0.05 / fig_h), ha="left")
        for row in range(len(shown))
    )
    spec = ViewSpec(
        figsize=layout.figsize,
        panels=panels,
        texts=row_titles + (_header_texts(layout, ncols, line + 0.1) if per_output else ()),
        colorbar=layout.colorbar,
        note_xy=_note_xy(layout.figsize),
        annotate=fit.annotated,
        zero_dots=fit.dotted,
        value_size=_value_size(layout.cell, scale),
        quantity=quantity,
        fontsize=canvas.fontsize,
        tick_unit=UNIT if per_output else "",
    )
    return Scene(spec, replace(frame, note=fit.note))


def full_scene(full, *, batch_size, annotate="auto", out_ndim=None, canvas=Canvas()):
    """Describe the ``(B·m) × (B·n)`` matrix with its blocks; see ``plot_full_jacobian``."""
    blocks = as_full(full, batch_size, out_ndim)
    batch_all, m_all, _, n_all = blocks.data.shape
    static = flattened_parts(blocks.out_shape, blocks.in_shape)
    if batch_all * m_all * n_all == 0:
        return empty_scene(note(empty_parts(batch_all, (m_all, n_all)), static), canvas)
    (batch, m, n), windowed = _full_window(batch_all, m_all, n_all)
    matrix = blocks.data[:batch, :m, :batch, :n].reshape(batch * m, batch * n)
    out_shape, in_shape = (blocks.out_shape, blocks.in_shape) if not windowed else ((m,), (n,))
    rows = _full_labels("f", out_shape, batch, m)
    cols = _full_labels("x", in_shape, batch, n)
    dynamic = [*windowed, *coupling_parts(blocks.data), *bad_cell_parts(matrix)]
    frame = Frame((matrix,), (), note(dynamic, static), symmetric_limit(blocks.data))
    header = f"full Jacobian of a batch of {batch_all}:\noutlined diagonal blocks\n= batch Jacobian"
    quantity = "∂f⁽ᵇ⁾ᵢ / ∂x⁽ᶜ⁾ⱼ"
    shape = (batch * m, batch * n)
    if canvas.axes_size is not None:
        cell = canvas.cell(shape)
        annotated = _annotate(annotate, cell, (m, n), prod(shape))
        panel = PanelSpec(shape, None, rows, cols, header, (m, n))
        return Scene(_axes_spec(panel, (), annotated, cell, quantity), frame)
    scale = canvas.scale
    header_pad = canvas.fontsize / 2 + 5  # points: clear of the colour bar's top number

    def margins(col_h, note_h):
        return Margins(
            left=_label_width(rows, scale) + 0.15,
            top=note_h + 3 * LINE * scale + header_pad / 72 + 0.18,
            bottom=col_h + 0.12,
            min_slot=title_width([len(line) for line in header.split("\n")], scale),
            right=_right(scale),
        )

    words = _Words(dynamic, static, canvas, annotate, block_shape=(m, n))
    fit = _fit(margins, 1, shape, (rows, cols), words)
    layout = fit.layout
    panel = PanelSpec(
        shape, layout.panels[0], fit.rows, fit.cols, header, (m, n), header_pad, fit.rotation
    )
    spec = ViewSpec(
        figsize=layout.figsize,
        panels=(panel,),
        texts=(),
        colorbar=layout.colorbar,
        note_xy=_note_xy(layout.figsize),
        annotate=fit.annotated,
        zero_dots=fit.dotted,
        value_size=_value_size(layout.cell, scale),
        quantity=quantity,
        fontsize=canvas.fontsize,
    )
    return Scene(spec, replace(frame, note=fit.note))


def _output_scales(data, outputs, frame, headers):
    """For ``scale="output"``: each output column coloured on its own ``[-L_i, L_i]``.

    Returns the frame (divisors per panel, limit 1, the headers with each
    column's limit after the rows' titles) and how many characters the
    longest limit adds to a header (the layout's room, whatever the values).
    """
    limits = [symmetric_limit(data[:, i]) for i in outputs]
    said = tuple(
        f"{headers[i]}  {_limit_name(i)} = {compact_value(limit)}"
        for i, limit in zip(outputs, limits, strict=True)
    )
    scales = tuple(limits[k % len(outputs)] for k in range(len(frame.blocks)))
    frame = replace(frame, texts=frame.texts + said, limit=1.0, scales=scales)
    longest = len(f"  {_limit_name(max(outputs))} = ") + LONGEST_LIMIT
    return frame, longest


def _limit_name(i):
    """Name the colour limit of output ``i``: ``L₁₂``."""
    return "L" + scripted(str(i), "sub")


def _header_texts(layout, ncols, pad):
    """Anchors of the column headers written as texts: centred ``pad`` inches above the top row."""
    fig_h = layout.figsize[1]
    return tuple(
        TextSpec((left + width / 2, bottom + height + pad / fig_h), va="baseline", larger=1.0)
        for left, bottom, width, height in layout.panels[:ncols]
    )


def _titled_grid(frame, shape, labels, titles, words, quantity):
    """Scene of ``frame``'s panels of ``shape`` in a grid, each under its own title.

    ``titles(k)`` gives the panels' titles writing at most ``k`` values of a
    vector, and the longest title any panel may get (it sizes the room above
    each panel). A figure of an exact width too narrow for 4 values per
    vector gets titles with fewer.
    """
    for items in (4, 3, 2, 1):
        texts, worst = titles(items)
        scene = _titled_scene(replace(frame, texts=texts), shape, labels, worst, words, quantity)
        if not words.canvas.exact_width or scene.spec.figsize[0] <= words.canvas.width + 1e-9:
            break
    return scene


def _titled_scene(frame, shape, labels, worst_title, words, quantity):
    """:func:`_titled_grid` for titles no longer than ``worst_title``."""
    lines = [len(line) for line in worst_title.split("\n")]
    scale = words.canvas.scale
    title_h = len(lines) * LINE * scale

    def margins(col_h, note_h):
        label_w = _label_width(labels[0], scale)
        return Margins(
            left=label_w + 0.15,
            top=note_h + title_h + 0.12,
            bottom=col_h + 0.12,
            gap_x=label_w + 0.3,
            gap_y=col_h + title_h + 0.2,
            min_slot=title_width(lines, scale),
            right=_right(scale),
        )

    fit = _fit(margins, len(frame.blocks), shape, labels, words)
    layout = fit.layout
    fig_h = layout.figsize[1]
    spec = ViewSpec(
        figsize=layout.figsize,
        panels=tuple(
            PanelSpec(shape, rect, fit.rows, fit.cols, col_rotation=fit.rotation)
            for rect in layout.panels
        ),
        texts=tuple(
            TextSpec((left + width / 2, bottom + height + 0.07 / fig_h))
            for left, bottom, width, height in layout.panels
        ),
        colorbar=layout.colorbar,
        note_xy=_note_xy(layout.figsize),
        annotate=fit.annotated,
        zero_dots=fit.dotted,
        value_size=_value_size(layout.cell, scale),
        quantity=quantity,
        fontsize=words.canvas.fontsize,
    )
    return Scene(spec, replace(frame, note=fit.note))


@dataclass(frozen=True)
class _Words:
    """What a scene's note says before the layout, and how values are asked for.

    ``block_shape`` is the block whose size decides annotation (the full
    Jacobian's example block; by default a panel).
    """

    dynamic: list
    static: list
    canvas: Canvas
    annotate: object
    block_shape: tuple | None = None


@dataclass(frozen=True)
class _Fit:
    """A layout with its tick labels fitted, the annotation decided and the note wrapped."""

    layout: object
    rows: tuple | None
    cols: tuple | None
    rotation: float
    annotated: bool
    note: str
    dotted: bool


def _fit(margins, count, shape, labels, words, **kw):
    """Lay out ``count`` panels, fitting their labels and the note to the figure.

    ``margins(col_h, note_h)`` makes the margins for column labels ``col_h``
    and a note ``note_h`` inches tall. Column labels wider than a cell stand
    upright (more room below); labels taller than a cell are thinned to
    every k-th; a note wider than the figure is wrapped (more room above).
    Each case lays out once more, at most twice in all.
    """
    canvas, scale = words.canvas, words.canvas.scale
    rows, cols = labels
    block = words.block_shape or shape
    rotation, note_lines = 0.0, 1 + bool(words.static)
    for _ in range(3):
        col_h = _label_width(cols, scale) + 0.05 if rotation else _label_height(cols, scale)
        note_w = _note_width(words, block, count * prod(shape))
        note_h = _note_height(note_lines, scale)
        layout = canvas.layout(count, shape, margins(col_h, note_h), min_fig_width=note_w, **kw)
        annotated = _annotate(words.annotate, layout.cell, block, count * prod(shape))
        dotted = not annotated and layout.cell >= MIN_DOT_CELL
        said = _note_words(words, block, count * prod(shape), annotated, dotted)
        text = _wrap(said, layout, scale)
        upright = 90.0 if cols and _label_width(cols, scale) - 0.1 > layout.cell else 0.0
        lines = text.count("\n") + 1
        if upright == rotation and lines <= note_lines:
            break
        rotation, note_lines = max(rotation, upright), max(note_lines, lines)
    thin_rows, thin_cols = _thin(rows, layout.cell, scale), _thin(cols, layout.cell, scale)
    return _Fit(layout, thin_rows, thin_cols, rotation, annotated, text, dotted)


def _note_words(words, block_shape, cells, annotated, dotted=False):
    """Write the note, saying so when ``annotate="auto"`` left values out for small cells.

    ``dotted``: exact zeros are marked by a dot, which the note's legend explains.
    """
    small = max(block_shape) <= 8 and cells <= MAX_ANNOTATED
    parts = list(words.dynamic)
    if words.annotate == "auto" and small and not annotated:
        how = " (annotate=True writes them)" if words.canvas.api_hints else ""
        parts.append(f"values not written: cells too small{how}")
    if dotted:
        parts.append(ZERO_DOT_NOTE)
    return note(parts, words.static)


def _note_width(words, block_shape, cells):
    """Inches the note's longest line takes unwrapped, at most the canvas's width.

    0 on a canvas that does not widen for its note (a live picture: its
    layout would change with the note's words, i.e. with the values).
    """
    canvas = words.canvas
    if not canvas.widen_for_note:
        return 0.0
    text = _note_words(words, block_shape, cells, True)
    longest = max((len(line) for line in text.split("\n")), default=0) if text else 0
    return min(canvas.width, longest * CHAR * 1.06 * canvas.scale + 0.2)


def _wrap(text, layout, scale):
    """Wrap the note's lines to the figure's width (at its parts' separators first)."""
    chars = max(20, int((layout.figsize[0] - 0.2) / (CHAR * 1.06 * scale)))
    lines = []
    for line in text.split("\n") if text else []:
        current = ""
        for part in line.split(SEPARATOR):
            joined = f"{current}{SEPARATOR}{part}" if current else part
            if len(joined) <= chars:
                current = joined
                continue
            if current:
                lines.append(current)
            *full, current = textwrap.wrap(part, chars, break_on_hyphens=False) or [""]
            lines.extend(full)
        lines.append(current)
    return "\n".join(lines)


def _thin(labels, cell, scale):
    """Every k-th label (the others blank) so that labels one cell apart do not touch."""
    if not labels:
        return labels
    step = math.ceil(LINE * scale / cell)
    return tuple(label if k % step == 0 else "" for k, label in enumerate(labels))


def _right(scale):
    """Right margin: the gap, the colour bar and its longest number (``-1.25e-4``)."""
    return BAR_GAP + BAR_WIDTH + 0.1 + 8 * CHAR * scale


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


def _window(*axes, each=""):
    """Cut each ``(count, limit, name)`` to its first ``limit``; say in words which were cut.

    Examples
    --------
    >>> _window((6561, 64, "outputs"), (8, 64, "inputs"))
    ((64, 8), ['showing outputs 0–63 of 6561 (a window: slice the array for others)'])
    """
    sizes = tuple(min(count, limit) for count, limit, _ in axes)
    words = [
        f"showing {name} 0–{size - 1} of {count}{each} (a window: slice the array for others)"
        for size, (count, _, name) in zip(sizes, axes, strict=True)
        if size < count
    ]
    return sizes, words


def _full_window(batch, m, n):
    """Examples, outputs and inputs of a full Jacobian drawn: each side at most MAX_FULL_SIDE.

    Examples
    --------
    >>> _full_window(16, 6561, 8)
    ((16, 8, 8), ['showing outputs 0–7 of 6561 in each block (a window: slice the array for \
others)'])
    """
    inputs = min(n, MAX_FULL_SIDE)
    examples = min(batch, max(1, MAX_FULL_SIDE // inputs))
    outputs = min(m, max(1, MAX_FULL_SIDE // examples))
    (examples,), cut = _window((batch, examples, "examples"))
    sizes, words = _window((m, outputs, "outputs"), (n, inputs, "inputs"), each=" in each block")
    return (examples, *sizes), [*cut, *words]


def _cut(labels, count):
    """Keep the first ``count`` tick labels (``None`` stays ``None``)."""
    return None if labels is None else labels[:count]


def _note_height(lines, scale=1.0):
    """Height reserved at the top for a note of ``lines`` lines."""
    return (NOTE_HEIGHT + (lines - 1) * NOTE_LINE) * scale


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


def _example_title(b, xs, ys, n_items=None, max_items=4):
    """Title ``example b`` plus ``x = [...]`` and ``f(x) = [...]`` lines when known.

    With ``n_items`` a worst-case title of that many values is made instead
    (for sizing the layout before the values are known); vectors show at
    most ``max_items`` values.
    """
    lines = [f"example {b}"]
    for name, values, k in (("x", xs, 0), ("f(x)", ys, 1)):
        if values is not None:
            row = values[b] if n_items is None else np.full(n_items[k], -8.88)
            lines.append(format_vector(name, row, max_items=max_items))
    return "\n".join(lines)


def _hessian_title(b, xs, header, n_items=None, max_items=4):
    """Title ``example b: ∂²f_i`` plus ``x = [...]`` of one panel of a one-output grid."""
    items = None if n_items is None else (n_items, 0)
    title = _example_title(b, xs, None, n_items=items, max_items=max_items)
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
