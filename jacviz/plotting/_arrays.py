"""From the engine's arrays to 2-D blocks: shapes, flattening, which examples.

Layer: plotting. Imports numpy and ``jacviz._validate`` only.

The engine returns ``jac (B, *out, *in)``, ``hess (B, *out, *in, *in)`` and
``full (B, *out, B, *in)``. A heatmap needs matrices, so higher-rank ``out``
and ``in`` are flattened in C order (the axis labels then carry index tuples).
Where the split between ``out`` and ``in`` is ambiguous, ``x (B, *in)`` or
``y (B, *out)`` settles it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from math import prod

import numpy as np

from jacviz._validate import float_array, is_whole

#: Most examples shown unless ``examples=`` asks for more.
MAX_PANELS = 8


@dataclass(frozen=True)
class Blocks:
    """Per-example derivative blocks, flattened to matrices.

    Attributes
    ----------
    data : numpy.ndarray
        ``(B, m, n)`` for Jacobians, ``(B, m, n, n)`` for Hessians,
        ``(B, m, B, n)`` for full Jacobians; float.
    out_shape, in_shape : tuple of int
        One example's output and input shapes before flattening.
    """

    data: np.ndarray
    out_shape: tuple
    in_shape: tuple


def as_jacobian(jac, x=None, y=None):
    """Flatten ``jac (B, *out, *in)`` to ``(B, m, n)``.

    Parameters
    ----------
    jac : array_like, shape (B, *out, *in)
    x : array_like, shape (B, *in), optional
    y : array_like, shape (B, *out), optional
        Either tells the output axes from the input axes; without them ``jac``
        must be ``(B, m, n)`` or ``(B, n)`` (scalar output).

    Returns
    -------
    Blocks

    Raises
    ------
    ValueError
        If the shapes do not fit together or cannot be told apart.

    Examples
    --------
    >>> as_jacobian(np.zeros((2, 3, 4, 5)), x=np.zeros((2, 4, 5))).data.shape
    (2, 3, 20)
    """
    jac = _float_array(jac, "jac", min_ndim=2)
    out_ndim = _out_ndim(jac, x, y, in_copies=1)
    return _blocks(jac, jac.shape[1 : 1 + out_ndim], jac.shape[1 + out_ndim :], in_copies=1)


def as_hessian(hess, x=None):
    """Flatten ``hess (B, *out, *in, *in)`` to ``(B, m, n, n)``.

    Parameters
    ----------
    hess : array_like, shape (B, *out, *in, *in)
    x : array_like, shape (B, *in), optional
        Needed when ``hess`` is not ``(B, m, n, n)`` or ``(B, n, n)``.

    Returns
    -------
    Blocks

    Raises
    ------
    ValueError
        If the shapes do not fit together.

    Examples
    --------
    >>> as_hessian(np.zeros((2, 3, 3))).data.shape
    (2, 1, 3, 3)
    """
    hess = _float_array(hess, "hess", min_ndim=3)
    out_ndim = _out_ndim(hess, x, None, in_copies=2)
    rest = hess.shape[1 + out_ndim :]
    in_shape = rest[: len(rest) // 2]
    if rest[len(rest) // 2 :] != in_shape:
        raise ValueError(f"hess has shape {hess.shape}; expected (B, *out, *in, *in)")
    return _blocks(hess, hess.shape[1 : 1 + out_ndim], in_shape, in_copies=2)


def as_full(full, batch_size, out_ndim=None):
    """Reshape a full Jacobian to ``(B, m, B, n)``.

    Parameters
    ----------
    full : array_like, shape (B, *out, B, *in) or (B·m, B·n)
        Derivative of every output of the batch w.r.t. every input.
    batch_size : int
        ``B``.
    out_ndim : int, optional
        Rank of ``out`` when ``(B, *out, B, *in)`` is ambiguous; by default the
        second axis of length ``B`` in the middle of the shape.

    Returns
    -------
    Blocks

    Raises
    ------
    ValueError
        If ``full`` does not have a shape of either kind.

    Examples
    --------
    >>> as_full(np.zeros((4, 6)), batch_size=2).data.shape
    (2, 2, 2, 3)
    """
    full = _float_array(full, "full", min_ndim=2)
    size = int(batch_size)
    if full.ndim == 2:
        rows, cols = full.shape
        if size == 0 and rows == cols == 0:
            return Blocks(full.reshape(0, 0, 0, 0), (0,), (0,))
        if size < 1 or rows % size or cols % size:
            raise ValueError(f"a 2-D full Jacobian {full.shape} must be (B·m, B·n) with B={size}")
        m, n = rows // size, cols // size
        return Blocks(full.reshape(size, m, size, n), (m,), (n,))
    axis = _second_batch_axis(full.shape, size, out_ndim)
    out_shape, in_shape = full.shape[1:axis], full.shape[axis + 1 :]
    data = full.reshape(size, prod(out_shape), size, prod(in_shape))
    return Blocks(data, out_shape, in_shape)


def choose_examples(batch, examples=None):
    """Choose the indices of the examples to draw.

    Parameters
    ----------
    batch : int
        ``B``.
    examples : int or sequence of int, optional
        Which examples, each once (negative counts from the end); default the
        first :data:`MAX_PANELS`.

    Returns
    -------
    tuple of int

    Raises
    ------
    ValueError
        If an index is out of range (the message gives the valid range), is
        given twice, or none is given.
    TypeError
        If an index is not an integer (``1.7``, ``True``, ``"0"``).

    Examples
    --------
    >>> choose_examples(16)
    (0, 1, 2, 3, 4, 5, 6, 7)
    >>> choose_examples(16, [-1, 3])
    (15, 3)
    """
    return choose_indices(batch, examples, name="examples", of=f"a batch of {batch}")


def choose_indices(count, given, *, name, of, default=MAX_PANELS):
    """Check indices into ``range(count)`` given as ``name=``, or the first ``default``.

    Parameters
    ----------
    count : int
        How many there are to choose from.
    given : int or sequence of int or None
        The caller's choice; ``None`` takes the first ``default``.
    name : str
        The argument's name, for messages (``"examples"``, ``"outputs"``).
    of : str
        What is indexed, for messages (``"a batch of 16"``).
    default : int, optional
        How many to take when ``given`` is ``None``.

    Returns
    -------
    tuple of int
        Indices in ``range(count)``, in the order given.

    Raises
    ------
    ValueError, TypeError
        As for :func:`choose_examples`.

    Examples
    --------
    >>> choose_indices(64, [2, -1], name="outputs", of="64 outputs")
    (2, 63)
    >>> choose_indices(3, [1.7], name="outputs", of="3 outputs")
    Traceback (most recent call last):
    ...
    TypeError: outputs= takes integer indices, e.g. outputs=[0, 2]; got 1.7 (float)
    """
    if given is None:
        return tuple(range(min(count, default)))
    chosen = tuple(_index(item, name) for item in _items(given))
    if not chosen:
        raise ValueError(f"{name}= is empty; give at least one index")
    bad = [k for k in chosen if not -count <= k < count]
    if bad:
        valid = f"valid are 0 to {count - 1} (or -{count} to -1)" if count else "none is valid"
        raise ValueError(f"{name} {bad} out of range for {of}: {valid}")
    chosen = tuple(k % count for k in chosen)
    twice = sorted({k for k in chosen if chosen.count(k) > 1})
    if twice:
        raise ValueError(f"{name}= lists {twice} more than once; give each index once")
    return chosen


def _items(given):
    """Return the elements of an index argument: one int, a sequence or an array."""
    if isinstance(given, np.ndarray):
        return given.ravel().tolist()
    if isinstance(given, (str, bytes)) or not isinstance(given, Iterable):
        return [given]
    return list(given)


def _index(item, name):
    """``item`` as an ``int`` index, refusing floats, bools and strings."""
    if is_whole(item):
        return int(item)
    raise TypeError(
        f"{name}= takes integer indices, e.g. {name}=[0, 2]; got {item!r} ({type(item).__name__})"
    )


def example_rows(values, batch, name):
    """``values`` as ``(B, k)`` float rows, or ``None`` (for titles).

    Raises
    ------
    ValueError
        If ``values`` does not have ``B`` rows.
    """
    if values is None:
        return None
    values = np.asarray(values, dtype=float)
    if values.ndim == 0 or values.shape[0] != batch:
        raise ValueError(f"{name} has shape {values.shape}; expected ({batch}, ...)")
    return values.reshape(batch, int(np.prod(values.shape[1:])))  # -1 fails for B = 0


def _float_array(values, name, *, min_ndim):
    """``values`` as a float array with at least ``min_ndim`` axes."""
    array = float_array(values, name)
    if array.ndim < min_ndim:
        raise ValueError(f"{name} has shape {array.shape}; it needs a batch axis and a block")
    return array


def _out_ndim(array, x, y, *, in_copies):
    """Rank of ``out`` in ``array (B, *out, *in × in_copies)``."""
    if x is not None:
        in_shape = np.shape(x)[1:]
        out_ndim = array.ndim - 1 - in_copies * len(in_shape)
        expected = tuple(in_shape) * in_copies
        if out_ndim < 0 or array.shape[array.ndim - len(expected) :] != expected:
            raise ValueError(f"array of shape {array.shape} does not end with x's {in_shape}")
        return out_ndim
    if y is not None:
        return len(np.shape(y)[1:])
    if array.ndim - 1 - in_copies in (0, 1):
        return array.ndim - 1 - in_copies
    hint = "pass x (B, *in)" if in_copies == 2 else "pass x (B, *in) or y (B, *out)"
    raise ValueError(f"cannot tell output from input axes in shape {array.shape}: {hint}")


def _blocks(array, out_shape, in_shape, *, in_copies):
    """Reshape to ``(B, m, n[, n])`` keeping the original shapes."""
    n = prod(in_shape)
    data = array.reshape(array.shape[0], prod(out_shape), *([n] * in_copies))
    return Blocks(data, tuple(out_shape), tuple(in_shape))


def _second_batch_axis(shape, size, out_ndim):
    """Index of the second batch axis of ``(B, *out, B, *in)``."""
    if shape[0] != size:
        raise ValueError(f"full has shape {shape}; its first axis should be batch_size={size}")
    if out_ndim is not None:
        axis = 1 + int(out_ndim)
        if axis < len(shape) and shape[axis] == size:
            return axis
        raise ValueError(f"full {shape} has no batch axis after out_ndim={out_ndim} axes")
    candidates = [k for k in range(1, len(shape)) if shape[k] == size]
    if not candidates:
        raise ValueError(f"full has shape {shape}; expected (B, *out, B, *in) with B={size}")
    middle = len(shape) // 2
    return middle if middle in candidates else candidates[0]
