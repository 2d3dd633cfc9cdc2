"""``jacobian_formulas``: each Jacobian entry as a formula, next to its number.

Layer: expressions (private). Imports the standard library, autograd and
``jacviz.errors``.

Expand the formula into one scalar tree per output entry
(:mod:`~jacviz.expressions._expand`), differentiate each by each ``x[j]``
(:mod:`~jacviz.expressions._derivative`), measure the results (on their
shared subtrees, so a refusal is quick), then write each out as a
:class:`~jacviz.expressions.Function`.
"""

import operator

from jacviz.errors import ExpressionError
from jacviz.expressions import _symbols
from jacviz.expressions._derivative import Derivative
from jacviz.expressions._expand import expand
from jacviz.expressions._function import (
    Function,
    derived_function,
    example_shapes,
    formula_tree,
)
from jacviz.expressions._tree import Name, children, to_source, tree_size

MAX_INPUTS = 32
MAX_ENTRIES = 1024  # entries of the Jacobian
MAX_DEPTH = 100  # of an expanded output entry
MAX_FORMULA_DEPTH = 250
MAX_FORMULA_NODES = 5000  # parts of one formula
MAX_TOTAL_NODES = 20000  # parts of all the formulas of one Jacobian
MAX_WORK = 5000  # numbers computed per example (see jacviz.expressions._compile)
MAX_STEPS = 10000  # subtrees differentiated (with each x[j]) for one Jacobian


def jacobian_formulas(function, n, *, constants=None, data=None):
    """Give the formula of every entry of the per-example Jacobian (symbolic derivatives).

    Each formula is itself a :class:`Function` of the same example ``x``, so
    ``formulas[i][j](x)`` equals ``batch_jacobian(f, x)[:, i, j]`` (how they are
    made: ``docs/formula-language.md``).

    Parameters
    ----------
    function : Function or str
        A formula of a vector input ``x`` (text is parsed with ``constants`` and
        ``data``).
    n : int or tuple of one int
        Number of inputs per example, ``x.shape[1:]`` of a batch ``(B, n)``.
    constants, data : Mapping[str, array_like], optional
        Named constants and per-example data, when ``function`` is text. A data
        name stays a name in the formulas, which carry the data.

    Returns
    -------
    formulas : nested list of Function, shape (*out, n)
        The layout of one example's block ``jac[b]`` of :func:`jacviz.batch_jacobian`.

    Raises
    ------
    TypeError
        If ``function`` is a Python function: formulas need formula text.
    ExpressionError
        If the input is not a vector, the formula does not fit ``n`` inputs,
        uses ``max``/``min``, or the formulas would be too large to show
        (more than 32 inputs, 1024 entries, 5000 parts in one formula or
        20000 in all); declined quickly, before any formula is written out.

    Examples
    --------
    >>> formulas = jacobian_formulas("[x[0]*x[1], sin(x[0])]", 2)
    >>> [[entry.source for entry in row] for row in formulas]
    [['x[1]', 'x[0]'], ['cos(x[0])', '0']]
    """
    function = _as_function(function, constants, data)
    n = _vector_size(n)
    out_shape, work = function.estimate((n,))  # shape errors surface here
    if n * max(1, _size(out_shape)) > MAX_ENTRIES:
        raise ExpressionError(
            f"too many Jacobian entries to show as formulas ({out_shape} outputs × {n} inputs)"
        )
    if work > MAX_WORK:  # expanding on symbols takes about one step per number
        raise ExpressionError(
            f"this formula computes too many numbers per example ({work}) to show the "
            f"formulas of its derivatives (at most {MAX_WORK}); {_STILL_EXACT}"
        )
    measure = _Measure()
    expanded = expand(formula_tree(function), n, example_shapes(function))
    for entry in expanded.flat:
        measure.check(entry, MAX_DEPTH)
    derivatives = [Derivative(j) for j in range(n)]
    rows = [_gradient(derivatives, measure, entry) for entry in expanded.flat]
    formulas = [_formula(tree, function) for row in rows for tree in row]
    return _symbols.nested(_symbols.symbols(formulas, (*expanded.shape, n)))


def _as_function(function, constants, data):
    if isinstance(function, str):
        return Function(function, constants=constants, data=data)
    if not isinstance(function, Function):
        raise TypeError(
            "jacobian_formulas needs formula text or a jacviz.Function (from "
            f"jacviz.parse_function), not {type(function).__name__}: the formulas are read "
            "from the formula, and a Python function has none"
        )
    return function


def _vector_size(n):
    if isinstance(n, tuple):
        if len(n) != 1:
            raise ExpressionError(
                f"formulas are shown for vector inputs x of shape (n,); got shape {n}"
            )
        (n,) = n
    try:
        whole = None if isinstance(n, bool) else operator.index(n)
    except TypeError:
        whole = None
    if whole is None or not 1 <= whole <= MAX_INPUTS:
        raise ExpressionError(
            f"n must be a whole number of inputs from 1 to {MAX_INPUTS}; got {n!r}"
        )
    return whole


def _size(shape):
    size = 1
    for length in shape:
        size *= length
    return size


def _gradient(derivatives, measure, entry):
    """Differentiate one output entry by each input, measuring each result as it comes."""
    row = []
    for derivative in derivatives:
        tree = derivative(entry)
        measure.spend(measure.check(tree, MAX_FORMULA_DEPTH))
        measure.check_steps(sum(d.steps for d in derivatives))
        row.append(tree)
    return row


_STILL_EXACT = "the numbers of the Jacobian are still exact"


class _Measure:
    """Sizes of formula trees (shared subtrees measured once) and the parts left to show."""

    def __init__(self):
        self.known = {}
        self.left = MAX_TOTAL_NODES

    def check(self, tree, max_depth):
        """Return the number of parts of ``tree``; raise if it is too large to show."""
        count, depth = tree_size(tree, self.known)
        if depth > max_depth or count > MAX_FORMULA_NODES:
            raise ExpressionError(
                "this formula is too large to show its derivatives "
                f"({count} parts, depth {depth}); {_STILL_EXACT}"
            )
        return count

    def spend(self, count):
        """Count ``count`` more parts to show; raise past :data:`MAX_TOTAL_NODES`."""
        self.left -= count
        if self.left < 0:
            raise ExpressionError(
                "the derivative formulas are too large to show "
                f"(more than {MAX_TOTAL_NODES} parts in all); {_STILL_EXACT}"
            )

    def check_steps(self, steps):
        """Raise when the rules were applied more than :data:`MAX_STEPS` times."""
        if steps > MAX_STEPS:
            raise ExpressionError(
                f"the derivative formulas take too long to work out (more than {MAX_STEPS} "
                f"steps); {_STILL_EXACT}"
            )


def _formula(tree, function):
    constants, data = (
        {name: value for name, value in values.items() if _uses(tree, name)}
        for values in (function.constants, function.data)
    )
    return derived_function(tree, to_source(tree), constants, data)


def _uses(tree, name):
    """Whether the constant ``name`` appears in ``tree`` (each shared subtree looked at once)."""
    stack, seen = [tree], set()
    while stack:
        node = stack.pop()
        if node == Name(name):
            return True
        seen.add(id(node))
        stack.extend(child for child in children(node) if id(child) not in seen)
    return False
