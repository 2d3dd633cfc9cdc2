"""The maths of one update: parse, evaluate, differentiate, cross-check -- no widgets.

Layer: widget (private). Imports numpy and the public names of
``jacviz.errors``, ``jacviz.expressions`` and ``jacviz.jacobians``.

:func:`compute` gives an :class:`Outcome` (what one picture shows);
:func:`finite_difference_check` and :func:`entry_formulas` are the teaching
extras that explain it. Errors of the user's input leave :func:`compute` as
the exceptions in :data:`INPUT_ERRORS`; the extras never raise, they return a
note instead.
"""

import warnings
from typing import NamedTuple

import numpy as np

from jacviz.errors import BatchCouplingWarning, ExpressionError, JacvizError
from jacviz.expressions import Function, jacobian_formulas, parse_function
from jacviz.jacobians import (
    batch_jacobian,
    check_entries,
    check_request,
    finite_difference_jacobian,
    full_jacobian,
)
from jacviz.widget._notes import full_coupling, status_notes

#: The orders the explorer draws: Jacobian, Hessian, full Jacobian.
ORDERS = (1, 2, "full")
#: Errors that bad input causes in parsing and in the engine: shown as they are.
INPUT_ERRORS = (JacvizError, ValueError, TypeError, ArithmeticError, IndexError)


class Outcome(NamedTuple):
    """What one picture shows.

    Attributes
    ----------
    x : numpy.ndarray, shape (B, n)
    y : numpy.ndarray, shape (B, *out)
    result : numpy.ndarray
        ``jac (B, *out, n)``, ``hess (B, *out, n, n)`` or ``full (B, *out, B, n)``.
    order : {1, 2, "full"}
        The order of ``result``.
    notes : list of str
        Warnings for the status line.
    coupled : bool
        Whether examples were found to influence each other.
    """

    x: np.ndarray
    y: np.ndarray
    result: np.ndarray
    order: object
    notes: list
    coupled: bool

    @property
    def flat(self):
        """``result`` with one example's output axes flattened to one (``m = 1`` for scalars).

        ``(B, m, n)``, ``(B, m, n, n)`` or ``(B, m, B, n)``.
        """
        batch_size, n = self.x.shape
        m = int(np.prod(self.y.shape[1:], dtype=int))
        shapes = {1: (batch_size, m, n), 2: (batch_size, m, n, n), "full": (batch_size, m, -1, n)}
        return self.result.reshape(shapes[self.order])

    @property
    def outputs_apart(self):
        """Whether the picture has Hessians of several outputs (a colour scale per output fits)."""
        return self.order == 2 and self.flat.shape[1] > 1

    @property
    def plane_map(self):
        """Whether ``f`` maps 2 inputs to 2 outputs per example (the linear-map view)."""
        return self.x.shape[1] == 2 and self.y.shape[1:] == (2,)


class FiniteDifferenceCheck(NamedTuple):
    """Autodiff against central finite differences, per example.

    Attributes
    ----------
    order : {1, 2}
        The order compared (``"full"`` compares its diagonal blocks, order 1).
    error : numpy.ndarray, shape (B,)
        ``max |autodiff block − finite-difference block|`` over finite entries
        (NaN where no entry is finite).
    scale : numpy.ndarray, shape (B,)
        ``max |autodiff block|``, for judging ``error``.
    """

    order: int
    error: np.ndarray
    scale: np.ndarray


def parse(function, constants, data=None):
    """Return a callable for ``function`` (text or Python function), or the ExpressionError.

    ``data``: per-example data for formula text, one row per example.

    Examples
    --------
    >>> parse("sine(x)", {})
    ExpressionError("unknown function 'sine' — did you mean 'sin'? ...")
    """
    if not isinstance(function, str):
        return function
    try:
        return parse_function(function, constants=constants, data=data)
    except ExpressionError as exc:
        return exc


def function_text(function):
    """Return what the formula box shows: the text, or a Python function's name.

    Examples
    --------
    >>> function_text(np.tanh)
    '<Python function tanh>'
    """
    if isinstance(function, str):
        return function
    return f"<Python function {getattr(function, '__name__', type(function).__name__)}>"


def compute(f, x, order):
    """Evaluate ``f`` at ``x (B, n)`` and take its derivative of ``order``, with the status notes.

    Raises what ``f`` or the engine raise (:data:`INPUT_ERRORS` for bad input),
    and :class:`~jacviz.ExpressionError` for a request over budget: a formula's
    before any work (``jacviz.jacobians.check_request``), a Python function's
    when its output is known to make too big a result (``check_entries``).
    The outcome's ``result`` is read-only.

    Examples
    --------
    >>> outcome = compute(parse("x**3", {}), np.array([[4.0, 2.0]]), 1)
    >>> outcome.result
    array([[[48.,  0.],
            [ 0., 12.]]])
    """
    if isinstance(f, Function):  # its cost is known from shapes: refuse before any work
        check_request(f, x.shape, order, stacked=not f.data)  # data: the engine's fallback
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn"):
        warnings.simplefilter("always")
        y = np.asarray(f(x))
        check_entries(order, (len(x), y[0].size if len(y) else 0, x.shape[1]))
        if order == "full":
            result = full_jacobian(f, x)
        else:
            result = batch_jacobian(f, x, order=order, check="warn")
    coupled = any(issubclass(w.category, BatchCouplingWarning) for w in caught)
    if order == "full":
        coupled = bool(full_coupling(result))
    result.flags.writeable = False
    return Outcome(x, y, result, order, status_notes(caught, y, result, order), coupled)


def compute_view(f, x, order, linear_map):
    """Compute for a view: order 1 for the linear map if ``f`` fits it (2 inputs, 2 outputs).

    Returns ``(outcome, linear_map)``; ``linear_map`` is False, with a note in
    the outcome, when the map was asked for but ``f`` does not fit it.

    Examples
    --------
    >>> outcome, linear_map = compute_view(parse("sum(x)", {}), np.ones((1, 2)), 2, True)
    >>> outcome.result.shape, linear_map
    ((1, 2, 2), False)
    """
    outcome = compute(f, x, 1 if linear_map else order)
    if not linear_map or outcome.plane_map:
        return outcome, linear_map
    if order != 1:
        outcome = compute(f, x, order)
    note = f"{map_misfit(outcome)}: back to the heatmaps."
    return outcome._replace(notes=[*outcome.notes, note]), False


def map_misfit(outcome):
    """Say why ``f`` does not fit the linear-map view (2 inputs and 2 outputs per example).

    Examples
    --------
    >>> map_misfit(compute(parse("sum(x)", {}), np.ones((3, 2)), 1))
    'the linear-map view needs 2 inputs and 2 outputs per example; now x is (3, 2) and f(x) is (3,)'
    """
    return (
        "the linear-map view needs 2 inputs and 2 outputs per example; "
        f"now x is {outcome.x.shape} and f(x) is {outcome.y.shape}"
    )


def compute_error(exc, function):
    """Return what the error area says about ``exc``, raised while computing ``function``.

    An input error (:data:`INPUT_ERRORS`) as it is; else a Python function's
    own error, or jacviz's (an internal error).

    Examples
    --------
    >>> compute_error(KeyError("weights"), np.tanh)
    "your function raised KeyError: 'weights'"
    """
    if isinstance(exc, INPUT_ERRORS):
        return str(exc)
    if not isinstance(function, str):
        return f"your function raised {type(exc).__name__}: {exc}"
    return internal_error("compute this", exc)


def internal_error(doing, exc):
    """Return the message for a bug of jacviz's while ``doing`` something, e.g. "draw this".

    Examples
    --------
    >>> internal_error("draw this", ValueError("no room"))
    'jacviz could not draw this (internal error: ValueError: no room)'
    """
    return f"jacviz could not {doing} (internal error: {type(exc).__name__}: {exc})"


def finite_difference_check(f, outcome):
    """Compare the outcome's blocks with central finite differences of ``f``, per example.

    Returns a :class:`FiniteDifferenceCheck` (errors and scales of shape
    ``(B,)``), or a short note why there is none (coupled examples, ``f`` fails).

    Examples
    --------
    >>> outcome = compute(parse("x**3", {}), np.array([[4.0, 2.0]]), 1)
    >>> check = finite_difference_check(parse("x**3", {}), outcome)
    >>> bool(0 < check.error[0] < 1e-6), check.scale
    (True, array([48.]))
    """
    if outcome.coupled:
        return (
            "finite differences shift one example at a time and assume the examples are "
            "independent; for this f they are not, so there is nothing fair to compare."
        )
    order = 1 if outcome.order == "full" else outcome.order
    blocks = outcome.flat
    if outcome.order == "full":
        blocks = np.stack([blocks[b, :, b] for b in range(len(blocks))])
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            fd = finite_difference_jacobian(f, outcome.x, order=order)
    except ExpressionError as exc:  # over the budget: 2n (4n²) shifted copies of the batch
        return f"finite differences not computed: {exc}"
    except Exception as exc:  # the check explains, it never breaks the picture
        return f"finite differences failed: {type(exc).__name__}: {exc}"
    auto = blocks.reshape(len(blocks), -1)
    diff = np.abs(auto - np.reshape(fd, auto.shape))
    finite = np.isfinite(diff)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows give NaN, on purpose
        error = np.nanmax(np.where(finite, diff, np.nan), axis=1, initial=-np.inf)
        scale = np.nanmax(np.where(np.isfinite(auto), np.abs(auto), np.nan), axis=1, initial=0.0)
    error[~finite.any(axis=1)] = np.nan
    return FiniteDifferenceCheck(order, error, scale)


def entry_formulas(f, n):
    """Return the formula of each Jacobian entry, rows ``(m, n)``, or a note why there are none.

    ``formulas[i][j]`` is ``∂f_i/∂x_j`` as text (output axes flattened); only
    a parsed formula (:class:`jacviz.Function`) has them.

    Examples
    --------
    >>> entry_formulas(parse("[x[0]*x[1], sin(x[0])]", {}), 2)
    [['x[1]', 'x[0]'], ['cos(x[0])', '0']]
    """
    if not hasattr(f, "latex"):
        return "formulas are shown for formula text, not for Python functions"
    try:
        formulas = jacobian_formulas(f, n)
    except Exception as exc:  # a declined formula is a note, never an error
        return f"no formulas: {exc}"
    return _rows(formulas)


def _rows(formulas):
    """Flatten nested formulas ``(*out, n)`` to rows of source text ``(m, n)``."""
    if not isinstance(formulas[0], list):
        return [[entry.source for entry in formulas]]
    return [row for item in formulas for row in _rows(item)]
