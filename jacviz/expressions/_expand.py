"""Expansion: run a formula on symbols, so each output entry is a scalar tree.

Layer: expressions (private). Imports the standard library, autograd and
``jacviz.errors``.

``A @ x`` with ``n = 2`` becomes ``[A[0, 0]*x[0] + A[0, 1]*x[1], …]``, an
array of scalar trees (:mod:`~jacviz.expressions._symbols`); each operation
applies its registry entry's formula through its kind. Shared parts stay
shared: the denominator of ``softmax`` is one tree object used by every
entry, which :mod:`jacviz.expressions._derivative` differentiates once.
"""

import itertools

from jacviz.expressions import _symbols
from jacviz.expressions._compile import as_python_index
from jacviz.expressions._functions import rule_of
from jacviz.expressions._tree import Index, Name, Num, Slice, Vector, children


def expand(node, n, shapes):
    """Expand a formula tree into scalar trees, one per output entry.

    Parameters
    ----------
    node : tuple
        The formula tree of a function of a vector ``x`` with ``n`` entries.
    n : int
        Number of inputs per example.
    shapes : Mapping[str, tuple of int]
        The shape per example of every other name (as for
        :func:`~jacviz.expressions._compile.estimate_tree`): a constant's whole
        shape, one row's of per-example data, which expands like a constant.

    Returns
    -------
    ndarray of object, shape (*out,)
        The output's scalar trees.

    Examples
    --------
    >>> from jacviz.expressions._parse import parse_tree
    >>> from jacviz.expressions._tree import to_source
    >>> [to_source(entry) for entry in expand(parse_tree("x * x[0]", ())[0], 2, {})]
    ['x[0]**2', 'x[1]*x[0]']
    """
    if isinstance(node, Num):
        return _symbols.symbols([Num(node.value)])
    if isinstance(node, Name):
        return _expand_name(node.id, n, shapes)
    if isinstance(node, Index) and isinstance(node.base, Name) and node.base.id in shapes:
        return _constant_part(node.base.id, shapes[node.base.id], node.index)
    args = [expand(child, n, shapes) for child in children(node)]
    if isinstance(node, Index):
        return _symbols.take(args[0], tuple(as_python_index(part) for part in node.index))
    if isinstance(node, Vector):
        return _symbols.stack(args)
    rule = rule_of(node)
    return rule.kind.expand(rule, args, node.pos)


def _expand_name(name, n, shapes):
    if name == "x":
        return _symbols.symbols([Index(Name("x"), (j,)) for j in range(n)], (n,))
    if not shapes.get(name):  # pi, e, or a scalar per example
        return _symbols.symbols([Name(name)])
    return _constant_part(name, shapes[name], ())


def _constant_part(name, shape, index):
    """Return the entries ``name[index]`` of a constant of ``shape``, and only those.

    A formula may use one entry of a large constant (``W[2, 3]``); its other
    entries never become trees.
    """
    picked, out = [], []  # the indices taken along each axis; the axes kept
    for k, length in enumerate(shape):
        part = index[k] if k < len(index) else Slice(None, None, None)
        if isinstance(part, Slice):
            along = range(length)[as_python_index(part)]
            picked.append(along)
            out.append(len(along))
        else:
            picked.append((part % length,))
    places = itertools.product(*picked)
    return _symbols.symbols([Index(Name(name), place) for place in places], tuple(out))
