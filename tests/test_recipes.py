"""Each route of ``docs/course-notes.md`` section 2, run as documented on a lecture notebook.

A ```` ```bash ```` block whose first line is ``# route: NAME`` is a recipe: it
runs here with ``bash -eu`` in a fresh folder holding ``lecture.ipynb``
(``tests/lecture.py``: maths, a Jacobian and a Hessian figure, an explorer shown
and then changed), with this Python's ``bin`` first on ``PATH`` and ``HOME`` in
the folder. Each output must hold both figures and the explorer's *last* frame
-- the PNG bytes the notebook wrote, pixel for pixel in the PDF -- and not its
first. The Beamer route draws its own figures at a slide's size (a script in the
recipe), so its test measures them on the slides instead.
"""

import base64
import os
import pathlib
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
from ci import skip_or_fail
from lecture import frames, inline_pngs, png_size, write_lecture
from matplotlib import image as mpimg
from offline import offline_page

NOTES = pathlib.Path(__file__).resolve().parent.parent / "docs" / "course-notes.md"
ROUTE = re.compile(r"```bash\n# route: (?P<name>\S+)\n(?P<script>.*?)```", re.DOTALL)
pytestmark = pytest.mark.recipes  # the newest column only: tool routes, not library API
FIGURE_WIDTH = 200  # px: the figures are wider; nbconvert's theme inlines tiny icons too


def routes():
    """Return route name -> its bash script, in the order of the notes."""
    return {match["name"]: match["script"] for match in ROUTE.finditer(NOTES.read_text())}


def run_route(name, folder):
    """Run one documented route in ``folder`` (made, holding the lecture); return ``folder``."""
    write_lecture(folder)
    env = {
        **os.environ,
        "PATH": f"{pathlib.Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(folder),
    }
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", routes()[name]],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return folder


def need(*commands):
    """Skip (fail in CI) unless each command is on ``PATH``."""
    missing = [command for command in commands if shutil.which(command) is None]
    if missing:
        skip_or_fail(f"{', '.join(missing)} not installed (.ci/run installs each)")


def assert_figures_and_last_frame(pngs, folder):
    """Both figures and the last frame are among ``pngs``, the first frame is not."""
    shot = frames(folder)
    assert shot.first != shot.last
    assert shot.last in pngs
    assert shot.first not in pngs
    figures = {png for png in pngs if png != shot.last and png_size(png)[0] > FIGURE_WIDTH}
    assert len(figures) == 2, [png_size(png) for png in figures]


def test_the_notes_document_each_route():
    assert list(routes()) == [
        "jacviz-html",
        "jacviz-slides",
        "html",
        "slides",
        "webpdf",
        "latex",
        "pdf",
        "beamer",
        "sphinx",
        "sphinx-live",
        "myst",
    ]


def test_jacviz_html(tmp_path):
    folder = run_route("jacviz-html", tmp_path)
    page = (folder / "public" / "lecture.html").read_text(encoding="utf-8")
    assert_figures_and_last_frame(inline_pngs(page), folder)


def test_jacviz_slides(tmp_path):
    folder = run_route("jacviz-slides", tmp_path)
    deck = (folder / "public" / "lecture.slides.html").read_text(encoding="utf-8")
    assert_figures_and_last_frame(inline_pngs(deck), folder)
    assert "max-height: 440px" in deck and "width: 1280, height: 800" in deck
    assert 'src="reveal.js/dist/reveal.js"' in deck


def test_nbconvert_html(tmp_path):
    folder = run_route("html", tmp_path)
    page = (folder / "lecture.html").read_text(encoding="utf-8")
    assert "widget-view+json" not in page
    assert_figures_and_last_frame(inline_pngs(page), folder)


def test_nbconvert_slides(tmp_path):
    folder = run_route("slides", tmp_path)
    page = (folder / "lecture.slides.html").read_text(encoding="utf-8")
    assert "reveal" in page
    assert_figures_and_last_frame(inline_pngs(page), folder)


def test_latex(tmp_path):
    if shutil.which("pandoc") is None:
        skip_or_fail("pandoc is not installed (apt-get install pandoc; .ci/run does)")
    folder = run_route("latex", tmp_path)
    tex = (folder / "lecture.tex").read_text(encoding="utf-8")
    included = re.findall(r"\\adjustimage\{.*\}\{([^{}]+\.png)\}", tex)
    pngs = [(folder / name).read_bytes() for name in included]
    assert_figures_and_last_frame(pngs, folder)


def test_sphinx_with_myst_nb(tmp_path):
    folder = run_route("sphinx", tmp_path)
    built = folder / "site" / "_build" / "html"
    page = (built / "lecture.html").read_text(encoding="utf-8")
    files = re.findall(r'<img[^>]+src="(_images/[^"]+\.png)"', page)
    pngs = inline_pngs(page) + [(built / name).read_bytes() for name in files]
    assert_figures_and_last_frame(pngs, folder)
    assert '<div class="math jacviz-formula-line">' in page


LIVE_EXPLORER = "document.querySelector('.jacviz-explorer .jacviz-formula-line mjx-container')"
LIVE_PAGE = """async () => {
  const image = document.querySelector('.jacviz-explorer img.jacviz-image');
  const bytes = new Uint8Array(await (await fetch(image.src)).arrayBuffer());
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  const text = document.body.innerText;
  return {
    explorer: btoa(binary),
    figures: [...document.images].filter(img => img.src.includes('/_images/'))
      .map(img => img.complete ? img.naturalWidth : 0),
    typeset: document.querySelectorAll('.math mjx-container').length,
    raw: ['\\\\(', '\\\\[', '$'].filter(mark => text.includes(mark)),
    errors: document.querySelectorAll('mjx-merror').length,
  };
}"""


@pytest.mark.browser
def test_sphinx_live_widgets_and_maths_offline(tmp_path, browser):
    need("npm")
    folder = run_route("sphinx-live", tmp_path)
    page_path = folder / "site" / "_build" / "html" / "lecture.html"
    with offline_page(browser, page_path) as (page, blocked):
        page.wait_for_function(f"() => {LIVE_EXPLORER} !== null", timeout=60_000)
        shown = page.evaluate(LIVE_PAGE)
    assert blocked == []
    assert base64.b64decode(shown["explorer"]) == frames(folder).last
    assert len(shown["figures"]) == 2 and min(shown["figures"]) > FIGURE_WIDTH
    assert shown["typeset"] >= 2  # the Markdown's inline and display maths
    assert shown["raw"] == [] and shown["errors"] == 0


# ------------------------------------------------------------------ PDF


def rgb_image(path):
    """(RGB bytes row by row, width) of a PNG file via matplotlib's reader; None if grey."""
    rgb = mpimg.imread(path)
    if rgb.ndim == 2:
        return None
    return (np.round(rgb[..., :3] * 255)).astype(np.uint8).tobytes(), rgb.shape[1]


def rgb_pixels(png, path):
    """The RGB bytes of PNG data (written to ``path`` to be read)."""
    path.write_bytes(png)
    return rgb_image(path)[0]


def poppler(*args):
    """Run a poppler-utils command; return what it printed."""
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def extracted_pixels(pdf, folder, pages=None):
    """Colour images in ``pdf`` (``pages``: first, last) by ``pdfimages``: RGB bytes -> width."""
    folder.mkdir()
    first_last = ["-f", str(pages[0]), "-l", str(pages[1])] if pages else []
    poppler("pdfimages", "-png", *first_last, str(pdf), str(folder / "image"))
    images = [rgb_image(path) for path in sorted(folder.glob("image-*.png"))]
    return dict(image for image in images if image is not None)  # soft masks are grey


def assert_pdf_figures_and_last_frame(pdf, folder, work):
    """Both figures and the lecture's last frame are among the PDF's images, the first is not."""
    pixels = extracted_pixels(pdf, work / "images")
    shot = frames(folder)
    assert rgb_pixels(shot.last, work / "last.png") in pixels
    assert rgb_pixels(shot.first, work / "first.png") not in pixels
    assert len([w for w in pixels.values() if w > FIGURE_WIDTH]) == 3  # two figures, the still


def test_webpdf_with_debian_chromium(tmp_path):
    if not pathlib.Path("/usr/bin/chromium").exists():
        skip_or_fail("Debian's Chromium is not installed (apt-get install chromium)")
    need("pdfimages")
    folder = run_route("webpdf", tmp_path)
    assert_pdf_figures_and_last_frame(folder / "lecture.pdf", folder, tmp_path)


# ------------------------------------------------------------------ TeX


def test_pdf_through_xelatex(tmp_path):
    need("xelatex", "pdfimages")
    folder = run_route("pdf", tmp_path)
    assert_pdf_figures_and_last_frame(folder / "lecture.pdf", folder, tmp_path)


MYST = pathlib.Path(__file__).resolve().parent / "recipes" / "myst" / "node_modules" / ".bin"


def test_myst_tex_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", f"{MYST}{os.pathsep}{os.environ['PATH']}")
    need("myst", "pdflatex", "pdfimages")  # myst: npm ci --prefix tests/recipes/myst
    folder = run_route("myst", tmp_path)
    assert_pdf_figures_and_last_frame(folder / "book" / "handout.pdf", folder, tmp_path)


DIGIT_EM = 0.636  # advance width of a digit in DejaVu Sans, matplotlib's font, in em
SLIDE_FIGURE_WIDTH = 5.0 * 72  # points: the recipe's width=


def words(pdf, page):
    """(text, width in pt) of each word pdftotext finds on ``page``."""
    xml = poppler("pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-")
    boxes = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<', xml)
    return [(text, float(x1) - float(x0)) for x0, x1, text in boxes]


def test_beamer_with_save_figure(tmp_path):
    need("pdflatex", "pdfimages", "pdftotext", "pdfinfo")
    folder = run_route("beamer", tmp_path)
    pdf = folder / "slides.pdf"
    assert re.search(r"^Pages:\s+3$", poppler("pdfinfo", str(pdf)), re.MULTILINE)
    assert "Overfull" not in (folder / "slides.log").read_text(errors="replace")
    for name in ["jacobian", "hessian"]:
        size = re.search(
            r"Page size:\s+([\d.]+) x", poppler("pdfinfo", str(folder / "figures" / f"{name}.pdf"))
        )
        assert float(size.group(1)) == pytest.approx(SLIDE_FIGURE_WIDTH)
    first = [text for text, _ in words(pdf, 1)]
    assert {"3", "12", "27", "0.75"} <= set(first)  # the Jacobian's values, in cells
    sizes = [
        width / DIGIT_EM
        for page in (1, 2)
        for text, width in words(pdf, page)
        if re.fullmatch(r"\d", text)
    ]
    assert len(sizes) >= 8 and min(sizes) >= 6.0, sizes
    for page in (1, 2):  # the heatmaps (one per example) and the colour bar
        listed = poppler("pdfimages", "-list", "-f", str(page), "-l", str(page), str(pdf))
        assert len(listed.splitlines()) - 2 == 3, listed
    explorer = rgb_pixels((folder / "figures" / "explorer.png").read_bytes(), tmp_path / "e.png")
    assert explorer in extracted_pixels(pdf, tmp_path / "images", pages=(3, 3))
