"""``jacviz html --slides``: a reveal.js deck where each explorer's last frame fits the slide.

The lecture notebook (``lecture.py``) becomes a deck laid out at 1280 × 800:
one slide per heading, each picture on a sub-slide, the explorer's picture at
most 440 px high, pictures and maths inline. In Chromium, from ``file://``
with every other request blocked, the deck runs with the local reveal.js that
``npm ci --prefix tests/e2e/reveal`` installs (pinned in its package.json, the
4.0.2 that nbconvert's template names); without ``--reveal-url`` the deck
names nbconvert's CDN copy, the one thing it then fetches.
"""

import base64
import re
from pathlib import Path

import nbformat
import pytest
from ci import skip_or_fail
from lecture import frames, inline_pngs, write_lecture
from offline import offline_page

from jacviz.cli import main

REVEAL = Path(__file__).resolve().parent / "e2e" / "reveal" / "node_modules" / "reveal.js"
SLIDE = {"width": 1280, "height": 800}
STILL_RULE = ".reveal .jacviz-static img.jacviz-image { max-height: 440px; width: auto; }"
SCRIPTS = re.compile(r'<script[^>]*\bsrc="([^"]*)"')
SECTION = re.compile(r"<section\b[^>]*>")  # one per slide and per stack of sub-slides


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    """``jacviz html --slides`` of the lecture with the local reveal.js: (deck, frames)."""
    folder = tmp_path_factory.mktemp("lecture")
    notebook = write_lecture(folder)
    path = folder / "site" / "lecture.slides.html"
    args = ["html", str(notebook), "--slides", "--reveal-url", str(REVEAL), "-o", str(path)]
    assert main([*args, "--timeout", "120"]) == 0
    return path, frames(folder)


def test_deck_has_the_explorer_last_frame_inline_and_held_to_440_px(deck):
    path, shot = deck
    text = path.read_text(encoding="utf-8")
    pngs = inline_pngs(text)
    assert shot.last in pngs and shot.first not in pngs
    assert STILL_RULE in text
    assert "width: 1280, height: 800" in text
    # a slide per heading, a sub-slide per picture: one stack, the title and 3 pictures in it
    assert len(SECTION.findall(text)) == 1 + 4
    # scripts: reveal.js and its notes plugin from the copy named, the rest empty data: URLs
    assert SCRIPTS.findall(text) == [
        "data:text/javascript,",
        f"{REVEAL}/dist/reveal.js",
        f"{REVEAL}/plugin/notes/notes.js",
    ]
    assert 'class="jacviz-maths"' in text and "$$" not in text.split("<body")[1]


def test_a_notebooks_own_slide_types_are_kept(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# One", metadata={"slideshow": {"slide_type": "slide"}}),
        nbformat.v4.new_markdown_cell("# Two", metadata={"slideshow": {"slide_type": "-"}}),
        nbformat.v4.new_markdown_cell("skip", metadata={"slideshow": {"slide_type": "skip"}}),
    ]
    path = tmp_path / "own.ipynb"
    nbformat.write(notebook, path)
    assert main(["html", str(path), "--slides", "--no-execute"]) == 0
    text = (tmp_path / "own.slides.html").read_text(encoding="utf-8")
    assert len(SECTION.findall(text)) == 1 + 1  # one slide holding both headings
    assert "skip" not in text.split("<body")[1]


def test_without_reveal_url_the_deck_says_it_needs_the_network(tmp_path, capsys):
    path = tmp_path / "short.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T")]), path)
    assert main(["html", str(path), "--slides", "--no-execute"]) == 0
    assert "loads reveal.js from a CDN" in capsys.readouterr().out
    scripts = SCRIPTS.findall((tmp_path / "short.slides.html").read_text(encoding="utf-8"))
    assert scripts[0] == "data:text/javascript,"
    assert [src.startswith("https://") for src in scripts[1:]] == [True, True]


def test_reveal_url_needs_slides(tmp_path, capsys):
    assert main(["html", str(tmp_path / "x.ipynb"), "--reveal-url", "reveal.js"]) == 2
    assert "--reveal-url is for --slides only" in capsys.readouterr().err


SLIDES = """async () => {
    Reveal.configure({transition: 'none', backgroundTransition: 'none'});
    const out = [];
    const stacks = Reveal.getHorizontalSlides();
    for (let h = 0; h < stacks.length; h++) {
        const below = stacks[h].querySelectorAll(':scope > section').length || 1;
        for (let v = 0; v < below; v++) {
            Reveal.slide(h, v);
            await new Promise(done => setTimeout(done, 200));  // laid out, painted
            const now = Reveal.getCurrentSlide();
            const box = (el) => { const r = el.getBoundingClientRect();
                return {top: r.top, bottom: r.bottom, left: r.left, right: r.right,
                        height: r.height}; };
            out.push({
                slide: box(now), scale: Reveal.getScale(),
                overflow: now.scrollHeight - now.clientHeight,
                stills: [...now.querySelectorAll('img.jacviz-image')].map(img => ({
                    ...box(img), loaded: img.complete && img.naturalWidth > 0,
                    maxHeight: getComputedStyle(img).maxHeight,
                    src: img.src.replace(/^data:image\\/png;base64,/, '')})),
                images: [...now.querySelectorAll('img')].map(box),
                maths: now.querySelectorAll('svg.jacviz-maths').length,
            });
        }
    }
    return out;
}"""


@pytest.mark.browser
def test_deck_runs_offline_and_the_explorer_fits_its_slide(deck, browser):
    if not (REVEAL / "dist" / "reveal.js").exists():
        skip_or_fail("reveal.js is missing: npm ci --prefix tests/e2e/reveal")
    path, shot = deck
    with offline_page(browser, path, viewport=SLIDE) as (page, blocked):
        page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=30_000)
        slides = page.evaluate(SLIDES)
    assert blocked == []
    assert len(slides) == 4  # the title and maths, the two figures, the explorer
    assert slides[0]["maths"] == 2  # f(x) = x³ and J_ij, drawn
    (still_slide,) = [slide for slide in slides if slide["stills"]]
    (still,) = still_slide["stills"]
    assert still["loaded"] and base64.b64decode(still["src"]) == shot.last
    assert 0 < still["height"] <= 440 * still_slide["scale"] + 0.5
    assert still["maxHeight"] == "440px"  # a larger explorer's picture is scaled down
    assert still_slide["maths"] == 1  # the formula line
    for slide in slides:  # every picture wholly on the screen, nothing scrolls
        assert slide["overflow"] <= 0
        for image in slide["images"]:
            assert image["top"] >= 0 and image["bottom"] <= SLIDE["height"]
            assert image["left"] >= 0 and image["right"] <= SLIDE["width"]
