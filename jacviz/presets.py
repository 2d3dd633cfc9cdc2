"""Teaching examples, as data: formula, default batch, constants, per-example data and a note.

Layer: presets. Imports only the standard library -- nothing of jacviz -- so
the widget (or a course's own notebook) can list them without the maths.

Each :class:`Preset` is a formula of the safe language (see
:func:`jacviz.parse_function`), a default batch ``x`` of shape ``(B, n)`` as
nested tuples, the named constants it uses, the named per-example data (one
row per example of ``x``; most presets have none), and a one-line note saying
what to look for in the batch Jacobian.
"""

import math
from types import MappingProxyType
from typing import NamedTuple

__all__ = ["PRESETS", "Preset"]


class Preset(NamedTuple):
    """One teaching example.

    Attributes
    ----------
    expression : str
        The formula, written for one example ``x``.
    x : tuple of tuple of float
        The default batch, shape ``(B, n)``.
    constants : Mapping[str, tuple]
        Named constants (nested tuples), read-only.
    note : str
        One line saying what the batch Jacobian shows.
    data : Mapping[str, tuple], optional
        Named per-example data (nested tuples of shape ``(B, ...)``, one row
        per example of ``x``), read-only; empty for most presets. The explorer
        repeats the rows for a larger batch: example ``b`` uses row ``b mod B``.

    Examples
    --------
    >>> seed = PRESETS["cube (seed)"]
    >>> seed.expression, seed.x, dict(seed.data)
    ('x**3', ((4.0, 2.0), (1.0, 3.0)), {})
    >>> PRESETS["squared error to a target"].data["t"]
    ((0.0, 2.0), (2.0, 0.0), (3.0, 1.0))
    """

    expression: str
    x: tuple
    constants: MappingProxyType
    note: str
    data: MappingProxyType = MappingProxyType({})


def _preset(expression, x, note, *, data=None, **constants):
    rows = {name: _rows(value) for name, value in (data or {}).items()}
    return Preset(expression, _rows(x), MappingProxyType(constants), note, MappingProxyType(rows))


def _rows(batch):
    """``batch (B, n)`` as nested tuples of floats."""
    return tuple(tuple(float(v) for v in row) for row in batch)


_TURN = math.pi / 6  # the rotation preset turns by 30 degrees

PRESETS = MappingProxyType(
    {
        "cube (seed)": _preset(
            "x**3",
            ((4, 2), (1, 3)),
            "Elementwise, so each J[b] is diagonal: diag(3 x²), e.g. [[48, 0], [0, 12]].",
        ),
        "sine": _preset(
            "sin(x)",
            ((0, math.pi / 2), (math.pi, 1)),
            "Elementwise: J[b] = diag(cos x). At π/2 it shows 6.12e-17, not 0: π/2 is rounded.",
        ),
        "product and sum": _preset(
            "[x[0]*x[1], x[0] + x[1]]",
            ((1, 2), (3, -1)),
            "Row 0 is (x₁, x₀): each input moves a product by the other factor; row 1 is (1, 1).",
        ),
        "polar to Cartesian": _preset(
            "[x[0]*cos(x[1]), x[0]*sin(x[1])]",
            ((1, 0), (2, math.pi / 4), (1.5, math.pi / 2)),
            "x = (r, θ); det J[b] = r: the map stretches areas more the farther from the origin.",
        ),
        "rotation": _preset(
            "A @ x",
            ((1, 0), (0, 1), (2, 1)),
            "A linear map is its own Jacobian: J[b] = A for every example, det = 1.",
            A=((math.cos(_TURN), -math.sin(_TURN)), (math.sin(_TURN), math.cos(_TURN))),
        ),
        "softmax": _preset(
            "softmax(x)",
            ((1, 2, 3), (0, 0, 0)),
            "J[b] = diag(s) − s sᵀ: columns sum to 0 (outputs sum to 1), "
            "rows too (shift-invariant).",
        ),
        "dense layer": _preset(
            "tanh(W @ x + c)",
            ((0.5, -1, 2), (1, 0, -0.5)),
            "J[b] = diag(1 − y²) W: the weights, damped where a unit saturates.",
            W=((1.0, -0.5, 0.25), (0.5, 0.75, -1.0)),
            c=(0.1, -0.2),
        ),
        "norm": _preset(
            "norm(x)",
            ((3, 4), (1, 0), (-2, 2)),
            "Scalar output: J[b] is the gradient x/‖x‖, a unit vector pointing away from 0.",
        ),
        "quadratic form": _preset(
            "x @ A @ x",
            ((1, 2), (-1, 0.5)),
            "Gradient (A + Aᵀ) x; the Hessian is A + Aᵀ, the same for every example.",
            A=((2.0, 1.0), (0.0, 3.0)),
        ),
        "squared error to a target": _preset(
            "(x - t)**2",
            ((1, 1), (1, 1), (3, 0)),
            "J[b] = diag(2(x − t[b])): − below the target, 0 on it, + above; "
            "examples 0 and 1 share x, not t[b].",
            data={"t": ((0, 2), (2, 0), (3, 1))},  # each example's own target row
        ),
    }
)
