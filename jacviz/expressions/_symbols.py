"""Symbolic arrays: one example's value as an array of scalar formula trees.

Layer: expressions (private). Imports the standard library and autograd.

``A @ x`` with ``n = 2`` is the array ``[A[0, 0]*x[0] + A[0, 1]*x[1], …]`` of
scalar trees. The arrays are numpy object arrays, so indexing, slicing and
broadcasting follow numpy's rules exactly as the numeric evaluation does, and
an empty axis (``x[1:1]``) keeps the axes after it.
"""

from functools import partial

import autograd.numpy as anp

from jacviz.expressions._simplify import add_all, call, mul


def symbols(entries, shape=()):
    """Return an object array of ``shape`` holding the scalar trees ``entries`` (row-major).

    Examples
    --------
    >>> from jacviz.expressions._tree import Name
    >>> symbols([Name("a"), Name("b")], (2,))[1]
    Name(id='b', pos=None)
    """
    flat = anp.empty(len(entries), dtype=object)
    for k, entry in enumerate(entries):
        flat[k] = entry  # one by one: a tree is a tuple, which numpy would unpack
    return flat.reshape(shape)


def entries(value):
    """Return the scalar trees of ``value``, row-major."""
    return list(value.flat)


def take(value, index):
    """``value[index]``, a symbolic array even where it picks one entry."""
    part = value[index]
    return part if isinstance(part, anp.ndarray) else symbols([part])


def map_entries(function, value):
    """Apply ``function`` to each scalar tree of ``value``."""
    return symbols([function(entry) for entry in value.flat], value.shape)


def broadcast(function, a, b):
    """Apply ``function`` to the entries of ``a`` and ``b`` broadcast together (numpy's rule)."""
    shape = anp.broadcast_shapes(a.shape, b.shape)
    pairs = zip(anp.broadcast_to(a, shape).flat, anp.broadcast_to(b, shape).flat, strict=True)
    return symbols([function(u, v) for u, v in pairs], shape)


def call_entries(name, *args):
    """``name(...)`` on each entry (one argument) or each broadcast pair of entries (two)."""
    if len(args) == 1:
        return map_entries(partial(call, name), args[0])
    return broadcast(partial(call, name), *args)


def _dot(u, v):
    return add_all(mul(a, b) for a, b in zip(u, v, strict=True))


def matmul(a, b):
    """Return the matrix product of vectors/matrices of trees (shapes were checked numerically)."""
    rows = a if a.ndim == 2 else a[None, :]
    columns = (b if b.ndim == 2 else b[:, None]).T
    product = [_dot(row, column) for row in rows for column in columns]
    shape = a.shape[:-1] + b.shape[1:]
    return symbols(product, shape)


def outer(a, b):
    """``outer(a, b)`` of two vectors of trees."""
    return symbols([mul(u, v) for u in a for v in b], a.shape + b.shape)


def stack(items):
    """Stack same-shaped symbolic values along a new first axis, as ``[a, b, …]``."""
    shape = (len(items), *items[0].shape)
    return symbols([entry for item in items for entry in item.flat], shape)


def nested(value):
    """``value`` as nested lists (a scalar tree for shape ``()``)."""
    return value.tolist()
