"""Numbers the notebooks state in Markdown, and the checks that recompute them.

A lesson states results in prose -- "the diagonal is 3 · 16 = 48". Each such number
carries an invisible check right after it: an HTML comment holding a Python expression,
which Jupyter, nbconvert and GitHub do not display::

    the diagonal is $3 \\cdot 16 = 48$<!--= jac[0, 0, 0] -->

``with_checks`` copies a notebook and inserts, after the first code cell that follows
the Markdown cell, a code cell evaluating the expressions in the lesson's own kernel;
``agrees`` then compares each value with the stated text at the precision it is written
with (``48``: the nearest integer; ``1.996``: three decimals; ``6.12e-17``: three
significant digits), or with a stated tuple such as a shape ``(7, 6, 7, 5)``.

``unchecked_numbers`` is the other half: a number in prose without a check must be a
small integer (0 to 9: an index, an exponent, a count of examples). Numbers in code
(inline or fenced), headings, links and issue references (``#38428``) are exempt -- they
are what the reader types or where a reference points, not results.
"""

import ast
import json
import re
from typing import NamedTuple

import nbformat

MARKER = re.compile(r"<!--=(?P<expr>.*?)-->", re.DOTALL)
STATED = re.compile(
    r"(?:\((?:\s*-?\d+\s*,)+\s*(?:-?\d+)?\s*\)"  # a tuple of integers: (7, 6, 7, 5)
    r"|(?<![\w.^])[-−]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+−]?\d+)?)$"  # 48, −1, 6.12e-17
)
CLOSERS = " \t\n`$*"  # between a number and its check: closing code, maths, emphasis
PROSE_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?:[eE][-+−]?\d+)?")
NOT_PROSE = re.compile(
    r"(?s:```.*?```)"  # fenced code
    r"|(?s:<!--.*?-->)"  # comments, checks included
    r"|^#[^\n]*"  # headings
    r"|\]\([^)]*\)|https?://\S+"  # link targets and bare URLs
    r"|`[^`\n]*`"  # inline code
    r"|#\d+",  # issue references
    re.MULTILINE,
)
SMALL = 9
INJECTED = "injected-check"


class Claim(NamedTuple):
    """A number stated in Markdown (``stated``, as written) and the expression checking it."""

    stated: str
    expr: str


def claims(markdown):
    """Return the checked numbers of one Markdown cell, in order.

    Raises ``ValueError`` for a check that follows no number, or whose expression
    names nothing (a literal would check itself).
    """
    found = []
    for match in MARKER.finditer(markdown):
        expr = match.group("expr").strip()
        before = markdown[: match.start()].rstrip(CLOSERS)
        stated = STATED.search(before)
        if stated is None:
            raise ValueError(f"check {expr!r} follows no number: ...{before[-40:]!r}")
        tree = ast.parse(expr, mode="eval")
        if not any(isinstance(node, ast.Name) for node in ast.walk(tree)):
            raise ValueError(f"check {expr!r} computes nothing: name what it recomputes")
        found.append(Claim(stated.group(0), expr))
    return found


def unchecked_numbers(markdown):
    """Return the numbers in prose that carry no check and are not small integers."""
    checked = {
        len(markdown[: match.start()].rstrip(CLOSERS)) for match in MARKER.finditer(markdown)
    }
    prose = NOT_PROSE.sub(lambda match: " " * len(match.group(0)), markdown)
    return [
        match.group(0)
        for match in PROSE_NUMBER.finditer(prose)
        if match.end() not in checked and not _small_integer(match.group(0))
    ]


def _small_integer(token):
    return token.isdigit() and int(token) <= SMALL


def agrees(stated, value):
    """Return whether ``value`` (from the kernel) is the number or tuple ``stated``."""
    if stated.startswith("("):
        return isinstance(value, list) and value == list(ast.literal_eval(stated))
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    text = stated.replace("−", "-")
    mantissa, _, exponent = text.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    rounded = f"{value:.{decimals}e}" if exponent else f"{value:.{decimals}f}"
    return float(rounded) == float(text)


def check_source(found):
    """Code that evaluates each claim's expression and returns the values as JSON text."""
    values = ", ".join(f"__import__('numpy').asarray({claim.expr}).tolist()" for claim in found)
    return f"__import__('json').dumps([{values}])"


def with_checks(nb):
    """Return a copy of ``nb`` with check cells, and ``[(claims, check cell index)]``.

    A Markdown cell's claims are evaluated after the next code cell (so prose may state
    what that cell is about to show); claims after the last code cell at the end.
    """
    copy = nbformat.from_dict(json.loads(json.dumps(nb)))
    cells, placed, pending = [], [], []

    def place():
        cell = nbformat.v4.new_code_cell(check_source(pending), metadata={"tags": [INJECTED]})
        cells.append(cell)
        placed.append((list(pending), len(cells) - 1))
        pending.clear()

    for cell in copy.cells:
        cells.append(cell)
        if cell.cell_type == "markdown":
            pending.extend(claims(cell.source))
        elif pending:
            place()
    if pending:
        place()
    copy.cells = cells
    return copy, placed


def checked_values(cell):
    """Return the values a check cell computed (its result is JSON text in a repr)."""
    results = [out for out in cell.outputs if out.output_type == "execute_result"]
    return json.loads(ast.literal_eval(results[0].data["text/plain"]))
