"""Heatmaps of batch Jacobians and Hessians, and a fast in-place renderer.

Layer: plotting. Imports numpy and matplotlib (the object-oriented ``Figure``
API, never pyplot) -- and ``isal`` for the PNG deflate where installed --
nothing else of jacviz; knows nothing of autograd, formulas or widgets: it
draws plain arrays. Bad arguments raise the built-in ``ValueError`` /
``TypeError`` with a message saying what fits.

Files, one job each: ``_style`` (colours, limits, words), ``_colors`` (cell
colours), ``_layout`` (where panels go), ``_arrays`` (shapes, flattening,
which examples and outputs), ``_notes`` (the words of a figure's note),
``_spec`` (a picture as plain data), ``_scenes`` (what each view draws),
``_view`` (artists built once, refilled in place), ``_colorbar``, ``_plots``
(the ``plot_*`` functions), ``_live`` (one view redrawn by blitting),
``_renderer`` (:class:`HeatmapGrid`), ``_pool`` (:class:`ViewPool`, views
shared by the renderers of one process), ``_png`` (PNG encoding), ``_export``
(:func:`save_figure`, :func:`png_bytes`), ``_figure`` (:class:`JacvizFigure`,
a figure that displays itself in Jupyter) and ``_fast/``, the fast drawing
path: the only place touching private matplotlib API, behind one switch
with a plain-matplotlib fallback.
"""

from jacviz.plotting._export import png_bytes, save_figure
from jacviz.plotting._figure import JacvizFigure
from jacviz.plotting._plots import plot_batch_hessian, plot_batch_jacobian, plot_full_jacobian
from jacviz.plotting._pool import ViewPool
from jacviz.plotting._renderer import HeatmapGrid

__all__ = [
    "HeatmapGrid",
    "JacvizFigure",
    "ViewPool",
    "plot_batch_hessian",
    "plot_batch_jacobian",
    "plot_full_jacobian",
    "png_bytes",
    "save_figure",
]
