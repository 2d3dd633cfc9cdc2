"""Explain a syntax error the way a teacher would: what to type instead.

Layer: expressions (private). Imports the standard library and the registry's
function names.

Python's own messages speak Python ("invalid syntax", "use an 0o prefix for
octal integers"). When ``ast.parse`` fails, the text is split into tokens with
:mod:`tokenize` (which reads names whole, so the digit in ``log1p`` is never
mistaken for a number) and the first recognisable slip gets a message of its
own: a missing ``*`` (``2x``, ``sin(x) cos(x)``), a function without
parentheses (``sin x``), an assignment (``y = x**2``), ``;``, an empty index
``x[]``, a leading zero (``08``), a formula that stops after an operator
(``x +``), a bracket never closed. Anything else says what a formula is.

A hint that suggests text suggests only text the language accepts: each
suggestion is checked with ``accepts`` (the parser, any unknown name counting
as a constant), and a generic example stands in for one that is refused.
"""

import ast
import io
import itertools
import keyword
import tokenize
from typing import NamedTuple

from jacviz.expressions import _functions
from jacviz.expressions._limits import absolute

LANGUAGE = (
    "a formula is one expression of x: numbers, + - * / ** @, functions such as sin(x), "
    "entries x[0] and vectors [a, b]"
)
_OPERATORS = frozenset({"+", "-", "*", "/", "**", "@", ",", "(", "[", ":"})
_ASSIGNMENTS = frozenset({"=", ":=", "+=", "-=", "*=", "/=", "**=", "@=", "%=", "//="})
_CLOSING = {")": "(", "]": "[", "}": "{"}


class Token(NamedTuple):
    """One token: its kind (``"NAME"``, ``"NUMBER"``, ``"OP"``, …), text and columns."""

    kind: str
    text: str
    start: int
    end: int


def tokens(text):
    """Return the tokens of ``text`` that ``tokenize`` can read (all, up to its first error).

    Examples
    --------
    >>> [token.text for token in tokens("log1p(x) +")]
    ['log1p', '(', 'x', ')', '+']
    """
    found = []
    lines = io.StringIO(text).readline
    try:
        for token in tokenize.generate_tokens(lines):
            if token.type in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER):
                continue
            start, end = absolute(text, *token.start), absolute(text, *token.end)
            found.append(Token(tokenize.tok_name[token.type], token.string, start, end))
    except (tokenize.TokenError, SyntaxError):
        pass  # unclosed brackets end the tokens early; what was read is still useful
    return found


def explain(text, message, position, accepts):
    """Return ``(message, position)`` for a syntax error Python reported in ``text``.

    Parameters
    ----------
    text : str
        The formula (without surrounding whitespace).
    message : str
        Python's message.
    position : int or None
        Python's 0-based column in ``text``.
    accepts : callable
        ``accepts(text)``: the syntax tree (``ast``) of a suggestion the language
        accepts, else ``None``.

    Examples
    --------
    >>> explain("2 x", "invalid syntax", 2, accepts=lambda text: None)
    ('write * for a product, e.g. 2*x', 2)
    """
    if message.startswith("leading zeros"):
        return _leading_zero(text, position)
    found = tokens(text)
    for rule in (_assignment, _semicolon, _juxtaposition, _empty_index):
        explained = rule(text, found, accepts)
        if explained:
            return explained
    if message.startswith("unterminated"):
        return "strings (text in quotes) are not allowed in a formula", position
    return _brackets_or_end(text, found, message, position)


def _leading_zero(text, position):
    start = position or 0
    end = start
    while end < len(text) and (text[end].isdigit() or text[end] == "_"):
        end += 1
    number = text[start:end]
    plain = number.replace("_", "").lstrip("0") or "0"
    return f"write {plain} rather than {number}: no leading zeros", start


def _assignment(text, found, accepts):
    depth = 0
    for token in found:
        depth += token.text in "([{" and token.kind == "OP"
        depth -= token.text in ")]}" and token.kind == "OP"
        if token.kind == "OP" and token.text in _ASSIGNMENTS and depth == 0:
            right = text[token.end :].strip()
            example = f", e.g. {right}" if right and accepts(right) else " (the formula of x)"
            return f"'{token.text}' is not allowed: type only the right-hand side{example}", (
                token.start
            )
    return None


def _semicolon(text, found, accepts):
    for token in found:
        if token.kind == "OP" and token.text == ";":
            return (
                "';' is not allowed: a formula is one expression; for several outputs "
                "write a vector, e.g. [x[0]**2, sin(x[1])]",
                token.start,
            )
    return None


def _ends_operand(token):
    if token.kind == "NAME":
        return not keyword.iskeyword(token.text)
    return token.kind == "NUMBER" or token.text in (")", "]")


def _starts_operand(token):
    return (token.kind == "NAME" and not keyword.iskeyword(token.text)) or token.kind == "NUMBER"


def _juxtaposition(text, found, accepts):
    """``2x``, ``x y``, ``sin(x) cos(x)``: an operand right after an operand."""
    for left, right in itertools.pairwise(found):
        if not (_ends_operand(left) and _starts_operand(right)):
            continue
        if left.kind == right.kind == "NUMBER" and left.end == right.start:
            continue  # one malformed number ("2..3"), not two
        if left.kind == "NAME" and _functions.arities(left.text):
            called = f"{left.text}({right.text})"
            if not accepts(called):
                called = example_call(left.text)
            return f"a function needs parentheses around its argument: write {called}", (
                right.start
            )
        product = _product(f"{text[: left.end]}*{text[right.start :]}", left.end, accepts)
        return f"write * for a product, e.g. {product}", right.start
    return None


def example_call(name):
    """Return a call of ``name`` with as many arguments as it takes: ``arctan2(x, x)``."""
    return f"{name}({', '.join(['x'] * _functions.arities(name)[0])})"


def _product(corrected, column, accepts, room=40):
    """Return the product around the ``*`` at ``column`` of ``corrected`` (accepted, short).

    ``2*x`` stands in for a product that is refused, long or spread over lines.
    """
    tree = accepts(corrected)
    for node in ast.walk(tree) if tree else ():
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult)):
            continue
        left_end = absolute(corrected, node.left.end_lineno, node.left.end_col_offset)
        if left_end <= column < absolute(corrected, node.right.lineno, node.right.col_offset):
            start = absolute(corrected, node.lineno, node.col_offset)
            product = corrected[start : absolute(corrected, node.end_lineno, node.end_col_offset)]
            return product if len(product) <= room and "\n" not in product else "2*x"
    return "2*x"


def _empty_index(text, found, accepts):
    for before, opening, closing in zip(found, found[1:], found[2:], strict=False):
        if _ends_operand(before) and opening.text == "[" and closing.text == "]":
            return "an index is missing: write x[0], x[-1] or x[0:2]", closing.start
    return None


def _brackets_or_end(text, found, message, position):
    if message.endswith("was never closed"):
        bracket = message[1]
        closing = {"(": ")", "[": "]", "{": "}"}[bracket]
        return f"syntax error: '{bracket}' is never closed: add a '{closing}'", position
    if message.startswith("unmatched"):
        bracket = message[-2]
        return (
            f"syntax error: '{bracket}' closes nothing: remove it or add a '{_CLOSING[bracket]}'",
            position,
        )
    last = found[-1] if found else Token("", "", 0, 0)
    at_the_end = position is None or position >= last.start
    if last.kind == "OP" and last.text in _OPERATORS and at_the_end:
        return f"syntax error: the formula ends with '{last.text}'; write what follows it", len(
            text
        )
    return f"syntax error: {message.rstrip('.')}; {LANGUAGE}", position
