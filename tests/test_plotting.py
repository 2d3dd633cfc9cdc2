"""Tests of the plotting layer: figures checked by content, the live renderer by pixels.

Reference values are worked by hand from f(x) = x**3 at x = [[4, 2], [1, 3]]
(the TensorFlow batch_jacobian tutorial): J[b] = diag(3 x²) = diag(48, 12),
diag(3, 27); ∂²f_i/∂x_i² = 6 x_i = 24, 12 and 6, 18.
"""

import gc
import io
import os
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
import zlib

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import Normalize, to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.image import imread
from matplotlib.lines import Line2D
from matplotlib.text import Text
from saved_words import saved_words

from jacviz import (
    HeatmapGrid,
    plot_batch_hessian,
    plot_batch_jacobian,
    plot_full_jacobian,
    save_figure,
)
from jacviz.plotting import _png, _renderer, png_bytes
from jacviz.plotting._colors import cell_colors, clipped
from jacviz.plotting._fast import CellValues, _text, drawing_switch
from jacviz.plotting._fast._glyphs import face_of
from jacviz.plotting._fast._image import BlockImage
from jacviz.plotting._fast._probe import probe
from jacviz.plotting._fast._text import Stamper
from jacviz.plotting._renderer import CACHED_VIEWS
from jacviz.plotting._style import (
    BAD_COLOR,
    FALLBACK_LIMIT,
    MAX_LIMIT,
    MIN_LIMIT,
    compact_value,
    contrast_ratio,
    mark_color,
    resolve_cmap,
    symmetric_limit,
    text_color,
    text_colors,
)

X = np.array([[4.0, 2.0], [1.0, 3.0]])
JAC = np.array([[[48.0, 0.0], [0.0, 12.0]], [[3.0, 0.0], [0.0, 27.0]]])
HESS = np.zeros((2, 2, 2, 2))
HESS[0, 0, 0, 0], HESS[0, 1, 1, 1], HESS[1, 0, 0, 0], HESS[1, 1, 1, 1] = 24.0, 12.0, 6.0, 18.0


@pytest.fixture(params=["fast", "plain"])
def drawing(request, monkeypatch):
    """Run a picture test on the fast path (where this matplotlib has it) and on the plain one."""
    switch = drawing_switch()
    if request.param == "plain":
        monkeypatch.setattr(switch, "on", False)
    return request.param


def panels(fig):
    """The heatmap axes (those holding an image), in order."""
    return [ax for ax in fig.axes if ax.images and ax.get_label() != "<colorbar>"]


def at_dpi(fig, dpi):
    """``fig`` with its dpi set (its natural size kept: ``fig=`` would keep a width)."""
    fig.set_dpi(dpi)
    return fig


def pixels_of_figure(fig):
    """RGBA uint8 pixels of a full draw of ``fig`` on an Agg canvas."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def pixels_of_png(png):
    """Decoded RGBA uint8 pixels of PNG bytes."""
    return np.round(imread(io.BytesIO(png)) * 255).astype(np.uint8)


def cell_pixel(fig, ax, row, col):
    """RGBA of the canvas pixel near the middle of cell (row, col), away from text."""
    pixels = pixels_of_figure(fig)
    rows, cols = ax.images[0].get_array().shape
    box = ax.get_window_extent()
    x = box.x0 + (col + 0.5) * box.width / cols
    y = box.y1 - (row + 0.85) * box.height / rows  # low in the cell, below its value
    return pixels[pixels.shape[0] - int(y), int(x)]


# ---------------------------------------------------------------- batch Jacobian


@pytest.mark.usefixtures("drawing")
def test_one_panel_per_example_holding_its_block():
    fig = plot_batch_jacobian(JAC, x=X)
    axes = panels(fig)
    assert len(axes) == 2
    assert len(fig.axes) == 3  # plus one colour bar
    for ax, block in zip(axes, JAC, strict=True):
        np.testing.assert_array_equal(ax.images[0].get_array(), block)


def test_one_symmetric_colour_scale_shared_by_the_batch():
    fig = plot_batch_jacobian(JAC, x=X)
    limits = {ax.images[0].get_clim() for ax in panels(fig)}
    assert len(limits) == 1
    vmin, vmax = limits.pop()
    assert vmin == -vmax
    assert vmax >= 48.0  # the largest |entry| of the whole batch fits
    assert vmax <= 1.25 * 48.0  # and is not wasted


@pytest.mark.usefixtures("drawing")
def test_titles_name_each_example_and_its_input():
    fig = plot_batch_jacobian(JAC, x=X, y=X**3)
    titles = [text.get_text() for text in fig.texts if text.get_text().startswith("example")]
    assert titles == [
        "example 0\nx = [4, 2]\nf(x) = [64, 8]",
        "example 1\nx = [1, 3]\nf(x) = [1, 27]",
    ]


def test_rows_are_outputs_and_columns_are_inputs():
    ax = panels(plot_batch_jacobian(np.zeros((1, 3, 2))))[0]
    rows = [label.get_text() for label in ax.get_yticklabels()]
    cols = [label.get_text() for label in ax.get_xticklabels()]
    assert rows == ["∂f₀", "∂f₁", "∂f₂"]
    assert cols == ["∂x₀", "∂x₁"]


def test_given_labels_replace_the_defaults():
    ax = panels(plot_batch_jacobian(JAC, in_labels=["r", "θ"], out_labels=["u", "v"]))[0]
    assert [label.get_text() for label in ax.get_xticklabels()] == ["r", "θ"]
    assert [label.get_text() for label in ax.get_yticklabels()] == ["u", "v"]
    with pytest.raises(ValueError, match="in_labels has 3 labels"):
        plot_batch_jacobian(JAC, in_labels=["a", "b", "c"])


def test_higher_rank_blocks_are_flattened_with_index_tuples():
    x = np.zeros((2, 2))
    jac = np.arange(2 * 2 * 3 * 2, dtype=float).reshape(2, 2, 3, 2)  # (B, *out=(2, 3), *in=(2,))
    ax = panels(plot_batch_jacobian(jac, x=x))[1]
    np.testing.assert_array_equal(ax.images[0].get_array(), jac[1].reshape(6, 2))
    assert ax.get_yticklabels()[1].get_text() == "∂f₍₀,₁₎"
    with pytest.raises(ValueError, match="pass x"):
        plot_batch_jacobian(jac)


@pytest.mark.usefixtures("drawing")
def test_values_are_written_with_contrasting_colour():
    ax = panels(plot_batch_jacobian(JAC))[0]
    cells = next(artist for artist in ax.get_children() if hasattr(artist, "get_strings"))
    assert cells.get_strings().tolist() == [["48", "0"], ["0", "12"]]
    colors = cells.get_colors()
    assert colors[0, 0] == "white"  # 48 is the darkest red of the scale
    assert colors[0, 1] == "black"  # 0 is the white middle


@pytest.mark.usefixtures("drawing")
def test_cell_colours_follow_the_colormap_at_the_right_place():
    fig = plot_batch_jacobian(JAC, fig=Figure(dpi=80))
    ax = panels(fig)[0]
    vmin, vmax = ax.images[0].get_clim()
    cmap = resolve_cmap("RdBu_r")
    for row, col in [(0, 0), (1, 1), (0, 1)]:
        expected = np.round(np.array(cmap(Normalize(vmin, vmax)(JAC[0, row, col]))) * 255)
        got = cell_pixel(fig, ax, row, col).astype(float)
        np.testing.assert_allclose(got, expected, atol=2)


def test_annotate_false_writes_nothing_and_big_blocks_are_not_annotated():
    ax = panels(plot_batch_jacobian(JAC, annotate=False))[0]
    assert not any(hasattr(artist, "get_strings") for artist in ax.get_children())
    ax = panels(plot_batch_jacobian(np.ones((1, 12, 12))))[0]
    assert not any(hasattr(artist, "get_strings") for artist in ax.get_children())


def cell_values(ax):
    """The CellValues artist of a panel, or None when no values are written."""
    return next((artist for artist in ax.get_children() if hasattr(artist, "get_strings")), None)


def test_auto_annotation_counts_cells_not_panels():
    """256 values at most: 8 panels of 8 × 8 cells are 512, however wide the figure."""
    jac = np.random.default_rng(0).random((8, 8, 8))
    fig = plot_batch_jacobian(jac, fig=Figure(figsize=(16, 9)))
    assert all(cell_values(ax) is None for ax in panels(fig))
    fig = plot_batch_jacobian(jac[:4], fig=Figure(figsize=(16, 9)))  # 256 cells: written
    assert all(cell_values(ax).get_strings().size == 64 for ax in panels(fig))
    hess = np.random.default_rng(1).random((3, 6, 4, 4))  # 18 panels, 288 cells
    fig = plot_batch_hessian(hess, fig=Figure(figsize=(16, 9)))
    assert all(cell_values(ax) is None for ax in panels(fig))
    fig = plot_batch_hessian(hess[:2], fig=Figure(figsize=(16, 9)))  # 192 cells
    assert all(cell_values(ax) is not None for ax in panels(fig))


def test_many_examples_show_a_labelled_subset():
    jac = np.random.default_rng(0).normal(size=(16, 2, 2))
    fig = plot_batch_jacobian(jac)
    assert len(panels(fig)) == 8
    assert any("showing 8 of 16 examples" in text.get_text() for text in fig.texts)
    fig = plot_batch_jacobian(jac, examples=[3, -1])
    axes = panels(fig)
    np.testing.assert_array_equal(axes[1].images[0].get_array(), jac[15])
    assert [t.get_text() for t in fig.texts if t.get_text().startswith("example")] == [
        "example 3",
        "example 15",
    ]
    with pytest.raises(ValueError, match="out of range"):
        plot_batch_jacobian(jac, examples=[16])


def no_warnings(draw):
    """Run ``draw()`` and a full draw of the figure it returns, failing on any warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = draw()
        pixels_of_figure(fig)
    return fig


@pytest.mark.parametrize(
    "draw",
    [
        lambda: plot_batch_jacobian(np.zeros((0, 2, 2))),
        lambda: plot_batch_hessian(np.zeros((0, 1, 2, 2))),
        lambda: plot_full_jacobian(np.zeros((0, 2, 0, 2)), batch_size=0),
        lambda: plot_full_jacobian(np.zeros((0, 0)), batch_size=0),
        lambda: plot_batch_jacobian(np.zeros((0, 2)), x=np.zeros((0, 2)), fig=Figure((8, 3))),
    ],
)
def test_an_empty_batch_draws_only_a_note(draw):
    fig = no_warnings(draw)
    assert fig.axes == []
    assert [text.get_text() for text in fig.texts] == ["empty batch: nothing to show"]
    assert fig.get_figwidth() == 8.0 and fig.get_figheight() < 1.0


@pytest.mark.parametrize(
    ("draw", "words"),
    [
        (lambda: plot_batch_jacobian(np.zeros((2, 2, 0))), "the blocks are 2 × 0 (no inputs)"),
        (lambda: plot_batch_jacobian(np.zeros((2, 0, 3))), "the blocks are 0 × 3 (no outputs)"),
        (lambda: plot_batch_hessian(np.zeros((2, 1, 0, 0))), "the blocks are 1 × 0 (no inputs)"),
        (
            lambda: plot_full_jacobian(np.zeros((2, 2, 2, 0)), batch_size=2),
            "the blocks are 2 × 0 (no inputs)",
        ),
    ],
)
def test_blocks_without_cells_draw_only_a_note_and_warn_nothing(draw, words):
    fig = no_warnings(draw)
    assert fig.axes == []
    assert [text.get_text() for text in fig.texts] == [f"{words}: nothing to show"]


@pytest.mark.usefixtures("drawing")
def test_the_renderer_draws_an_empty_batch_and_recovers():
    grid = HeatmapGrid(dpi=60)
    for kind, empty in [
        ("jacobian", np.zeros((0, 2, 2))),
        ("hessian", np.zeros((0, 2, 2, 2))),
        ("full", np.zeros((0, 2, 0, 2))),
    ]:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            png = grid.render(kind, empty)
        assert grid.figure.axes == []
        assert grid.figure.texts[0].get_text() == "empty batch: nothing to show"
        assert pixels_of_png(png).shape[:2] == (round(grid.figure.get_figheight() * 60), 8 * 60)
    png = grid.render("jacobian", JAC)
    np.testing.assert_array_equal(
        pixels_of_png(png), pixels_of_png(HeatmapGrid(dpi=60).render("jacobian", JAC))
    )


def test_flattened_inputs_are_named_even_when_their_ticks_are_dropped():
    jac = np.random.default_rng(0).standard_normal((2, 4, 5, 6))
    fig = plot_batch_jacobian(jac, x=np.ones((2, 5, 6)))
    ax = panels(fig)[0]
    assert ax.get_xticklabels() == []  # 30 columns: too many to label
    notes = [text.get_text() for text in fig.texts if "flattened" in text.get_text()]
    assert notes == ["• marks an exact 0\ninputs flattened from (5, 6), row-major"]  # no values
    jac = np.zeros((20, 2, 3, 2))  # (B, *out=(2, 3), n=2), 8 of 20 shown
    fig = plot_batch_jacobian(jac, x=np.zeros((20, 2)))
    assert fig.texts[-1].get_text() == (
        "showing 8 of 20 examples (choose with examples=)\noutputs flattened from (2, 3), row-major"
    )
    hess = np.zeros((1, 2, 2, 3, 2, 3))
    fig = plot_batch_hessian(hess, x=np.zeros((1, 2, 3)))
    assert "inputs flattened from (2, 3), row-major" in fig.texts[-1].get_text()
    fig = plot_full_jacobian(np.zeros((2, 1, 2, 2, 2)), batch_size=2, out_ndim=1)
    assert fig.texts[-1].get_text().endswith("\ninputs flattened from (2, 2), row-major")
    assert "flattened" not in plot_batch_jacobian(JAC).texts[-1].get_text()


def test_the_flattening_note_keeps_clear_of_the_titles():
    """Two note lines: the panels move down by a line, the titles stay under the note."""
    one = plot_batch_jacobian(np.zeros((2, 2, 3)), fig=Figure(dpi=80))
    two = plot_batch_jacobian(np.zeros((2, 2, 3, 1)), x=np.zeros((2, 3, 1)), fig=Figure(dpi=80))
    for fig in (one, two):
        pixels_of_figure(fig)
        renderer = fig.canvas.get_renderer()
        note, title = fig.texts[-1], fig.texts[0]
        assert note.get_window_extent(renderer).y0 > title.get_window_extent(renderer).y1
    assert two.get_figheight() > one.get_figheight()


@pytest.mark.parametrize(
    ("examples", "error", "message"),
    [
        ([0, 0], ValueError, r"examples= lists \[0\] more than once"),
        ([1, -1], ValueError, r"examples= lists \[1\] more than once"),  # -1 is 1 for B = 2
        ([1.7], TypeError, r"integer indices.*got 1\.7 \(float\)"),
        ([True], TypeError, r"got True \(bool\)"),
        (np.array([1.0]), TypeError, r"got 1\.0 \(float\)"),
        (["0"], TypeError, r"got '0' \(str\)"),
        ([2], ValueError, r"out of range for a batch of 2: valid are 0 to 1 \(or -2 to -1\)"),
        ([-3], ValueError, r"examples \[-3\] out of range"),
        ([], ValueError, "examples= is empty"),
    ],
)
def test_examples_must_be_distinct_integers_in_range(examples, error, message):
    with pytest.raises(error, match=message):
        plot_batch_jacobian(JAC, examples=examples)
    with pytest.raises(error, match=message):
        plot_batch_hessian(HESS, examples=examples)
    with pytest.raises(error, match=message):
        HeatmapGrid().render("jacobian", JAC, examples=examples)


def test_integer_examples_of_any_integer_type_are_accepted():
    for examples in (np.array([1]), [np.int64(1)], 1, range(1, 2)):
        (ax,) = panels(plot_batch_jacobian(JAC, examples=examples))
        np.testing.assert_array_equal(ax.images[0].get_array(), JAC[1])


def test_nan_and_inf_cells_are_grey_counted_and_named():
    jac = JAC.copy()
    jac[0, 0, 1] = np.nan
    jac[1, 1, 0] = np.inf
    fig = plot_batch_jacobian(jac, fig=Figure(dpi=80))
    ax = panels(fig)[0]
    assert ax.images[0].get_array().mask.tolist() == [[False, True], [False, False]]
    assert any("2 cells are NaN/inf" in text.get_text() for text in fig.texts)
    np.testing.assert_allclose(
        cell_pixel(fig, ax, 0, 1).astype(float), np.round(np.array(to_rgba(BAD_COLOR)) * 255)
    )
    cells = next(artist for artist in ax.get_children() if hasattr(artist, "get_strings"))
    assert cells.get_strings()[0, 1] == "NaN"
    assert ax.images[0].get_clim() == (-50.0, 50.0)  # inf does not blow up the scale


@pytest.mark.parametrize("value", [0.0, np.nan])
def test_all_zero_or_all_nan_blocks_keep_a_real_scale(value):
    fig = plot_batch_jacobian(np.full((2, 2, 2), value), fig=Figure(dpi=80))
    vmin, vmax = panels(fig)[0].images[0].get_clim()
    assert vmin == -vmax and vmax > 0
    assert (vmin, vmax) == (-FALLBACK_LIMIT, FALLBACK_LIMIT)
    colour = resolve_cmap("RdBu_r")(0.5) if value == 0.0 else to_rgba(BAD_COLOR)
    for ax in panels(fig):
        assert ax.images[0].get_clim() == (vmin, vmax)
        for row, col in [(0, 0), (1, 1)]:
            np.testing.assert_allclose(
                cell_pixel(fig, ax, row, col).astype(float),
                np.round(np.array(colour) * 255),
                atol=2,
            )
    bar_labels = [text.get_text() for text in fig.axes[-1].texts]  # not collapsed either
    assert bar_labels == [compact_value(f * FALLBACK_LIMIT) for f in (-1, -0.5, 0, 0.5, 1)]
    assert fig.texts[-1].get_text() == ("" if value == 0.0 else "8 cells are NaN/inf (grey)")


def test_symmetric_limit_is_a_nice_number_above_the_largest_value():
    values = np.random.default_rng(1).normal(size=200) * 37.0
    limit = symmetric_limit(values)
    largest = np.abs(values).max()
    assert largest <= limit <= 1.25 * largest
    assert symmetric_limit([0.12]) == pytest.approx(0.12)


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=MIN_LIMIT, max_value=MAX_LIMIT, exclude_min=True, exclude_max=True))
def test_symmetric_limit_is_nice_and_tight_across_the_float_range(largest):
    limit = symmetric_limit([largest, -largest / 3])
    assert largest * (1 - 1e-9) <= limit <= 4 / 3 * largest  # 4/3: from 1.5 up to 2, say
    mantissa = float(f"{limit:.12e}".split("e")[0])
    assert mantissa in {1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0}


@pytest.mark.usefixtures("drawing")
@pytest.mark.parametrize("value", [5e-324, 1e-300, 1e308, 1.7e308, np.finfo(float).max])
def test_values_at_the_float_extremes_keep_a_finite_scale_and_warn_nothing(value):
    jac = np.array([[[value, 0.0], [0.0, -value]]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        limit = symmetric_limit(jac)
        fig = plot_batch_jacobian(jac, fig=Figure(dpi=80))
        ax = panels(fig)[0]
        top = cell_pixel(fig, ax, 0, 0).astype(float)
        fig.savefig(io.BytesIO(), format="svg")
        HeatmapGrid(dpi=60).render("jacobian", jac)
    assert np.isfinite(limit) and MIN_LIMIT <= limit <= MAX_LIMIT
    assert limit >= min(value, MAX_LIMIT)
    assert ax.images[0].get_clim() == (-limit, limit)
    share = min(value / limit, 1.0)  # beyond MAX_LIMIT: the end colour
    expected = np.round(np.array(resolve_cmap("RdBu_r")(0.5 + share / 2)) * 255)
    np.testing.assert_allclose(top, expected, atol=2)


def test_text_color_contrasts():
    assert text_color("white") == "black"
    assert text_color("#053061") == "white"  # the darkest blue of RdBu
    assert text_color("#de725b") == "black"  # white gave 3.15:1 here (issue #20)


def _text_rgb(names):
    """RGB of ``"black"`` / ``"white"`` names, shape (..., 3)."""
    return np.where((names == "white")[..., None], 1.0, 0.0) * np.ones(3)


@pytest.mark.parametrize("name", sorted(colormaps))
def test_cell_numbers_meet_wcag_aa_contrast_on_every_colour_of_every_colormap(name):
    cmap = resolve_cmap(name)  # every colormap plot_* accepts, with jacviz's NaN/inf grey
    cells = np.concatenate([cmap(np.linspace(0.0, 1.0, cmap.N)), [cmap(np.nan)]])
    ratios = contrast_ratio(_text_rgb(text_colors(cells)), cells)
    assert ratios.min() >= 4.5, f"{name}: {ratios.min():.2f}:1 at {cells[ratios.argmin()]}"
    other = np.where(text_colors(cells) == "white", "black", "white")
    assert np.all(ratios >= contrast_ratio(_text_rgb(other), cells))  # the better of the two


@pytest.mark.usefixtures("drawing")
def test_numbers_drawn_in_the_cells_contrast_with_their_cells():
    fig = plot_batch_jacobian(np.linspace(-27.0, 27.0, 36).reshape(1, 6, 6), fig=Figure(dpi=80))
    ax = panels(fig)[0]
    cells = next(artist for artist in ax.get_children() if hasattr(artist, "get_strings"))
    image = ax.images[0]
    rgba = image.cmap(image.norm(image.get_array()))
    ratios = contrast_ratio(_text_rgb(np.asarray(cells.get_colors())), rgba)
    assert ratios.min() >= 4.5


def zero_dots(ax):
    """The (column, row) of each dot marking an exact 0 in a panel."""
    (dots,) = [line for line in ax.get_children() if isinstance(line, Line2D)]
    return sorted(zip(*dots.get_data(), strict=True))


@pytest.mark.usefixtures("drawing")
def test_exact_zeros_get_a_dot_where_no_numbers_are_written():
    """Near-white cells: a dot tells an exact 0 from a small value (#20, WCAG 1.4.1)."""
    jac = np.stack([np.diag(np.arange(1.0, 11.0)) * (b + 1) for b in range(2)])  # 10 x 10
    jac[:, 0, 1] = 1e-3  # tiny, pale as a zero: no dot
    jac[1, 2, 2] = 0.0
    fig = plot_batch_jacobian(jac)
    zeros = [sorted((int(j), int(i)) for i, j in np.argwhere(block == 0)) for block in jac]
    assert [zero_dots(ax) for ax in panels(fig)] == zeros
    assert (1, 0) not in zero_dots(panels(fig)[0]) and (2, 2) in zero_dots(panels(fig)[1])
    assert len(zeros[0]) == 100 - 10 - 1
    assert fig.texts[-1].get_text() == "• marks an exact 0"
    annotated = plot_batch_jacobian(jac[:, :3, :3])  # numbers written: "0" says it
    assert [line for ax in panels(annotated) for line in ax.lines] == []
    assert "exact 0" not in annotated.alt_text
    tiny = plot_full_jacobian(np.zeros((16, 8, 16, 8)), batch_size=16)  # cells < 0.1 in
    assert not [c for c in panels(tiny)[0].get_children() if isinstance(c, Line2D)]
    assert "exact 0" not in tiny.texts[0].get_text()


@pytest.mark.usefixtures("drawing")
def test_zero_dots_follow_new_values_in_the_live_renderer():
    grid = HeatmapGrid(dpi=60)
    jac = np.stack([np.diag(np.arange(1.0, 11.0))] * 2)
    grid.render("jacobian", jac)
    jac[0] = 1.0  # example 0: no zero left; example 1 unchanged
    png = grid.render("jacobian", jac)
    assert grid.redrawn[0] == ("panel", 0) and ("panel", 1) not in grid.redrawn
    assert zero_dots(panels(grid.figure)[0]) == []
    np.testing.assert_array_equal(
        pixels_of_png(png), pixels_of_png(HeatmapGrid(dpi=60).render("jacobian", jac))
    )


@pytest.mark.parametrize("name", sorted(colormaps))
def test_zero_dots_contrast_3_to_1_with_the_zero_cell_of_every_colormap(name):
    cmap = resolve_cmap(name)
    zero = cell_colors(np.zeros(1), cmap, Normalize(-1.0, 1.0))[0]
    assert contrast_ratio(mark_color(zero), zero) >= 3.0


def test_drawing_into_a_given_figure_reuses_it():
    fig = Figure()
    assert plot_batch_jacobian(JAC, fig=fig) is fig
    plot_batch_jacobian(JAC * 2, fig=fig)
    assert len(fig.axes) == 3
    np.testing.assert_array_equal(panels(fig)[1].images[0].get_array(), JAC[1] * 2)


@pytest.mark.usefixtures("drawing")
def test_drawing_one_block_into_a_given_axes():
    fig = Figure()
    ax = fig.add_subplot()
    assert plot_batch_jacobian(JAC, ax=ax, examples=[1], x=X) is fig
    np.testing.assert_array_equal(ax.images[0].get_array(), JAC[1])
    assert ax.get_title() == "example 1\nx = [1, 3]"
    with pytest.raises(ValueError, match="ax= draws one example"):
        plot_batch_jacobian(JAC, ax=fig.add_subplot(212))


@pytest.mark.parametrize("subplot", [True, False])
def test_drawing_again_into_an_axes_replaces_what_jacviz_drew(subplot):
    def fresh_axes():
        fig = Figure(figsize=(5, 4), dpi=60)
        return fig, fig.add_subplot() if subplot else fig.add_axes((0.15, 0.15, 0.6, 0.7))

    fig, ax = fresh_axes()
    position = ax.get_position().bounds
    plot_batch_jacobian(JAC, ax=ax, examples=[0])
    shrunk = ax.get_position().bounds  # the colour bar took room
    children = len(ax.get_children())
    plot_batch_jacobian(JAC * 2, ax=ax, examples=[1], x=X)
    assert len(fig.axes) == 2  # still one colour bar
    (image,) = ax.images
    np.testing.assert_array_equal(image.get_array(), JAC[1] * 2)
    assert ax.get_title() == "example 1\nx = [1, 3]"
    assert ax.get_position().bounds == pytest.approx(shrunk)
    assert len(ax.get_children()) == children
    once, ax_once = fresh_axes()
    plot_batch_jacobian(JAC * 2, ax=ax_once, examples=[1], x=X)
    np.testing.assert_array_equal(pixels_of_figure(fig), pixels_of_figure(once))
    # an empty batch leaves a blank axes with the note and gives the room back
    plot_batch_jacobian(np.zeros((0, 2, 2)), ax=ax)
    assert (len(fig.axes), len(ax.images), ax.get_title()) == (1, 0, "")
    assert ax.get_position().bounds == pytest.approx(position)
    assert [text.get_text() for text in ax.texts] == ["empty batch: nothing to show"]


def test_what_the_caller_drew_in_the_axes_stays():
    fig = Figure()
    ax = fig.add_subplot()
    plot_full_jacobian(full_from_blocks(JAC), batch_size=2, ax=ax)
    (marker,) = ax.plot([1.0], [1.0], "k+")
    plot_full_jacobian(full_from_blocks(JAC, coupling=0.5), batch_size=2, ax=ax)
    assert list(ax.lines) == [marker]
    assert len(ax.images) == 1 and len(fig.axes) == 2
    assert [text.get_text() for text in ax.texts] == [
        "off-diagonal blocks reach 0.5: the examples are coupled"
    ]


def test_notes_of_two_axes_plots_stay_with_their_axes():
    fig = Figure(figsize=(6, 9), dpi=80, layout="constrained")
    top, bottom = fig.add_subplot(211), fig.add_subplot(212)
    jac = JAC.copy()
    jac[0, 0, 1] = np.nan
    plot_batch_jacobian(jac, ax=top, examples=[0])
    plot_full_jacobian(full_from_blocks(JAC, coupling=0.5), batch_size=2, ax=bottom)
    assert fig.texts == []  # nothing in the figure's corner
    assert [text.get_text() for text in top.texts] == ["1 cell is NaN/inf (grey)"]
    assert [text.get_text() for text in bottom.texts] == [
        "off-diagonal blocks reach 0.5: the examples are coupled"
    ]
    pixels_of_figure(fig)
    renderer = fig.canvas.get_renderer()
    boxes = []
    for ax in (top, bottom):
        note, frame = ax.texts[0].get_window_extent(renderer), ax.get_window_extent()
        labels = [label.get_window_extent(renderer) for label in ax.get_xticklabels()]
        assert note.y1 < min(label.y0 for label in labels)  # under the column labels
        assert abs(note.x0 - frame.x0) <= 3  # left-aligned with its axes
        boxes.append(note)
    assert not boxes[0].overlaps(boxes[1])
    assert boxes[0].y0 > bottom.get_window_extent().y1  # the constrained layout made room


# ---------------------------------------------------------------- Hessian and full Jacobian


@pytest.mark.usefixtures("drawing")
def test_hessian_grid_has_a_row_per_example_and_a_column_per_output():
    fig = plot_batch_hessian(HESS, x=X)
    axes = panels(fig)
    assert len(axes) == 4
    expected = {(0, 0): 24.0, (0, 1): 12.0, (1, 0): 6.0, (1, 1): 18.0}
    for (b, i), value in expected.items():
        block = axes[2 * b + i].images[0].get_array()
        assert block[i, i] == value
        assert np.count_nonzero(block) == 1
    assert axes[0].get_title() == "∂²f₀"
    rows = [t.get_text() for t in fig.texts if t.get_text().startswith("example")]
    assert rows == ["example 0    x = [4, 2]", "example 1    x = [1, 3]"]
    assert len({ax.images[0].get_clim() for ax in axes}) == 1


def test_hessian_of_a_scalar_output():
    hess = np.stack([np.eye(3), -np.eye(3)])  # (B, n, n)
    axes = panels(plot_batch_hessian(hess))
    assert len(axes) == 2
    np.testing.assert_array_equal(axes[1].images[0].get_array(), -np.eye(3))


def test_many_hessian_outputs_show_a_labelled_subset():
    hess = np.random.default_rng(0).standard_normal((2, 64, 8, 8))
    fig = no_warnings(lambda: plot_batch_hessian(hess))
    axes = panels(fig)
    assert len(axes) == 2 * 8
    for k, ax in enumerate(axes):
        np.testing.assert_array_equal(ax.images[0].get_array(), hess[k // 8, k % 8])
        assert ax.get_position().width > 0
    assert [ax.get_title() for ax in axes[:8]] == ["∂²f" + chr(0x2080 + i) for i in range(8)]
    assert fig.texts[-1].get_text() == "showing outputs 0–7 of 64 (choose with outputs=)"
    vmin, vmax = axes[0].images[0].get_clim()
    assert vmax == -vmin == symmetric_limit(hess)  # the scale of the whole batch
    fig = plot_batch_hessian(hess, outputs=[63, 5], examples=[1])
    axes = panels(fig)
    np.testing.assert_array_equal(axes[0].images[0].get_array(), hess[1, 63])
    assert [ax.get_title() for ax in axes] == ["∂²f₆₃", "∂²f₅"]
    assert fig.texts[-1].get_text() == (
        "showing 1 of 2 examples (choose with examples=)    ·    "
        "showing 2 of 64 outputs (choose with outputs=)"
    )
    wide = no_warnings(lambda: plot_batch_hessian(hess[:1], outputs=range(64)))
    assert len(panels(wide)) == 64 and wide.get_figwidth() > 8.0  # asked for: wider, not broken
    with pytest.raises(ValueError, match=r"outputs \[64\] out of range for 64 outputs"):
        plot_batch_hessian(hess, outputs=[64])


def test_the_renderer_draws_wide_hessians_and_chooses_outputs():
    x = np.random.default_rng(1).standard_normal((2, 6))
    eye = np.eye(6)  # f(x) = outer(x, x): ∂²f_(i,j) / ∂x_k ∂x_l = δ_ik δ_jl + δ_il δ_jk
    blocks = np.einsum("ik,jl->ijkl", eye, eye) + np.einsum("il,jk->ijkl", eye, eye)
    hess = np.broadcast_to(blocks.reshape(36, 6, 6), (2, 36, 6, 6))
    grid = HeatmapGrid(dpi=60)
    grid.render("hessian", hess, x=x)  # outer(x, x) at n = 6: m = 36
    assert len(panels(grid.figure)) == 2 * 8
    grid.render("hessian", hess, x=x, outputs=[35])
    np.testing.assert_array_equal(panels(grid.figure)[1].images[0].get_array(), hess[1, 35])
    with pytest.raises(ValueError, match="outputs= chooses the columns of a Hessian grid"):
        grid.render("jacobian", JAC, outputs=[0])


def two_scale_hessians(t=0.0):
    """Hessians of 2 examples, 3 outputs of very different sizes: largest |value| 4, 1e3, 0.02."""
    hess = np.zeros((2, 3, 2, 2))
    hess[:, 0] = [[[4.0, -1.0], [-1.0, 2.0]], [[-2.0, 1.0], [1.0, 0.0]]]
    hess[:, 1] = [[[0.0, 1e3], [1e3, -500.0]], [[0.0, 300.0], [300.0, -300.0]]]
    hess[:, 2] = [[[0.0, -0.02], [-0.02, 0.01]], [[0.0, 0.01], [0.01, 0.005]]]
    hess[1] *= 1.0 + t  # example 1 moves; example 0 keeps each output's largest value
    return hess


@pytest.mark.usefixtures("drawing")
def test_a_per_output_scale_colours_each_output_by_its_own_largest_value():
    grid = HeatmapGrid(dpi=60)
    hess = two_scale_hessians()
    grid.render("hessian", hess, x=X, scale="output")
    fig, largest = grid.figure, [4.0, 1e3, 0.02]  # each output's max |value|, a nice number
    for k, ax in enumerate(panels(fig)):
        b, i = divmod(k, 3)
        colours = ax.images[0].get_array()  # coloured as value / L_i on [-1, 1]
        np.testing.assert_allclose(colours * largest[i], hess[b, i], err_msg=(b, i))
        assert ax.images[0].get_clim() == (-1.0, 1.0)
    for i in range(3):  # the column's largest value takes the scale's end colour
        column = [panels(fig)[b * 3 + i].images[0].get_array() for b in range(2)]
        assert np.abs(column).max() == 1.0
    words = [t.get_text() for t in fig.texts]
    assert words[2:5] == ["∂²f₀  L₀ = 4", "∂²f₁  L₁ = 1e3", "∂²f₂  L₂ = 0.02"]
    assert "compare colours within a column" in words[-1]
    with pytest.raises(ValueError, match="scale= colours the outputs of a Hessian grid"):
        grid.render("jacobian", JAC, scale="output")


@pytest.mark.usefixtures("drawing")
def test_a_per_output_scale_refills_in_place_like_a_fresh_render():
    """The limits are texts, not layout: new values refill and blit, as fast as shared."""
    grid = HeatmapGrid(dpi=60)
    for t in (0.0, 0.5, 3.0):  # at t = 3 example 1 holds the largest values: new limits
        png = grid.render("hessian", two_scale_hessians(t), x=X, scale="output")
        fresh = HeatmapGrid(dpi=60).render("hessian", two_scale_hessians(t), x=X, scale="output")
        np.testing.assert_array_equal(pixels_of_png(png), pixels_of_png(fresh), err_msg=t)
        if t == 0.5:  # example 1's panels (and what touches them): the limits stay
            assert grid.redrawn[:3] == [("panel", 3), ("panel", 4), ("panel", 5)]
            assert not {("text", 2), ("text", 3), ("text", 4), ("colorbar",)} & {*grid.redrawn}
    assert ("text", 2) in grid.redrawn and ("colorbar",) not in grid.redrawn
    assert "L₀ = 8" in [t.get_text() for t in grid.figure.texts][2]
    shared = grid.render("hessian", two_scale_hessians(), x=X)
    assert grid.redrawn == ["all"] and shared != png  # another structure: its own view
    grid.render("hessian", two_scale_hessians(), x=X, scale="output")
    assert grid.redrawn != ["all"]  # toggling back finds the kept view


@pytest.mark.usefixtures("drawing")
def test_renderer_pixels_equal_the_plot_function_on_a_per_output_scale():
    grid = HeatmapGrid(dpi=80)
    png = grid.render("hessian", two_scale_hessians(), x=X, scale="output")
    width = grid.figure.get_figwidth()
    fig = plot_batch_hessian(two_scale_hessians(), x=X, scale="output", width=width)
    assert_same_picture_but_tick_typesetting(pixels_of_png(png), at_dpi(fig, 80))


def test_one_hessian_panel_into_a_given_axes():
    fig = Figure()
    ax = fig.add_subplot()
    assert plot_batch_hessian(HESS, x=X, ax=ax, examples=[1], outputs=[1]) is fig
    np.testing.assert_array_equal(ax.images[0].get_array(), HESS[1, 1])
    assert ax.get_title() == "example 1: ∂²f₁\nx = [1, 3]"
    assert len(fig.axes) == 2  # the panel and its colour bar
    assert ax.images[0].get_clim() == (-25.0, 25.0)  # the batch's scale: 24 fits
    with pytest.raises(ValueError, match=r"ax= draws one Hessian panel but 4 are shown"):
        plot_batch_hessian(HESS, ax=fig.add_subplot(212))
    with pytest.raises(ValueError, match=r"pass examples=\[b\] and outputs=\[i\]"):
        plot_batch_hessian(HESS, ax=ax, examples=[0])
    single = Figure().add_subplot()
    plot_batch_hessian(np.eye(2)[None], ax=single)  # B = 1, scalar output: one panel anyway
    np.testing.assert_array_equal(single.images[0].get_array(), np.eye(2))


def test_hessian_shape_errors_name_only_what_helps():
    with pytest.raises(ValueError, match=r"pass x \(B, \*in\)$"):
        plot_batch_hessian(np.zeros((2, 2, 2, 2, 2)))


def full_from_blocks(jac, coupling=0.0):
    """A (B, m, B, n) full Jacobian with ``jac`` on the diagonal."""
    batch, m, n = jac.shape
    full = np.full((batch, m, batch, n), coupling)
    for b in range(batch):
        full[b, :, b, :] = jac[b]
    return full


@pytest.mark.usefixtures("drawing")
def test_full_jacobian_is_the_block_matrix_with_blocks_outlined():
    full = full_from_blocks(JAC)
    fig = plot_full_jacobian(full, batch_size=2)
    (ax,) = panels(fig)
    matrix = ax.images[0].get_array()
    assert matrix.shape == (4, 4)
    np.testing.assert_array_equal(matrix[:2, :2], JAC[0])
    np.testing.assert_array_equal(matrix[2:, 2:], JAC[1])
    outlines = ax.collections[-1].get_segments()
    assert len(outlines) == 2  # one outline per diagonal block
    assert "independent" in fig.texts[0].get_text()


def test_full_jacobian_says_when_examples_are_coupled():
    fig = plot_full_jacobian(full_from_blocks(JAC, coupling=0.5), batch_size=2)
    assert fig.texts[0].get_text().startswith("off-diagonal blocks reach 0.5")


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_full_jacobian_with_non_finite_off_diagonal_entries_does_not_claim_independence(bad):
    note = plot_full_jacobian(np.full((2, 1, 2, 1), bad), batch_size=2).texts[0].get_text()
    assert "independent" not in note
    assert note.startswith("off-diagonal blocks hold NaN/inf: whether the examples are coupled")
    assert "4 cells are NaN/inf" in note
    full = full_from_blocks(JAC)
    full[0, 0, 1, 1] = bad
    note = plot_full_jacobian(full, batch_size=2).texts[0].get_text()
    assert note.startswith("off-diagonal blocks hold NaN/inf") and "1 cell is NaN/inf" in note
    full[1, 0, 0, 1] = -0.25  # a finite coupling beside the unknown one decides
    note = plot_full_jacobian(full, batch_size=2).texts[0].get_text()
    assert note.startswith("off-diagonal blocks reach 0.25: the examples are coupled")


def test_full_jacobian_of_one_example_has_no_off_diagonal_blocks():
    note = plot_full_jacobian(JAC[:1].reshape(1, 2, 1, 2), batch_size=1).texts[0].get_text()
    assert note == "one example: no off-diagonal blocks"


def test_full_jacobian_accepts_a_2d_matrix():
    matrix = full_from_blocks(JAC).reshape(4, 4)
    (ax,) = panels(plot_full_jacobian(matrix, batch_size=2))
    np.testing.assert_array_equal(ax.images[0].get_array(), matrix)
    with pytest.raises(ValueError, match="B·m, B·n"):
        plot_full_jacobian(np.zeros((3, 4)), batch_size=2)


def test_full_jacobian_into_a_given_axes():
    fig = Figure()
    ax = fig.add_subplot()
    full = full_from_blocks(JAC, coupling=0.25)
    assert plot_full_jacobian(full, batch_size=2, ax=ax) is fig
    assert ax.images[0].get_array().shape == (4, 4)
    np.testing.assert_array_equal(ax.images[0].get_array(), full.reshape(4, 4))
    assert len(fig.axes) == 2  # the given axes and its colour bar, nothing else
    assert ax.images[0].get_clim() == (-50.0, 50.0)
    lines, outlines = ax.collections[-2:]
    assert len(lines.get_segments()) == 2  # one boundary between the rows, one between columns
    assert [segment[0].tolist() for segment in outlines.get_segments()] == [
        [-0.5, -0.5],
        [1.5, 1.5],
    ]  # each diagonal block outlined from its top-left corner
    assert ax.get_title().startswith("full Jacobian of a batch of 2")
    assert [label.get_text() for label in ax.get_xticklabels()][2] == "∂x⁽¹⁾₀"
    assert [text.get_text() for text in ax.texts] == [
        "off-diagonal blocks reach 0.25: the examples are coupled"
    ]


# ---------------------------------------------------------------- live renderer


def sine_frames(batch, n, count, seed=0):
    """x and the Jacobian / Hessian of f(x) = sin(A x) along a slider drag."""
    a = np.random.default_rng(seed).normal(size=(n, n))
    for t in range(count):
        x = np.linspace(-1, 1, batch * n).reshape(batch, n) + 0.2 * t
        z = x @ a.T
        jac = np.cos(z)[:, :, None] * a[None]
        hess = -np.sin(z)[:, :, None, None] * a[None, :, :, None] * a[None, :, None, :]
        yield x, jac, hess


def artist_count(fig):
    return len(fig.findobj())


@pytest.mark.usefixtures("drawing")
@pytest.mark.parametrize("kind", ["jacobian", "hessian"])
def test_updates_give_the_pixels_of_a_fresh_render(kind):
    grid = HeatmapGrid()
    for x, jac, hess in sine_frames(3, 3, 6):
        data = jac if kind == "jacobian" else hess
        png = grid.render(kind, data, x=x)
        fresh = HeatmapGrid().render(kind, data, x=x)
        np.testing.assert_array_equal(pixels_of_png(png), pixels_of_png(fresh))
    assert grid.redrawn != ["all"]  # the last frames went the in-place way


def assert_same_picture_but_tick_typesetting(live, fig):
    """``live`` pixels = a full draw of ``fig``, except how the tick labels are typeset.

    The renderer writes its ``∂f₀`` labels as plain texts (stamped on the fast
    path), ``plot_*`` as matplotlib's ticks (restylable): outside the tick
    labels' boxes the pixels are identical; inside, the ink of each label
    lies within two pixels of the tick's.
    """
    static = pixels_of_figure(fig)
    assert live.shape == static.shape
    renderer = fig.canvas.get_renderer()
    height = static.shape[0]
    outside = np.ones(static.shape[:2], dtype=bool)
    labels = [
        label
        for ax in fig.axes
        for label in (*ax.get_xticklabels(), *ax.get_yticklabels())
        if label.get_text()
    ]
    assert labels
    for label in labels:
        box = label.get_window_extent(renderer).padded(3)
        rows = slice(max(0, int(height - box.y1)), int(height - box.y0) + 1)
        cols = slice(max(0, int(box.x0)), int(box.x1) + 1)
        outside[rows, cols] = False
        # any visible ink: thin subscripts anti-alias differently by a fraction of a pixel
        ink = [np.argwhere(pixels[rows, cols, :3].min(axis=2) < 224) for pixels in (live, static)]
        assert len(ink[0]) and len(ink[1]), label.get_text()
        for corner in (np.min, np.max):
            np.testing.assert_allclose(corner(ink[0], axis=0), corner(ink[1], axis=0), atol=2)
    np.testing.assert_array_equal(live[outside], static[outside])


@pytest.mark.usefixtures("drawing")
def test_renderer_pixels_equal_a_full_draw_of_the_plot_function():
    png = HeatmapGrid(dpi=80).render("jacobian", JAC, x=X)
    fig = at_dpi(plot_batch_jacobian(JAC, x=X), 80)
    assert_same_picture_but_tick_typesetting(pixels_of_png(png), fig)


@pytest.mark.usefixtures("drawing")
@pytest.mark.parametrize("kind", ["hessian", "full"])
def test_renderer_pixels_equal_the_plot_functions_for_hessians_and_full_jacobians(kind):
    """The renderer's tick labels are typeset texts, matplotlib's ticks in plot_*."""
    if kind == "hessian":
        png = HeatmapGrid(dpi=80).render("hessian", HESS, x=X)
        fig = at_dpi(plot_batch_hessian(HESS, x=X), 80)
    else:
        full = full_from_blocks(JAC, coupling=0.5)
        grid = HeatmapGrid(dpi=80)
        png = grid.render("full", full)
        # the live picture wraps its note where plot_* widens for it: ask for the same width
        width = grid.figure.get_figwidth()
        fig = at_dpi(plot_full_jacobian(full, batch_size=2, width=width), 80)
    assert_same_picture_but_tick_typesetting(pixels_of_png(png), fig)


def test_full_kind_updates_in_place_and_matches_fresh():
    grid = HeatmapGrid()
    grid.render("full", full_from_blocks(JAC))
    full = full_from_blocks(JAC * 1.1, coupling=0.3)
    png = grid.render("full", full)
    assert grid.redrawn != ["all"]
    np.testing.assert_array_equal(
        pixels_of_png(png), pixels_of_png(HeatmapGrid().render("full", full))
    )


@pytest.mark.usefixtures("drawing")
def test_only_changed_groups_are_redrawn():
    grid = HeatmapGrid()
    grid.render("jacobian", JAC, x=X)
    x = X.copy()
    x[1] = [1.0, 2.9]
    jac = JAC.copy()
    jac[1, 1, 1] = 3 * 2.9**2
    grid.render("jacobian", jac, x=x)
    assert grid.redrawn == [("panel", 1), ("text", 1)]
    grid.render("jacobian", jac, x=x)
    assert grid.redrawn == []


@pytest.mark.usefixtures("drawing")
def test_nan_frames_update_in_place_and_match_fresh():
    grid = HeatmapGrid()
    grid.render("jacobian", JAC, x=X)
    jac = JAC.copy()
    jac[0, 1, 0] = np.nan
    for frame in (jac, JAC, np.full_like(JAC, np.nan), np.zeros_like(JAC)):
        png = grid.render("jacobian", frame, x=X)
        fresh = HeatmapGrid().render("jacobian", frame, x=X)
        np.testing.assert_array_equal(pixels_of_png(png), pixels_of_png(fresh))


def test_repeated_updates_keep_artists_and_figures_constant():
    grid = HeatmapGrid()
    frames = list(sine_frames(4, 4, 12))
    grid.render("jacobian", frames[0][1], x=frames[0][0])
    figure, count = grid.figure, artist_count(grid.figure)
    gc.collect()
    figures = sum(isinstance(obj, Figure) for obj in gc.get_objects())
    for x, jac, _ in frames[1:]:
        grid.render("jacobian", jac, x=x)
    gc.collect()
    assert grid.figure is figure
    assert artist_count(grid.figure) == count
    assert sum(isinstance(obj, Figure) for obj in gc.get_objects()) == figures


def live_figures():
    gc.collect()
    return sum(isinstance(obj, Figure) for obj in gc.get_objects())


def test_a_new_shape_builds_its_own_view_and_going_back_refills_the_old_one():
    grid = HeatmapGrid()
    grid.render("jacobian", JAC)
    first = grid.figure
    grid.render("jacobian", np.zeros((3, 2, 2)))
    assert grid.redrawn == ["all"]
    assert grid.figure is not first  # each structure keeps its own figure
    assert len(panels(grid.figure)) == 3
    assert len(panels(first)) == 2  # and the first picture is untouched
    png = grid.render("jacobian", JAC * 2)
    assert grid.figure is first
    assert grid.redrawn != ["all"]  # in place
    assert {("colorbar",), ("panel", 0), ("panel", 1)} <= set(grid.redrawn)
    np.testing.assert_array_equal(
        pixels_of_png(png), pixels_of_png(HeatmapGrid().render("jacobian", JAC * 2))
    )


def test_toggling_shapes_back_and_forth_stays_in_place_and_bounded():
    """A lecturer flipping order 1 <-> 2 and batch 3 <-> 4: after the first visits, no builds."""
    grid = HeatmapGrid(dpi=40)
    frames = list(sine_frames(4, 3, 12))
    shapes = [("jacobian", 3), ("jacobian", 4), ("hessian", 4), ("hessian", 3)]
    for t, (x, jac, hess) in enumerate(frames[:4]):
        kind, batch = shapes[t]
        grid.render(kind, (jac if kind == "jacobian" else hess)[:batch], x=x[:batch])
    figures = live_figures()
    counts = {}
    for t, (x, jac, hess) in enumerate(frames[4:]):
        kind, batch = shapes[t % 4]
        png = grid.render(kind, (jac if kind == "jacobian" else hess)[:batch], x=x[:batch])
        assert grid.redrawn != ["all"]
        counts.setdefault((kind, batch), set()).add(artist_count(grid.figure))
        if t < 4:
            fresh = HeatmapGrid(dpi=40).render(
                kind, (jac if kind == "jacobian" else hess)[:batch], x=x[:batch]
            )
            np.testing.assert_array_equal(pixels_of_png(png), pixels_of_png(fresh))
    assert all(len(count) == 1 for count in counts.values())
    assert live_figures() == figures


def test_the_renderer_keeps_views_while_their_pixels_fit_the_budget(monkeypatch):
    grid = HeatmapGrid(dpi=40)
    grid.render("jacobian", np.ones((1, 2, 2)))
    figures = live_figures()
    for batch in range(2, 9):  # 7 structures (beyond 8 examples, 8 panels again)
        grid.render("jacobian", np.ones((batch, 2, 2)))
        assert grid.redrawn == ["all"]
    for batch in range(8, 0, -1):  # a lecturer sweeping back: small pictures, all kept
        grid.render("jacobian", np.ones((batch, 2, 2)))
        assert grid.redrawn == []
    assert live_figures() - figures == 7
    monkeypatch.setattr(_renderer, "CACHE_BYTES", 0)  # no room: the last few only
    grid.render("jacobian", np.ones((2, 3, 3)))
    assert live_figures() - figures == CACHED_VIEWS - 1  # the first figure is among them
    for batch in (1, 2, 3):  # shown last, kept
        grid.render("jacobian", np.ones((batch, 2, 2)))
        assert grid.redrawn == []
    grid.render("jacobian", np.ones((4, 2, 2)))  # dropped: built again
    assert grid.redrawn == ["all"]


def test_the_renderer_keeps_at_most_max_views(monkeypatch):
    monkeypatch.setattr(_renderer, "MAX_VIEWS", 5)
    grid = HeatmapGrid(dpi=40)
    grid.render("jacobian", np.ones((1, 2, 2)))
    figures = live_figures()
    for batch in range(2, 9):
        grid.render("jacobian", np.ones((batch, 2, 2)))
    assert live_figures() - figures == 5 - 1


def test_renderer_rejects_unknown_kinds():
    with pytest.raises(ValueError, match="unknown kind"):
        HeatmapGrid().render("laplacian", JAC)


#: Values at the edges of float64 (#18): near the largest float, where 2·limit overflows,
#: the smallest subnormal, -0.0, inf and NaN beside ordinary numbers.
EDGES = np.array(
    [
        [[8.98846567431158e307, -1.7976931348623157e308, 0.0], [5e-324, -0.0, np.inf]],
        [[np.nan, 1.0, -1e308], [2.2250738585072014e-308, -np.inf, 1e-300]],
    ]
)


@settings(max_examples=8, deadline=None)
@given(
    first=hnp.arrays(float, (2, 2, 3), elements=st.floats(-1e3, 1e3, width=32)),
    second=hnp.arrays(float, (2, 2, 3), elements=st.floats(allow_nan=True, allow_infinity=True)),
)
@example(first=np.ones((2, 2, 3)), second=EDGES)
@example(first=EDGES, second=-EDGES[::-1])
def test_any_update_matches_a_fresh_render(first, second):
    grid = HeatmapGrid(dpi=60)
    grid.render("jacobian", first)
    png = grid.render("jacobian", second)
    fresh = HeatmapGrid(dpi=60).render("jacobian", second)
    np.testing.assert_array_equal(pixels_of_png(png), pixels_of_png(fresh))


@pytest.mark.usefixtures("drawing")
@pytest.mark.parametrize("kind", ["jacobian", "hessian", "full"])
def test_scales_in_and_out_of_e_notation_update_like_fresh_renders(kind):
    """Limits ≥ 1e4 or ≤ 1e-4 write wider tick numbers (1e4, -1.5e-5) by the bar; back again."""
    rng = np.random.default_rng(3)
    base = {
        "jacobian": rng.standard_normal((3, 3, 3)),
        "hessian": rng.standard_normal((2, 2, 3, 3)),
        "full": full_from_blocks(rng.standard_normal((3, 2, 2)), coupling=0.1),
    }[kind]
    grid = HeatmapGrid(dpi=60)
    grid.render(kind, base)
    for scale in (1e4, 1.0, 3e-5, 2e5, 1e-4, 1.0, 5e-6, 1.0):
        png = grid.render(kind, base * scale)
        assert grid.redrawn != ["all"] and ("colorbar",) in grid.redrawn
        fresh = HeatmapGrid(dpi=60).render(kind, base * scale)
        np.testing.assert_array_equal(pixels_of_png(png), pixels_of_png(fresh), err_msg=scale)


def test_colour_bar_ticks_sit_at_fixed_fractions_of_the_symmetric_limit():
    """Ticks at -L, -L/2, 0, L/2, L: the same places for every L, only the numbers change."""
    fig = plot_batch_jacobian(JAC, x=X)
    bar = fig.axes[-1]
    assert bar.get_label() == "<colorbar>"
    labels = bar.texts
    assert [label.get_text() for label in labels] == ["-50", "-25", "0", "25", "50"]
    renderer = FigureCanvasAgg(fig).get_renderer()
    heights = [label.get_window_extent(renderer).intervaly.mean() for label in labels]
    box = bar.get_window_extent(renderer)
    np.testing.assert_allclose(heights, box.y0 + box.height * np.linspace(0, 1, 5), atol=1.5)
    # the gradient runs from the colour of -L to the colour of +L
    gradient = bar.images[0].get_array()
    cmap = resolve_cmap("RdBu_r")
    assert gradient[0, 0] == -1.0 and gradient[-1, 0] == 1.0
    assert bar.images[0].get_cmap()(0.0) == cmap(0.0)


def test_a_limit_change_redraws_only_the_colour_bar_numbers():
    grid = HeatmapGrid()
    grid.render("jacobian", JAC, x=X)
    png = grid.render("jacobian", JAC * 10, x=X)  # same picture but the scale: 50 -> 500
    assert ("colorbar",) in grid.redrawn
    bar = grid.figure.axes[-1]
    assert [label.get_text() for label in bar.texts] == ["-500", "-250", "0", "250", "500"]
    fresh = HeatmapGrid().render("jacobian", JAC * 10, x=X)
    np.testing.assert_array_equal(pixels_of_png(png), pixels_of_png(fresh))


@pytest.mark.usefixtures("drawing")
def test_wide_colour_bar_numbers_are_erased_when_the_scale_changes():
    """Tiny and huge scales write long tick numbers; going back must not leave a ghost."""
    base = np.random.default_rng(0).standard_normal((4, 4, 4))
    for scale in (1e-5, 1e30):
        grid = HeatmapGrid()
        grid.render("jacobian", base * scale)
        png = grid.render("jacobian", base)
        assert grid.redrawn != ["all"]
        fresh = HeatmapGrid().render("jacobian", base)
        np.testing.assert_array_equal(pixels_of_png(png), pixels_of_png(fresh))


FLOATS = st.floats(allow_nan=True, allow_infinity=True)
LARGEST = float(np.finfo(float).max)


@settings(max_examples=200, deadline=None)
@given(
    block=hnp.arrays(np.float64, (3, 4), elements=FLOATS),
    limit=st.floats(1e-300, LARGEST / 2),
    as_bytes=st.booleans(),
)
@example(block=np.array([[-0.0, 5e-324, -5e-324, 1.0]] * 3), limit=1e-300, as_bytes=True)
def test_cell_colors_are_the_colours_of_matplotlibs_masked_path(block, limit, as_bytes):
    """Where Normalize's own arithmetic is exact (``2·limit`` finite), colours match bit for bit."""
    cmap, norm = colormaps["RdBu_r"], Normalize(-limit, limit)
    with np.errstate(all="ignore"):
        expected = cmap(norm(clipped(np.ma.masked_invalid(block), norm)), bytes=as_bytes)
    np.testing.assert_array_equal(cell_colors(block, cmap, norm, bytes=as_bytes), expected)


@settings(max_examples=200, deadline=None)
@given(
    block=hnp.arrays(np.float64, (3, 4), elements=FLOATS),
    limit=st.floats(LARGEST / 2, LARGEST, exclude_min=True),
    as_bytes=st.booleans(),
)
@example(  # found by hypothesis (issue #18): matplotlib's vmax - vmin overflows to inf here
    block=np.array([[np.inf, 8.98846567e307, 0.0, 1.0]] * 3),
    limit=8.98846567431158e307,
    as_bytes=False,
)
@example(block=np.array([[LARGEST, -LARGEST, 0.0, np.nan]] * 3), limit=LARGEST, as_bytes=True)
def test_cell_colors_of_a_scale_wider_than_the_float_range_are_those_of_the_scaled_picture(
    block, limit, as_bytes
):
    """Beyond ``2·limit`` overflowing, colours equal matplotlib's for the picture scaled by 1/4.

    Scaling values and limit by a power of two changes no ratio, and within
    the range matplotlib's colours are right: so these are the true colours
    (matplotlib's own path paints every cell alike there).
    """
    cmap = colormaps["RdBu_r"]
    quarter = Normalize(-limit / 4, limit / 4)
    with np.errstate(all="ignore"):
        expected = cmap(quarter(clipped(np.ma.masked_invalid(block / 4), quarter)), bytes=as_bytes)
    got = cell_colors(block, cmap, Normalize(-limit, limit), bytes=as_bytes)
    np.testing.assert_array_equal(got, expected)


def test_a_scale_as_wide_as_the_float_range_still_spans_the_colour_map():
    cmap = colormaps["RdBu_r"]
    got = cell_colors(np.array([[-LARGEST, 0.0, LARGEST]]), cmap, Normalize(-LARGEST, LARGEST))
    np.testing.assert_array_equal(got[0], cmap([0.0, 0.5, 1.0]))


@settings(max_examples=200, deadline=None)
@given(hnp.arrays(np.float64, st.integers(1, 6), elements=FLOATS))
@example(np.array([LARGEST, -LARGEST]))
@example(np.array([5e-324, -0.0]))
def test_the_plotting_layer_only_hands_limits_whose_double_is_finite(values):
    """Every limit a picture can get is one where the fast colours are matplotlib's own."""
    limit = symmetric_limit(values)
    assert MIN_LIMIT <= limit <= MAX_LIMIT
    assert np.isfinite(2 * limit) and np.isfinite(MAX_LIMIT * 2)


# ---------------------------------------------------------------- labels


@pytest.mark.usefixtures("drawing")
def test_live_and_exported_pictures_write_the_same_labels():
    """One text for each label: the live picture's tick texts are the plot's tick labels."""
    grid = HeatmapGrid(dpi=80)
    grid.render("hessian", HESS, x=X)
    fig = at_dpi(plot_batch_hessian(HESS, x=X), 80)
    exported = {label.get_text() for ax in fig.axes for label in ax.get_yticklabels()}
    live = {text.get_text() for ax in grid.figure.axes for text in ax.texts}
    assert exported == {"∂x₀", "∂x₁"} <= live
    assert [ax.get_title() for ax in fig.axes[:2]] == ["∂²f₀", "∂²f₁"]
    assert [ax.get_title() for ax in grid.figure.axes[:2]] == ["∂²f₀", "∂²f₁"]
    assert fig.axes[-1].get_ylabel() == grid.figure.axes[-1].get_ylabel() == "∂²fᵢ / ∂xⱼ∂xₖ"


def test_pictures_build_without_matplotlibs_mathtext():
    """Unicode labels: neither a live nor an exported picture builds the mathtext grammar."""
    code = (
        "import io, numpy as np, jacviz; from matplotlib.mathtext import MathTextParser\n"
        "jacviz.HeatmapGrid().render('full', np.ones((2, 3, 2, 2)))\n"
        "jacviz.plot_batch_hessian(np.ones((2, 2, 2, 2))).savefig(io.BytesIO(), format='png')\n"
        "print(MathTextParser._parser is None)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


# ---------------------------------------------------------------- PNG encoding


@pytest.mark.parametrize("library", ["installed", "zlib"])
def test_png_encoding_keeps_every_pixel_with_either_deflate_library(monkeypatch, library):
    """ISA-L where installed, the standard zlib where not (Pyodide): the same pixels back."""
    if library == "zlib":
        monkeypatch.setattr(_png, "_deflate", zlib)
    pixels = np.random.default_rng(0).integers(0, 256, (37, 53, 4), dtype=np.uint8)
    pixels[5:30, 10:40] = (200, 30, 60, 255)  # a flat area, as in a heatmap
    png = _png.encode_png(pixels)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    np.testing.assert_array_equal(pixels_of_png(png), pixels)


def test_png_encoding_uses_isal_a_dependency_off_pyodide():
    assert _png.DEFLATE == "isal"
    assert _png._deflate.__name__ == "isal.isal_zlib"


def test_png_encoding_refuses_what_is_not_rgba_bytes():
    with pytest.raises(ValueError, match=r"uint8 pixels of shape \(H, W, 4\)"):
        _png.encode_png(np.zeros((2, 2, 3), dtype=np.uint8))
    with pytest.raises(ValueError, match="float64"):
        _png.encode_png(np.zeros((2, 2, 4)))


# ---------------------------------------------------------------- fast text


def test_composed_lines_match_freetype_layout_within_a_pixel_or_two():
    face = face_of(FontProperties(size=8.5), 80)
    for text in ["-0.777", "1.23e+04", "x = [-0.91, -0.777, 0.5]", "example 12", "AV To"]:
        composed = face.line(text)
        whole = face._whole(text)
        assert composed.bitmap.shape[0] == whole.bitmap.shape[0], text
        assert abs(composed.width - whole.width) <= 2.5, text
        assert abs(composed.bitmap.shape[1] - whole.bitmap.shape[1]) <= 3, text
        # the same ink, give or take anti-aliasing at glyph seams
        assert int(composed.bitmap.sum()) == pytest.approx(int(whole.bitmap.sum()), rel=0.08), text


def test_non_ascii_lines_are_rasterised_whole():
    face = face_of(FontProperties(size=8.5), 80)
    line = face.line("∂f₀ · x²")
    np.testing.assert_array_equal(line.bitmap, face._whole("∂f₀ · x²").bitmap)


@pytest.mark.usefixtures("drawing")
def test_cell_values_are_clipped_to_their_axes():
    """A string wider than its panel stops at the panel's edge (and the fresh draw agrees)."""

    def draw(strings):
        fig = Figure(figsize=(3, 2), dpi=80)
        ax = fig.add_axes((0.4, 0.4, 0.2, 0.2))
        ax.set_axis_off()
        cells = CellValues(ax, (1, 1), fontsize=12)
        cells.set_cells(strings, [["black"]])
        ax.add_artist(cells)
        return pixels_of_figure(fig), ax.bbox

    inked, box = draw([["-1234567.8901234"]])
    blank, _ = draw([[""]])
    changed = np.argwhere((inked != blank).any(axis=2))
    assert len(changed) > 0
    rows, cols = changed[:, 0], changed[:, 1]
    height = inked.shape[0]
    assert cols.min() >= np.floor(box.x0) and cols.max() <= np.ceil(box.x1)
    assert rows.min() >= height - np.ceil(box.y1) and rows.max() <= height - np.floor(box.y0)


def test_text_falls_back_to_matplotlib_when_the_fast_path_breaks(monkeypatch):
    """A future matplotlib changing the FreeType calls costs speed, never the picture."""
    switch = drawing_switch()
    monkeypatch.setattr(switch, "on", True)
    expected = pixels_of_png(HeatmapGrid().render("jacobian", JAC, x=X))

    def broken(*args, **kwargs):
        raise TypeError("set_text() got an unexpected keyword argument 'flags'")

    monkeypatch.setattr(Stamper, "stamp", broken)
    with pytest.warns(RuntimeWarning, match="fast drawing failed"):
        png = HeatmapGrid().render("jacobian", JAC, x=X)
    assert not switch.on
    fallback = pixels_of_png(png)
    assert fallback.shape == expected.shape
    # the same picture, the text drawn by matplotlib instead: only glyph pixels differ
    assert 0 < (fallback != expected).any(axis=2).mean() < 0.05  # text is ~4% of this picture
    fig = at_dpi(plot_batch_jacobian(JAC, x=X), 80)
    assert "example 1" in "".join(t.get_text() for t in fig.texts)


def test_the_image_falls_back_to_matplotlib_when_its_hook_breaks(monkeypatch):
    """A changed make_image contract costs speed, never the picture (nor an error)."""
    switch = drawing_switch()
    monkeypatch.setattr(switch, "on", True)
    fig = plot_batch_jacobian(JAC, fig=Figure(dpi=80))
    ax = panels(fig)[0]
    expected = cell_pixel(fig, ax, 0, 0)

    def broken(self):
        raise AttributeError("'RendererAgg' object has no attribute '_renderer'")

    monkeypatch.setattr(BlockImage, "_blocks", broken)
    with pytest.warns(RuntimeWarning, match="fast drawing failed"):
        got = cell_pixel(fig, ax, 0, 0)
    assert not switch.on
    np.testing.assert_allclose(got.astype(float), expected.astype(float), atol=2)


# ---------------------------------------------------------------- the fast/plain switch


def test_the_probe_finds_the_fast_path_of_this_matplotlib():
    """The newest matplotlib has every private call the fast path needs (the CI's new column)."""
    works, reason = probe()
    assert (works, reason) == (True, "")
    assert drawing_switch().on


def test_a_private_call_that_fails_makes_the_probe_choose_the_plain_path(monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("sTypoAscender")

    monkeypatch.setattr(Stamper, "stamp", broken)
    works, reason = probe()
    assert not works and "KeyError('sTypoAscender')" in reason


def test_a_private_call_that_draws_elsewhere_makes_the_probe_choose_the_plain_path(monkeypatch):
    """No error, but the stamped text lands 5 px off: the comparison with plain catches it."""
    monkeypatch.setattr(
        _text, "_pixel", lambda x, y, line, height: (round(x) + 5, round(height - y))
    )
    works, reason = probe()
    assert not works and reason.startswith("text moved")


def test_a_blank_fast_picture_makes_the_probe_choose_the_plain_path(monkeypatch):
    monkeypatch.setattr(Stamper, "stamp", lambda *args, **kwargs: None)
    assert probe() == (False, "text went missing on the fast path")


def test_the_environment_can_force_the_plain_path():
    code = (
        "import numpy as np, jacviz\n"
        "from jacviz.plotting._fast import drawing_switch\n"
        "fig = jacviz.plot_batch_jacobian(np.eye(2)[None])\n"
        "png = jacviz.HeatmapGrid().render('jacobian', np.eye(2)[None])\n"
        "print(drawing_switch(), sorted({type(t).__name__ for t in fig.texts}), png[:4])"
    )
    env = {**os.environ, "JACVIZ_PLAIN_MATPLOTLIB": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == (
        "Switch(on=False, 'JACVIZ_PLAIN_MATPLOTLIB is set') ['Text'] b'\\x89PNG'"
    )


@pytest.mark.parametrize("kind", ["jacobian", "hessian", "full"])
def test_the_plain_path_draws_the_fast_paths_picture_give_or_take_the_glyphs(kind, monkeypatch):
    """Both paths: same size, same cells, same layout; only anti-aliased glyph edges differ."""
    data = {"jacobian": JAC, "hessian": HESS, "full": full_from_blocks(JAC, coupling=0.5)}[kind]
    x = None if kind == "full" else X
    fast = pixels_of_png(HeatmapGrid(dpi=80).render(kind, data, x=x))
    monkeypatch.setattr(drawing_switch(), "on", False)
    grid = HeatmapGrid(dpi=80)
    plain = pixels_of_png(grid.render(kind, data, x=x))
    assert not any(type(t).__name__.startswith("Stamped") for t in grid.figure.findobj(Text))
    assert plain.shape == fast.shape
    assert (plain != fast).any(axis=2).mean() < 0.05  # text is ~4% of these pictures
    ink = [np.count_nonzero(pixels[..., :3].min(axis=2) < 128) for pixels in (fast, plain)]
    assert ink[1] == pytest.approx(ink[0], rel=0.2)  # every text is there


# ---------------------------------------------------------------- export


@pytest.mark.usefixtures("drawing")
def test_save_figure_writes_png_svg_and_pdf(tmp_path):
    fig = plot_batch_jacobian(JAC, x=X)
    png = save_figure(fig, tmp_path / "j.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert imread(png).shape[1] == round(fig.get_figwidth() * 200)  # print resolution
    svg = save_figure(fig, tmp_path / "notes" / "j.svg")
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    assert "example 1" in svg.read_text()  # titles are real text in vector output
    pdf = save_figure(fig, tmp_path / "j.PDF")
    assert pdf.read_bytes()[:4] == b"%PDF"


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_saved_figures_carry_their_text_alternative(tmp_path, suffix):
    """WCAG 1.1.1 in files: the words of the display, with the numbers, in the file."""
    fig = plot_batch_hessian(HESS, x=X)
    title, words = saved_words(save_figure(fig, tmp_path / f"h{suffix}"))
    assert words == fig.alt_text
    assert title == "Heatmap of the batch Hessian ∂²fᵢ / ∂xⱼ∂xₖ"
    assert "from -25 to 25" in words and "x = [4, 2]" in words and "x = [1, 3]" in words
    assert "example 1, ∂²f₁: [0, 0], [0, 18]" in words  # the values, panel by panel
    bare = Figure()
    bare.add_subplot().plot([0, 1])
    assert saved_words(save_figure(bare, tmp_path / f"bare{suffix}")) == (None, None)
    mine = save_figure(bare, tmp_path / f"mine{suffix}", alt="A line: from (0, 0) to (1, 1).")
    assert saved_words(mine) == ("A line", "A line: from (0, 0) to (1, 1).")


def test_save_figure_rejects_other_formats(tmp_path):
    with pytest.raises(ValueError, match=r"\.png, \.svg or \.pdf"):
        save_figure(plot_batch_jacobian(JAC), tmp_path / "j.jpg")


@pytest.mark.usefixtures("drawing")
def test_save_figure_of_a_live_renderer_saves_the_whole_picture(tmp_path):
    """The renderer's blitted artists (panels, titles, note, colour bar) are in the file."""
    jac = JAC.copy()
    jac[0, 0, 1] = np.nan  # a note too
    grid = HeatmapGrid(dpi=60)
    png = grid.render("jacobian", jac, x=X)
    saved = imread(save_figure(grid.figure, tmp_path / "live.png", dpi=60))
    np.testing.assert_array_equal(np.round(saved * 255).astype(np.uint8), pixels_of_png(png))
    svg = save_figure(grid.figure, tmp_path / "live.svg").read_text()
    assert "example 1" in svg and "NaN/inf" in svg


def test_save_figure_leaves_a_live_renderer_working(tmp_path):
    grid = HeatmapGrid()
    grid.render("jacobian", JAC, x=X)
    save_figure(grid.figure, tmp_path / "live.pdf")
    png = grid.render("jacobian", JAC * 2, x=X)
    fresh = HeatmapGrid().render("jacobian", JAC * 2, x=X)
    np.testing.assert_array_equal(pixels_of_png(png), pixels_of_png(fresh))


# ---------------------------------------------------------------- pictures never fail for size


def _note_of(fig):
    return "\n".join(text.get_text() for text in fig.texts if "showing" in text.get_text())


def test_a_jacobian_with_thousands_of_outputs_is_windowed(drawing):
    jac = np.arange(2 * 6561 * 3, dtype=float).reshape(2, 6561, 3)
    fig = plot_batch_jacobian(jac)
    assert fig.get_size_inches()[1] <= 12  # 6561 rows would be a 262-inch-tall figure
    assert "showing outputs 0–63 of 6561 (a window: slice the array for others)" in _note_of(fig)
    assert [ax.images[0].get_array().shape for ax in panels(fig)] == [(64, 3), (64, 3)]
    np.testing.assert_array_equal(panels(fig)[1].images[0].get_array(), jac[1, :64])
    png_bytes(fig)  # draws: no "Image size ... too large"


def test_wide_jacobian_and_hessian_blocks_are_windowed(drawing):
    fig = plot_batch_jacobian(np.ones((1, 2, 500)))
    assert "showing inputs 0–63 of 500" in _note_of(fig)
    fig = plot_batch_hessian(np.ones((1, 1, 100, 100)))
    assert "showing inputs 0–63 of 100" in _note_of(fig)
    assert fig.get_size_inches()[0] <= 12
    png_bytes(fig)


def test_a_full_jacobian_with_many_outputs_is_windowed_per_block(drawing):
    full = np.zeros((16, 729, 16, 8))
    for b in range(16):
        full[b, :, b, :] = 1.0
    fig = plot_full_jacobian(full, batch_size=16)
    note = _note_of(fig)
    assert "showing outputs 0–7 of 729 in each block" in note
    assert panels(fig)[0].images[0].get_array().shape == (16 * 8, 16 * 8)
    assert "off-diagonal blocks are 0: the examples are independent" in note
    assert max(fig.get_size_inches()) <= 12
    png_bytes(fig)


def test_a_full_jacobian_of_a_huge_batch_shows_a_window_of_examples(drawing):
    fig = plot_full_jacobian(np.zeros((300, 1, 300, 1)), batch_size=300)
    assert "showing examples 0–127 of 300" in _note_of(fig)
    png_bytes(fig)
