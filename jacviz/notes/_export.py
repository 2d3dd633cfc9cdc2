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
        the formula line. ``""`` (the default) loads none: the Markdown maths and
        each explorer's formula line are drawn as inline SVG by matplotlib's
        mathtext, with their TeX as text alternative; a formula mathtext cannot
        read stays TeX source (a warning names it).
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


def export_slides(notebook, output, *, execute=True, mathjax_url="", reveal_url="", timeout=300):
    """Write ``notebook`` as a reveal.js deck, each explorer at its last frame, for 1280 × 800.

    Slides follow the notebook's slide metadata (JupyterLab's property
    inspector, *Slide Type*); a notebook without any gets one slide per
    Markdown heading, and a sub-slide (below) for each further picture on it
    (:func:`slides_by_heading`). The deck is laid out at 1280 × 800 px (scaled
    to the window) and each explorer's picture is at most :data:`STILL_HEIGHT`
    px high; pictures and maths are inline as in :func:`export_html`.

    Parameters
    ----------
    notebook, output, execute, mathjax_url, timeout
        As for :func:`export_html` (``output`` ends in ``.slides.html`` by custom).
    reveal_url : str, optional
        Where reveal.js 4 is (the folder holding ``dist/`` and ``plugin/``: a
        local copy, relative to the page or absolute); ``""`` (the default)
        loads it from nbconvert's CDN copy, so the deck then needs the network
        for reveal.js itself.

    Returns
    -------
    pathlib.Path
        The deck written.

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        If a cell fails while executing.

    Warns
    -----
    jacviz.notes.MathsLeftAsTeX
        If formulas are left as TeX source (mathtext cannot read them).
    """
    import jinja2
    import nbconvert

    nb, name = _executed_and_frozen(notebook, execute, timeout)
    slides_by_heading(nb)
    maths = None if mathjax_url else MathsToSvg()
    options = {"reveal_url_prefix": reveal_url.rstrip("/")} if reveal_url else {}
    exporter = nbconvert.SlidesExporter(
        extra_loaders=[jinja2.DictLoader({"jacviz-slides.html.j2": SLIDES_TEMPLATE})],
        template_file="jacviz-slides.html.j2",
        require_js_url=NO_SCRIPT,
        mathjax_url=mathjax_url or NO_SCRIPT,
        reveal_theme="white",  # its fonts come with reveal.js ("simple" fetches web fonts)
        **options,
    )
    return _write(exporter, nb, name, output, maths)


def slides_by_heading(nb):
    """Give a notebook without slide metadata a slide per heading, a sub-slide per picture.

    A cell opens a new slide when it is Markdown starting with a heading (or
    it is the first cell), a sub-slide -- below, under the same heading --
    when it shows a picture (a figure or an explorer's still); any other
    cell continues the slide before it. A notebook where any cell has a
    slide type is left as it is.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook, changed in place.

    Returns
    -------
    bool
        Whether slide types were set.

    Examples
    --------
    >>> import nbformat
    >>> picture = nbformat.v4.new_output("display_data", data={"image/png": "iVBO"})
    >>> nb = nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_markdown_cell("# One"), nbformat.v4.new_code_cell("1"),
    ...     nbformat.v4.new_code_cell("plot()", outputs=[picture]),
    ...     nbformat.v4.new_markdown_cell("text"), nbformat.v4.new_markdown_cell("## Two")])
    >>> slides_by_heading(nb), [c.metadata.slideshow.slide_type for c in nb.cells]
    (True, ['slide', '-', 'subslide', '-', 'slide'])
    """
    if any("slide_type" in cell.metadata.get("slideshow", {}) for cell in nb.cells):
        return False
    for index, cell in enumerate(nb.cells):
        heading = cell.cell_type == "markdown" and cell.source.lstrip().startswith("#")
        picture = any("image/png" in out.get("data", {}) for out in cell.get("outputs", []))
        kind = "slide" if index == 0 or heading else "subslide" if picture else "-"
        cell.metadata["slideshow"] = {"slide_type": kind}
    return True


#: The most height (px, on the 1280 × 800 slide) of an explorer's picture on a slide.
STILL_HEIGHT = 440
#: nbconvert's reveal template without its other scripts (jQuery, require.js, mermaid),
#: reveal.js loaded by plain script tags, laid out at 1280 × 800.
SLIDES_TEMPLATE = (
    """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_css -%}
<style>
.reveal .jacviz-static img.jacviz-image { max-height: """
    + str(STILL_HEIGHT)
    + """px; width: auto; }
.reveal .jp-RenderedImage img { max-height: 560px; width: auto; }
</style>
{%- endblock html_head_css -%}
{% block footer_js %}
{%- set prefix = resources.reveal.url_prefix -%}
<script src="{{ prefix }}/dist/reveal.js"></script>
<script src="{{ prefix }}/plugin/notes/notes.js"></script>
<script>
Reveal.initialize({
  controls: true, progress: true, history: true,
  transition: "{{ resources.reveal.transition | default('slide', true) }}",
  slideNumber: "{{ resources.reveal.number }}", plugins: [RevealNotes],
  width: 1280, height: 800,
});
Reveal.addEventListener("slidechanged", () => {  // --mathjax-url: MathJax 2 on each slide shown
  const slide = Reveal.getCurrentSlide();
  if (window.MathJax && MathJax.Hub && MathJax.Hub.getAllJax(slide)) MathJax.Hub.Rerender(slide);
});
</script>
{% endblock footer_js %}
"""
)


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
            **getattr(exporter, "lexer_options", {}),  # newer nbconvert only
        )
        return MarkdownWithMath(renderer=renderer).render(source)

    return markdown2html
