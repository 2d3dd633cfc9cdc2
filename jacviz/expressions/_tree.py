"""The formula tree: small immutable nodes, and their text in the language.

Layer: expressions (private). Imports only the standard library.

The parser turns checked Python ``ast`` into these nodes; the compiler, the
LaTeX renderer and the symbolic differentiator all read them. Positions are
0-based columns in the formula's text (``None`` for derived formulas).
"""

import math
from typing import NamedTuple


class Num(NamedTuple):
    """A number, always a float: ``3`` is ``Num(3.0)``."""

    value: float
    pos: "int | None" = None


class Name(NamedTuple):
    """The input ``x``, the numbers ``pi`` and ``e``, or a named constant."""

    id: str
    pos: "int | None" = None


class Slice(NamedTuple):
    """A slice ``start:stop:step`` inside an index; ``None`` where omitted."""

    start: "int | None"
    stop: "int | None"
    step: "int | None"


class Index(NamedTuple):
    """``base[i, j]``: ``index`` is a tuple of ints and :class:`Slice` s."""

    base: tuple
    index: tuple
    pos: "int | None" = None


class Unary(NamedTuple):
    """``-operand``."""

    op: str
    operand: tuple
    pos: "int | None" = None


class Binary(NamedTuple):
    """``left op right`` with ``op`` one of ``+ - * / ** @``."""

    op: str
    left: tuple
    right: tuple
    pos: "int | None" = None


class Call(NamedTuple):
    """``func(args...)`` for an allowed function name."""

    func: str
    args: tuple
    pos: "int | None" = None


class Vector(NamedTuple):
    """A literal ``[a, b, c]`` (nested for matrices)."""

    items: tuple
    pos: "int | None" = None


# Python's binding strength, used to put back only the parentheses needed.
PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "@": 2, "neg": 3, "**": 4, "atom": 5}


def precedence(node):
    """How tightly ``node`` binds when printed (higher binds tighter)."""
    if isinstance(node, Binary):
        return PRECEDENCE[node.op]
    if isinstance(node, Unary) or (isinstance(node, Num) and node.value < 0):
        return PRECEDENCE["neg"]
    return PRECEDENCE["atom"]


def needs_parentheses(node, parent_op, side):
    """Whether ``node`` must be parenthesised as ``side`` operand of ``parent_op``."""
    own, outer = precedence(node), PRECEDENCE[parent_op]
    if parent_op == "**":
        return own <= outer if side == "left" else own < outer
    return own < outer if side == "left" else own <= outer


def format_number(value):
    """Shortest text of a float: ``3.0`` → ``'3'``, ``0.5`` → ``'0.5'``."""
    if math.isinf(value):
        return "1e999" if value > 0 else "-1e999"
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def format_index(index, separator=", "):
    """Text of an index: ``(0, Slice(None, 2, None))`` → ``'0, :2'``.

    Examples
    --------
    >>> format_index((0, Slice(None, 2, None)))
    '0, :2'
    >>> format_index((1, Slice(0, None, 2)), separator=",")
    '1,0::2'
    """
    return separator.join(_format_part(part) for part in index)


def _format_part(part):
    if not isinstance(part, Slice):
        return str(part)
    text = ":".join("" if p is None else str(p) for p in (part.start, part.stop))
    return text if part.step is None else f"{text}:{part.step}"


def to_source(node):
    """Text of ``node`` in the formula language (parses back to the same tree).

    Examples
    --------
    >>> to_source(Binary("*", Num(3.0), Binary("**", Name("x"), Num(2.0))))
    '3*x**2'
    """
    if isinstance(node, Num):
        return format_number(node.value)
    if isinstance(node, Name):
        return node.id
    if isinstance(node, Index):
        return f"{_operand_source(node.base, 'atom')}[{format_index(node.index)}]"
    if isinstance(node, Unary):
        return "-" + _operand_source(node.operand, "neg")
    if isinstance(node, Call):
        return f"{node.func}({', '.join(to_source(arg) for arg in node.args)})"
    if isinstance(node, Vector):
        return "[" + ", ".join(to_source(item) for item in node.items) + "]"
    left = _side_source(node.left, node.op, "left")
    right = _side_source(node.right, node.op, "right")
    spaced = node.op in "+-@"
    return f"{left} {node.op} {right}" if spaced else f"{left}{node.op}{right}"


def _side_source(node, op, side):
    text = to_source(node)
    return f"({text})" if needs_parentheses(node, op, side) else text


def _operand_source(node, op):
    text = to_source(node)
    return f"({text})" if precedence(node) < PRECEDENCE[op] else text


def children(node):
    """Return the direct subtrees of ``node`` (an empty tuple for numbers and names)."""
    if isinstance(node, Index):
        return (node.base,)
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Call):
        return node.args
    if isinstance(node, Vector):
        return node.items
    return ()


def tree_size(node, known=None):
    """Count the nodes of a tree and measure its depth, without recursion.

    A derived formula shares subtrees (the same object in many places); each
    is measured once, so this takes time in the number of distinct objects,
    while the count is that of the tree written out.

    Parameters
    ----------
    node : tuple
        A formula tree.
    known : dict, optional
        Sizes measured before, ``id(subtree) -> (subtree, count, depth)``;
        filled in, so later calls reuse it.

    Returns
    -------
    count, depth : int

    Examples
    --------
    >>> x0 = Index(Name("x"), (0,))
    >>> shared = Binary("+", x0, x0)
    >>> tree_size(Binary("*", shared, shared))
    (11, 4)
    """
    known = {} if known is None else known
    stack = [node]
    while stack:
        current = stack[-1]
        if id(current) in known:
            stack.pop()
            continue
        kids = children(current)
        waiting = [kid for kid in kids if id(kid) not in known]
        if waiting:  # measure the children first
            stack.extend(waiting)
            continue
        stack.pop()
        count, depth = 1, 0
        for kid in kids:
            _, kid_count, kid_depth = known[id(kid)]
            count, depth = count + kid_count, max(depth, kid_depth)
        known[id(current)] = (current, count, depth + 1)
    return known[id(node)][1:]
