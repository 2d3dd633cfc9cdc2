"""Input checking shared by the engine and finite differences.

Layer: ``jacobians``. May import ``jacviz.expressions`` (formula text), numpy and
autograd.
"""

import contextlib
import math
import numbers
import warnings

import autograd.numpy as anp
import numpy as np
from autograd.tracer import getval

from jacviz.expressions import parse_function

MODES = ("auto", "forward", "reverse")
CHECKS = ("warn", "raise", "off")


def as_function(f):
    """Return ``f`` itself, or the :class:`~jacviz.expressions.Function` of formula text."""
    if isinstance(f, str):
        return parse_function(f)
    if not callable(f):
        raise TypeError(f"f must be a callable or formula text (str), not {type(f).__name__}")
    return f


def as_batch(x):
    """``x`` as a real floating array of rank >= 2 (int/bool become float64)."""
    x = np.asarray(x)
    if x.dtype.kind == "c":
        raise TypeError(
            f"x has complex dtype {x.dtype}; jacviz differentiates real functions only. "
            "Split x into real and imaginary parts as separate real inputs."
        )
    if x.dtype.kind in "biu":
        x = x.astype(np.float64)
    elif x.dtype.kind != "f":
        raise TypeError(f"x must hold real numbers, got dtype {x.dtype}")
    if x.ndim < 2:
        raise ValueError(
            f"x must have a batch axis: shape (B, *in) with rank >= 2, got shape {x.shape}. "
            "Add one: x[None] for a single example, or x[:, None] for a batch of scalars."
        )
    return x


ANY_BATCH_SIZE = (
    "f must accept a batch of any size (the engine evaluates it on stacked copies of the "
    "batch, k·B rows): write f per example, broadcasting over axis 0, e.g. x * w with w of "
    "shape (n,) rather than (B, 1), anp.reshape(x, (-1, ...)) rather than a fixed batch "
    "size, and x[:, i] for input i, not x[i]."
)


def check_output(y, x_shape, stacked_shape=None):
    """Raise unless ``f`` returned one real row per example: ``y.shape[0] == B``.

    ``y`` is ``f(x)`` for ``x`` of ``x_shape``, or, given ``stacked_shape``,
    ``f`` of the stacked rows built from that ``x``: the message then names
    both shapes, the user's first.
    """
    shape = np.shape(y)
    rows = x_shape[0] if stacked_shape is None else stacked_shape[0]
    if len(shape) == 0 or shape[0] != rows:
        if stacked_shape is None:
            what = f"f(x) has shape {shape} but x has shape {x_shape}: f must return"
        else:
            what = (
                f"f works on x of shape {x_shape}, but on the stacked batch of shape "
                f"{stacked_shape} built from it, f returned shape {shape}; it must return"
            )
        raise ValueError(
            f"{what} one output per example, of shape ({rows}, *out). {ANY_BATCH_SIZE}"
        )
    if np.iscomplexobj(getval(y)):
        raise TypeError("f(x) is complex; jacviz differentiates real functions only.")


def _is_integer(value):
    """Check for a Python or numpy integer; bool is refused (``True`` is not an order)."""
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def _kind(value):
    """``value`` and its type, for a message: ``1.0 (float)``."""
    return f"{value!r} ({type(value).__name__})"


def check_options(order, check="warn", mode="auto", chunk_size=None):
    """Raise ``TypeError`` for an option of the wrong type, ``ValueError`` outside its values.

    Integer options take Python and numpy integers; bool and float are refused.
    Returns ``(order, chunk_size)`` as Python ints (``chunk_size`` may be
    ``None``), so that no numpy integer overflows in size arithmetic.
    """
    if not _is_integer(order):
        raise TypeError(f"order must be the int 1 or 2, got {_kind(order)}")
    if order not in (1, 2):
        raise ValueError(f"order must be 1 or 2, got {order!r}")
    if not isinstance(check, str) or check not in CHECKS:
        raise ValueError(f"check must be one of {CHECKS}, got {check!r}")
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    if chunk_size is not None and not _is_integer(chunk_size):
        raise TypeError(f"chunk_size must be a positive int or None, got {_kind(chunk_size)}")
    if chunk_size is not None and chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive int or None, got {chunk_size!r}")
    return int(order), None if chunk_size is None else int(chunk_size)


def check_step(eps):
    """Raise unless ``eps`` is ``None`` or a positive finite real number (a step ``h``)."""
    if eps is None:
        return
    if isinstance(eps, (bool, np.bool_)) or not isinstance(eps, numbers.Real):
        raise TypeError(f"eps must be a positive real step h, or None, got {_kind(eps)}")
    if not (eps > 0 and math.isfinite(eps)):
        raise ValueError(f"eps must be a positive finite step h, or None, got {eps!r}")


@contextlib.contextmanager
def quiet():
    """Keep numerical trouble in the values: no warnings spilled from a pass.

    NumPy's floating-point warnings are ignored (``np.errstate(all="ignore")``,
    which also covers autograd's backward and forward rules, run outside the
    formula's own ``errstate``): ``log(0)`` gives ``-inf`` and ``0/0`` gives
    ``nan`` in the result, and the caller decides how to show them. Autograd's
    "Output seems independent of input" is silenced too (we return zeros on
    purpose).
    """
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.filterwarnings("ignore", message="Output seems independent of input")
        yield


def row_map(f, x_shape, m, x2d):
    """``f`` as a map of flat rows ``(R, n) -> (R, m)``, checking it keeps the rows.

    ``x2d`` holds rows built from the user's batch of ``x_shape`` (stacked
    copies, shifted copies, chunks). When ``f`` works on ``x`` but fails on
    another number of rows, the error is re-raised as a ``ValueError`` that
    names both shapes (chained to ``f``'s own error); when ``f`` fails at the
    batch's own size, or on these rows only while traced by autograd, its
    error is left alone.
    """
    rows = x2d.shape[0]
    stacked_shape = (rows, *x_shape[1:])
    try:
        y = f(anp.reshape(x2d, stacked_shape))
    except Exception as error:
        if rows == x_shape[0] or isinstance(error, MemoryError):
            raise
        if not _fails_untraced(f, np.reshape(getval(x2d), stacked_shape)):
            raise
        raise ValueError(
            f"f works on x of shape {x_shape} but fails on the stacked batch of shape "
            f"{stacked_shape} built from it ({type(error).__name__}: {error}). {ANY_BATCH_SIZE}"
        ) from error
    check_output(y, x_shape, stacked_shape)
    return anp.reshape(y, (rows, m))


def _fails_untraced(f, rows):
    """Tell whether ``f`` fails on plain ``rows`` too: then the batch size is the cause."""
    try:
        f(rows)
    except Exception:
        return True
    return False


def layout(x, y, order):
    """Check ``y = f(x)``; return ``(in_shape, out_shape, result shape)``."""
    check_output(y, x.shape)
    in_shape, out_shape = x.shape[1:], np.shape(y)[1:]
    return in_shape, out_shape, (x.shape[0], *out_shape, *in_shape * order)
