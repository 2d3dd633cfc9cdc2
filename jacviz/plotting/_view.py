"""A heatmap figure as a set of artists that can be refilled with new values.

Layer: plotting. Imports numpy, matplotlib and this package only.

:class:`HeatmapView` builds the artists for a :class:`~jacviz.plotting._spec.ViewSpec`
once and :meth:`HeatmapView.show` puts a :class:`~jacviz.plotting._spec.Frame`
into them in place. The ``plot_*`` functions build and show one frame; the
live renderer keeps the view and shows frame after frame.
"""

import numpy as np
from matplotlib import rcParams
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from matplotlib.ticker import NullLocator
from matplotlib.transforms import ScaledTranslation

from jacviz.plotting._colorbar import ColorBar
from jacviz.plotting._colors import cell_colors
from jacviz.plotting._fast import (
    CellValues,
    add_block_image,
    add_panel_axes,
    axes_text,
    figure_text,
    stamp_title,
)
from jacviz.plotting._spec import PanelSpec
from jacviz.plotting._style import format_value, mark_color, text_colors

TICK_PAD = 3.0  # points between a panel and its tick labels
NOTE_LARGER = 0.5  # points: the note is this much larger than titles and ticks
ZERO_DOT_SIZES = (1.0, 4.0)  # points: least and most diameter of the dot on an exact 0


class Panel:
    """The artists of one heatmap panel and the block they show.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes to draw in.
    spec : PanelSpec
    cmap : matplotlib.colors.Colormap
    norm : matplotlib.colors.Normalize
        Shared by every panel of the figure.
    value_size : float or None
        Font size of cell values; ``None`` writes no values.
    zero_dots : bool, optional
        Without values, mark each exact 0 with a dot.
    tick_texts : bool, optional
        Write the tick labels as plain texts instead of matplotlib ticks
        (same pixels, faster to build; ``ax.get_xticklabels()`` is then empty).
    fontsize : float, optional
        Size of the tick labels, points.
    """

    def __init__(
        self, ax, spec, cmap, norm, value_size, tick_texts=False, fontsize=8.5, zero_dots=False
    ):
        self.ax = ax
        self.block = np.full(spec.shape, np.nan)
        self.scale = 1.0
        self.image = add_block_image(ax, np.ma.masked_invalid(self.block), cmap=cmap, norm=norm)
        _label_ticks(ax, spec, as_texts=tick_texts, fontsize=fontsize)
        # the unit square of the axes: a PathPatch builds no patch transform per draw
        # (half a Rectangle's cost), for the same pixels
        self.frame = PathPatch(
            Path.unit_rectangle(), transform=ax.transAxes, fill=False, lw=0.8, ec="0.2", zorder=2.5
        )
        self.frame.set_clip_on(False)
        ax.add_patch(self.frame)
        self.overlays = _block_lines(ax, spec)
        self.values = self.zeros = None
        if value_size is not None:
            self.values = CellValues(ax, spec.shape, fontsize=value_size)
            ax.add_artist(self.values)
        elif zero_dots:  # no numbers: a dot tells an exact 0 from a small value, both pale
            self.zeros = _zero_dots(ax, spec.shape, cmap, norm)

    def artists(self):
        """Everything drawn inside the panel, in drawing (z) order."""
        found = [self.image, *self.overlays, self.frame]
        found += [artist for artist in (self.values, self.zeros) if artist is not None]
        return sorted(found, key=lambda artist: artist.get_zorder())

    def remove(self):
        """Take the panel's artists out of its axes (the axes stay)."""
        for artist in self.artists():
            artist.remove()
        self.ax.title.set_text("")

    def show(self, block, limit_changed, scale=1.0):
        """Put ``block`` in, coloured as ``block / scale``; return whether the pixels change."""
        block = np.asarray(block, dtype=float)
        same = np.array_equal(block, self.block, equal_nan=True) and scale == self.scale
        if not limit_changed and same:
            return False
        self.block, self.scale = block.copy(), scale
        self.image.set_data(np.ma.masked_invalid(block / scale))
        if self.values is not None:
            self.values.set_cells(*_cell_words(block, self.image, scale))
        if self.zeros is not None:
            rows, cols = np.nonzero(block == 0)
            self.zeros.set_data(cols, rows)
        return True


class HeatmapView:
    """The artists of a picture, built once from a spec and refilled in place.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Figure to draw into; it is cleared unless ``ax`` is given.
    spec : ViewSpec
    cmap : matplotlib.colors.Colormap
    ax : matplotlib.axes.Axes, optional
        Existing axes for a spec with at most one panel whose ``rect`` is
        ``None``. What an earlier view drew into ``ax`` (image, values,
        title, note, colour bar) is removed first, so drawing again replaces
        the picture; anything else in ``ax`` stays.
    tick_texts : bool, optional
        Tick labels as plain texts (see :class:`Panel`): for the live
        renderer, whose figures are pictures rather than axes to restyle.
    """

    def __init__(self, fig, spec, cmap, ax=None, tick_texts=False):
        self.position = None
        if ax is None:
            fig.clear()
        else:
            _forget(ax)
            self.position = ax.get_position(original=True).frozen()  # before the colour bar
        if spec.figsize is not None:
            fig.set_size_inches(spec.figsize)
        self.figure = fig
        self.spec = spec
        self.norm = Normalize(-1.0, 1.0)
        size = spec.value_size if spec.annotate else None
        add_axes = add_panel_axes if tick_texts else _add_axes
        self.panels = [
            Panel(
                ax if p.rect is None else add_axes(fig, p.rect),
                p,
                cmap,
                self.norm,
                size,
                tick_texts=tick_texts,
                fontsize=spec.fontsize,
                zero_dots=spec.zero_dots,
            )
            for p in spec.panels
        ]
        for panel, p in zip(self.panels, spec.panels, strict=True):
            if p.header is not None:
                panel.ax.set_title(p.header, fontsize=spec.fontsize + 1, pad=p.header_pad)
                stamp_title(panel.ax)
        self.texts = [_dynamic_text(fig, t, self.panels[0].ax, spec.fontsize) for t in spec.texts]
        self.note = _note_text(fig, spec, ax)
        self.colorbar = None
        if self.panels:
            self.colorbar = ColorBar(
                fig,
                self.panels[0].image,
                spec.quantity,
                rect=spec.colorbar,
                parent=self.panels[0].ax,
                fontsize=spec.fontsize,
                unit=spec.tick_unit,
            )
        self.limit = None
        if ax is not None:
            if not self.panels:
                _label_ticks(ax, PanelSpec((0, 0)))  # a blank panel under the note
            ax._jacviz_view = self

    def show(self, frame):
        """Put ``frame`` into the artists.

        Parameters
        ----------
        frame : Frame

        Returns
        -------
        list of tuple
            Keys of the groups whose pixels change, among ``("panel", k)``,
            ``("text", k)``, ``("note",)`` and ``("colorbar",)``.
        """
        dirty = []
        limit_changed = frame.limit != self.limit
        if limit_changed:
            self.limit = frame.limit
            if self.panels:
                self.panels[0].image.set_clim(-frame.limit, frame.limit)  # one norm for all
            if self.colorbar is not None:
                self.colorbar.show(frame.limit)
                dirty.append(("colorbar",))
        scales = frame.scales or (1.0,) * len(frame.blocks)
        for k, (panel, block) in enumerate(zip(self.panels, frame.blocks, strict=True)):
            if panel.show(block, limit_changed, scales[k]):
                dirty.append(("panel", k))
        for k, (text, words) in enumerate(zip(self.texts, frame.texts, strict=True)):
            if text.get_text() != words:
                text.set_text(words)
                dirty.append(("text", k))
        if self.note.get_text() != frame.note:
            self.note.set_text(frame.note)
            dirty.append(("note",))
        return dirty

    def remove(self):
        """Take out every artist this view added (``ax=`` mode: the caller's axes stay).

        The axes get back the room the colour bar took.
        """
        if self.colorbar is not None:
            self.colorbar.remove()  # restores a subplot's grid cell, not a plain position
            ax = self.panels[0].ax
            if ax.get_subplotspec() is None and self.position is not None:
                in_layout = ax.get_in_layout()
                ax.set_position(self.position)
                ax.set_in_layout(in_layout)
        for panel in self.panels:
            panel.remove()
        self.note.remove()

    def group_keys(self):
        """Every group key, in the order the figure draws them."""
        panels = [("panel", k) for k in range(len(self.panels))]
        colorbar = [("colorbar",)] if self.colorbar is not None else []
        texts = [("text", k) for k in range(len(self.texts))]
        return [*panels, *colorbar, *texts, ("note",)]

    def group_artists(self, key):
        """Return the artists of group ``key`` (see :meth:`show`), in drawing order."""
        if key[0] == "panel":
            return self.panels[key[1]].artists()
        if key[0] == "text":
            return [self.texts[key[1]]]
        if key[0] == "note":
            return [self.note]
        return self.colorbar.artists()


def axes_position(ax):
    """Return the position of ``ax`` before an earlier view's colour bar took room from it.

    Parameters
    ----------
    ax : matplotlib.axes.Axes

    Returns
    -------
    matplotlib.transforms.Bbox
        In figure fractions.
    """
    previous = getattr(ax, "_jacviz_view", None)
    if previous is not None and previous.position is not None:
        return previous.position
    return ax.get_position(original=True)


def _forget(ax):
    """Remove what an earlier view drew into ``ax``, if any."""
    previous = getattr(ax, "_jacviz_view", None)
    if previous is not None:
        previous.remove()
        del ax._jacviz_view


def _note_text(fig, spec, ax):
    """Make the note: at ``spec.note_xy`` in the figure, or under ``ax`` as its caption."""
    style = {"ha": "left", "va": "top", "fontsize": spec.fontsize + NOTE_LARGER, "color": "0.15"}
    if spec.note_xy is not None:
        return figure_text(fig, *spec.note_xy, "", **style)
    below = ScaledTranslation(0.0, -spec.note_below, fig.dpi_scale_trans)
    return axes_text(ax, 0.0, 0.0, "", transform=ax.transAxes + below, clip_on=False, **style)


def _label_ticks(ax, spec, as_texts=False, fontsize=8.5):
    """Tick labels from the spec, no tick marks, nothing else on the axes.

    With ``as_texts`` the labels are plain texts placed as matplotlib places
    tick labels (same transforms, alignment, font and colour: the same
    pixels) and both axes are hidden: no Tick objects (each five artists)
    and no tick layout at draw time.
    """
    for spine in ax.spines.values():
        spine.set_visible(False)
    if as_texts:
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_locator(NullLocator())  # no ticks (set_ticks([]) would make one)
            axis.set_visible(False)
        _tick_texts(ax, "y", spec.row_labels, fontsize)
        _tick_texts(ax, "x", spec.col_labels, fontsize, spec.col_rotation)
        return
    rows, cols = spec.shape
    if spec.row_labels:
        ax.set_yticks(range(rows), spec.row_labels)
    else:
        ax.set_yticks([])
    if spec.col_labels:
        ax.set_xticks(range(cols), spec.col_labels, rotation=spec.col_rotation)
    else:
        ax.set_xticks([])
    ax.tick_params(length=0, labelsize=fontsize, pad=TICK_PAD)
    for spine in ax.spines.values():
        spine.set_visible(False)


def _tick_texts(ax, axis, labels, fontsize, rotation=0.0):
    """Write ``labels`` where ``axis`` ("x" or "y") would put its tick labels, one per cell."""
    if not labels:
        return
    place = ax.get_xaxis_text1_transform if axis == "x" else ax.get_yaxis_text1_transform
    transform, va, ha = place(TICK_PAD)  # tick length 0: the pad is all the offset
    color = rcParams[f"{axis}tick.labelcolor"]
    if color == "inherit":
        color = rcParams[f"{axis}tick.color"]
    for k, label in enumerate(labels):
        xy = (k, 0) if axis == "x" else (0, k)
        style = {
            "fontsize": fontsize,
            "rotation": rotation,
            "color": color,
            "va": va,
            "ha": ha,
            "clip_on": False,
        }
        text = axes_text(ax, *xy, label, label=True, transform=transform, **style)
        text.set_zorder(ax.xaxis.get_zorder())


def _add_axes(fig, rect):
    """Add ordinary axes at ``rect`` (the plot functions' panels: real ticks)."""
    return fig.add_axes(rect)


def _block_lines(ax, spec):
    """Block boundaries and diagonal-block outlines of the full Jacobian."""
    if spec.block_shape is None:
        return []
    rows, cols = spec.shape
    m, n = spec.block_shape
    count = rows // m
    grid = [[(-0.5, b * m - 0.5), (cols - 0.5, b * m - 0.5)] for b in range(1, count)]
    grid += [[(b * n - 0.5, -0.5), (b * n - 0.5, rows - 0.5)] for b in range(1, count)]
    boxes = [_box(b * n - 0.5, b * m - 0.5, n, m) for b in range(count)]
    lines = LineCollection(grid, colors="0.35", linewidths=0.8, zorder=2)
    outlines = LineCollection(boxes, colors="black", linewidths=2.2, zorder=2.2)
    for collection in (lines, outlines):
        ax.add_collection(collection, autolim=False)
    return [lines, outlines]


def _box(x0, y0, width, height):
    """Outline a rectangle as a polyline."""
    x1, y1 = x0 + width, y0 + height
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]


def _zero_dots(ax, shape, cmap, norm):
    """Add the (empty) dots marking exact zeros: a neutral dot, a fifth of a cell wide.

    Its colour is quieter than a number's, at 3:1 or more on a zero's cell
    (:func:`mark_color`).
    """
    width = ax.get_position().width * ax.figure.get_figwidth() * 72  # points
    cell = width / max(shape[1], 1)
    dots = Line2D(
        [],
        [],
        linestyle="none",
        marker="o",
        markersize=float(np.clip(0.2 * cell, ZERO_DOT_SIZES[0], ZERO_DOT_SIZES[1])),
        markeredgewidth=0,
        color=mark_color(cell_colors(np.zeros(1), cmap, norm)[0]),
        zorder=1,
    )
    ax.add_artist(dots)
    return dots


def _cell_words(block, image, scale=1.0):
    """Return the string and text colour of every cell of ``block`` (coloured as ``/ scale``)."""
    rgba = cell_colors(block / scale, image.cmap, image.norm)
    strings = [[format_value(v) for v in row] for row in block]
    return strings, text_colors(rgba)


def _dynamic_text(fig, spec, ax, fontsize):
    """Make a figure text at ``spec.xy`` (or the axes title when ``xy`` is None)."""
    if spec.xy is None:
        return ax.set_title("", fontsize=fontsize, pad=5)
    return figure_text(
        fig,
        *spec.xy,
        "",
        ha=spec.ha,
        va=spec.va,
        fontsize=fontsize + spec.larger,
        linespacing=1.25,
    )
