"""jacviz: batch Jacobians for teaching and exploring, in Jupyter.

For a batch ``x`` of shape ``(B, *in)`` and a function ``f`` mapping it to
``(B, *out)``, the batch Jacobian stacks the per-example Jacobians
``J[b] = ∂f(x)[b] / ∂x[b]`` into shape ``(B, *out, *in)`` -- the meaning of
TensorFlow's ``tf.GradientTape.batch_jacobian``, computed with HIPS autograd.

Layers (imports point one way only, see ``tests/test_architecture.py``)::

    errors        exceptions and warnings
    expressions   the safe formula language (ast + autograd.numpy)
    jacobians     the engine (numpy + autograd; accepts formula text)
    presets       teaching examples, as data
    plotting      heatmaps (numpy + matplotlib's Figure API)
    views         teaching views that need both maths and pictures
    widget        JacobianExplorer (the only module importing ipywidgets)
"""

from jacviz.errors import BatchCouplingError, BatchCouplingWarning, ExpressionError, JacvizError
from jacviz.expressions import ALLOWED_FUNCTIONS, Function, jacobian_formulas, parse_function
from jacviz.jacobians import (
    batch_coupling,
    batch_hessian,
    batch_jacobian,
    finite_difference_jacobian,
    full_jacobian,
)
from jacviz.plotting import (
    HeatmapGrid,
    plot_batch_hessian,
    plot_batch_jacobian,
    plot_full_jacobian,
    save_figure,
)
from jacviz.presets import PRESETS, Preset
from jacviz.views import linear_map_geometry, plot_linear_map
from jacviz.widget import JacobianExplorer, explore

__version__ = "0.1.0"

__all__ = [
    "ALLOWED_FUNCTIONS",
    "PRESETS",
    "BatchCouplingError",
    "BatchCouplingWarning",
    "ExpressionError",
    "Function",
    "HeatmapGrid",
    "JacobianExplorer",
    "JacvizError",
    "Preset",
    "__version__",
    "batch_coupling",
    "batch_hessian",
    "batch_jacobian",
    "explore",
    "finite_difference_jacobian",
    "full_jacobian",
    "jacobian_formulas",
    "linear_map_geometry",
    "parse_function",
    "plot_batch_hessian",
    "plot_batch_jacobian",
    "plot_full_jacobian",
    "plot_linear_map",
    "save_figure",
]
