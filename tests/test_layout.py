"""Picture layout over a matrix of cases (#13): no text on text, nothing clipped.

Every figure of the matrix (orders 1, 2 and full × batch sizes × block
shapes × label lengths × with and without ``x``/``y`` × widths and font
sizes) is drawn and its artists' extents are checked: no two texts overlap,
no text covers a heatmap or the colour bar, every text lies inside the
figure, the colour bar stands right of the panels and spans them, cell values
are at least 6 pt in PNG and the same size in PDF. A few pictures are also
saved under ``JACVIZ_LAYOUT_PNGS`` (when set) to look at.
"""

import itertools
import os
import pathlib
import warnings

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from jacviz import plot_batch_hessian, plot_batch_jacobian, plot_full_jacobian, save_figure
from jacviz.plotting._fast import CellValues

TOLERANCE = 1.0  # pixels two boxes may share (antialiased edges)
BAR_NEAR = 0.8  # inches: most space left of the colour bar (its label stands in it)

BATCHES = (1, 3, 6, 16)
SHAPES = ((1, 1), (1, 3), (3, 1), (3, 3), (2, 8), (8, 8))  # (m, n)
LABELS = ("default", "long")
SIZES = ({}, {"width": 3.2, "fontsize": 7.0}, {"width": 10.0, "fontsize": 12.0})


def values(shape, seed):
    """Values with signs, small and large magnitudes, some with many digits."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=shape) * 10.0 ** rng.integers(-4, 5, size=shape)


def long_labels(symbol, count):
    """Labels much longer than ``∂x₀``."""
    return [f"{symbol} {k}: {'pressure' if k % 2 else 'temperature'}" for k in range(count)]


def draw(kind, batch, m, n, labels, annotated, size):
    """Make the figure of one case of the matrix."""
    x = values((batch, n), 1) if annotated else None
    options = dict(size)
    if labels == "long" and kind != "full":
        options["in_labels"] = long_labels("x", n)
        options["out_labels"] = long_labels("f", m)
    if kind == "jacobian":
        y = values((batch, m), 2) if annotated else None
        return plot_batch_jacobian(values((batch, m, n), 3), x=x, y=y, **options)
    if kind == "hessian":
        return plot_batch_hessian(values((batch, m, n, n), 4), x=x, **options)
    return plot_full_jacobian(values((batch, m, batch, n), 5), batch_size=batch, **options)


def cases():
    """The matrix, pairwise-thinned so every pair of options occurs (~150 figures)."""
    for k, (kind, batch, shape, labels) in enumerate(
        itertools.product(("jacobian", "hessian", "full"), BATCHES, SHAPES, LABELS)
    ):
        if kind == "full" and labels == "long":
            continue  # the full Jacobian takes no labels
        yield kind, batch, *shape, labels, k % 2 == 0, SIZES[k % len(SIZES)]


def case_id(case):
    kind, batch, m, n, labels, annotated, size = case
    extra = f"-w{size['width']:g}" if size else ""
    return f"{kind}-B{batch}-m{m}-n{n}-{labels}{'-xy' if annotated else ''}{extra}"


CASES = list(cases())


def texts(fig):
    """Every visible, non-empty text of ``fig`` (tick labels, titles, notes, colour bar)."""
    return [
        t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip() and t.figure is fig
    ]


def panels_and_bar(fig):
    """The heatmap axes and the colour bar's axes."""
    images = [ax for ax in fig.axes if ax.images]
    bar = [ax for ax in images if ax.get_label() == "<colorbar>"]
    return [ax for ax in images if ax not in bar], bar


def overlap(a, b):
    """Width and height two display boxes share."""
    return min(a.x1, b.x1) - max(a.x0, b.x0), min(a.y1, b.y1) - max(a.y0, b.y0)


def check_layout(fig):
    """Return what is wrong with ``fig``'s layout, as a list of strings."""
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    found = texts(fig)
    boxes = [t.get_window_extent(renderer) for t in found]
    width, height = fig.bbox.width, fig.bbox.height
    problems = []
    for t, box in zip(found, boxes, strict=True):
        if box.x0 < -TOLERANCE or box.y0 < -TOLERANCE:
            problems.append(f"{t.get_text()!r} sticks out left/below: {box}")
        if box.x1 > width + TOLERANCE or box.y1 > height + TOLERANCE:
            problems.append(f"{t.get_text()!r} sticks out right/above: {box} of {width}x{height}")
    for (s, a), (t, b) in itertools.combinations(zip(found, boxes, strict=True), 2):
        w, h = overlap(a, b)
        if w > TOLERANCE and h > TOLERANCE:
            problems.append(f"{s.get_text()!r} overlaps {t.get_text()!r}")
    panels, bars = panels_and_bar(fig)
    for ax in panels + bars:
        area = ax.get_window_extent(renderer)
        for t, box in zip(found, boxes, strict=True):
            w, h = overlap(area, box)
            if w > TOLERANCE and h > TOLERANCE:
                problems.append(f"{t.get_text()!r} covers the axes {ax.get_label()!r}")
    if panels:
        problems += check_bar(renderer, panels, bars, found, boxes)
    return problems


def check_bar(renderer, panels, bars, found, text_boxes):
    """The colour bar stands right of every panel, near them and the texts beside it.

    Near: at most :data:`BAR_NEAR` inches right of the rightmost panel or text
    at its height (its own label and numbers aside); and it spans the panels.
    """
    (bar,) = bars
    bar_box = bar.get_window_extent(renderer)
    boxes = [ax.get_window_extent(renderer) for ax in panels]
    right = max(box.x1 for box in boxes)
    top, bottom = max(box.y1 for box in boxes), min(box.y0 for box in boxes)
    beside = [
        box.x1
        for t, box in zip(found, text_boxes, strict=True)
        if t.axes is not bar and overlap(box, bar_box)[1] > 0 and box.x1 < bar_box.x0
    ]
    dpi = bar.figure.dpi
    problems = []
    if not bar_box.x0 - right > 0:
        problems.append(f"colour bar {bar_box.x0 - right:.0f} px left of a panel's edge")
    if bar_box.x0 - max([right, *beside]) > BAR_NEAR * dpi:
        problems.append(f"colour bar {bar_box.x0 - right:.0f} px right of the panels")
    if bar_box.y0 > bottom + TOLERANCE or bar_box.y1 < top - TOLERANCE:
        problems.append("colour bar shorter than the panels")
    if bar_box.height < 1.2 * dpi:
        problems.append(f"colour bar only {bar_box.height / dpi:.2f} in tall")
    return problems


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_no_text_overlaps_or_sticks_out(case):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = draw(*case)
    assert check_layout(fig) == []
    size = case[-1]
    if "width" in size:  # kept, or wider with a warning saying how wide
        kept = fig.get_figwidth() == pytest.approx(size["width"])
        said = [
            str(w.message) for w in caught if f"{fig.get_figwidth():.2f} in wide" in str(w.message)
        ]
        assert kept != bool(said), (fig.get_figwidth(), said)
    folder = os.environ.get("JACVIZ_LAYOUT_PNGS")
    if folder:
        save_figure(fig, pathlib.Path(folder) / f"{case_id(case)}.png", dpi=72)


@pytest.mark.parametrize("kind", ["jacobian", "hessian", "full"])
@pytest.mark.parametrize("size", SIZES, ids=["default", "slide", "print"])
def test_cell_values_are_6_pt_or_more_and_the_same_in_pdf_and_png(kind, size, tmp_path):
    fig = draw(kind, 2, 2, 2, "default", True, size)
    sizes = {}
    for suffix in (".png", ".pdf"):
        save_figure(fig, tmp_path / f"figure{suffix}")
        sizes[suffix] = [v.drawn_size() for v in fig.findobj(CellValues)]
    assert sizes[".png"], "the case is meant to write values"
    assert min(sizes[".png"]) >= 6.0
    # measured on the glyphs' ink (PNG, fast path) or advances (PDF): half a point apart at most
    assert np.abs(np.subtract(sizes[".pdf"], sizes[".png"])).max() <= 0.5


WIDTHS = [("jacobian", 3.2), ("hessian", 4.5), ("full", 4.5)]


@pytest.mark.parametrize("width", [6.3, 8.0, 12.0])
@pytest.mark.parametrize(("kind", "narrowest"), WIDTHS)
def test_the_width_asked_for_is_kept(kind, narrowest, width):
    """Slides (a Beamer column 3.2 in, half a 16:9 slide 4.5 in), A4 text (6.3 in), wider."""
    for asked in (narrowest, width):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fig = draw(kind, 4, 2, 2, "default", True, {"width": asked})
        assert fig.get_figwidth() == pytest.approx(asked)
        assert check_layout(fig) == []


def test_a_width_too_narrow_for_the_panels_is_widened_with_a_warning():
    with pytest.warns(UserWarning, match=r"needs a figure 2\.\d\d in wide, not 2\.5: show fewer"):
        fig = plot_batch_jacobian(np.ones((4, 2, 2)), x=np.ones((4, 2)), width=2.5)
    assert 2.5 < fig.get_figwidth() < 3.0


def test_fonts_smaller_than_6_pt_are_refused():
    with pytest.raises(ValueError, match="fontsize must be 6 to 1000 points, not 5"):
        plot_batch_jacobian(np.ones((1, 2, 2)), fontsize=5)
    with pytest.raises(TypeError, match="width must be a number of inches"):
        plot_batch_jacobian(np.ones((1, 2, 2)), width="wide")


def test_a_fontsize_sets_every_text_but_the_values():
    fig = plot_batch_jacobian(np.ones((2, 2, 2)), x=np.ones((2, 2)), fontsize=11)
    sizes = {round(t.get_fontsize(), 1) for t in texts(fig)}
    assert sizes <= {11.0, 11.5, 12.0}
    assert 11.0 in sizes


def test_cells_too_small_for_values_say_so():
    fig = plot_batch_jacobian(np.ones((2, 8, 8)), width=3.0)
    words = fig.texts[-1].get_text().replace("\n", " ")  # wrapped to the width
    assert words == (
        "values not written: cells too small (annotate=True writes them) • marks an exact 0"
    )
    assert not fig.findobj(CellValues)
    assert check_layout(fig) == []


def test_a_hessian_per_output_scale_colours_each_column_on_its_own_limit():
    x = np.array([[4.0, 2.0], [1.0, 3.0]])
    hess = np.zeros((2, 2, 2, 2))
    hess[:, 0, 0, 0] = [2400.0, 600.0]  # output 0: large
    hess[:, 1, 0, 1] = hess[:, 1, 1, 0] = 0.01  # output 1: tiny, blank on the shared scale
    shared = plot_batch_hessian(hess, x=x)
    own = plot_batch_hessian(hess, x=x, scale="output")
    assert check_layout(own) == []
    panels, _ = panels_and_bar(own)
    tiny = panels[1].images[0].get_array()  # example 0, output 1, coloured as value / limit
    np.testing.assert_allclose(tiny.filled(np.nan), [[0.0, 1.0], [1.0, 0.0]])
    np.testing.assert_allclose(panels[0].images[0].get_array()[0, 0], 2400.0 / 2500.0)
    headers = [t.get_text() for t in own.texts if t.get_text().startswith("∂²f")]
    assert headers == ["∂²f₀  L₀ = 2.5e3", "∂²f₁  L₁ = 0.01"]  # each output's own limit
    assert [ax.get_title() for ax in panels[:2]] == ["", ""]  # written as texts instead
    values = panels[1].findobj(CellValues)[0].get_strings().tolist()
    assert values == [["0", "0.01"], ["0.01", "0"]]  # the numbers stay the values
    assert "colours per output column: -Lᵢ to Lᵢ" in own.texts[-1].get_text()
    (bar,) = panels_and_bar(own)[1]
    ticks = sorted((t.get_position()[1], t.get_text()) for t in bar.texts)
    assert [text for _, text in ticks] == ["-Lᵢ", "-Lᵢ/2", "0", "Lᵢ/2", "Lᵢ"]  # says which scale
    assert "each output column on its own colour scale" in own.alt_text
    assert "∂²f₀, L₀ = 2.5e3; ∂²f₁, L₁ = 0.01" in own.alt_text
    assert "example 1, ∂²f₁: [0, 0.01], [0.01, 0]" in own.alt_text  # the values themselves
    shared_tiny = panels_and_bar(shared)[0][1].images[0].get_array()
    assert np.abs(shared_tiny).max() == pytest.approx(0.01)  # the shared scale: near white
    one = plot_batch_hessian(hess, x=x, outputs=[1], scale="output")  # that output's limit
    assert panels_and_bar(one)[0][0].images[0].get_clim() == (-0.01, 0.01)
    shared_one = plot_batch_hessian(hess, outputs=[1])  # the whole batch's scale, shown or not
    assert panels_and_bar(shared_one)[0][0].images[0].get_clim() == (-2500.0, 2500.0)
    with pytest.raises(ValueError, match="scale must be 'shared' or 'output', not 'own'"):
        plot_batch_hessian(hess, scale="own")
