"""The JacobianExplorer widget: the only module of jacviz importing ipywidgets.

Layer: widget, the top. May import every layer below (errors, expressions,
jacobians, plotting, presets, views), numpy, matplotlib, ipywidgets, IPython
and traitlets.

Files, one job each. :class:`JacobianExplorer` (``_explorer``) is the one
object a click goes through: its handlers write state, one update reads it,
calls the pure layers and hands the outcome on. It is composed of
``_controls`` (:class:`Controls`: every widget by name, laid out, ranges
kept; ``_batch_controls``: the grid of number boxes), ``_updates``
(:class:`Updates`: one update per user action), ``_presenter``
(:class:`Presenter`: an outcome or an error put on screen) and ``_pictures``
(the figures, drawn as PNG). Pure helpers, no widgets: ``_batch`` (the batch
as data: checking, pasting, resizing, which examples are drawn), ``_compute``
(the maths of one update and its teaching extras), ``_notes`` (what the
status line says about a result), ``_text`` (status line, error area and
tables as HTML). ``_untrusted`` keeps what a browser may send in range.
docs/architecture.md follows one click through them.
"""

from jacviz.widget._explorer import JacobianExplorer, explore

__all__ = ["JacobianExplorer", "explore"]
