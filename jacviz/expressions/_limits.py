"""Bounds on the text and on its syntax tree, checked before anything recurses over it.

Layer: expressions (private). Imports the standard library and ``jacviz.errors``.

Length, characters and bracket depth are checked on the text, before
``ast.parse``; node count and depth on Python's tree, without recursion, before
the converter recurses. A flat chain ``x + x + …`` is as deep as it is long in
Python's tree; where most of the depth is such a chain, the message says so.
"""

import ast
import unicodedata

from jacviz.errors import ExpressionError

MAX_LENGTH = 1000
MAX_BRACKET_DEPTH = 50
MAX_NODES = 1500
MAX_DEPTH = 200


def check_text(text):
    """Raise ExpressionError unless ``text`` is short plain ASCII with brackets not too deep."""
    if not isinstance(text, str):
        raise ExpressionError(f"a formula must be text (str), not {type(text).__name__}")
    if not text.strip():
        raise ExpressionError("the formula is empty; try for example x**3", 0)
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"the formula is too long ({len(text)} characters; at most {MAX_LENGTH})", MAX_LENGTH
        )
    for column, char in enumerate(text):
        if not (char.isascii() and (char.isprintable() or char in "\t\n\r")):
            raise ExpressionError(
                f"character {char!r} ({_char_name(char)}) is not allowed; "
                "formulas use plain ASCII letters, digits and + - * / ** @ ( ) [ ] , . :",
                column,
            )
    _check_brackets(text)


def one_kind_of_line_break(text):
    r"""``\r\n`` and ``\r`` as Python reads them (line breaks), column for column as ``\n``.

    The columns are then counted on ``\n`` alone, as Python's ``ast`` counts lines.
    """
    return text.replace("\r\n", " \n").replace("\r", "\n")


def _char_name(char):
    return unicodedata.name(char, f"U+{ord(char):04X}")


def _check_brackets(text):
    depth = 0
    for column, char in enumerate(text):
        if char in "([{":
            depth += 1
            if depth > MAX_BRACKET_DEPTH:
                raise ExpressionError(
                    f"brackets are nested too deeply (more than {MAX_BRACKET_DEPTH} levels)",
                    column,
                )
        elif char in ")]}":
            depth = max(depth - 1, 0)


def absolute(text, lineno, column):
    """0-based offset in ``text`` of (1-based line, 0-based column), clipped to the text."""
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[: lineno - 1])
    return max(0, min(start + column, len(text)))


def check_size(expression, text, start):
    """Bound node count and depth without recursion (before any converter recurses).

    A flat chain ``x + x + … + x`` is as deep as it is long in Python's tree;
    where most of the depth is such a chain, the message says so.
    """
    count, stack = 0, [(expression, 0, 0, None)]
    while stack:
        node, depth, links, chain = stack.pop()  # links: how much of the depth is a chain
        count += 1
        if count > MAX_NODES:
            raise ExpressionError(f"the formula is too large (more than {MAX_NODES} parts)", start)
        if depth > MAX_DEPTH:
            column = absolute(text, node.lineno, node.col_offset) if hasattr(node, "lineno") else 0
            raise ExpressionError(_too_deep(chain if 2 * links >= depth else None), start + column)
        for child in ast.iter_child_nodes(node):
            link = _continues_chain(node, child)
            stack.append((child, depth + 1, links + link, _chain(node) if link else chain))


# Operators that chain without brackets, and how to write a long chain instead.
_CHAINS = (
    ((ast.Add, ast.Sub), "+ and -", "; add a vector instead, e.g. sum([x[0], x[1], x[2]])"),
    ((ast.Mult, ast.Div, ast.MatMult), "* / and @", "; multiply a vector instead, e.g. prod(x)"),
    ((ast.Pow,), "**", ""),
)


def _chain(node):
    if isinstance(node, ast.BinOp):
        for chain in _CHAINS:
            if isinstance(node.op, chain[0]):
                return chain
    return None


def _continues_chain(parent, child):
    """Whether ``child`` is the next link of the chain ``parent`` belongs to."""
    chain = _chain(parent)
    if chain is None or _chain(child) is not chain:
        return False
    return child is (parent.right if chain[1] == "**" else parent.left)


def _too_deep(chain):
    if chain is None:
        return f"the formula is nested too deeply (more than {MAX_DEPTH} levels)"
    _, symbols, instead = chain
    return (
        f"the formula chains too many terms with {symbols} "
        f"(at most about {MAX_DEPTH} in a row){instead}"
    )
