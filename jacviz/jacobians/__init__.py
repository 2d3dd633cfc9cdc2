"""The engine: batch Jacobians and Hessians, full Jacobians, coupling, finite differences.

Layer: ``jacobians``. May import ``jacviz.errors`` and ``jacviz.expressions``
(to turn formula text into a callable), plus numpy and autograd. Pure maths on
arrays: no plotting, no widgets, no printing.

Shapes: ``x (B, *in)``, ``y = f(x) (B, *out)``, ``jac (B, *out, *in)``,
``hess (B, *out, *in, *in)``, ``full (B, *out, B, *in)``; ``n = prod(in)`` and
``m = prod(out)`` are the flattened sizes of one example.

Files: ``_checks`` (input checking), ``_budget`` (a request's cost from
shapes, refused over budget before any work), ``_stacked`` (one JVP/VJP on stacked
copies gives every block), ``_basis`` (the fallback: ``min(n, m)`` passes on
the batch as it is), ``_probe`` (the coupling probe), ``_coupling`` (full
Jacobian, ``batch_coupling``), ``_engine`` (``batch_jacobian``), ``_finite``
(central differences). How they fit: ``docs/coupling.md``.
"""

from jacviz.jacobians._budget import (
    MAX_REQUEST_WORK,
    MAX_RESULT_ENTRIES,
    check_entries,
    check_request,
    finite_cost,
    request_cost,
)
from jacviz.jacobians._coupling import batch_coupling, full_jacobian
from jacviz.jacobians._engine import batch_hessian, batch_jacobian
from jacviz.jacobians._finite import finite_difference_jacobian

__all__ = [
    "MAX_REQUEST_WORK",
    "MAX_RESULT_ENTRIES",
    "batch_coupling",
    "batch_hessian",
    "batch_jacobian",
    "check_entries",
    "check_request",
    "finite_cost",
    "finite_difference_jacobian",
    "full_jacobian",
    "request_cost",
]
