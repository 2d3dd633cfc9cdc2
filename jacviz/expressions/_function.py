"""``Function``: a checked formula, callable on a batch.

Layer: expressions (private). Imports the standard library, autograd and
``jacviz.errors``.
"""

import functools
import keyword
import numbers
from types import MappingProxyType

import autograd.numpy as anp

from jacviz.errors import ExpressionError
from jacviz.expressions._compile import MAX_WORK, PerExample, Run, compile_tree, evaluate
from jacviz.expressions._functions import ARITY, NAMED_NUMBERS
from jacviz.expressions._latex import to_latex
from jacviz.expressions._parse import parse_tree


class Function:
    r"""A formula of the safe language, callable on a batch ``(B, *in)``.

    The formula is written for one example ``x``; calling the function runs it
    on every example of the batch at once (vectorised, differentiable with
    autograd to any order). Build one with :func:`jacviz.parse_function`.

    Parameters
    ----------
    text : str
        The formula, e.g. ``"x**3"`` or ``"tanh(W @ x + b)"``.
    constants : Mapping[str, array_like], optional
        Named constants the formula may use (shared by all examples).
    data : Mapping[str, array_like], optional
        Named per-example data, each of shape ``(B, *shape)``: in the formula
        the name stands for the example's own row (a target, a weight, a
        mask). The function then takes batches of exactly ``B`` examples.

    Attributes
    ----------
    source : str
        The formula's text.
    latex : str
        A LaTeX rendering of the formula, for display (built on first use).
    names : tuple of str
        The constants, then the data, that the formula uses, each in order
        of first use.

    Raises
    ------
    ExpressionError
        If the text is not in the language (``.position`` marks the place),
        or a constant or data is not a real number array or has a reserved
        name, or the data disagree on the batch size.

    Examples
    --------
    >>> f = Function("[x[0]*x[1], sin(x[0])]")
    >>> f
    Function('[x[0]*x[1], sin(x[0])]')
    >>> f.latex
    '\\begin{bmatrix} x_{0} x_{1} \\\\ \\sin\\left(x_{0}\\right) \\end{bmatrix}'
    >>> f([[2.0, 3.0], [0.0, 1.0]])
    array([[6.        , 0.90929743],
           [0.        , 0.        ]])
    """

    def __init__(self, text, *, constants=None, data=None):
        arrays, rows = _constant_arrays(constants), _data_arrays(data)
        _check_apart(arrays, rows)
        tree, names = parse_tree(text, (*arrays, *rows))
        used = {name: arrays[name] for name in names if name in arrays}
        self._setup(tree, text, used, {name: rows[name] for name in names if name in rows})

    def _setup(self, tree, source, constants, data):
        self._tree = tree
        self._constants = MappingProxyType(dict(constants))
        self._data = MappingProxyType(dict(data))
        self.source = source
        self.names = (*constants, *data)

    @functools.cached_property
    def latex(self):
        r"""A LaTeX rendering of the formula, for display (built on first use).

        Written as on the board: products with a scalar factor and matrix
        products side by side, elementwise products of two non-scalars with
        ``\odot`` (see :mod:`jacviz.expressions._latex`).

        Examples
        --------
        >>> Function("x[0]**2 + 3*x[1]").latex
        'x_{0}^{2} + 3 x_{1}'
        >>> Function("x * (A @ x)", constants={"A": [[1, 2], [3, 4]]}).latex
        'x \\odot \\left(A x\\right)'
        >>> Function("exp(x)**2").latex
        '\\left(e^{x}\\right)^{2}'
        """
        ranks = {name: value.ndim for name, value in self._constants.items()}
        ranks.update({name: rows.ndim - 1 for name, rows in self._data.items()})
        return to_latex(self._tree, ranks)

    @functools.cached_property
    def _compiled(self):
        return _closure(self._tree, self._constants, self._data)

    @property
    def constants(self):
        """The constants the formula uses, name → read-only float array.

        Only the constants the formula names are kept, copied as float arrays
        (later changes to the caller's arrays do not reach the formula).

        Examples
        --------
        >>> f = Function("W @ x", constants={"W": [[1, 2]], "unused": 5})
        >>> dict(f.constants)
        {'W': array([[1., 2.]])}
        >>> f.constants["W"][0, 0] = 9.0
        Traceback (most recent call last):
        ...
        ValueError: assignment destination is read-only
        """
        return self._constants

    @property
    def data(self):
        """The per-example data the formula uses, name → read-only float array ``(B, ...)``.

        Examples
        --------
        >>> f = Function("(x - t)**2", data={"t": [[1, 2], [3, 4]]})
        >>> dict(f.data), f.batch_size
        ({'t': array([[1., 2.],
               [3., 4.]])}, 2)
        >>> f([[1, 1], [1, 1]])  # each example minus its own row of t, squared
        array([[0., 1.],
               [4., 9.]])
        """
        return self._data

    @property
    def batch_size(self):
        """The number of examples ``B`` the data holds, or ``None`` without data."""
        return next((len(rows) for rows in self._data.values()), None)

    def __call__(self, x):
        """Evaluate the formula on every example of the batch.

        Parameters
        ----------
        x : array_like, shape (B, *in)
            The batch; axis 0 indexes the examples. Integers become floats;
            float32 stays float32. Autograd boxes pass through.

        Returns
        -------
        y : ndarray, shape (B, *out)
            The formula applied to each example. Numerical trouble (log(0),
            0/0) gives inf or nan, never an exception.

        Raises
        ------
        ExpressionError
            If the formula does not fit the examples' shape (``x[5]`` with
            ``n = 2``, ``@`` with mismatched sizes; the message names the
            shapes), computes too much (more than 10**6 numbers per example),
            or ``x`` is not a batch of real numbers (ragged lists, text), or
            holds another number of examples than the formula's data.
        TypeError
            If ``x`` is complex.

        Examples
        --------
        >>> f = Function("[x[0]*x[1], sum(x)]")
        >>> f([[2, 3], [1, -1]])  # a batch of B = 2 examples with n = 2 inputs
        array([[ 6.,  5.],
               [-1.,  0.]])
        >>> f([[2, 3], [1]])
        Traceback (most recent call last):
        ...
        jacviz.errors.ExpressionError: the examples of x have different shapes ...
        """
        x = _as_batch(x)
        self._check_batch_size(anp.shape(x))
        with anp.errstate(all="ignore"):
            return evaluate(self._compiled, x)

    def _check_batch_size(self, shape):
        B = self.batch_size
        if B is not None and shape[0] != B:
            name = next(iter(self._data))
            raise ExpressionError(
                f"x holds {shape[0]} examples (shape {shape}) but the data '{name}' holds {B} "
                f"(shape {self._data[name].shape}): give the data one row per example of x"
            )

    def __repr__(self):
        parts = [repr(self.source)]
        for kind, values in (("constants", self._constants), ("data", self._data)):
            if values:
                shapes = ", ".join(f"{name}: {value.shape}" for name, value in values.items())
                parts.append(f"{kind} of shape {{{shapes}}}")
        return f"Function({', '.join(parts)})"


def formula_tree(function):
    """Return the checked formula tree of a :class:`Function` (for derived formulas)."""
    return function._tree


def example_work(function, n):
    """Evaluate ``function`` on one example of ``n`` zeros: its output shape and its work.

    Returns
    -------
    out_shape : tuple of int
        The shape of one example's output.
    work : int
        How many numbers one example computes (as counted by the work budget).

    Raises
    ------
    ExpressionError
        If the formula does not fit ``n`` inputs.
    """
    run = Run(anp.float64)
    one = {name: anp.zeros((1, *rows.shape[1:])) for name, rows in function.data.items()}
    compiled = _closure(function._tree, function.constants, one)
    with anp.errstate(all="ignore"):
        y = evaluate(compiled, anp.zeros((1, n)), run)
    return anp.shape(y)[1:], MAX_WORK - run.left


def example_values(function):
    """Name → an array shaped like one example's value: constants whole, data one row."""
    one = {name: anp.zeros(rows.shape[1:]) for name, rows in function.data.items()}
    return {**function.constants, **one}


def derived_function(tree, source, constants, data):
    """Build a :class:`Function` from a tree already checked or built by jacviz.

    Parameters
    ----------
    tree : tuple
        A formula tree (e.g. a derivative from :mod:`jacviz.expressions._derivative`).
    source : str
        Its text in the language (parses back to the same formula).
    constants, data : Mapping[str, ndarray]
        The constants and per-example data it uses, as read-only float arrays.
    """
    function = Function.__new__(Function)
    function._setup(tree, source, constants, data)
    return function


def _closure(tree, constants, data):
    rows = {name: PerExample(value) for name, value in data.items()}
    return compile_tree(tree, {**constants, **rows})


def _as_batch(x):
    """``x`` as a real floating array (or autograd box) with a batch axis."""
    if not hasattr(x, "dtype"):
        x = _read_batch(x)
    kind = x.dtype.kind
    if kind == "c":
        raise TypeError(
            f"x has complex dtype {x.dtype}; jacviz differentiates real functions only. "
            "Split x into real and imaginary parts as separate real inputs."
        )
    if kind in "biuO":
        x = _as_float(x)
    elif kind != "f":
        raise ExpressionError(f"x must hold real numbers, got dtype {x.dtype}")
    if anp.ndim(x) < 1:
        raise ExpressionError(f"x must be a batch of shape (B, *in); got shape {anp.shape(x)}")
    return x


def _read_batch(x):
    try:
        return anp.asarray(x)
    except ValueError as exc:
        if "inhomogeneous" in str(exc):
            raise ExpressionError(
                "the examples of x have different shapes (ragged nested lists); "
                "a batch (B, *in) needs the same shape for every example"
            ) from None
        raise ExpressionError(f"x is not an array of numbers: {exc}") from None


def _as_float(x):
    if x.dtype.kind == "O":  # e.g. Fractions; numpy would also turn None into nan
        for entry in x.flat:
            if not isinstance(entry, numbers.Number) or isinstance(entry, complex):
                raise ExpressionError(f"x must hold real numbers, not {type(entry).__name__}")
    return anp.asarray(x, dtype=float)


def _constant_arrays(constants, kind="constant"):
    """Check names and convert values to read-only float arrays."""
    if constants is None:
        return {}
    if not hasattr(constants, "items"):
        what = "constants" if kind == "constant" else kind
        raise ExpressionError(
            f"{what} must be a mapping name -> array, not {type(constants).__name__}"
        )
    return {
        _check_constant_name(name, kind): _constant_array(name, value, kind)
        for name, value in constants.items()
    }


def _data_arrays(data):
    """Check per-example data: arrays with the same number of rows ``B``."""
    rows = _constant_arrays(data, "data")
    sizes = {name: array.shape[:1] for name, array in rows.items()}
    for name, size in sizes.items():
        if not size:
            raise ExpressionError(
                f"data {name!r} needs one row per example, shape (B, ...); got a scalar"
            )
    if len(set(sizes.values())) > 1:
        listed = ", ".join(f"{name!r}: {size[0]}" for name, size in sizes.items())
        raise ExpressionError(f"data must hold the same number of examples; got {listed}")
    return rows


def _check_apart(constants, data):
    both = sorted(set(constants) & set(data))
    if both:
        raise ExpressionError(
            f"{both[0]!r} is given both as a constant and as data: give it once, as a "
            "constant if every example shares it, as data if each example has its own"
        )


def _check_constant_name(name, kind="constant"):
    reserved = name == "x" or name in NAMED_NUMBERS or name in ARITY
    valid = isinstance(name, str) and name.isidentifier() and name.isascii()
    if not valid or reserved or keyword.iskeyword(name) or name.startswith("_"):
        raise ExpressionError(
            f"{name!r} cannot name {'a constant' if kind == 'constant' else 'data'}: use a "
            "plain identifier that is not x, pi, e, a function name or a Python keyword, "
            "and does not start with '_'"
        )
    return name


def _constant_array(name, value, kind="constant"):
    try:
        array = anp.array(value)
    except (TypeError, ValueError) as exc:
        raise ExpressionError(f"{kind} {name!r} is not an array of numbers: {exc}") from None
    if array.dtype.kind not in "biuf":
        raise ExpressionError(f"{kind} {name!r} must hold real numbers, not {array.dtype}")
    array = array.astype(float)
    array.setflags(write=False)
    return array
