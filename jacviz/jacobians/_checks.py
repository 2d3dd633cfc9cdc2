"""Input checking shared by the engine and finite differences.

Layer: ``jacobians``. May import ``jacviz._validate`` (the checks every layer
shares), ``jacviz.expressions`` (formula text), numpy and autograd.
"""

import contextlib
import math
import warnings

import autograd.numpy as anp
import numpy as np
from autograd.tracer import getval

from jacviz._validate import batch_array, check_callable, describe, is_real, is_whole
from jacviz.expressions import Function, parse_function

MODES = ("auto", "forward", "reverse")
CHECKS = ("warn", "raise", "off")


def as_function(f):
    """Return ``f`` itself, or the :class:`~jacviz.expressions.Function` of formula text."""
    check_callable(f)
    return parse_function(f) if isinstance(f, str) else f


def has_data(f):
    """Tell whether ``f`` is a formula with per-example data (it takes its own batch only)."""
    return isinstance(f, Function) and bool(f.data)


def as_batch(x):
    """``x`` as a real floating array of rank >= 2 (int/bool become float64)."""
    return batch_array(x, "x")


def check_output(y, x_shape):
    """Raise unless ``f(x)``, for ``x`` of ``x_shape``, is an array of one real row per example."""
    if isinstance(y, (list, tuple)):
        raise TypeError(
            f"f(x) is a {type(y).__name__}, not an array: autograd does not differentiate "
            "through Python containers; build the output with anp.stack([...], axis=1)"
        )
    shape = np.shape(y)
    if len(shape) == 0 or shape[0] != x_shape[0]:
        raise ValueError(
            f"f(x) has shape {shape} but x has shape {x_shape}: f must return one output per "
            f"example, of shape ({x_shape[0]}, *out) (write x[:, i] for input i, not x[i])"
        )
    if np.iscomplexobj(getval(y)):
        raise TypeError("f(x) is complex; jacviz differentiates real functions only.")


def check_options(order, check="warn", mode="auto", chunk_size=None):
    """Raise ``TypeError`` for an option of the wrong type, ``ValueError`` outside its values.

    Integer options take Python and numpy integers; bool and float are refused.
    Returns ``(order, chunk_size)`` as Python ints (``chunk_size`` may be
    ``None``), so that no numpy integer overflows in size arithmetic.
    """
    if not is_whole(order):
        raise TypeError(f"order must be the int 1 or 2, got {describe(order)}")
    if order not in (1, 2):
        raise ValueError(f"order must be 1 or 2, got {order!r}")
    if not isinstance(check, str) or check not in CHECKS:
        raise ValueError(f"check must be one of {CHECKS}, got {check!r}")
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    if chunk_size is not None and not is_whole(chunk_size):
        raise TypeError(f"chunk_size must be a positive int or None, got {describe(chunk_size)}")
    if chunk_size is not None and chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive int or None, got {chunk_size!r}")
    return int(order), None if chunk_size is None else int(chunk_size)


def check_step(eps):
    """Raise unless ``eps`` is ``None`` or a positive finite real number (a step ``h``)."""
    if eps is None:
        return
    if not is_real(eps):
        raise TypeError(f"eps must be a positive real step h, or None, got {describe(eps)}")
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


class Unstackable(Exception):
    """``f`` cannot be evaluated on rows stacked from its batch; the engine falls back."""


def row_map(f, x_shape, m, x2d):
    """``f`` as a map of flat rows ``(B, n) -> (B, m)``, on rows of the batch's own size."""
    y = f(anp.reshape(x2d, (x2d.shape[0], *x_shape[1:])))
    return anp.reshape(y, (x2d.shape[0], m))


def stacked_row_map(f, x_shape, m, agrees, x2d):
    """``f`` on rows built from the batch (copies, shifts), or :class:`Unstackable`.

    ``f`` may fail on another number of rows, return another number, or give
    rows that disagree with ``f(x)`` (it closes over per-example data or
    reads the batch size): each raises :class:`Unstackable`, chained to the
    cause. ``agrees(values)``, unless ``None``, tells whether the values
    ``(rows, m)`` agree with ``f`` of the examples the rows are copies of.
    """
    rows = x2d.shape[0]
    shape = (rows, *x_shape[1:])
    try:
        y = anp.reshape(f(anp.reshape(x2d, shape)), (rows, m))
    except MemoryError:
        raise
    except Exception as error:
        raise Unstackable(f"f fails on the stacked rows of shape {shape}") from error
    if agrees is not None and not agrees(getval(y)):
        raise Unstackable(f"f on the stacked rows of shape {shape} disagrees with f(x)")
    return y


def agree(values, reference):
    """Tell whether ``values`` equal ``reference`` up to rounding, example by example.

    Both are ``(B, m)``. Entries agree when equal (``inf`` and ``nan`` alike),
    or within ``eps**(2/3)`` (about ``4e-11`` in float64, ``2e-5`` in float32)
    of the example's largest finite ``|reference|`` entry: BLAS rounds a row
    differently with the number of rows it is given (by a few ulps, ~10 at
    ``n = 1024``).
    """
    if np.array_equal(values, reference):
        return True
    eps = np.finfo(reference.dtype if reference.dtype.kind == "f" else float).eps
    finite = np.where(np.isfinite(reference), reference, 0)
    scale = np.max(np.abs(finite), axis=-1, keepdims=True)
    off = ~(np.abs(values - reference) <= eps ** (2 / 3) * scale)  # nan differences too
    if not off.any():
        return True
    values, reference = values[off], reference[off]
    return bool(np.all((values == reference) | (np.isnan(values) & np.isnan(reference))))


def layout(x, y, order):
    """Check ``y = f(x)``; return ``(in_shape, out_shape, result shape)``."""
    check_output(y, x.shape)
    in_shape, out_shape = x.shape[1:], np.shape(y)[1:]
    return in_shape, out_shape, (x.shape[0], *out_shape, *in_shape * order)
