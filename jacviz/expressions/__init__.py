"""The safe formula language: typed text → a batched, differentiable function.

Layer: expressions. Imports the standard library, ``autograd`` and
``jacviz.errors`` only -- never the engine -- and never calls ``eval``,
``exec`` or ``compile`` on user text: the text is read by an allow-list over
Python's ``ast`` and compiled into closures over ``autograd.numpy``.

The language, written for **one example** ``x`` (a vector for a batch
``(B, n)``, a matrix for ``(B, n, k)``):

- ``x``, ``x[i]``, ``x[i, j]``, slices ``x[0:2]``, negative indices;
- numbers (always floats), ``pi``, ``e``, named constants, and named
  per-example data (``t`` for the example's own row of ``data={"t": t}``);
- ``+ - * / ** @``, unary minus, parentheses, vectors ``[a, b]`` and
  matrices ``[[a, b], [c, d]]`` whose entries may depend on ``x``;
- the functions in :data:`ALLOWED_FUNCTIONS`. Elementwise ones act on each
  entry; ``sum prod mean max min norm logsumexp`` reduce all of an example's
  axes; ``softmax`` normalises over all of an example's axes; ``max(a, b)``,
  ``min(a, b)`` and ``arctan2(a, b)`` act elementwise; ``dot`` is ``@``;
  ``outer(a, b)`` takes two vectors.

Every :class:`Function` also knows its LaTeX (``.latex``), and
:func:`jacobian_formulas` gives each Jacobian entry as a formula of its own.

Bounds: at most 1000 characters, 50 nested brackets, 1500 syntax-tree nodes
and 200 levels; one evaluation may compute at most 10**6 numbers per example
(every operation's result counts, a matrix product by its multiply-adds,
checked before computing it), so no formula keeps a server busy for long.
Numbers are floats, so ``9**9**9`` is ``inf``, and numerical trouble
(``log(0)``, ``0/0``) gives inf/nan rather than an exception.

Private modules: ``_tree`` (nodes), ``_parse`` (text → tree) and ``_syntax``
(what to type instead, on a syntax error), ``_compile`` (tree → closure),
``_functions`` (the allowed functions), ``_latex``, ``_function``
(``Function``); for the formulas of Jacobian entries, ``_expand`` (formula on
symbols), ``_simplify`` (constructors that simplify), ``_derivative`` (the
rules) and ``_formulas`` (``jacobian_formulas``).
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
        column of the offending token and the message says what is allowed.
        Calling the function on another number of examples than its data
        holds raises one too.

    Examples
    --------
    >>> f = parse_function("x**3")
    >>> f([[4.0, 2.0], [1.0, 3.0]])
    array([[64.,  8.],
           [ 1., 27.]])
    >>> layer = parse_function("tanh(W @ x + b)", constants={"W": [[1, 0]], "b": [0.5]})
    >>> layer.names, layer([[0.0, 9.0]]).shape
    (('W', 'b'), (1, 1))
    >>> loss = parse_function("(x - t)**2", data={"t": [[1.0, 2.0], [3.0, 4.0]]})
    >>> loss([[1.0, 1.0], [1.0, 1.0]])
    array([[0., 1.],
           [4., 9.]])
    >>> parse_function("sine(x)")
    Traceback (most recent call last):
    ...
    jacviz.errors.ExpressionError: unknown function 'sine' — did you mean 'sin'? ...
    """
    if isinstance(text, Function):
        if constants is not None or data is not None:
            raise ExpressionError(
                "constants and data cannot be given with an already parsed Function"
            )
        return text
    return Function(text, constants=constants, data=data)
