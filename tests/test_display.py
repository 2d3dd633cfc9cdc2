"""Figures that show themselves (#13): in a fresh kernel, in nbconvert, still real Figures.

The kernel test executes a notebook without any magic (no ``%matplotlib
inline``, no pyplot) and reads each ``plot_*`` result's output: a PNG at
twice the figure's dpi, its CSS size in the metadata, a text alternative.
"""

import ast
import base64
import io
import re
import struct

import nbformat
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.image import imread
from nbclient import NotebookClient
from nbconvert import HTMLExporter

from jacviz import (
    batch_hessian,
    batch_jacobian,
    full_jacobian,
    plot_batch_hessian,
    plot_batch_jacobian,
    plot_full_jacobian,
    plot_linear_map,
)
from jacviz.plotting import JacvizFigure
from jacviz.plotting._figure import DISPLAY_SCALE

X = np.array([[4.0, 2.0], [1.0, 3.0]])

SETUP = "import numpy as np\nimport jacviz\nx = np.array([[4.0, 2.0], [1.0, 3.0]])"
PLOTS = {
    "jacobian": "jacviz.plot_batch_jacobian(jacviz.batch_jacobian('x**3', x), x=x)",
    "hessian": "jacviz.plot_batch_hessian(jacviz.batch_hessian('x**3', x), x=x)",
    "full": "jacviz.plot_full_jacobian(jacviz.full_jacobian('x**3', x), batch_size=2)",
    "linear map": "jacviz.plot_linear_map('x**2', x)",
}
FIGSIZES = "[f.get_size_inches().tolist() + [f.dpi] for f in (" + ", ".join(PLOTS.values()) + ")]"
NO_PYPLOT = "import sys\n'matplotlib.pyplot' in sys.modules, 'matplotlib_inline' in sys.modules"


def png_size(png):
    """``(width, height)`` in pixels from a PNG's IHDR chunk."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def assert_twice(pixels, meta):
    """The PNG has twice the CSS size of the metadata (Agg truncates to whole pixels)."""
    css = np.array([meta["width"], meta["height"]])
    assert np.abs(np.array(pixels) - DISPLAY_SCALE * css).max() <= 1, (pixels, meta)


def figures():
    """One figure of each ``plot_*`` function, as a new user makes them."""
    return {
        "jacobian": plot_batch_jacobian(batch_jacobian("x**3", X), x=X),
        "hessian": plot_batch_hessian(batch_hessian("x**3", X), x=X),
        "full": plot_full_jacobian(full_jacobian("x**3", X), batch_size=2),
        "linear map": plot_linear_map("x**2", X),
    }


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The notebook of :data:`PLOTS`, executed in a fresh python3 kernel."""
    cells = [SETUP, *PLOTS.values(), FIGSIZES, NO_PYPLOT]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    workdir = tmp_path_factory.mktemp("display")
    NotebookClient(
        nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(workdir)}}
    ).execute()
    return nb


@pytest.mark.parametrize("name", PLOTS)
def test_every_plot_displays_as_a_sharp_png_in_a_fresh_kernel(executed, name):
    k = 1 + list(PLOTS).index(name)
    (output,) = executed.cells[k].outputs
    sizes = ast.literal_eval(executed.cells[1 + len(PLOTS)].outputs[0].data["text/plain"])
    width_in, height_in, dpi = sizes[k - 1]
    png = base64.b64decode(output.data["image/png"])
    meta = output.metadata["image/png"]
    assert (meta["width"], meta["height"]) == (round(width_in * dpi), round(height_in * dpi))
    assert_twice(png_size(png), meta)
    assert not output.data["text/plain"].startswith("<Figure")
    assert output.data["text/plain"] == meta["alt"]
    assert imread(io.BytesIO(png)).std() > 0.05  # a picture, not a blank canvas


def test_the_kernel_never_imported_pyplot(executed):
    assert executed.cells[-1].outputs[0].data["text/plain"] == "(False, False)"


def test_nbconvert_html_holds_each_picture_at_its_css_size(executed):
    html, _ = HTMLExporter().from_notebook_node(executed)
    for k in range(1, 1 + len(PLOTS)):
        output = executed.cells[k].outputs[0]
        meta = output.metadata["image/png"]
        (tag,) = [t for t in re.findall(r"<img [^>]*>", html) if output.data["image/png"] in t]
        for name in ("width", "height"):  # quoted by newer nbconvert (its HTML pass), or not
            assert re.search(rf'\b{name}="?{meta[name]}\b', tag), (name, tag[-80:])


def test_figures_stay_real_figures_for_savefig():
    for name, fig in figures().items():
        assert isinstance(fig, JacvizFigure) and isinstance(fig, Figure), name
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=50)
        width, height = fig.get_size_inches()
        assert png_size(buffer.getvalue()) == (int(width * 50), int(height * 50)), name


def test_alt_texts_say_what_is_drawn():
    alts = {name: fig.alt_text for name, fig in figures().items()}
    assert alts["jacobian"].startswith("Heatmap of the batch Jacobian ∂fᵢ / ∂xⱼ: 2 panels of 2 × 2")
    assert "from -50 to 50" in alts["jacobian"] and "x = [1, 3]" in alts["jacobian"]
    assert alts["hessian"].startswith("Heatmap of the batch Hessian ∂²fᵢ / ∂xⱼ∂xₖ: 4 panels")
    assert "the examples are independent" in alts["full"]
    assert (
        alts["linear map"].startswith("Linear map view of example 0")
        and "det J[0]" in alts["linear map"]
    )


def test_displaying_leaves_the_figure_as_it_was():
    fig = plot_batch_jacobian(batch_jacobian("x**3", X), x=X)
    before = (fig.dpi, tuple(fig.get_size_inches()), type(fig.canvas))
    data, meta = fig._repr_mimebundle_()
    assert (fig.dpi, tuple(fig.get_size_inches()), type(fig.canvas)) == before
    assert_twice(png_size(data["image/png"]), meta["image/png"])


def test_a_figure_the_user_passed_keeps_its_class():
    fig = plot_batch_jacobian(batch_jacobian("x**3", X), fig=Figure())
    assert type(fig) is Figure
