"""The JacobianExplorer widget: the only module of jacviz importing ipywidgets.

Layer: widget, the top. May import every layer below (errors, expressions,
jacobians, plotting, presets, views), numpy, matplotlib, ipywidgets, IPython
and traitlets.

Files, one job each: ``_batch`` (the batch as data: checking, pasting,
resizing, which examples are drawn), ``_compute`` (the maths of one update
and the teaching extras: finite-difference check, formulas of J), ``_notes``
(what the status line says about a result), ``_text`` (status line, error
area and tables as HTML), ``_controls`` (the widgets, described and hooked
for CSS), ``_batch_controls`` (the grid of number boxes), ``_pictures``
(heatmaps and linear map as PNG, the figure behind them), ``_handlers``
(what each control does), ``_showing`` (an outcome put on screen),
``_explorer`` (:class:`JacobianExplorer` and :func:`explore`: state,
validators, observers, the one update).
"""

from jacviz.widget._explorer import JacobianExplorer, explore

__all__ = ["JacobianExplorer", "explore"]
