"""Checks of values that every layer receives: whole numbers, real arrays, batches, callables.

Layer: ``_validate``, the bottom layer beside ``errors``. Imports the standard
library and numpy only; ``jacobians``, ``views``, ``plotting`` and ``widget``
use it instead of checks of their own. Each check raises ``TypeError`` for a
value of the wrong kind and ``ValueError`` for one out of its range, with a
message that names the argument and says what to pass instead.
"""

import numbers

import numpy as np

#: What a message calls each non-numeric dtype kind.
_KINDS = {"M": "dates", "m": "time spans", "U": "text", "S": "bytes", "V": "records"}


def is_whole(value):
    """Tell whether ``value`` is a Python or numpy integer; a bool is not (``True`` is no index).

    Examples
    --------
    >>> is_whole(3), is_whole(np.int64(3)), is_whole(True), is_whole(3.0)
    (True, True, False, False)
    """
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def is_real(value):
    """Tell whether ``value`` is a real number (Python's or numpy's); a bool is not.

    Examples
    --------
    >>> is_real(0.5), is_real(np.float32(2)), is_real(3), is_real(False), is_real(1j)
    (True, True, True, False, False)
    """
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def whole(value, name, *, minimum=None, meaning=""):
    """Return ``value`` as an int; TypeError unless whole, ValueError below ``minimum``.

    Examples
    --------
    >>> whole(np.int32(4), "num", minimum=2)
    4
    >>> whole(1.0, "order", meaning="1 or 2")
    Traceback (most recent call last):
    ...
    TypeError: order must be an int (1 or 2), got 1.0 (float)
    """
    about = f" ({meaning})" if meaning else ""
    if not is_whole(value):
        raise TypeError(f"{name} must be an int{about}, got {describe(value)}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}{about}, got {value}")
    return int(value)


def describe(value):
    """Write ``value`` and its type for a message: ``1.0 (float)``.

    Examples
    --------
    >>> describe(True)
    'True (bool)'
    """
    return f"{value!r} ({type(value).__name__})"


def complex_message(name, dtype, instead):
    """Say that ``name`` is complex and what to pass instead.

    Examples
    --------
    >>> complex_message("x", np.dtype(complex), "separate real inputs")
    'x has complex dtype complex128; jacviz differentiates real functions only: \
give the real and imaginary parts as separate real inputs'
    """
    return (
        f"{name} has complex dtype {dtype}; jacviz differentiates real functions only: "
        f"give the real and imaginary parts as {instead}"
    )


def real_array(values, name="x", *, instead="separate real inputs"):
    """Return ``values`` as a numpy array of real numbers: bool, integer or float dtype.

    Parameters
    ----------
    values : array_like
    name : str, optional
        The argument's name, for messages.
    instead : str, optional
        Where the real and imaginary parts of complex values should go.

    Raises
    ------
    TypeError
        Complex values, or values that are not numbers (dates, text, objects).

    Examples
    --------
    >>> real_array([[1, 2]]).dtype.kind
    'i'
    >>> real_array(np.array(["a"]))
    Traceback (most recent call last):
    ...
    TypeError: x must hold real numbers, not text (dtype <U1)
    """
    array = np.asarray(values)
    kind = array.dtype.kind
    if kind == "c":
        raise TypeError(complex_message(name, array.dtype, instead))
    if kind not in "biuf":
        what = _KINDS.get(kind, "Python objects")
        raise TypeError(f"{name} must hold real numbers, not {what} (dtype {array.dtype})")
    return array


def float_array(values, name="x", **kw):
    """Return ``values`` as a real floating array (float dtypes kept, bool and integers float64).

    Examples
    --------
    >>> float_array(np.ones(2, dtype=np.float32)).dtype, float_array([True]).dtype
    (dtype('float32'), dtype('float64'))
    """
    array = real_array(values, name, **kw)
    return array if array.dtype.kind == "f" else array.astype(np.float64)


def batch_array(values, name="x", **kw):
    """Return ``values`` as a real floating batch ``(B, *in)``, rank >= 2 (as :func:`float_array`).

    Examples
    --------
    >>> batch_array([[4, 2], [1, 3]]).shape
    (2, 2)
    >>> batch_array([1.0, 2.0])
    Traceback (most recent call last):
    ...
    ValueError: x must have a batch axis: shape (B, *in) with rank >= 2, got shape (2,). \
Add one: x[None] for a single example, or x[:, None] for a batch of scalars.
    """
    array = float_array(values, name, **kw)
    if array.ndim < 2:
        raise ValueError(
            f"{name} must have a batch axis: shape (B, *in) with rank >= 2, got shape "
            f"{array.shape}. Add one: {name}[None] for a single example, or {name}[:, None] "
            "for a batch of scalars."
        )
    return array


def check_callable(f, name="f", *, text_too=True):
    """Raise TypeError unless ``f`` is callable (or, with ``text_too``, formula text).

    Examples
    --------
    >>> check_callable(np.sin)
    >>> check_callable(3)
    Traceback (most recent call last):
    ...
    TypeError: f must be a callable or formula text (str), not int
    """
    if callable(f) or (text_too and isinstance(f, str)):
        return
    what = "a callable or formula text (str)" if text_too else "a callable"
    raise TypeError(f"{name} must be {what}, not {type(f).__name__}")
