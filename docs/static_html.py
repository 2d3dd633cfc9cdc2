"""Turn a notebook that uses the jacviz explorer into a static HTML page.

The page shows every widget in its last state -- the explorer's picture
included -- with no kernel and no network, so it can go into course notes,
an LMS page or an e-mail attachment. Usage::

    python docs/static_html.py notebooks/my_lecture.ipynb -o public/my_lecture.html

What it does (the recipe in ``docs/course-notes.md``):

1. fetches the widget manager ``@jupyter-widgets/html-manager``
   (``dist/embed-amd.js`` and its icon fonts, ``.woff2`` only) and ``requirejs``
   (``require.js``) once with ``npm pack`` into a cache directory;
2. copies them next to the output page, into
   ``@jupyter-widgets/html-manager/dist/`` -- the path, relative to the page,
   where the manager looks for its icon fonts (it derives it from its module
   name; one stylesheet looks in ``@jupyter-widgets/``, so the fonts go there
   too), and the same folder serves the scripts;
3. runs ``jupyter nbconvert --to html --execute`` with
   ``--ExecutePreprocessor.store_widget_state=True`` and points the page at
   the local copies (``--HTMLExporter.widget_renderer_url``,
   ``--HTMLExporter.require_js_url``) instead of the public CDNs it would load
   them from by default, with MathJax off (``--HTMLExporter.mathjax_url=``)
   unless ``--mathjax-url`` names one.

Needs the ``test`` extra (nbconvert, ipykernel) and, the first time only,
``npm``. Not part of the jacviz package on purpose: nbconvert is not a
runtime dependency. Only the standard library is imported here.
"""

import argparse
import contextlib
import os
import pathlib
import shutil
import subprocess
import sys
import tarfile
import tempfile

HTML_MANAGER = "@jupyter-widgets/html-manager@^1.0.0"  # the manager of ipywidgets 8
REQUIREJS = "requirejs@^2.3.6"
ASSET_DIR = "@jupyter-widgets/html-manager/dist"  # relative to the page; fixed by the bundle
FONT_DIRS = ("@jupyter-widgets/html-manager/dist", "@jupyter-widgets")  # both are looked up
FONT_SUFFIX = ".woff2"  # every browser that runs the manager takes the first format listed


def default_cache_dir():
    """Where the widget-manager files are kept between runs.

    Returns
    -------
    pathlib.Path
        ``$JACVIZ_ASSET_CACHE`` if set, else ``$XDG_CACHE_HOME/jacviz/static-html``
        (``~/.cache/jacviz/static-html`` by default).
    """
    if os.environ.get("JACVIZ_ASSET_CACHE"):
        return pathlib.Path(os.environ["JACVIZ_ASSET_CACHE"])
    cache_home = os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache"
    return pathlib.Path(cache_home) / "jacviz" / "static-html"


def _members_to_keep(archive):
    """Yield the files of an npm tarball that a static page needs, with short names."""
    for member in archive.getmembers():
        name = member.name.removeprefix("package/")
        if name == "require.js" or name == "dist/embed-amd.js":
            yield member, pathlib.PurePosixPath(name).name
        elif name.startswith("dist/") and name.endswith(FONT_SUFFIX) and "/" not in name[5:]:
            yield member, name[5:]


def _unpack(tarball, target):
    """Copy the needed files of one npm tarball into ``target``."""
    with tarfile.open(tarball) as archive:
        for member, short_name in _members_to_keep(archive):
            source = archive.extractfile(member)
            (target / short_name).write_bytes(source.read())


def fetch_assets(cache_dir=None):
    """Make sure ``embed-amd.js``, ``require.js`` and the icon fonts are cached.

    Runs ``npm pack`` only when the cache is empty; the cache is filled in a
    temporary directory and renamed into place, so concurrent runs are safe.

    Parameters
    ----------
    cache_dir : path-like, optional
        Cache directory; :func:`default_cache_dir` when omitted.

    Returns
    -------
    pathlib.Path
        The directory holding ``embed-amd.js``, ``require.js`` and the fonts.

    Raises
    ------
    FileNotFoundError
        If the cache is empty and ``npm`` is not installed.
    subprocess.CalledProcessError
        If ``npm pack`` fails (e.g. no access to the package registry).
    """
    cache_dir = pathlib.Path(cache_dir or default_cache_dir())
    if (cache_dir / "embed-amd.js").is_file() and (cache_dir / "require.js").is_file():
        return cache_dir
    npm = shutil.which("npm")
    if npm is None:
        raise FileNotFoundError("npm is needed once to fetch the widget manager; install Node.js")
    cache_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir.parent) as work:
        work = pathlib.Path(work)
        subprocess.run(
            [npm, "pack", HTML_MANAGER, REQUIREJS, "--silent"],
            cwd=work,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        staged = work / "assets"
        staged.mkdir()
        for tarball in sorted(work.glob("*.tgz")):
            _unpack(tarball, staged)
        with contextlib.suppress(OSError):  # another run filled the cache first
            staged.rename(cache_dir)
    return cache_dir


def nbconvert_command(notebook, output, *, asset_url=ASSET_DIR, mathjax_url="", timeout=300):
    """Build the nbconvert command line of the recipe.

    Parameters
    ----------
    notebook : path-like
        The ``.ipynb`` to execute and convert.
    output : path-like
        The ``.html`` file to write.
    asset_url : str, optional
        URL of the directory holding ``embed-amd.js`` and ``require.js``,
        relative to the page (the default) or absolute.
    mathjax_url : str, optional
        URL of MathJax 2 for formulas in Markdown and widgets; ``""`` (the
        default) loads none, so the page needs no network.
    timeout : int, optional
        Seconds allowed per cell.

    Returns
    -------
    list of str
        Arguments for :func:`subprocess.run`, starting with this Python.

    Examples
    --------
    >>> cmd = nbconvert_command("lecture.ipynb", "out/lecture.html")
    >>> cmd[1:5]
    ['-m', 'nbconvert', '--to', 'html']
    >>> "--HTMLExporter.require_js_url=@jupyter-widgets/html-manager/dist/require.js" in cmd
    True
    """
    output = pathlib.Path(output)
    return [
        sys.executable,
        "-m",
        "nbconvert",
        "--to",
        "html",
        "--execute",
        "--ExecutePreprocessor.store_widget_state=True",
        f"--ExecutePreprocessor.timeout={timeout}",
        f"--HTMLExporter.widget_renderer_url={asset_url}/embed-amd.js",
        f"--HTMLExporter.require_js_url={asset_url}/require.js",
        f"--HTMLExporter.mathjax_url={mathjax_url}",
        f"--output-dir={output.parent}",
        f"--output={output.stem}",
        str(notebook),
    ]


def _copy_assets(assets, page_dir):
    """Put the scripts and the icon fonts where the page and the manager look for them."""
    for folder in FONT_DIRS:
        (page_dir / folder).mkdir(parents=True, exist_ok=True)
        for font in assets.glob(f"*{FONT_SUFFIX}"):
            shutil.copyfile(font, page_dir / folder / font.name)
    for script in ("embed-amd.js", "require.js"):
        shutil.copyfile(assets / script, page_dir / ASSET_DIR / script)


def export_static_html(notebook, output, *, cache_dir=None, mathjax_url="", timeout=300):
    """Execute ``notebook`` and write a self-contained static HTML page.

    Parameters
    ----------
    notebook : path-like
        The ``.ipynb`` to execute (it runs top to bottom in a fresh kernel).
    output : path-like
        The ``.html`` page to write; ``@jupyter-widgets/`` is created beside it.
    cache_dir : path-like, optional
        Where the npm files are cached; see :func:`default_cache_dir`.
    mathjax_url : str, optional
        MathJax 2 URL; none by default (formulas then show as TeX source).
    timeout : int, optional
        Seconds allowed per cell.

    Returns
    -------
    pathlib.Path
        The written page.

    Raises
    ------
    subprocess.CalledProcessError
        If a cell fails or nbconvert cannot run.
    """
    output = pathlib.Path(output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    assets = fetch_assets(cache_dir)
    _copy_assets(assets, output.parent)
    command = nbconvert_command(notebook, output, mathjax_url=mathjax_url, timeout=timeout)
    subprocess.run(command, check=True)
    return output


def main(argv=None):
    """Command line: ``python docs/static_html.py NOTEBOOK [-o OUTPUT]``.

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name; ``sys.argv[1:]`` when omitted.

    Returns
    -------
    int
        The exit status, 0 on success.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=pathlib.Path)
    parser.add_argument("-o", "--output", type=pathlib.Path, help="default: NOTEBOOK.html")
    parser.add_argument("--cache-dir", type=pathlib.Path, help="npm asset cache")
    parser.add_argument("--mathjax-url", default="", help="MathJax 2 URL (default: none)")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    args = parser.parse_args(argv)
    output = args.output or args.notebook.with_suffix(".html")
    export_static_html(
        args.notebook,
        output,
        cache_dir=args.cache_dir,
        mathjax_url=args.mathjax_url,
        timeout=args.timeout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
