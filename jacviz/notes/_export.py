"""``export_html``: run a notebook, freeze its widgets, write one offline HTML page.

Layer: notes. nbformat, nbclient, nbconvert and jinja2 (the ``app`` extra) are
imported inside functions only.

The page needs no network and no JavaScript: figures and the explorer's last
frame are PNGs inline (``data:`` URLs), the widget views are replaced by their
static pictures (:func:`jacviz.notes.freeze_widgets`), the Markdown maths is
inline SVG drawn by matplotlib (:mod:`jacviz.notes._maths`), and the scripts
nbconvert's template would fetch from public CDNs (require.js, MathJax) are
empty ``data:`` scripts -- unless a MathJax URL is given, which then typesets
the maths instead.
"""

import pathlib
import warnings

from jacviz.notes._freeze import freeze_widgets
from jacviz.notes._maths import MathsLeftAsTeX, MathsToSvg

NO_SCRIPT = "data:text/javascript,"  # an empty script: nothing fetched


def export_html(notebook, output, *, execute=True, mathjax_url="", timeout=300):
    """Write ``notebook`` as one self-contained HTML page with every explorer's last frame.

    Parameters
    ----------
    notebook : path-like
        The ``.ipynb`` file.
    output : path-like
        The ``.html`` file to write (its folder is made if missing).
    execute : bool, optional
        Run the notebook top to bottom in a fresh kernel first (its folder as
        working directory), storing the widget state; False uses the outputs and
        widget state saved in the file (JupyterLab: *Save Widget State Automatically*).
    mathjax_url : str, optional
        A MathJax 2 URL (a local copy or a CDN) that typesets the Markdown maths and
        the formula line. ``""`` (the default) loads none: the Markdown maths is
        drawn as inline SVG by matplotlib's mathtext, with its TeX as text
        alternative; a formula mathtext cannot read stays TeX source (a warning
        names it).
    timeout : int, optional
        Seconds allowed per cell.

    Returns
    -------
    pathlib.Path
        The page written.

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        If a cell fails while executing.

    Warns
    -----
    jacviz.notes.MathsLeftAsTeX
        If formulas are left as TeX source (mathtext cannot read them).
    """
    import nbconvert

    nb, name = _executed_and_frozen(notebook, execute, timeout)
    maths = None if mathjax_url else MathsToSvg()
    exporter = nbconvert.HTMLExporter(
        template_name="lab",
        require_js_url=NO_SCRIPT,
        mathjax_url=mathjax_url or NO_SCRIPT,
    )
    return _write(exporter, nb, name, output, maths)


def _executed_and_frozen(notebook, execute, timeout):
    """Read (and run) ``notebook``, freeze its widgets; return it and its name."""
    import nbclient
    import nbformat

    notebook = pathlib.Path(notebook)
    nb = nbformat.read(notebook, as_version=4)
    if execute:
        client = nbclient.NotebookClient(
            nb,
            timeout=timeout,
            store_widget_state=True,
            resources={"metadata": {"path": str(notebook.resolve().parent)}},
        )
        client.execute()
    freeze_widgets(nb)
    return nb, notebook.stem


def _write(exporter, nb, name, output, maths):
    """Export ``nb`` (maths as SVG unless ``maths`` is None), write ``output``, warn."""
    if maths is not None:
        exporter.register_filter("markdown2html", _markdown_with_svg_maths(exporter, maths))
        _draw_formula_lines(nb, maths)
    page, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": name}})
    output = pathlib.Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(page, encoding="utf-8")
    if maths is not None and maths.left_as_tex:
        shown = "; ".join(maths.left_as_tex[:3]) + ("; ..." if len(maths.left_as_tex) > 3 else "")
        warnings.warn(
            f"{len(maths.left_as_tex)} formula(s) left as TeX source (matplotlib's mathtext "
            f"cannot read them; --mathjax-url typesets them): {shown}",
            MathsLeftAsTeX,
            stacklevel=3,
        )
    return output


def _draw_formula_lines(nb, maths):
    """Draw the formula line of each explorer still in ``nb``'s outputs as SVG (in place)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                data["text/html"] = maths.formula_lines(data["text/html"])


def _markdown_with_svg_maths(exporter, maths):
    """Return nbconvert's ``markdown2html`` filter with each formula drawn by ``maths``."""
    import jinja2
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    class SvgMathsRenderer(IPythonRenderer):
        def block_math(self, body):
            return maths(body, display=True)

        def inline_math(self, body):
            return maths(body, display=False)

        def latex_environment(self, name, body):
            return maths(f"\\begin{{{name}}}{body}\\end{{{name}}}", display=True)

    @jinja2.pass_context
    def markdown2html(context, source):
        """Render Markdown as nbconvert's ``HTMLExporter.markdown2html``, maths as SVG."""
        cell = context.get("cell", {})
        renderer = SvgMathsRenderer(
            escape=False,
            attachments=cell.get("attachments", {}),
            embed_images=exporter.embed_images,
            path=context.get("resources", {}).get("metadata", {}).get("path", ""),
            anchor_link_text=exporter.anchor_link_text,
            exclude_anchor_links=exporter.exclude_anchor_links,
            **exporter.lexer_options,
        )
        return MarkdownWithMath(renderer=renderer).render(source)

    return markdown2html
