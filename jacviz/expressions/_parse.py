"""Text → checked formula tree, by an allow-list over Python's ``ast``.

Layer: expressions (private). Imports the standard library and ``jacviz.errors``.

The text is bounded (length, characters, bracket depth) *before* it reaches
``ast.parse``; the tree is bounded (node count, depth) before anything recurses
over it (:mod:`~jacviz.expressions._limits`); then every node is converted by a
converter written for its type, so a node type without a converter --
attribute access, lambdas, comprehensions, strings, f-strings, walrus, starred
arguments, … -- is an :class:`~jacviz.errors.ExpressionError`. Nothing is ever
executed: the result is a tree of plain tuples (see :mod:`jacviz.expressions._tree`).
"""

import ast
import difflib
import keyword
import warnings
from functools import partial
from types import MappingProxyType

from jacviz.errors import ExpressionError
from jacviz.expressions._functions import NAMED_NUMBERS, arities, function_names
from jacviz.expressions._limits import absolute, check_size, check_text, one_kind_of_line_break
from jacviz.expressions._syntax import example_call, explain
from jacviz.expressions._tree import Binary, Call, Index, Name, Num, Slice, Unary, Vector

_OPERATORS = MappingProxyType(
    {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**", ast.MatMult: "@"}
)
_REJECTED_OPERATORS = MappingProxyType(
    {
        ast.Mod: "%",
        ast.FloorDiv: "//",
        ast.LShift: "<<",
        ast.RShift: ">>",
        ast.BitOr: "|",
        ast.BitXor: "^",
        ast.BitAnd: "&",
    }
)
_ALLOWED_OPERATORS_TEXT = "allowed: + - * / ** @ and unary -"

_NO_COMPREHENSIONS = "comprehensions are not allowed; write the entries out, e.g. [x[0], x[1]]"
_REJECTED_NODES = MappingProxyType(
    {
        ast.Attribute: "attribute access is not allowed",
        ast.Lambda: "lambda is not allowed",
        ast.ListComp: _NO_COMPREHENSIONS,
        ast.SetComp: _NO_COMPREHENSIONS,
        ast.DictComp: _NO_COMPREHENSIONS,
        ast.GeneratorExp: _NO_COMPREHENSIONS,
        ast.JoinedStr: "strings (and f-strings) are not allowed",
        ast.FormattedValue: "strings (and f-strings) are not allowed",
        ast.NamedExpr: "assignment (:=) is not allowed",
        ast.Starred: "starred arguments (*) are not allowed",
        ast.Compare: "comparisons are not allowed",
        ast.BoolOp: "'and' / 'or' are not allowed",
        ast.IfExp: "'if ... else' is not allowed",
        ast.Dict: "dicts are not allowed; write a vector as [a, b]",
        ast.Set: "sets are not allowed; write a vector as [a, b]",
        ast.Tuple: "tuples are not allowed; write a vector as [a, b]",
        ast.Await: "'await' is not allowed",
        ast.Yield: "'yield' is not allowed",
        ast.YieldFrom: "'yield' is not allowed",
    }
)


def parse_tree(text, constant_names):
    """Check ``text`` and turn it into a formula tree.

    Parameters
    ----------
    text : str
        The formula, written for one example ``x``.
    constant_names : Collection[str]
        Names of the constants and per-example data the formula may use.

    Returns
    -------
    tree : tuple
        The formula tree.
    names : tuple of str
        The constants and data used, in order of first use.

    Raises
    ------
    ExpressionError
        If the text is not in the language; ``.position`` marks the place.
    """
    check_text(text)
    text = one_kind_of_line_break(text)
    start = len(text) - len(text.lstrip())  # positions count the user's columns
    body = text.strip()
    constant_names = tuple(constant_names)
    expression = _ast_parse(body, start, partial(_accepted, constant_names=constant_names))
    check_size(expression, body, start)
    converter = _Converter(body, start, constant_names)
    return converter.convert(expression.body), tuple(converter.used)


def _accepted(text, constant_names):
    """Return the ``ast`` of ``text`` if the language accepts it, else ``None``.

    For checking suggestions: any unknown name counts as a constant (the message
    says how to pass one), and nothing is explained, so this never recurses.
    """
    try:
        check_text(text)
        body = text.strip()
        expression = _quiet_parse(body)
        check_size(expression, body, 0)
        _Converter(body, 0, constant_names, any_constant=True).convert(expression.body)
    except (ExpressionError, SyntaxError, RecursionError, MemoryError, ValueError):
        return None
    return expression


def is_constant_name(name):
    """Whether ``name`` may name a constant (or data): a plain ASCII identifier, not reserved.

    Examples
    --------
    >>> is_constant_name("W1"), is_constant_name("sin"), is_constant_name("_W")
    (True, False, False)
    """
    if not (isinstance(name, str) and name.isidentifier() and name.isascii()):
        return False
    reserved = name == "x" or name in NAMED_NUMBERS or bool(arities(name))
    return not (reserved or keyword.iskeyword(name) or name.startswith("_"))


def _ast_parse(text, start, accepts):
    try:
        return _quiet_parse(text)
    except SyntaxError as exc:
        message, position = explain(
            text, exc.msg or "invalid syntax", _syntax_error_position(text, exc), accepts
        )
        raise ExpressionError(message, None if position is None else start + position) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError("the formula is too complex to read", start) from None


def _quiet_parse(text):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text, mode="eval")


def _syntax_error_position(text, exc):
    if exc.lineno is None or exc.offset is None:
        return None
    if exc.offset < 1:  # Python reports an unexpected end of the text at offset 0
        return len(text)
    return absolute(text, exc.lineno, exc.offset - 1)


def did_you_mean(name, candidates):
    """``" — did you mean 'sin'?"`` for the closest candidate, or ``""``.

    Examples
    --------
    >>> did_you_mean("sine", ["sin", "cos"])
    " — did you mean 'sin'?"
    >>> did_you_mean("X", ["x", "pi"])
    " — did you mean 'x'?"
    """
    lowered = {candidate.lower(): candidate for candidate in candidates}
    if name.lower() in lowered:
        return f" — did you mean '{lowered[name.lower()]}'?"
    close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
    return f" — did you mean '{lowered[close[0]]}'?" if close else ""


class _Converter:
    """Converts checked ``ast`` nodes into formula-tree nodes, one method per allowed type."""

    def __init__(self, text, start, constant_names, any_constant=False):
        self.text = text  # the formula without surrounding whitespace
        self.start = start  # where it starts in the user's text
        self.constant_names = constant_names
        self.any_constant = any_constant  # any valid constant name counts as given
        self.used = []

    def column(self, lineno, col_offset):
        """Return the user's 0-based column of a place in the stripped text."""
        return self.start + absolute(self.text, lineno, col_offset)

    def position(self, node):
        return self.column(node.lineno, node.col_offset)

    def fail(self, message, node):
        raise ExpressionError(message, self.position(node))

    def after(self, inner, outer):
        """Return the text of ``outer`` after ``inner`` ends: the ``(x)`` of ``np.sin(x)``."""
        start = absolute(self.text, inner.end_lineno, inner.end_col_offset)
        return self.text[start : absolute(self.text, outer.end_lineno, outer.end_col_offset)]

    def example(self, suggestion, fallback):
        """``suggestion`` if the language accepts it, else ``fallback`` (which it does)."""
        if self.any_constant:  # checking a suggestion: its messages are never shown
            return fallback
        return suggestion if _accepted(suggestion, self.constant_names) else fallback

    def convert(self, node):
        converter = _CONVERTERS.get(type(node))
        if converter is None:
            self.reject(node)
        return converter(self, node)

    def reject(self, node):
        if isinstance(node, ast.Attribute):
            end = self.column(node.end_lineno, node.end_col_offset)
            raise ExpressionError(
                f"attribute access ('.{node.attr}') is not allowed", end - len(node.attr)
            )
        message = _REJECTED_NODES.get(type(node))
        if message is None:
            message = f"{type(node).__name__} is not allowed in a formula"
        self.fail(message, node)

    def constant(self, node):
        value = node.value
        if isinstance(value, bool) or value is None or value is Ellipsis:
            self.fail(f"{value!r} is not allowed; use numbers, x and the allowed functions", node)
        if isinstance(value, (str, bytes)):
            self.fail("strings are not allowed in a formula", node)
        if isinstance(value, complex):
            self.fail("complex numbers are not allowed", node)
        self.check_decimal(node)
        return Num(_to_float(value), self.position(node))

    def check_decimal(self, node):
        """Refuse ``0x2``, ``0b11``, ``0o7``: a teacher typing them means something else."""
        start = absolute(self.text, node.lineno, node.col_offset)
        spelled = self.text[start : absolute(self.text, node.end_lineno, node.end_col_offset)]
        if spelled[:2].lower() in ("0x", "0b", "0o"):
            self.fail(
                f"{spelled} is not a number here (Python would read it in base "
                f"{_BASES[spelled[1].lower()]}); write decimal numbers such as 2 or 0.5, "
                "and * for a product",
                node,
            )

    def name(self, node):
        name = node.id
        if name == "x" or name in NAMED_NUMBERS:
            return Name(name, self.position(node))
        known = name in self.constant_names or (self.any_constant and is_constant_name(name))
        if known:
            if name not in self.used:
                self.used.append(name)
            return Name(name, self.position(node))
        if arities(name):
            self.fail(f"'{name}' is a function: call it, e.g. {example_call(name)}", node)
        allowed = ", ".join(("x", *NAMED_NUMBERS, *self.constant_names))
        hint = did_you_mean(name, ("x", *NAMED_NUMBERS, *self.constant_names, *function_names()))
        if is_constant_name(name):
            advice = (
                f"pass it in constants={{'{name}': ...}} (or data={{'{name}': ...}}, one row per "
                f"example), or use one of: {allowed}"
            )
        else:
            advice = f"it cannot name a constant or data; use one of: {allowed}"
        advice = f"{hint} Otherwise {advice}" if hint else f" — {advice}"
        self.fail(f"unknown name '{name}'{advice}", node)

    def unary(self, node):
        if isinstance(node.op, ast.UAdd):
            return self.convert(node.operand)
        if not isinstance(node.op, ast.USub):
            symbol = "not" if isinstance(node.op, ast.Not) else "~"
            self.fail(f"operator '{symbol}' is not allowed; {_ALLOWED_OPERATORS_TEXT}", node)
        return Unary("-", self.convert(node.operand), self.position(node))

    def binary(self, node):
        op_type = type(node.op)
        symbol = _OPERATORS.get(op_type) or _REJECTED_OPERATORS.get(op_type, "?")
        pos = self.operator_position(node, symbol)
        if op_type not in _OPERATORS:
            hint = "; write ** for a power" if symbol == "^" else ""
            raise ExpressionError(
                f"operator '{symbol}' is not allowed{hint}; {_ALLOWED_OPERATORS_TEXT}", pos
            )
        return Binary(symbol, self.convert(node.left), self.convert(node.right), pos)

    def operator_position(self, node, symbol):
        start = absolute(self.text, node.left.end_lineno, node.left.end_col_offset)
        stop = absolute(self.text, node.right.lineno, node.right.col_offset)
        found = self.text.find(symbol, start, stop)
        return self.start + found if found >= 0 else self.position(node)

    def call(self, node):
        func = node.func
        if isinstance(func, ast.Attribute) and arities(func.attr):
            called = self.example(func.attr + self.after(func, node), example_call(func.attr))
            self.fail(f"write {called} without a module prefix", node)
        if not isinstance(func, ast.Name):
            self.fail(
                "write * for a product, e.g. (x + 1)*(x - 1); only the allowed functions "
                f"can be called: {', '.join(function_names())}",
                node,
            )
        name = func.id
        allowed = arities(name)
        if not allowed:
            self.unknown_function(func, node)
        if node.keywords:
            keyword = node.keywords[0]
            self.fail(
                f"keyword arguments are not allowed: pass plain arguments, e.g. "
                f"{example_call(name)}",
                keyword,
            )
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                self.reject(arg)
        if len(node.args) not in allowed:
            counts = " or ".join(str(count) for count in allowed)
            plural = "s" if allowed[-1] > 1 else ""
            self.fail(f"{name} takes {counts} argument{plural}, got {len(node.args)}", node)
        args = tuple(self.convert(arg) for arg in node.args)
        return Call(name, args, self.position(func))

    def unknown_function(self, func, node):
        name = func.id
        if name == "x" or name in NAMED_NUMBERS or name in self.constant_names:
            product = self.example(f"{name}*{self.after(func, node)}", f"{name}*(x + 1)")
            self.fail(f"'{name}' is not a function; use * to multiply, e.g. {product}", func)
        names = function_names()
        hint = did_you_mean(name, names) or "."
        self.fail(f"unknown function '{name}'{hint} Allowed: {', '.join(names)}", func)

    def vector(self, node):
        if not node.elts:
            self.fail("an empty vector [] is not allowed", node)
        return Vector(tuple(self.convert(item) for item in node.elts), self.position(node))

    def subscript(self, node):
        base = self.convert(node.value)
        parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        index = tuple(self.index_part(part) for part in parts)
        end = absolute(self.text, node.value.end_lineno, node.value.end_col_offset)
        bracket = self.text.find("[", end)
        return Index(base, index, self.start + bracket if bracket >= 0 else self.position(node))

    def index_part(self, node):
        if isinstance(node, ast.Slice):
            return Slice(*(self.whole_number(part) for part in (node.lower, node.upper, node.step)))
        return self.whole_number(node)

    def whole_number(self, node):
        """Read an index entry: a literal whole number, maybe negative (``None`` if absent)."""
        if node is None:
            return None
        sign, inner = 1, node
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            sign, inner = (-1 if isinstance(node.op, ast.USub) else 1), node.operand
        value = inner.value if isinstance(inner, ast.Constant) else None
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail("indices must be whole numbers like x[0], x[-1], or slices like x[0:2]", node)
        self.check_decimal(inner)
        return sign * value


_BASES = MappingProxyType({"x": 16, "b": 2, "o": 8})


def _to_float(value):
    try:
        return float(value)
    except OverflowError:
        return float("inf")


_CONVERTERS = MappingProxyType(
    {
        ast.Constant: _Converter.constant,
        ast.Name: _Converter.name,
        ast.UnaryOp: _Converter.unary,
        ast.BinOp: _Converter.binary,
        ast.Call: _Converter.call,
        ast.List: _Converter.vector,
        ast.Subscript: _Converter.subscript,
    }
)
