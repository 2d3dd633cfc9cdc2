r"""``FreezeWidgets``: the nbconvert preprocessor that puts each explorer's last frame in place.

Layer: notes; imports nbconvert (the ``app`` extra), so it is not imported by
:mod:`jacviz.notes` itself. Name it in any nbconvert route, after execution::

    jupyter nbconvert --to html --execute lecture.ipynb \
        --Exporter.preprocessors=jacviz.notes.preprocessor.FreezeWidgets

``--to html``, ``latex``, ``pdf``, ``webpdf``, ``slides`` and ``notebook`` (a frozen
copy for Sphinx/myst-nb, Jupyter Book or a notebook viewer) all work the same
way: widget views become the static pictures of :func:`jacviz.notes.freeze_widgets`.
"""

from nbconvert.preprocessors import Preprocessor

from jacviz.notes._freeze import freeze_widgets


class FreezeWidgets(Preprocessor):
    """Replace widget views by static pictures: an explorer by its stored last frame.

    Runs after nbconvert's execution (user preprocessors come after the
    built-in ones), which stores the widget state it reads, and after the
    extraction of outputs to files (LaTeX, PDF), whose explorer PNG it rewrites.

    Examples
    --------
    >>> import nbformat
    >>> notebook, _ = FreezeWidgets().preprocess(nbformat.v4.new_notebook(), {})
    >>> notebook.cells
    []
    """

    def preprocess(self, nb, resources):
        """Freeze ``nb`` in place; return it with ``resources`` unchanged."""
        freeze_widgets(nb, resources.get("outputs"))
        return nb, resources
