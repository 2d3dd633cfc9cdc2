"""Central finite differences: the independent check on autodiff.

Layer: ``jacobians``. May import ``jacviz.expressions`` and numpy.
"""

import math
from functools import partial

import numpy as np

from jacviz.expressions import Function
from jacviz.jacobians._budget import check_request
from jacviz.jacobians._checks import (
    Unstackable,
    agree,
    as_batch,
    as_function,
    check_options,
    check_step,
    has_data,
    layout,
    quiet,
    row_map,
    stacked_row_map,
)


def _default_step(dtype, order, x2d):
    """Relative steps ``eps_mach**(1/3)`` (order 1) or ``**(1/4)`` times ``max(1, |x|)``."""
    power = 1 / 3 if order == 1 else 1 / 4
    return np.finfo(dtype).eps ** power * np.maximum(1, np.abs(x2d))


def _at_once(g, shifted):
    """Evaluate the row map ``g`` on all shifted copies ``(k, R, n)`` in one call."""
    k, rows, n = shifted.shape
    return np.reshape(g(shifted.reshape(k * rows, n)), (k, rows, -1))


def _one_by_one(g, shifted):
    """Evaluate the row map ``g`` on each shifted copy ``(R, n)`` at the batch's own size."""
    return np.stack([g(copy) for copy in shifted])


def _central_blocks(g, evaluate, eps, order, x2d):
    """``(R, m, n)`` central differences of the row map ``g`` on ``2n`` shifted copies."""
    rows, n = x2d.shape
    step = _default_step(x2d.dtype, order, x2d) if eps is None else eps
    up, down = x2d + step, x2d - step
    basis = np.eye(n, dtype=bool)[:, None, :]  # (n, 1, n): copy i shifts column i
    shifted = np.concatenate([np.where(basis, up, x2d), np.where(basis, down, x2d)])
    y = np.reshape(evaluate(g, shifted), (2, n, rows, -1))
    y = y.astype(np.result_type(y, x2d), copy=False)  # int/bool outputs: differences in float
    width = (up - down).T[:, :, None]  # the steps as represented: (x+h) - (x-h)
    if np.any(width == 0):
        raise ValueError(
            f"eps={eps!r} is below the {x2d.dtype} spacing of x (x + eps == x - eps for some "
            f"entries, up to {np.max(np.spacing(np.abs(x2d))):.2g}); use a larger eps, "
            "or eps=None for the default step"
        )
    return np.transpose((y[0] - y[1]) / width, (1, 2, 0))


def _central_rows(g, evaluate, eps, x2d):
    """Inner differences of order 2: first derivatives ``(R, m·n)``, with order 2's step.

    Order 2 differences these rows again, so round-off is divided by ``h²``:
    both levels use the order-2 default step ``eps_mach**(1/4)`` (hence the
    ``2`` passed on), not the order-1 ``eps_mach**(1/3)``.
    """
    return np.reshape(_central_blocks(g, evaluate, eps, 2, x2d), (x2d.shape[0], -1))


def _differences(g, evaluate, eps, order, x2d):
    """Order 1 or 2 central differences of the row map ``g``, shifts evaluated by ``evaluate``."""
    if order == 2:
        g = partial(_central_rows, g, evaluate, eps)
    return _central_blocks(g, evaluate, eps, order, x2d)


def _stacked_differences(f, x_shape, m, eps, order, x2d, y2d):
    """All shifts through ``f`` in one call, or :class:`Unstackable`.

    First ``f`` on ``x`` stacked over another batch (``x + 1``) must give
    ``f`` of each: an ``f`` that reads per-example data or the batch size,
    or pairs rows across the stack, may not raise on stacked rows, yet give
    them wrong values.
    """
    if has_data(f):
        raise Unstackable("a formula with per-example data works on its own batch only")
    other = x2d + 1
    each = np.concatenate([y2d, row_map(f, x_shape, m, other)])
    stacked_row_map(f, x_shape, m, partial(agree, reference=each), np.concatenate([x2d, other]))
    return _differences(partial(stacked_row_map, f, x_shape, m, None), _at_once, eps, order, x2d)


def finite_difference_jacobian(f, x, *, order=1, eps=None):
    """Per-example Jacobians (or order 2) by central differences: a check on autodiff.

    ``jac[b, :, i] = (f(x + h e_i)[b] - f(x - h e_i)[b]) / 2h``, error
    ``O(h²)`` plus round-off ``O(eps_mach / h)``; order 2 nests the same
    formula (error ``O(h²)`` plus ``O(eps_mach / h²)``). All ``2n`` shifted
    copies (``4n²`` for order 2) go through ``f`` in one stacked call; an
    ``f`` that works on its own batch only (per-example data) is called once
    per shifted copy instead. Examples must be independent. The arithmetic
    stays in the dtype of ``x``: float32 shows how inexact finite
    differences are.

    Parameters
    ----------
    f : callable or str
        Maps ``(B, *in)`` to ``(B, *out)``; plain numpy evaluation, no autograd.
    x : array_like, shape (B, *in)
        The batch, rank >= 2 (integer/bool become float64).
    order : {1, 2}, optional
        1 for the Jacobian, 2 for the Jacobian of the Jacobian.
    eps : float or None, optional
        Absolute step ``h``: a positive finite real number, not below the
        floating-point spacing of ``x`` (``x ± h`` must differ). ``None``
        picks, per entry, ``h = c·max(1, |x|)`` with ``c = eps_mach**(1/3)``
        for order 1 and ``eps_mach**(1/4)`` for order 2 (about ``6e-6`` /
        ``1.2e-4`` in float64, ``5e-3`` / ``3.5e-2`` in float32), which
        balances truncation against round-off.

    Returns
    -------
    jac : numpy.ndarray, shape (B, *out, *in) or (B, *out, *in, *in)
        Same shapes and dtype as :func:`batch_jacobian`. A shift outside the
        domain of ``f`` (``log`` near 0) gives ``nan``/``inf`` entries, with no
        NumPy warning spilled.

    Raises
    ------
    ValueError
        As in :func:`batch_jacobian`, or ``eps`` not positive and finite, or
        below the spacing of ``x`` (``x + eps == x - eps``).
    TypeError
        As in :func:`batch_jacobian`, or ``eps`` not a real number (a string,
        a list, a bool).
    ExpressionError
        A formula whose ``2n`` (order 2: ``4n²``) shifted copies would compute
        more than ``MAX_REQUEST_WORK`` numbers, or whose result would hold more
        than ``MAX_RESULT_ENTRIES`` entries: refused before it is evaluated.

    Examples
    --------
    >>> import numpy as np
    >>> from jacviz import finite_difference_jacobian
    >>> jac = finite_difference_jacobian(lambda x: x**3, [[4, 2], [1, 3]])
    >>> np.round(jac, 6)
    array([[[48.,  0.],
            [ 0., 12.]],
    <BLANKLINE>
           [[ 3.,  0.],
            [ 0., 27.]]])
    """
    f, x = as_function(f), as_batch(x)
    order, _ = check_options(order)
    check_step(eps)
    if isinstance(f, Function):  # a formula's cost is known from shapes: refuse before work
        check_request(f, x.shape, order, stacked=not has_data(f), finite=True)
    with quiet():
        y = f(x)
    in_shape, out_shape, shape = layout(x, y, order)
    n, m = math.prod(in_shape), math.prod(out_shape)
    if x.size == 0 or m == 0:
        return np.zeros(shape, dtype=x.dtype)
    x2d = x.reshape(-1, n)
    with quiet():
        try:
            jac = _stacked_differences(f, x.shape, m, eps, order, x2d, np.reshape(y, (-1, m)))
        except Unstackable:
            jac = _differences(partial(row_map, f, x.shape, m), _one_by_one, eps, order, x2d)
    return np.reshape(jac, shape).astype(x.dtype, copy=False)
