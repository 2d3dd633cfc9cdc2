"""``export_html``: run a notebook, freeze its widgets, write one offline HTML page.

Layer: notes. nbformat, nbclient and nbconvert (the ``app`` extra) are imported
inside :func:`export_html` only.

The page needs no network and no JavaScript: figures and the explorer's last
frame are PNGs inline (``data:`` URLs), the widget views are replaced by their
static pictures (:func:`jacviz.notes.freeze_widgets`), and the scripts
nbconvert's template would fetch from public CDNs (require.js, MathJax) are
empty ``data:`` scripts unless a MathJax URL is given.
"""

import pathlib

from jacviz.notes._freeze import freeze_widgets

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
        the formula line; ``""`` (the default) loads none: formulas stay TeX source.
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
    """
    import nbclient
    import nbconvert
    import nbformat

    notebook = pathlib.Path(notebook)
    output = pathlib.Path(output)
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
    exporter = nbconvert.HTMLExporter(
        template_name="lab",
        require_js_url=NO_SCRIPT,
        mathjax_url=mathjax_url or NO_SCRIPT,
    )
    page, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": notebook.stem}})
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(page, encoding="utf-8")
    return output
