"""``Function``: a checked formula, callable on a batch.

Layer: expressions (private). Imports the standard library, autograd,
``jacviz._validate`` and ``jacviz.errors``.
"""

import functools
import math
import numbers
from types import MappingProxyType

import autograd.numpy as anp

from jacviz._validate import complex_message, is_whole
from jacviz.errors import ExpressionError
from jacviz.expressions._compile import PerExample, compile_tree, estimate_tree, evaluate
from jacviz.expressions._kinds import check_rank
from jacviz.expressions._latex import to_latex
from jacviz.expressions._parse import is_constant_name, parse_tree
from jacviz.expressions._tree import tree_size

_PLURAL = MappingProxyType({"constant": "constants", "data": "data"})
_BATCH_AXES = MappingProxyType({"constant": 0, "data": 1})  # data: one row per example


class Function:
    """A formula of the safe language, written for one example, callable on a batch.

    ``f(x)`` maps ``x (B, *in)`` to ``y (B, *out)``, every example at once,
    differentiable with autograd to any order. Build one with
    :func:`jacviz.parse_function`.

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
    >>> f([[2.0, 3.0], [0.0, 1.0]])
    array([[6.        , 0.90929743],
           [0.        , 0.        ]])
    """

    def __init__(self, text, *, constants=None, data=None):
        arrays = _named_arrays(constants, "constant")  # checked, not yet copied
        rows = _data_arrays(data)
        _check_apart(arrays, rows)
        tree, names = parse_tree(text, (*arrays, *rows))
        constants, data = (
            {name: _private_copy(name, *values[name]) for name in names if name in values}
            for values in (arrays, rows)
        )
        self._setup(tree, text, constants, data)

    def _setup(self, tree, source, constants, data):
        self._tree = tree
        self._constants = MappingProxyType(dict(constants))
        self._data = MappingProxyType(dict(data))
        self.source = source
        self.names = (*constants, *data)
        self._fits = (None, None)  # the last example shape the estimate accepted, its estimate

    @functools.cached_property
    def latex(self):
        r"""A LaTeX rendering of the formula, for display (built on first use).

        Written as on the board (see ``docs/formula-language.md``).

        Examples
        --------
        >>> Function("x[0]**2 + 3*x[1]").latex
        'x_{0}^{2} + 3 x_{1}'
        """
        ranks = {name: len(shape) for name, shape in example_shapes(self).items()}
        return to_latex(self._tree, ranks)

    @functools.cached_property
    def _compiled(self):
        rows = {name: PerExample(value) for name, value in self._data.items()}
        return compile_tree(self._tree, {**self._constants, **rows})

    @functools.cached_property
    def operations(self):
        """The number of parts (operations, names, numbers) of the formula, written out.

        Each pass of autograd pays Python's overhead once per part.

        Examples
        --------
        >>> Function("sin(x) + 1").operations
        4
        """
        return tree_size(self._tree)[0]

    @property
    def constants(self):
        """The constants the formula uses, name → read-only float array (a private copy).

        Examples
        --------
        >>> dict(Function("W @ x", constants={"W": [[1, 2]], "unused": 5}).constants)
        {'W': array([[1., 2.]])}
        """
        return self._constants

    @property
    def data(self):
        """The per-example data the formula uses, name → read-only float array ``(B, ...)``.

        Examples
        --------
        >>> f = Function("(x - t)**2", data={"t": [[1, 2], [3, 4]]})
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
            If the formula does not fit the examples' shape (the message names
            the shapes), computes more than 10**6 numbers per example (refused
            before computing, see :meth:`estimate`), or ``x`` is not a batch of
            real floats (ragged, text, a number too large for a float) or holds
            another number of examples than the formula's data.
        TypeError
            If ``x`` is complex.

        Examples
        --------
        >>> Function("[x[0]*x[1], sum(x)]")([[2, 3], [1, -1]])  # B = 2, n = 2
        array([[ 6.,  5.],
               [-1.,  0.]])
        """
        x = _as_batch(x)
        self._check_batch_size(x.shape)
        self.estimate(x.shape[1:])  # refuse from shapes, before computing anything
        try:
            with anp.errstate(all="ignore"):
                return evaluate(self._compiled, x)
        except MemoryError:
            raise ExpressionError(
                f"not enough memory to evaluate {x.shape[0]} examples of this formula "
                f"({self._fits[1].work} numbers each)"
            ) from None

    def estimate(self, in_shape):
        """Tell from shapes alone what one example outputs and costs, before computing anything.

        Parameters
        ----------
        in_shape : tuple of int
            The shape of one example, ``x.shape[1:]`` of a batch ``(B, *in)``; an
            int ``n`` means ``(n,)``.

        Returns
        -------
        Estimate
            ``(out_shape, work)``: ``y.shape[1:]`` of the output ``(B, *out)``, and
            the numbers one example computes as the work budget counts them (every
            operation's result, a matrix product's multiply-adds), at most 10**6.
            Evaluating ``B`` examples computes ``B * work`` numbers.

        Raises
        ------
        ExpressionError
            Exactly when calling on such a batch would: the formula does not fit
            examples of ``in_shape`` (the message names the shapes), or computes
            more than 10**6 numbers per example.

        Examples
        --------
        >>> Function("[x[0]*x[1], sum(x)]").estimate((3,))
        Estimate(out_shape=(2,), work=8)
        """
        if not _same_shape(in_shape, self._fits[0]):  # the same again (every call and pass)
            shape = _example_shape(in_shape)
            estimate = estimate_tree(self._tree, shape, example_shapes(self))
            self._fits = (shape, estimate)
        return self._fits[1]

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


def example_shapes(function):
    """Name → the shape of one example's value: a constant's whole shape, a data row's."""
    shapes = {name: value.shape for name, value in function.constants.items()}
    shapes.update({name: rows.shape[1:] for name, rows in function.data.items()})
    return shapes


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


def _same_shape(in_shape, known):
    """Whether ``in_shape`` is exactly the tuple of ints ``known`` (no bools, no arrays)."""
    return type(in_shape) is tuple and in_shape == known and all(type(n) is int for n in in_shape)


def _example_shape(in_shape):
    """``in_shape`` as a tuple of whole numbers >= 0 (an int ``n`` is ``(n,)``)."""
    parts = (in_shape,) if isinstance(in_shape, numbers.Integral) else in_shape
    try:
        shape = tuple(_whole(part) for part in parts)
    except TypeError:
        shape = None
    if shape is None or any(length < 0 for length in shape):
        raise ExpressionError(
            f"the shape of one example must be whole numbers >= 0, e.g. (3,); got {in_shape!r}"
        )
    check_rank(shape, "x")
    return shape


def _whole(number):
    if not is_whole(number):
        raise TypeError("a length is a whole number")
    return int(number)


def _as_batch(x):
    """``x`` as a real floating array (or autograd box) with a batch axis."""
    if not hasattr(x, "dtype"):
        x = _read_batch(x)
    kind = x.dtype.kind
    if kind == "c":
        raise TypeError(complex_message("x", x.dtype, "separate real inputs"))
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
            _check_float_range(entry, "x")
    return anp.asarray(x, dtype=float)


def _check_float_range(number, what):
    """Raise unless an int or Fraction ``number`` fits a float (others are left alone)."""
    if not isinstance(number, numbers.Rational):
        return  # a float or Decimal cannot overflow; what is not a number is refused later
    try:
        float(number)
    except OverflowError:
        raise ExpressionError(
            f"{what} holds a number too large for a float (about {_about(number)}; "
            "floats reach about 1.8e308)"
        ) from None


def _log10(rational):
    """``log10 |rational|`` of an int or Fraction of any size (never converted to a float)."""
    if rational == 0:
        return -math.inf
    return math.log10(abs(rational.numerator)) - math.log10(rational.denominator)


def _about(rational):
    """``'-3.3e399'``: a rational too large for a float, written in two significant digits."""
    exponent = math.floor(_log10(rational))
    mantissa = 10 ** (_log10(rational) - exponent)
    return f"{'-' if rational < 0 else ''}{mantissa:.1f}e{exponent}"


def _named_arrays(values, kind):
    """Check every name and value; return name -> (array, kind, shared), nothing copied yet.

    ``kind`` is ``"constant"`` or ``"data"``; ``shared`` tells whether the array
    is (a view of) the caller's object.
    """
    if values is None:
        return {}
    if not hasattr(values, "items"):
        raise ExpressionError(
            f"{_PLURAL[kind]} must be a mapping name -> array, not {type(values).__name__}"
        )
    return {
        _check_name(name, kind): _checked_array(name, value, kind) for name, value in values.items()
    }


def _data_arrays(data):
    """Check per-example data (as :func:`_named_arrays`): every array holds ``B`` rows."""
    rows = _named_arrays(data, "data")
    sizes = {name: len(array) for name, (array, *_) in rows.items()}
    if len(set(sizes.values())) > 1:
        listed = ", ".join(f"{name!r}: {size}" for name, size in sizes.items())
        raise ExpressionError(f"data must hold the same number of examples; got {listed}")
    return rows


def _check_apart(constants, data):
    both = sorted(set(constants) & set(data))
    if both:
        raise ExpressionError(
            f"{both[0]!r} is given both as a constant and as data: give it once, as a "
            "constant if every example shares it, as data if each example has its own"
        )


def _check_name(name, kind):
    if not is_constant_name(name):
        raise ExpressionError(
            f"{name!r} cannot name {'a constant' if kind == 'constant' else 'data'}: use a "
            "plain identifier that is not x, pi, e, a function name or a Python keyword, "
            "and does not start with '_'"
        )
    return name


def _checked_array(name, value, kind):
    what = f"{kind} {name!r}"
    try:
        array = anp.asarray(value)  # an ndarray is looked at, not copied
    except (TypeError, ValueError) as exc:
        raise ExpressionError(f"{what} is not an array of numbers: {exc}") from None
    if array.dtype.kind == "O":
        for entry in array.flat:
            _check_float_range(entry, what)
    if array.dtype.kind not in "biuf":
        raise ExpressionError(f"{what} must hold real numbers, not {array.dtype}")
    batch_axes = _BATCH_AXES[kind]
    if array.ndim < batch_axes:
        raise ExpressionError(f"{what} needs one row per example, shape (B, ...); got a scalar")
    check_rank(array.shape[batch_axes:], what)
    return array, kind, array is value or not array.flags.owndata


def _private_copy(name, array, kind, shared):
    """Return ``array`` as a read-only float array no one else holds, copied at most once."""
    try:
        array = array.astype(float, copy=shared)
    except MemoryError:
        raise ExpressionError(
            f"{kind} {name!r} is too large to copy ({array.size} numbers of shape {array.shape})"
        ) from None
    array.setflags(write=False)
    return array
