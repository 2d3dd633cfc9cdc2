"""The safe formula language: typed text → a batched, differentiable function.

Layer: expressions. Imports the standard library, ``autograd`` and
``jacviz.errors`` only -- never the engine -- and never calls ``eval``,
``exec`` or ``compile`` on user text: the text is read by an allow-list over
Python's ``ast`` and compiled into closures over ``autograd.numpy``. The
language, its bounds and its LaTeX are described in ``docs/formula-language.md``.

Private modules: ``_functions`` (the registry: one entry per function and
operator, read by all the others) and ``_kinds`` (how each family acts on
shapes, costs and runs); ``_tree`` (nodes), ``_parse`` (text → tree) and
``_syntax`` (what to type instead, on a syntax error), ``_compile`` (tree →
closure, and the estimate), ``_latex``, ``_function`` (``Function``); for the
formulas of Jacobian entries, ``_symbols`` (arrays of scalar trees),
``_expand`` (formula on symbols), ``_simplify`` (constructors that simplify),
``_derivative`` (the chain rule) and ``_formulas`` (``jacobian_formulas``).
"""

from jacviz.errors import ExpressionError
from jacviz.expressions._formulas import jacobian_formulas
from jacviz.expressions._function import Function
from jacviz.expressions._functions import ALLOWED_FUNCTIONS

__all__ = ["ALLOWED_FUNCTIONS", "Function", "jacobian_formulas", "parse_function"]


def parse_function(text, *, constants=None, data=None):
    """Turn formula text into a batched, differentiable :class:`Function`.

    Parameters
    ----------
    text : str or Function
        The formula for one example ``x``, at most 1000 characters, e.g.
        ``"x**3"``, ``"[x[0]*cos(x[1]), x[0]*sin(x[1])]"``, ``"tanh(W @ x + b)"``.
        A :class:`Function` is returned unchanged (without ``constants`` or
        ``data``).
    constants : Mapping[str, array_like], optional
        Named constants (e.g. a weight matrix ``W`` of shape ``(m, n)`` and a
        bias ``b`` of shape ``(m,)``), shared by all examples.
    data : Mapping[str, array_like], optional
        Named per-example data of shape ``(B, *shape)``, batch axis first
        (targets, weights, masks): ``t`` in the formula is the example's own
        row ``t[b]``. The function then takes batches of ``B`` examples.

    Returns
    -------
    Function
        Callable on a batch ``x`` of shape ``(B, *in)``, returning ``(B, *out)``.

    Raises
    ------
    ExpressionError
        If the text is not in the language; ``.position`` is the 0-based
        column of the offending token and the message says what to type instead
        (see ``docs/formula-language.md``).

    Examples
    --------
    >>> f = parse_function("x**3")
    >>> f([[4.0, 2.0], [1.0, 3.0]])
    array([[64.,  8.],
           [ 1., 27.]])
    """
    if isinstance(text, Function):
        if constants is not None or data is not None:
            raise ExpressionError(
                "constants and data cannot be given with an already parsed Function"
            )
        return text
    return Function(text, constants=constants, data=data)
