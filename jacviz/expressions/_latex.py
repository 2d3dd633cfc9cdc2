r"""LaTeX of a formula tree, for display next to the numbers (MathJax in the widget).

Layer: expressions (private). Imports the standard library (and the registry's templates).

Rendered from the tree, never from the source text, the way a teacher writes on
the board (the conventions: ``docs/formula-language.md``): a product with a
scalar factor side by side (``2 x``), the matrix product side by side
(``W x``), the elementwise product of two non-scalars with ``\odot``.
"""

import re

from jacviz.expressions._functions import fill_latex, rule_of
from jacviz.expressions._tree import (
    PRECEDENCE,
    Binary,
    Call,
    Index,
    Name,
    Num,
    Unary,
    Vector,
    format_index,
    format_number,
    precedence,
)

_GREEK = frozenset(
    [
        *("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota"),
        *("kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi"),
        *("chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma"),
        *("Phi", "Psi", "Omega"),
    ]
)


def to_latex(node, ranks=None):
    r"""LaTeX for a formula tree.

    Parameters
    ----------
    node : tuple
        A formula tree.
    ranks : Mapping[str, int], optional
        The number of axes of each named constant: scalar constants (rank 0)
        multiply side by side, others with ``\odot``. Unknown names count as
        non-scalar.

    Examples
    --------
    >>> from jacviz.expressions._parse import parse_tree
    >>> to_latex(parse_tree("x[0]*x[1]", ())[0])
    'x_{0} x_{1}'
    >>> to_latex(parse_tree("sin(x[0])", ())[0])
    '\\sin\\left(x_{0}\\right)'
    >>> to_latex(parse_tree("x*(W @ x) + x @ W @ x", ("W",))[0], {"W": 2})
    'x \\odot \\left(W x\\right) + x W x'
    """
    return _Renderer(ranks or {}).latex(node)


class _Renderer:
    """Renders nodes to LaTeX, knowing which constants are scalars."""

    def __init__(self, ranks):
        self.ranks = ranks

    def latex(self, node):
        if isinstance(node, Num):
            return _number(node.value)
        if isinstance(node, Name):
            return name_latex(node.id)
        if isinstance(node, Index):
            return self.index(node)
        if isinstance(node, Unary):
            operand = node.operand
            return "-" + self.wrap(operand, _additive(operand) or _signed(operand))
        if isinstance(node, Call):
            return self.call(node)
        if isinstance(node, Vector):
            return self.vector(node)
        return self.binary(node)

    def wrap(self, node, parenthesise):
        text = self.latex(node)
        return rf"\left({text}\right)" if parenthesise else text

    def index(self, node):
        base = node.base
        return f"{self.wrap(base, not isinstance(base, Name))}_{{{format_index(node.index, ',')}}}"

    def binary(self, node):
        op, left, right = node.op, node.left, node.right
        if op == "/":
            return rf"\frac{{{self.latex(left)}}}{{{self.latex(right)}}}"
        if op == "**":
            return f"{self.power_base(left)}^{{{self.latex(right)}}}"
        if op in "+-":
            right_text = self.wrap(right, _signed(right) or (op == "-" and _additive(right)))
            return f"{self.latex(left)} {op} {right_text}"
        return self.product(node)

    def power_base(self, node):
        """``node`` as the base of a power: parenthesised unless it is a plain atom."""
        return self.wrap(node, precedence(node) < PRECEDENCE["atom"] or _superscripted(node))

    def product(self, node):
        r"""Write ``a b`` side by side, or ``a \odot b`` for elementwise non-scalars."""
        hadamard = self.hadamard(node)
        left_text = self.wrap(node.left, self.mixed(node.left, hadamard))
        right_text = self.wrap(node.right, self.mixed(node.right, hadamard) or _signed(node.right))
        joiner = " "
        if hadamard:
            joiner = r" \odot "
        elif right_text[:1].isdigit():
            joiner = r" \cdot "
        return f"{left_text}{joiner}{right_text}"

    def hadamard(self, node):
        r"""Whether ``node`` is an elementwise product written with ``\odot``."""
        return node.op == "*" and not (self.scalar(node.left) or self.scalar(node.right))

    def mixed(self, operand, hadamard):
        r"""Parenthesise a sum, or a product joined differently (``\odot`` vs side by side)."""
        if _additive(operand):
            return True
        is_product = isinstance(operand, Binary) and operand.op in "*@"
        return is_product and self.hadamard(operand) != hadamard

    def scalar(self, node):
        """Whether ``node`` reads as one number (so it multiplies side by side)."""
        if isinstance(node, Num):
            return True
        if isinstance(node, Name):
            return node.id in ("pi", "e") or self.ranks.get(node.id) == 0
        if isinstance(node, Index):
            return self.entry(node)
        if isinstance(node, Unary):
            return self.scalar(node.operand)
        if isinstance(node, Binary):
            return node.op != "@" and self.scalar(node.left) and self.scalar(node.right)
        if isinstance(node, Call):
            scalar = rule_of(node).kind.scalar
            return scalar == "always" or (scalar == "args" and all(map(self.scalar, node.args)))
        return False

    def entry(self, node):
        """``x[0]``, ``A[0, 1]``: whole-number indices, as many as a constant has axes."""
        if not all(isinstance(part, int) for part in node.index):
            return False
        base = node.base
        if isinstance(base, Name) and base.id in self.ranks:
            return len(node.index) == self.ranks[base.id]
        return True

    def call(self, node):
        """Fill the function's LaTeX template (see :class:`~._functions.Rule`)."""
        args = node.args

        def wrapped(k, as_base):
            if as_base:
                return self.power_base(args[k])
            return self.wrap(args[k], _additive(args[k]) or _is_product(args[k]))

        return fill_latex(rule_of(node).latex, lambda k: self.latex(args[k]), wrapped)

    def vector(self, node):
        rows = node.items
        if all(isinstance(row, Vector) and not _has_vector(row) for row in rows):
            body = r" \\ ".join(" & ".join(self.latex(item) for item in row.items) for row in rows)
        else:
            body = r" \\ ".join(self.latex(item) for item in rows)
        return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


def _number(value):
    if value in (float("inf"), float("-inf")):
        return r"\infty" if value > 0 else r"-\infty"
    text = format_number(value)
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def name_latex(name):
    r"""LaTeX of a name: ``x``, ``\pi``, ``W_{1}``, ``\theta``, ``\mathrm{bias}``.

    Examples
    --------
    >>> name_latex("W1"), name_latex("theta"), name_latex("bias")
    ('W_{1}', '\\theta', '\\mathrm{bias}')
    """
    if name == "pi" or name in _GREEK:
        return "\\" + name
    match = re.fullmatch(r"([A-Za-z])_?(\d+)", name)
    if match:
        return f"{match.group(1)}_{{{match.group(2)}}}"
    if "_" in name.strip("_"):
        base, _, sub = name.partition("_")
        return f"{name_latex(base)}_{{{name_latex(sub)}}}"
    return name if len(name) == 1 else rf"\mathrm{{{name}}}".replace("_", r"\_")


def _additive(node):
    return precedence(node) <= PRECEDENCE["+"]


def _signed(node):
    """Whether ``node`` prints with a leading minus sign."""
    return isinstance(node, Unary) or (isinstance(node, Num) and node.value < 0)


def _is_product(node):
    return isinstance(node, Binary) and node.op in "*@"


def _superscripted(node):
    """Whether ``node`` prints with a superscript of its own (``e^{x}``, ``10^{-5}``)."""
    if isinstance(node, Call):
        return "^{" in rule_of(node).latex
    return isinstance(node, Num) and "e" in format_number(node.value)


def _has_vector(row):
    return any(isinstance(item, Vector) for item in row.items)
