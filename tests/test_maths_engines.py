"""The still's formula line typesets under MathJax 2, MathJax 3 and KaTeX (issue #21.5).

One page per engine holds the still (``explorer.snapshot()``'s ``text/html``)
of every preset and of one formula per function of the language, and loads the
engine from a local copy with its usual page set-up: MathJax 2.7 with the
configuration it ships (``TeX-AMS-MML_HTMLorMML-full``, as nbconvert's ``TeX-AMS_CHTML-full``
but HTML-CSS output), MathJax
3.2 configured as Sphinx configures it (only elements of class ``math``, only
``\\[ … \\]`` for display), KaTeX 0.16 with its auto-render defaults. In Chromium,
from ``file://`` with every other request blocked, each formula line must hold
the engine's output, no raw ``\\[`` and no error mark.

MathJax 2 is the ``jupyter-server-mathjax`` package (test extra); MathJax 3 and
KaTeX come from the npm registry with ``npm pack`` once into the user cache
(``$JACVIZ_ASSET_CACHE`` or ``~/.cache/jacviz/test-assets``). Off CI a missing
``npm`` skips the two tests that need it, saying so; on CI they fail.
"""

import contextlib
import html
import os
import pathlib
import shutil
import subprocess
import tarfile
import tempfile

import pytest
from ci import skip_or_fail
from offline import offline_page

import jacviz
from jacviz.expressions._functions import RULES
from jacviz.presets import PRESETS

pytestmark = pytest.mark.browser

NPM_PACKAGES = {  # name@version -> files kept (paths inside the tarball, under package/)
    "mathjax@3.2.2": ("es5/tex-chtml.js", "es5/output/chtml/fonts/woff-v2/"),
    "katex@0.16.22": (
        "dist/katex.min.js",
        "dist/katex.min.css",
        "dist/contrib/auto-render.min.js",
        "dist/fonts/",
    ),
}


def cache_dir():
    if os.environ.get("JACVIZ_ASSET_CACHE"):
        return pathlib.Path(os.environ["JACVIZ_ASSET_CACHE"])
    return pathlib.Path.home() / ".cache" / "jacviz" / "test-assets"


def npm_package(spec):
    """The unpacked files of one npm package (only those listed), fetched once."""
    target = cache_dir() / spec.replace("@", "-")
    if target.is_dir():
        return target
    npm = shutil.which("npm")
    if npm is None:
        skip_or_fail("npm is needed once to fetch MathJax 3 and KaTeX (install Node.js)")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        subprocess.run(
            [npm, "pack", spec, "--silent"],
            cwd=work,
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=300,
        )
        (tarball,) = pathlib.Path(work).glob("*.tgz")
        staged = pathlib.Path(work) / "files"
        with tarfile.open(tarball) as archive:
            keep = [
                m
                for m in archive.getmembers()
                if m.isfile()
                and any(m.name.removeprefix("package/").startswith(p) for p in NPM_PACKAGES[spec])
            ]
            archive.extractall(staged, members=keep, filter="data")
        with contextlib.suppress(OSError):  # another run filled the cache first
            (staged / "package").rename(target)
    return target


def formulas():
    """(formula, x, constants, data): every preset, and one formula per named function."""
    cases = [(p.expression, p.x, p.constants, p.data) for p in PRESETS.values()]
    for name, arity in RULES:
        if name.isidentifier():
            cases.append((f"{name}({', '.join(['x'] * arity)})", [[0.5, 0.7]], None, None))
    return cases


@pytest.fixture(scope="module")
def stills():
    """The ``text/html`` of each formula's still."""
    pages = []
    for formula, x, constants, data in formulas():
        explorer = jacviz.explore(formula, x, constants=constants, data=data)
        assert explorer.error == "", (formula, explorer.error)
        pages.append(explorer.snapshot()._repr_mimebundle_()["text/html"])
    return pages


MATHJAX2 = """<script src="{root}/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"></script>"""
MATHJAX3_AS_SPHINX = """<script>window.MathJax = {{
  tex: {{inlineMath: [['\\\\(', '\\\\)']], displayMath: [['\\\\[', '\\\\]']]}},
  options: {{ignoreHtmlClass: 'tex2jax_ignore|mathjax_ignore|document',
             processHtmlClass: 'tex2jax_process|mathjax_process|math|output_area'}}
}};</script>
<script defer src="{root}/es5/tex-chtml.js"></script>"""
KATEX = """<link rel="stylesheet" href="{root}/dist/katex.min.css">
<script src="{root}/dist/katex.min.js"></script>
<script src="{root}/dist/contrib/auto-render.min.js"></script>
<script>document.addEventListener("DOMContentLoaded", () => {{
  renderMathInElement(document.body); window.katexDone = true;
}});</script>"""

# each engine: (its head, a JS condition that it is done, the mark of its output, error marks)
ENGINES = {
    "mathjax2": (
        MATHJAX2,
        "window.MathJax && MathJax.isReady && MathJax.Hub.queue.pending === 0"
        " && MathJax.Hub.queue.running === 0",
        ".MathJax, .MathJax_CHTML",
        ".merror, .MathJax_Error, [style*='red']",
    ),
    "mathjax3": (
        MATHJAX3_AS_SPHINX,
        "window.MathJax && MathJax.startup && MathJax.startup.promise && window.mj3Done",
        "mjx-container",
        "mjx-merror, [data-mjx-error], [style*='red']",
    ),
    "katex": (KATEX, "window.katexDone === true", ".katex", ".katex-error"),
}
MJ3_DONE = "MathJax.startup.promise.then(() => { window.mj3Done = true; })"


def engine_root(name):
    if name == "mathjax2":
        import jupyter_server_mathjax

        return pathlib.Path(jupyter_server_mathjax.__file__).parent / "static"
    return npm_package("mathjax@3.2.2" if name == "mathjax3" else "katex@0.16.22")


# a formula line no engine can typeset: the error mark must be seen, or the check is blind
PLANTED = '<div class="math jacviz-formula-line planted">\\[\\notamacro{x}\\]</div>'
LINES = """() => [...document.querySelectorAll('.jacviz-formula-line')].map(line => ({
    text: line.textContent, planted: line.classList.contains('planted'),
    typeset: line.querySelector(MARK) !== null,
    error: line.querySelector(ERROR) !== null,
}))"""


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_formula_lines_typeset(engine, stills, browser, tmp_path):
    head, done, mark, error = ENGINES[engine]
    root = engine_root(engine).as_uri()
    body = "\n".join([*stills, PLANTED])
    page = tmp_path / f"{engine}.html"
    page.write_text(
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head.format(root=root)}</head>"
        f"<body><div class='document'>{body}</div></body></html>",
        encoding="utf-8",
    )
    with offline_page(browser, page) as (tab, blocked):
        if engine == "mathjax3":
            tab.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
            tab.evaluate(MJ3_DONE)
        tab.wait_for_function(done, timeout=60_000)
        lines = tab.evaluate(LINES.replace("MARK", repr(mark)).replace("ERROR", repr(error)))
    assert blocked == []
    *lines, planted = lines
    assert planted["planted"] and (planted["error"] or not planted["typeset"]), planted
    assert len(lines) == len(formulas())
    raw = [html.unescape(line["text"]) for line in lines if not line["typeset"]]
    assert raw == []
    assert [line["text"] for line in lines if line["error"]] == []
    assert not any("\\[" in line["text"] for line in lines)
