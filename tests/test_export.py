"""The static-HTML recipe of ``docs/course-notes.md`` (``docs/static_html.py``).

A tiny notebook shows a ``jacviz.explore`` explorer, then changes its formula;
it is executed and converted once per module. The page must carry the widget
state with the *last* PNG frame (not the first) and load the widget manager from
the local ``@jupyter-widgets/`` folder, and -- in Chromium, from ``file://`` with
every other request blocked -- show that frame and the final render count with
no kernel. Chromium is the session's shared ``browser`` (``tests/conftest.py``).

The npm files are fetched once into the user cache (``JACVIZ_ASSET_CACHE`` or
``~/.cache/jacviz/static-html``). Off CI a missing ``npm`` or Chromium skips the
tests that need them, saying so; with ``CI=true`` they fail instead.
"""

import base64
import html.parser
import importlib.util
import json
import os
import pathlib
import struct
import subprocess
from typing import NamedTuple

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
STATE_MIME = "application/vnd.jupyter.widget-state+json"


def _load_recipe():
    spec = importlib.util.spec_from_file_location("static_html", ROOT / "docs" / "static_html.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


static_html = _load_recipe()


def _missing(what):
    """Skip off CI, fail on CI: the recipe test must run where it counts."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} is required on CI")
    pytest.skip(f"{what} is not available on this machine (off CI)")


FIRST_FRAME = """\
import pathlib
import jacviz

explorer = jacviz.explore("x**3", [[4.0, 2.0], [1.0, 3.0]])
pathlib.Path("first_frame.png").write_bytes(explorer.image.value)
explorer
"""
LAST_FRAME = """\
explorer.function = "sin(x) * x"
assert explorer.error == "", explorer.error
pathlib.Path("last_frame.png").write_bytes(explorer.image.value)
pathlib.Path("render_count.txt").write_text(str(explorer.render_count))
"""


def _write_notebook(path, cells):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    nbformat.write(notebook, path)


class _StateScript(html.parser.HTMLParser):
    """Collect the text of ``<script type="…widget-state+json">`` and ``src``s."""

    def __init__(self):
        super().__init__()
        self.states, self.sources, self._inside = [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self._inside = attrs.get("type") == STATE_MIME
            if attrs.get("src"):
                self.sources.append(attrs["src"])

    def handle_endtag(self, tag):
        self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.states.append(data)


def _embedded_images(page):
    """PNG bytes of every ImageModel in the page's stored widget state."""
    parser = _StateScript()
    parser.feed(page)
    assert len(parser.states) == 1, "exactly one widget-state script expected"
    state = json.loads(parser.states[0])["state"]
    images = []
    for model in state.values():
        if model["model_name"] == "ImageModel":
            (buffer,) = (b for b in model.get("buffers", []) if b["path"] == ["value"])
            assert buffer["encoding"] == "base64"
            images.append(base64.b64decode(buffer["data"]))
    return images, parser.sources


def _png_size(data):
    """(width, height) read from the IHDR chunk, independent of any image library."""
    assert data[:8] == PNG_SIGNATURE
    return struct.unpack(">II", data[16:24])


class Exported(NamedTuple):
    page: pathlib.Path
    first_frame: bytes
    last_frame: bytes
    render_count: int


@pytest.fixture(scope="module")
def assets():
    try:
        return static_html.fetch_assets()
    except FileNotFoundError:
        _missing("npm (to fetch @jupyter-widgets/html-manager once)")
    except subprocess.CalledProcessError as error:
        _missing(f"the npm registry ({error})")


@pytest.fixture(scope="module")
def exported(assets, tmp_path_factory):
    """The page of a notebook whose explorer changes its formula after being shown."""
    folder = tmp_path_factory.mktemp("static_html")
    notebook = folder / "lecture.ipynb"
    _write_notebook(notebook, [FIRST_FRAME, LAST_FRAME])
    page = static_html.export_static_html(notebook, folder / "site" / "lecture.html", timeout=120)
    return Exported(
        page=page,
        first_frame=(folder / "first_frame.png").read_bytes(),
        last_frame=(folder / "last_frame.png").read_bytes(),
        render_count=int((folder / "render_count.txt").read_text()),
    )


def test_command_points_the_page_at_local_files_and_stores_widget_state():
    command = static_html.nbconvert_command("in.ipynb", "out/page.html", asset_url="assets")
    assert "--ExecutePreprocessor.store_widget_state=True" in command
    assert "--HTMLExporter.widget_renderer_url=assets/embed-amd.js" in command
    assert "--HTMLExporter.require_js_url=assets/require.js" in command
    assert "--HTMLExporter.mathjax_url=" in command
    assert command[-1] == "in.ipynb"
    assert "--output=page" in command


def test_cache_holds_the_widget_manager_and_requirejs(assets):
    embed = (assets / "embed-amd.js").read_text(encoding="utf-8")
    assert 'define("@jupyter-widgets/controls"' in embed
    assert "version = '2." in (assets / "require.js").read_text(encoding="utf-8")


def test_page_embeds_the_last_frame_as_png(exported):
    images, _ = _embedded_images(exported.page.read_text(encoding="utf-8"))
    assert exported.first_frame != exported.last_frame
    assert exported.last_frame[:8] == PNG_SIGNATURE
    assert exported.last_frame in images
    assert exported.first_frame not in images


def test_page_loads_the_widget_manager_from_beside_it(exported):
    page = exported.page
    text = page.read_text(encoding="utf-8")
    _, sources = _embedded_images(text)
    assets = page.parent / "@jupyter-widgets" / "html-manager" / "dist"
    assert "@jupyter-widgets/html-manager/dist/require.js" in sources
    assert "'@jupyter-widgets/html-manager/dist/embed-amd.js'" in text
    assert "unpkg" not in text
    assert (assets / "embed-amd.js").is_file()
    assert (assets / "require.js").is_file()
    assert list(assets.glob("*.woff2"))


# the buttons' icons: the manager's Font Awesome face is found beside the page
ICON_FONT_LOADS = """async () => {
    const faces = await document.fonts.load('900 16px "Font Awesome 5 Free"');
    return faces.some(face => face.status === "loaded");
}"""
SHOWN_BYTES_AS_BASE64 = """async img => {
    const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
    let text = "";
    for (const byte of bytes) text += String.fromCharCode(byte);
    return btoa(text);
}"""


def test_page_shows_the_last_frame_from_file_without_network(exported, browser):
    blocked = []

    def only_local(route):
        if route.request.url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context = browser.new_context()
    try:
        page = context.new_page()
        page.route("**/*", only_local)
        page.goto(exported.page.as_uri())
        image = page.wait_for_selector(".jacviz-explorer img.jacviz-image", timeout=30_000)
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=image, timeout=30_000
        )
        size = image.evaluate("img => [img.naturalWidth, img.naturalHeight]")
        shown = image.evaluate(SHOWN_BYTES_AS_BASE64)
        status = page.inner_text(".jacviz-status")
        icons = page.evaluate(ICON_FONT_LOADS)
    finally:
        context.close()
    assert tuple(size) == _png_size(exported.last_frame)
    assert base64.b64decode(shown) == exported.last_frame
    assert f"render #{exported.render_count}" in status
    assert icons
    assert blocked == []
