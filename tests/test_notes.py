"""Static pictures of the explorer and ``jacviz html`` (``jacviz.notes``).

The explorer's display carries a still (``image/png``, ``text/html`` and a
text alternative with the numbers) beside its widget view; ``jacviz html``
runs a lecture notebook and writes one page that shows the figures, the maths
(inline SVG, drawn by matplotlib's mathtext) and the explorer's *last* frame
from ``file://`` with every other request blocked.
"""

import base64
import copy
import html
import re

import nbformat
import numpy as np
import pytest
from lecture import frames, inline_pngs, png_size, write_lecture
from offline import offline_page

import jacviz
from jacviz.cli import main
from jacviz.notes import freeze_widgets, last_frames, static_bundle
from jacviz.notes._freeze import STATE, VIEW
from jacviz.notes._maths import MathsToSvg
from jacviz.presets import PRESETS

# ------------------------------------------------------------------ the explorer's still


def test_display_carries_the_widget_view_and_the_picture_on_screen():
    explorer = jacviz.explore("x**3", [[4.0, 2.0], [1.0, 3.0]])
    bundle = explorer._repr_mimebundle_()
    assert bundle[VIEW]["model_id"] == explorer.model_id
    assert base64.b64decode(bundle["image/png"]) == explorer.image.value
    assert base64.b64encode(explorer.image.value).decode() in bundle["text/html"]
    assert '<div class="math jacviz-formula-line">\\[f(x) = x^{3}\\]</div>' in bundle["text/html"]


def test_text_alternative_says_what_it_is_and_gives_the_numbers():
    explorer = jacviz.explore("x**3", [[4.0, 2.0], [1.0, 3.0]])
    text = explorer._repr_mimebundle_()["text/plain"]
    assert text.startswith("Jacobian explorer (static picture, render #1): ")
    assert "f(x) = x**3" in text
    assert "J (2, 2, 2)" in text
    # 3 x² on the diagonal: 48, 12 for x = (4, 2); 3, 27 for (1, 3)
    assert "J[0] = [[48, 0], [0, 12]]; J[1] = [[3, 0], [0, 27]]" in text
    assert f'alt="{text.split(": ", 1)[1]}"' in explorer._repr_mimebundle_()["text/html"]


def test_snapshot_follows_the_explorer_and_the_display_keeps_its_moment():
    explorer = jacviz.explore("x**3", [[4.0, 2.0], [1.0, 3.0]])
    shown = explorer._repr_mimebundle_()["image/png"]
    explorer.function = "sin(x)"
    still = explorer.snapshot()
    assert still.png == explorer.image.value
    assert base64.b64encode(still.png).decode() != shown
    assert "render #2" in repr(still)
    assert f"J[0] = [[{np.cos(4.0):.4g}, 0], [0, {np.cos(2.0):.4g}]]" in still.alt


def test_snapshot_of_a_broken_formula_says_the_picture_is_out_of_date():
    explorer = jacviz.explore("x**3", [[4.0, 2.0]])
    explorer.function = "x +* 2"
    still = explorer.snapshot()
    assert "out of date" in still.alt
    assert still.png == explorer.image.value  # the last good picture


def test_snapshot_saves_the_png(tmp_path):
    still = jacviz.explore("x**2", [[1.0]]).snapshot()
    assert still.save(tmp_path / "still.png").read_bytes() == still.png
    assert png_size(still.png)[0] > 100


def test_a_large_batch_names_the_first_examples_and_counts_the_rest():
    explorer = jacviz.explore("2 * x", np.ones((7, 1)))
    assert explorer.snapshot().alt.endswith("J[3] = [[2]]; and 3 more examples")


def test_static_bundle_without_png_has_text_only():
    bundle = static_bundle(b"", alt="nothing drawn", status="")
    assert sorted(bundle) == ["text/html", "text/plain"]
    assert "<p>nothing drawn</p>" in bundle["text/html"]


def test_alt_text_is_escaped_in_html():
    bundle = static_bundle(b"\x89PNG", alt='a "quoted" <b>', formula="")
    assert 'alt="a &quot;quoted&quot; &lt;b&gt;"' in bundle["text/html"]


# ------------------------------------------------------------------ frozen widget state


def _image_model(png):
    data = base64.b64encode(png).decode()
    return {
        "model_name": "ImageModel",
        "state": {"_dom_classes": ["jacviz-image"]},
        "buffers": [{"path": ["value"], "encoding": "base64", "data": data}],
    }


def _stored(models):
    return {STATE: {"state": models, "version_major": 2, "version_minor": 0}}


def _notebook_with_explorer(png):
    models = {
        "vbox": {
            "model_name": "VBoxModel",
            "state": {
                "_dom_classes": ["jacviz-explorer"],
                "children": ["IPY_MODEL_formula", "IPY_MODEL_inner"],
            },
        },
        "inner": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_image"]}},
        "image": _image_model(png),
        "formula": {
            "model_name": "HTMLMathModel",
            "state": {"_dom_classes": ["jacviz-formula-line"], "value": "$$f(x) = x^{2}$$"},
        },
        "slider": {"model_name": "IntSliderModel", "state": {"value": 3}},
    }
    outputs = [
        {"output_type": "display_data", "metadata": {}, "data": {VIEW: {"model_id": "vbox"}}},
        {"output_type": "display_data", "metadata": {}, "data": {VIEW: {"model_id": "slider"}}},
    ]
    cell = {"cell_type": "code", "source": "", "metadata": {}, "outputs": outputs}
    return {"cells": [cell], "metadata": {"widgets": _stored(models)}}


def test_last_frames_read_the_stored_png_and_formula_of_each_explorer():
    notebook = _notebook_with_explorer(b"\x89PNG last")
    (model_id, bundle), *others = last_frames(notebook).items()
    assert (model_id, others) == ("vbox", [])
    assert base64.b64decode(bundle["image/png"]) == b"\x89PNG last"
    assert "\\[f(x) = x^{2}\\]" in bundle["text/html"]
    assert "f(x) = x^{2}" in bundle["text/plain"]


def test_freeze_replaces_explorer_views_and_drops_other_views_and_the_state():
    notebook = _notebook_with_explorer(b"\x89PNG last")
    assert freeze_widgets(notebook) == 1
    explorer_output, slider_output = notebook["cells"][0]["outputs"]
    assert base64.b64decode(explorer_output["data"]["image/png"]) == b"\x89PNG last"
    assert slider_output["data"] == {"text/plain": "(an interactive widget, shown live only)"}
    assert "widgets" not in notebook["metadata"]


def test_freeze_leaves_a_notebook_without_widgets_as_it_is():
    cell = {"cell_type": "code", "outputs": [{"output_type": "stream", "text": "hi"}]}
    notebook = {"cells": [cell], "metadata": {}}
    before = copy.deepcopy(notebook)
    assert freeze_widgets(notebook) == 0
    assert notebook == before


def test_freeze_gives_a_described_picture_an_img_with_its_alt():
    meta = {"image/png": {"width": 300, "height": 200, "alt": 'J[0] rows: [3, 0] "x" < 1'}}
    described = {
        "output_type": "display_data",
        "metadata": copy.deepcopy(meta),
        "data": {"image/png": "iVBOR\nw0K", "text/plain": "a figure"},
    }
    bare = {"output_type": "display_data", "metadata": {}, "data": {"image/png": "iVBOR"}}
    notebook = {"cells": [{"cell_type": "code", "outputs": [described, bare]}], "metadata": {}}
    assert freeze_widgets(notebook) == 0
    assert described["data"]["text/html"] == (
        '<img alt="J[0] rows: [3, 0] &quot;x&quot; &lt; 1" width="300" height="200" '
        'style="max-width: 100%" src="data:image/png;base64,iVBORw0K">'
    )
    assert described["data"]["image/png"] == "iVBOR\nw0K"  # PDF and LaTeX still use it
    assert "text/html" not in bare["data"]


# ------------------------------------------------------------------ jacviz html


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """``jacviz html`` on the lecture notebook: (page text, frames, notebook folder)."""
    folder = tmp_path_factory.mktemp("lecture")
    notebook = write_lecture(folder)
    page = folder / "site" / "lecture.html"
    assert main(["html", str(notebook), "-o", str(page), "--timeout", "120"]) == 0
    return page, frames(folder)


def test_page_inlines_both_figures_and_the_explorer_at_its_last_frame(exported):
    page, shot = exported
    pngs = inline_pngs(page.read_text(encoding="utf-8"))
    assert shot.first != shot.last
    assert shot.last in pngs
    assert shot.first not in pngs
    # the Jacobian and the Hessian figure (the theme's CSS inlines a few tiny PNGs too)
    figures = [png for png in pngs if png != shot.last and png_size(png)[0] > 200]
    assert len(figures) == 2


def test_page_gives_each_figure_its_text_alternative(exported):
    text = exported[0].read_text(encoding="utf-8")
    x = np.array([[1.0, 2.0], [3.0, 0.5]])  # the lecture's first figure
    alt = jacviz.plot_batch_jacobian(jacviz.batch_jacobian("x**3", x), x=x).alt_text
    assert "example 0: [3, 0], [0, 12]; example 1: [27, 0], [0, 0.75]" in alt
    assert f'<img alt="{html.escape(alt)}"' in text


def test_page_has_no_widget_state_and_loads_no_script(exported):
    text = exported[0].read_text(encoding="utf-8")
    assert "widget-state+json" not in text
    assert "widget-view+json" not in text
    assert "cdnjs" not in text.split("mermaid")[0]  # MathJax and require.js: data: scripts
    assert '<script src="data:text/javascript,"></script>' in text
    # the still's formula line: drawn, its TeX the text alternative
    assert 'aria-label="f(x) = \\operatorname{softmax}\\left(x\\right)"' in text


def test_no_execute_freezes_a_saved_notebook(tmp_path):
    stored = _notebook_with_explorer(b"\x89PNG saved")
    notebook = nbformat.v4.new_notebook(metadata=stored["metadata"])
    cell = nbformat.v4.new_code_cell("explorer")
    cell.outputs = [nbformat.v4.new_output(**output) for output in stored["cells"][0]["outputs"]]
    notebook.cells = [cell]
    path = tmp_path / "saved.ipynb"
    nbformat.write(notebook, path)
    page = tmp_path / "saved.html"
    assert main(["html", str(path), "-o", str(page), "--no-execute"]) == 0
    assert b"\x89PNG saved" in inline_pngs(page.read_text(encoding="utf-8"))


SHOWN_IMAGES = """() => [...document.images].map(img => ({
    alt: img.alt, width: img.naturalWidth, complete: img.complete,
    src: img.src.replace(/^data:image\\/png;base64,/, ""),
}))"""


SHOWN_MATHS = """() => [...document.querySelectorAll('svg.jacviz-maths')].map(svg => ({
    label: svg.getAttribute('aria-label'), role: svg.getAttribute('role'),
    width: svg.getBoundingClientRect().width, height: svg.getBoundingClientRect().height,
    display: getComputedStyle(svg).display, paths: svg.querySelectorAll('use, path').length,
    fontSize: parseFloat(getComputedStyle(svg.parentElement).fontSize),
}))"""


@pytest.mark.browser
def test_page_shows_figures_and_last_frame_from_file_without_network(exported, browser):
    page_path, shot = exported
    with offline_page(browser, page_path) as (page, blocked):
        shown = page.evaluate(SHOWN_IMAGES)
        status = page.inner_text(".jacviz-static .jacviz-status")
        maths = page.evaluate(SHOWN_MATHS)
    assert blocked == []
    assert len(shown) == 3 and all(image["complete"] and image["width"] > 0 for image in shown)
    (explorer,) = [image for image in shown if "softmax" in image["alt"]]
    assert base64.b64decode(explorer["src"]) == shot.last
    assert explorer["width"] == png_size(shot.last)[0]
    assert "render #2" in status
    # f(x) = x^3 inline, J_ij on its own line, the explorer's formula line: drawn, in view
    assert [m["label"] for m in maths] == [
        "f(x) = x^3",
        "J_{ij} = 3 x_i^2 \\delta_{ij}.",
        "f(x) = \\operatorname{softmax}\\left(x\\right)",
    ]
    inline, display, line = maths
    assert all(m["width"] > 10 and m["height"] > 8 and m["paths"] > 3 for m in maths)
    assert inline["display"] == "inline" and display["display"] == line["display"] == "block"
    assert abs(inline["height"] - inline["fontSize"] * 1.2) < inline["fontSize"]  # text-sized


# ------------------------------------------------------------------ maths without MathJax

MATHS = r"""# Maths offline

Inline $f(x) = x^3$ and \\(a + b\\); in code a price stays as typed: `$5`.

$$J_{ij} = 3 x_i^2 \delta_{ij}$$

\\[ \sum_i x_i \\]

\begin{bmatrix} 1 \\ 2 \end{bmatrix}

Too much for mathtext: $\underbrace{x + y}_{n}$ and $x < y$.
"""
DRAWN = [
    "f(x) = x^3",
    "a + b",
    r"J_{ij} = 3 x_i^2 \delta_{ij}",
    r"\sum_i x_i",
    r"\begin{bmatrix} 1 \\ 2 \end{bmatrix}",
    "x < y",
]
SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)


def _maths_page(tmp_path, *options):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(MATHS)])
    path = tmp_path / "maths.ipynb"
    nbformat.write(notebook, path)
    page = tmp_path / "maths.html"
    assert main(["html", str(path), "-o", str(page), "--no-execute", *options]) == 0
    text = page.read_text(encoding="utf-8")
    start = text.index('<h1 id="Maths-offline"')
    return text[start : text.index("</div>", start)]


def test_maths_are_inline_svg_with_their_tex_as_text_alternative(tmp_path, capsys):
    markdown = _maths_page(tmp_path)
    svgs = SVG.findall(markdown)
    labels = [html.unescape(re.search(r'aria-label="([^"]*)"', svg).group(1)) for svg in svgs]
    assert labels == DRAWN
    for svg, tex in zip(svgs, labels, strict=True):
        assert 'role="img"' in svg and 'class="jacviz-maths"' in svg
        assert f"<title>{html.escape(tex, quote=False)}</title>" in svg
        assert "<path" in svg and "em" in re.search(r'width="([^"]*)"', svg).group(1)
    # the display formula on its own line, the inline ones on the text's baseline
    assert [svg.count("display: block") for svg in svgs] == [0, 0, 1, 1, 1, 0]
    assert "vertical-align: -" in svgs[0]
    # no $ left but the code's and the one formula mathtext cannot read, kept readable
    text = html.unescape(re.sub(r"<[^>]*>", "", SVG.sub("", markdown)))
    assert text.count("$") == 3
    assert "<code>$5</code>" in markdown
    assert "$\\underbrace{x + y}_{n}$" in text
    note = capsys.readouterr().err
    assert "note: 1 formula(s) left as TeX source" in note
    assert "\\underbrace{x + y}_{n}" in note


def test_each_formula_has_ids_of_its_own(tmp_path):
    svgs = SVG.findall(_maths_page(tmp_path))
    ids = [set(re.findall(r'id="([^"]+)"', svg)) for svg in svgs]
    assert all(ids) and len(set.union(*ids)) == sum(map(len, ids))
    for svg, own in zip(svgs, ids, strict=True):
        assert set(re.findall(r'href="#([^"]+)"', svg)) <= own  # glyphs of its own defs


def test_every_presets_formula_line_is_drawn():
    maths = MathsToSvg()
    for preset in PRESETS.values():
        explorer = jacviz.explore(
            preset.expression, preset.x, constants=preset.constants, data=preset.data
        )
        assert explorer.error == "", (preset.expression, explorer.error)
        still = maths.formula_lines(explorer.snapshot()._repr_mimebundle_()["text/html"])
        assert '<div class="jacviz-formula-line"><svg class="jacviz-maths"' in still
        assert "\\[" not in still
    # vectors (bmatrix) and norms (lVert) included: nothing left as TeX
    assert (maths.drawn, maths.left_as_tex) == (len(PRESETS), [])


def test_mathjax_url_leaves_the_maths_to_mathjax(tmp_path):
    markdown = _maths_page(tmp_path, "--mathjax-url", "mathjax/MathJax.js")
    assert "<svg" not in markdown
    assert "$f(x) = x^3$" in markdown and "$$J_{ij} = 3 x_i^2 \\delta_{ij}$$" in markdown


def test_cli_html_help_names_its_options(capsys):
    with pytest.raises(SystemExit):
        main(["html", "--help"])
    help_text = capsys.readouterr().out
    assert "--no-execute" in help_text and "--mathjax-url" in help_text


def test_freeze_rewrites_an_extracted_explorer_png():
    notebook = _notebook_with_explorer(b"\x89PNG last")
    explorer_output = notebook["cells"][0]["outputs"][0]
    explorer_output["metadata"] = {"filenames": {"image/png": "lecture_files/out_0.png"}}
    outputs = {"lecture_files/out_0.png": b"\x89PNG first"}
    freeze_widgets(notebook, outputs)
    assert outputs == {"lecture_files/out_0.png": b"\x89PNG last"}
