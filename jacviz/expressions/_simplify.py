"""Constructors of formula trees that simplify as they build.

Layer: expressions (private). Imports the standard library.

:func:`add`, :func:`sub`, :func:`mul`, :func:`div`, :func:`power`,
:func:`neg` and :func:`call` build the derived formulas of
:mod:`jacviz.expressions._derivative` and :mod:`jacviz.expressions._expand`.
They drop the trivial 0s and 1s, fold numbers, cancel ``a - a``, pull signs
out of products (``(-a)*(-b)`` is ``a*b``, ``(-a)*b`` is ``-(a*b)``) and put
numbers first, so formulas read as a teacher would write them.
"""

import math
import operator
from types import MappingProxyType

from jacviz.expressions._tree import Binary, Call, Index, Name, Num, Unary

ZERO, ONE, TWO = Num(0.0), Num(1.0), Num(2.0)
_FOLDS = MappingProxyType(
    {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "**": pow}
)


def is_num(node, value=None):
    """Whether ``node`` is a number (equal to ``value``, if given)."""
    return isinstance(node, Num) and (value is None or node.value == value)


def _fold(op, a, b):
    """Compute ``a op b`` for two numbers, or ``None`` where floats overflow or fail."""
    try:
        value = _FOLDS[op](a, b)
    except (OverflowError, ZeroDivisionError, ValueError):
        return None
    if isinstance(value, complex) or not math.isfinite(value):
        return None
    return Num(float(value))


def neg(a):
    """Build ``-a``."""
    if is_num(a):
        return Num(-a.value) if a.value != 0 else ZERO
    if isinstance(a, Unary):
        return a.operand
    return Unary("-", a)


def add(a, b):
    """Build ``a + b``."""
    if is_num(a, 0):
        return b
    if is_num(b, 0):
        return a
    if is_num(a) and is_num(b):
        return _fold("+", a.value, b.value) or Binary("+", a, b)
    if _negative(b):
        return sub(a, neg(b))
    if isinstance(b, Binary) and b.op in "+-":  # a + (c ± d) reads a + c ± d
        return BUILD[b.op](add(a, b.left), b.right)
    return Binary("+", a, b)


def sub(a, b):
    """Build ``a - b``; ``a - a`` is 0.

    Examples
    --------
    >>> from jacviz.expressions._tree import to_source
    >>> x0 = Index(Name("x"), (0,))
    >>> to_source(sub(mul(x0, TWO), mul(TWO, x0)))
    '0'
    """
    if is_num(b, 0):
        return a
    if is_num(a, 0):
        return neg(b)
    if is_num(a) and is_num(b):
        return _fold("-", a.value, b.value) or Binary("-", a, b)
    if a == b:
        return ZERO
    if _negative(b):
        return add(a, neg(b))
    if isinstance(b, Binary) and b.op in "+-":  # a - (c ± d) reads a - c ∓ d
        return BUILD["-" if b.op == "+" else "+"](sub(a, b.left), b.right)
    return Binary("-", a, b)


def _negative(node):
    return isinstance(node, Unary) or (is_num(node) and node.value < 0)


def _signs_pulled_out(build, a, b):
    """``build(a, b)`` of the operands without their minus signs, negated if one had one."""
    result = build(neg(a) if _negative(a) else a, neg(b) if _negative(b) else b)
    return neg(result) if _negative(a) != _negative(b) else result


def mul(a, b):
    """Build ``a * b``, numbers first (``3*x``) and signs pulled out.

    Examples
    --------
    >>> from jacviz.expressions._tree import to_source
    >>> x0, x1 = Index(Name("x"), (0,)), Index(Name("x"), (1,))
    >>> to_source(mul(neg(x0), neg(x1))), to_source(mul(x1, Num(-2.0)))
    ('x[0]*x[1]', '-(2*x[1])')
    """
    if is_num(a, 0) or is_num(b, 0):
        return ZERO
    if is_num(a, 1):
        return b
    if is_num(b, 1):
        return a
    if is_num(a) and is_num(b):
        return _fold("*", a.value, b.value) or Binary("*", a, b)
    if _negative(a) or _negative(b):
        return _signs_pulled_out(mul, a, b)
    if is_num(b) or (depends_on_x(a) and not depends_on_x(b)):
        return mul(b, a)  # numbers, then constants, then what depends on x
    if is_num(a) and isinstance(b, Binary) and b.op == "*" and is_num(b.left):
        return mul(mul(a, b.left), b.right)
    if _is_reciprocal(a):
        return div(b, a.right)
    if _is_reciprocal(b):
        return div(a, b.right)
    if a == b:
        return power(a, TWO)
    return Binary("*", a, b)


def _is_reciprocal(node):
    return isinstance(node, Binary) and node.op == "/" and is_num(node.left, 1)


def _common_number(a, b):
    """Return the number ``c`` if ``a = c*r`` and ``b = c*s``, else ``None``."""
    if all(isinstance(t, Binary) and t.op == "*" and is_num(t.left) for t in (a, b)):
        return a.left.value if a.left.value == b.left.value else None
    return None


def div(a, b):
    """Build ``a / b``, signs pulled out (``(-a)/(-b)`` is ``a/b``)."""
    if is_num(a, 0):
        return ZERO
    if is_num(b, 1):
        return a
    if is_num(a) and is_num(b):
        return _fold("/", a.value, b.value) or Binary("/", a, b)
    if _negative(a) or _negative(b):
        return _signs_pulled_out(div, a, b)
    if _common_number(a, b):  # (2*r)/(2*s) reads r/s
        return div(a.right, b.right)
    return Binary("/", a, b)


def power(a, b):
    """Build ``a ** b``."""
    if is_num(b, 1):
        return a
    if is_num(b, 0):
        return ONE
    if is_num(a) and is_num(b):
        return _fold("**", a.value, b.value) or Binary("**", a, b)
    return Binary("**", a, b)


def call(func, *args):
    """Build ``func(args...)``."""
    return Call(func, args)


def add_all(terms):
    """Build the sum of ``terms`` (0 if there are none)."""
    total = ZERO
    for term in terms:
        total = add(total, term)
    return total


def mul_all(factors):
    """Build the product of ``factors`` (1 if there are none)."""
    total = ONE
    for factor in factors:
        total = mul(total, factor)
    return total


def depends_on_x(node):
    """Tell whether a scalar tree contains an entry of ``x``."""
    if isinstance(node, Index):
        return node.base == Name("x") or depends_on_x(node.base)
    if isinstance(node, (Num, Name)):
        return False
    if isinstance(node, Unary):
        return depends_on_x(node.operand)
    if isinstance(node, Binary):
        return depends_on_x(node.left) or depends_on_x(node.right)
    return any(depends_on_x(arg) for arg in node.args)


BUILD = MappingProxyType({"+": add, "-": sub, "*": mul, "/": div, "**": power})
