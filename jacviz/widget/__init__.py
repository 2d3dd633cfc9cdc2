"""The JacobianExplorer widget: the only module of jacviz importing ipywidgets.

Layer: widget, the top. May import every layer below (errors, expressions,
jacobians, plotting, presets, views), numpy, matplotlib, ipywidgets, IPython
and traitlets.

Files, one job each: ``_batch`` (the batch as data: checking, pasting,
resizing), ``_notes`` (what the status line says about a result), ``_text``
(status line, error area and values table as HTML), ``_controls`` (the
widgets, described and hooked for CSS), ``_batch_controls`` (the grid of
number boxes), ``_explorer`` (:class:`JacobianExplorer` and :func:`explore`:
state, the one update, the handlers).
"""

from jacviz.widget._explorer import JacobianExplorer, explore

__all__ = ["JacobianExplorer", "explore"]
