r"""LaTeX of a formula tree, for display next to the numbers.

Layer: expressions (private). Imports only the standard library.

Rendered from the tree (never from the source text), so ``x[0]*x[1]`` reads
``x_{0} x_{1}``, ``a/b`` reads ``\frac{a}{b}`` and ``[a, b]`` is a column
vector.
"""

import re
from types import MappingProxyType

from jacviz.expressions._tree import (
    PRECEDENCE,
    Call,
    Index,
    Name,
    Num,
    Slice,
    Unary,
    Vector,
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
_STANDARD = frozenset(
    ("sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "log", "max", "min")
)
_SPECIAL = MappingProxyType({"sigmoid": r"\sigma", "sum": r"\sum", "prod": r"\prod"})


def to_latex(node):
    r"""LaTeX for a formula tree.

    Examples
    --------
    >>> from jacviz.expressions._tree import Binary
    >>> to_latex(Binary("*", Index(Name("x"), (0,)), Index(Name("x"), (1,))))
    'x_{0} x_{1}'
    >>> to_latex(Call("sin", (Index(Name("x"), (0,)),)))
    '\\sin\\left(x_{0}\\right)'
    """
    if isinstance(node, Num):
        return _number(node.value)
    if isinstance(node, Name):
        return name_latex(node.id)
    if isinstance(node, Index):
        return _index(node)
    if isinstance(node, Unary):
        return "-" + _wrap(node.operand, precedence(node.operand) <= PRECEDENCE["+"])
    if isinstance(node, Call):
        return _call(node)
    if isinstance(node, Vector):
        return _vector(node)
    return _binary(node)


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


def _wrap(node, parenthesise):
    text = to_latex(node)
    return rf"\left({text}\right)" if parenthesise else text


def _index(node):
    parts = ",".join(_slice(p) if isinstance(p, Slice) else str(p) for p in node.index)
    base = node.base
    simple = isinstance(base, Name)
    return f"{_wrap(base, not simple)}_{{{parts}}}"


def _slice(part):
    text = ":".join("" if p is None else str(p) for p in (part.start, part.stop))
    return text if part.step is None else f"{text}:{part.step}"


def _binary(node):
    op, left, right = node.op, node.left, node.right
    if op == "/":
        return rf"\frac{{{to_latex(left)}}}{{{to_latex(right)}}}"
    if op == "**":
        base = _wrap(left, precedence(left) < PRECEDENCE["atom"])
        return f"{base}^{{{to_latex(right)}}}"
    if op in "+-":
        right_text = _wrap(right, _signed(right) or (op == "-" and _additive(right)))
        return f"{to_latex(left)} {op} {right_text}"
    return _product(left, right)


def _additive(node):
    return precedence(node) <= PRECEDENCE["+"]


def _signed(node):
    """Whether ``node`` prints with a leading minus sign."""
    return isinstance(node, Unary) or (isinstance(node, Num) and node.value < 0)


def _product(left, right):
    r"""Join ``a b`` side by side, with ``\cdot`` where a number would run into another."""
    left_text = _wrap(left, _additive(left))
    right_text = _wrap(right, _additive(right) or _signed(right))
    joiner = r" \cdot " if right_text[:1].isdigit() else " "
    return f"{left_text}{joiner}{right_text}"


def _call(node):
    name, args = node.func, node.args
    texts = [to_latex(arg) for arg in args]
    if name == "sqrt":
        return rf"\sqrt{{{texts[0]}}}"
    if name == "abs":
        return rf"\left|{texts[0]}\right|"
    if name == "norm":
        return rf"\left\lVert {texts[0]} \right\rVert"
    if name == "exp":
        return f"e^{{{texts[0]}}}"
    if name == "square":
        return f"{_wrap(args[0], precedence(args[0]) < PRECEDENCE['atom'])}^{{2}}"
    if name in ("dot", "outer"):
        symbol = r"\cdot" if name == "dot" else r"\otimes"
        left, right = (_wrap(arg, _additive(arg)) for arg in args)
        return f"{left} {symbol} {right}"
    return rf"{_function_name(name)}\left({', '.join(texts)}\right)"


def _function_name(name):
    if name in _STANDARD:
        return "\\" + name
    return _SPECIAL.get(name, rf"\operatorname{{{name}}}")


def _vector(node):
    rows = node.items
    if all(isinstance(row, Vector) and not _has_vector(row) for row in rows):
        body = r" \\ ".join(" & ".join(to_latex(item) for item in row.items) for row in rows)
    else:
        body = r" \\ ".join(to_latex(item) for item in rows)
    return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


def _has_vector(row):
    return any(isinstance(item, Vector) for item in row.items)
