"""``jacobian_formulas``: each Jacobian entry as a formula, next to its number.

Layer: expressions (private). Imports the standard library, autograd and
``jacviz.errors``.
"""

import autograd.numpy as anp

from jacviz.errors import ExpressionError
from jacviz.expressions import _symbolic
from jacviz.expressions._function import Function
from jacviz.expressions._tree import Name, to_source


def jacobian_formulas(function, n, *, constants=None):
    r"""Give the formula of every entry of the per-example Jacobian (symbolic derivatives).

    The formula tree is expanded entry by entry and differentiated with the
    sum, product, quotient, power and chain rules; trivial 0s and 1s are
    simplified away. Each formula is itself a :class:`Function` of the same
    example ``x`` (its ``latex`` for display, callable on a batch for the
    value), so ``formulas[i][j](x)`` equals ``batch_jacobian(f, x)[:, i, j]``.

    Parameters
    ----------
    function : Function or str
        A formula of a vector input ``x`` (formula text is parsed with
        ``constants``). ``softmax``, ``logsumexp``, ``norm``, reductions,
        ``@``, ``dot`` and ``outer`` are supported; ``max`` and ``min`` are not.
    n : int or tuple of one int
        Number of inputs per example (``x.shape[1:]`` of a batch ``(B, n)``).
    constants : Mapping[str, array_like], optional
        Named constants, when ``function`` is text.

    Returns
    -------
    formulas : nested list of Function, shape (*out, n)
        The same layout as one example's block ``jac[b]`` of
        :func:`jacviz.batch_jacobian`: ``(m, n)`` for a vector output, ``(n,)``
        for a scalar output (the gradient).

    Raises
    ------
    ExpressionError
        If the input is not a vector, the formula does not fit ``n`` inputs,
        uses ``max``/``min``, or the formulas would be too large to show
        (more than 32 inputs or 1024 entries).

    Examples
    --------
    >>> formulas = jacobian_formulas("[x[0]*x[1], sin(x[0])]", 2)
    >>> [[entry.source for entry in row] for row in formulas]
    [['x[1]', 'x[0]'], ['cos(x[0])', '0']]
    >>> formulas[1][0].latex
    '\\cos\\left(x_{0}\\right)'
    >>> gradient = jacobian_formulas("norm(x)", 2)  # scalar output: shape (n,)
    >>> [entry.source for entry in gradient]
    ['x[0]/sqrt(x[0]**2 + x[1]**2)', 'x[1]/sqrt(x[0]**2 + x[1]**2)']
    >>> gradient[0]([[3.0, 4.0]])
    array([0.6])
    """
    if isinstance(function, str):
        function = Function(function, constants=constants)
    n = _vector_size(n)
    out_shape = anp.shape(function(anp.zeros((1, n))))[1:]  # shape errors surface here
    if n * max(1, _size(out_shape)) > _symbolic.MAX_ENTRIES:
        raise ExpressionError(
            f"too many Jacobian entries to show as formulas ({out_shape} outputs × {n} inputs)"
        )
    expanded = _symbolic.expand(function._tree, n, function.constants)
    return _map_entries(expanded, n, function)


def _vector_size(n):
    if isinstance(n, tuple):
        if len(n) != 1:
            raise ExpressionError(
                f"formulas are shown for vector inputs x of shape (n,); got shape {n}"
            )
        (n,) = n
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= _symbolic.MAX_INPUTS:
        raise ExpressionError(
            f"n must be a whole number of inputs from 1 to {_symbolic.MAX_INPUTS}; got {n!r}"
        )
    return n


def _size(shape):
    size = 1
    for length in shape:
        size *= length
    return size


def _map_entries(expanded, n, function):
    if isinstance(expanded, list):
        return [_map_entries(item, n, function) for item in expanded]
    _check_size(expanded, _symbolic.MAX_DEPTH)
    return [_formula(_symbolic.derivative(expanded, j), function) for j in range(n)]


def _check_size(tree, max_depth):
    count, depth = _symbolic.tree_size(tree)
    if depth > max_depth or count > _symbolic.MAX_FORMULA_NODES:
        raise ExpressionError(
            f"this formula is too large to show its derivatives ({count} parts, depth {depth})"
        )


def _formula(tree, function):
    _check_size(tree, _symbolic.MAX_FORMULA_DEPTH)
    used = {name: value for name, value in function.constants.items() if _uses(tree, name)}
    return Function._from_tree(tree, to_source(tree), used)


def _uses(tree, name):
    stack = [tree]
    while stack:
        node = stack.pop()
        if node == Name(name):
            return True
        stack.extend(_symbolic._children(node))
    return False
