"""Course notes: static pictures of the explorer and the offline HTML export.

Layer: ``notes``, beside ``app``; imports the standard library at module
level, nbformat, nbclient and nbconvert (the ``app`` extra) only inside
:func:`export_html`, and matplotlib only where ``_maths`` draws a formula,
so the widget can build its static picture with this package and nothing more.

``_static`` writes the static picture of an explorer (PNG, HTML and a text
alternative: one MIME bundle), ``_freeze`` replaces the widget views of an
executed notebook by the static pictures of their stored last state, and
``_export`` runs a notebook and writes the page or the reveal.js deck
(``jacviz html [--slides]``), its Markdown maths drawn as SVG by ``_maths``.
docs/course-notes.md has the recipes.
"""

from jacviz.notes._export import export_html, export_slides
from jacviz.notes._freeze import freeze_widgets, last_frames
from jacviz.notes._maths import MathsLeftAsTeX
from jacviz.notes._static import static_bundle, static_html

__all__ = [
    "MathsLeftAsTeX",
    "export_html",
    "export_slides",
    "freeze_widgets",
    "last_frames",
    "static_bundle",
    "static_html",
]
