"""The formula language executes nothing but its own maths.

In the spirit of simpleeval's ``test_security.py``: escapes that worked
against eval-based and deny-list evaluators must be refused at parse time
with an ``ExpressionError`` (quickly, with nothing executed), and random text
and random syntax trees may only ever give a ``Function`` or an
``ExpressionError``.
"""

import ast
import pathlib
import re
from fractions import Fraction

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

import jacviz.expressions
from jacviz import (
    ExpressionError,
    Function,
    batch_hessian,
    batch_jacobian,
    jacobian_formulas,
    parse_function,
)

EXPRESSIONS_DIR = pathlib.Path(jacviz.expressions.__file__).parent
X = np.array([[0.3, 0.7], [0.5, 0.2], [0.9, 0.4]])

ATTACKS = [
    # imports and builtins
    "__import__('os').system('touch {flag}')",
    "__import__",
    "__builtins__",
    "globals()",
    "locals()",
    "vars()",
    "open('{flag}', 'w')",
    "eval('1')",
    "exec('1')",
    "compile('1', '', 'eval')",
    "getattr(x, '__class__')",
    "type(x)",
    "print(1)",
    "breakpoint()",
    "help()",
    "_",
    # attribute and dunder access
    "x.__class__",
    "().__class__.__bases__[0].__subclasses__()",
    "[].__class__.__base__",
    "x[0].real",
    "sin.__globals__",
    "x.__getitem__(0)",
    "x.T",
    "sin(x).__class__",
    "[x][0].__class__.__mro__",
    # generator-frame and comprehension tricks (simpleeval #138)
    "(i for i in ()).gi_frame.f_back.f_globals",
    "[i for i in (1,)]",
    "{i: i for i in (1,)}",
    "{i for i in (1,)}",
    "sum(i for i in x)",
    # format-string tricks
    "'{0.__class__}'.format(x)",
    "f'{x.__class__}'",
    "'%s' % x",
    "b'abc'",
    "'abc'",
    # code objects and calls of non-names
    "lambda: 1",
    "(lambda: 1)()",
    "sin(x)(1)",
    "x[0](1)",
    # keywords, starred, walrus, control flow
    "sum(x, axis=0)",
    "sin(*[x])",
    "sin(**{})",
    "(y := 1)",
    "x if x else x",
    "x and x",
    "not x",
    "~x",
    "x == 1",
    "await x",
    "(yield x)",
    "{x: 1}",
    "{x}",
    "x, x",
    "...",
    "None",
    # unicode look-alikes and invisible characters
    "\uff53\uff49\uff4e(x)",  # fullwidth 'sin' (Python would NFKC-normalise it)
    "\u0455in(x)",  # Cyrillic dze
    "\u0445**2",  # Cyrillic ha
    "x\u200b+1",  # zero-width space
    "__\uff49mport__('os')",
    "\u03c0*x",  # pi
    "x\x00",
    "x\x1b[2J",
]


@pytest.fixture
def flag(tmp_path):
    return tmp_path / "flag"


@pytest.mark.timeout(30)  # a guard against runaway work, not a speed claim (benchmarks)
@pytest.mark.parametrize("attack", ATTACKS)
def test_attack_is_refused_at_parse_time(attack, flag):
    sentinel, log = _sentinel()
    with pytest.raises(ExpressionError) as info:
        parse_function(attack.replace("{flag}", str(flag)), constants={"S": sentinel})
    assert isinstance(info.value.position, int)
    assert not flag.exists()
    assert log == []


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("x.__class__", 2),
        ("sin(x) + ().__class__", 12),
        ("__import__('os')", 0),
        ("2 * (lambda: 1)()", 4),
        ("sum(x, axis=0)", 7),
        ("[x[0], f'{x}']", 7),
        ("x + [i for i in x]", 4),
        ("\u0445**2", 0),
        ("1 + 2 + x\u200b", 9),
    ],
)
def test_refusal_points_at_the_offending_token(text, position):
    with pytest.raises(ExpressionError) as info:
        parse_function(text)
    assert info.value.position == position


def test_module_source_never_evaluates_text():
    sources = sorted(EXPRESSIONS_DIR.glob("*.py"))
    assert len(sources) >= 5
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for forbidden in ("eval(", "exec(", "compile(", "__import__", "importlib"):
            assert forbidden not in text, f"{path.name} contains {forbidden}"
        names = {node.id for node in ast.walk(ast.parse(text)) if isinstance(node, ast.Name)}
        assert not names & {"eval", "exec", "compile", "getattr", "globals", "locals"}, path.name


class _Sentinel(np.ndarray):
    """An array that logs every use of its Python methods and attributes.

    Attribute lookups (``S.flip``, ``S.__class__``), calls, indexing, views and
    numpy's ufunc and function hooks all go through these methods, so a formula
    that reached the constant object, or jacviz using it instead of its own
    copy, would leave a trace in ``log``.
    """

    def __new__(cls, values, log):
        array = np.asarray(values, dtype=float).view(cls)
        array._log = log
        return array

    def __array_finalize__(self, obj):
        self._log = getattr(obj, "_log", None)
        if self._log is not None:
            self._log.append("view")

    def __getattribute__(self, name):
        if name != "_log":
            object.__getattribute__(self, "_log").append(name)
        return super().__getattribute__(name)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        self._log.append(f"ufunc {ufunc.__name__}")
        inputs = [np.asarray(value) if isinstance(value, _Sentinel) else value for value in inputs]
        return getattr(ufunc, method)(*inputs, **kwargs)

    def __array_function__(self, func, types, args, kwargs):
        self._log.append(f"function {func.__name__}")
        return super().__array_function__(func, types, args, kwargs)

    def __getitem__(self, index):
        self._log.append("getitem")
        return super().__getitem__(index)

    def __call__(self, *args):
        self._log.append("call")


def _sentinel():
    log = []
    sentinel = _Sentinel([1.0, 2.0], log)
    log.clear()  # forget the view made while creating it
    return sentinel, log


def test_the_sentinel_logs_any_use():
    for use in (np.flip, np.negative, lambda s: s[0], lambda s: s(), lambda s: s.T):
        sentinel, log = _sentinel()
        use(sentinel)
        assert log, use


@pytest.mark.parametrize(
    "attack",
    [
        "S.__class__",
        "S.flip",
        "S()",
        "S(x)",
        "S[0](1)",
        "getattr(S, 'flip')",
        "S.__call__()",
        "S.T",
        "S[0].__class__",
    ],
)
def test_constants_are_never_touched_by_the_formula(attack):
    sentinel, log = _sentinel()
    with pytest.raises(ExpressionError):
        parse_function(attack, constants={"S": sentinel})
    assert log == []


@pytest.mark.filterwarnings("ignore:Output seems independent of input")
@pytest.mark.parametrize("text", ["S * x", "S @ x + S[0]", "outer(S, x) @ S", "sin(S) * x[0]"])
def test_constants_are_never_touched_by_using_the_formula(text):
    sentinel, log = _sentinel()
    f = parse_function(text, constants={"S": sentinel})
    y = f(X)
    batch_jacobian(f, X)
    batch_hessian(f, X)
    formulas = jacobian_formulas(f, 2)
    assert f.latex and repr(f) and formulas
    assert log == []
    values = np.asarray(sentinel)  # itself logged: after the checks
    np.testing.assert_allclose(y, parse_function(text, constants={"S": values})(X))


def test_constants_become_plain_arrays():
    sentinel, log = _sentinel()
    f = parse_function("S * x", constants={"S": sentinel})
    assert type(f.constants["S"]) is np.ndarray
    np.testing.assert_array_equal(f(X), X * [1.0, 2.0])
    assert log == []


class _Callable:
    called = False

    def __call__(self, *args):
        _Callable.called = True
        return 0.0


def test_a_callable_constant_is_refused_and_not_called():
    with pytest.raises(ExpressionError, match=r"not an array of numbers|real numbers"):
        parse_function("S(x)", constants={"S": _Callable()})
    assert not _Callable.called


@pytest.mark.timeout(30)  # a guard against runaway work, not a speed claim (benchmarks)
@pytest.mark.parametrize(
    "text",
    [
        "(" * 5000 + "x" + ")" * 5000,
        "(" * 400 + "x" + ")" * 400,
        "[" * 60 + "x" + "]" * 60,
        "sin(" * 100 + "x" + ")" * 100,
        "-" * 999 + "x",
        "x" + "**x" * 300,
        "x+" * 400 + "x",
        "x" * 1001,
        "x+" * 100_000 + "x",
        "[" + "1," * 499 + "1]",
        "(((((((((((" * 10,
    ],
    ids=lambda text: f"{text[:12]}...({len(text)} chars)",
)
def test_deep_or_huge_text_is_an_expression_error(text):
    with pytest.raises(ExpressionError):
        Function(text)(X)


@pytest.mark.timeout(30)  # a guard against runaway work, not a speed claim (benchmarks)
@pytest.mark.parametrize("text", ["9**9**9", "(9**9)**(9**9)", "x * 9**9**9", "1" * 400 + " * x"])
def test_huge_numbers_finish_fast_as_floats(text):
    y = parse_function(text)(X)
    assert y.dtype == np.float64
    assert np.all(np.isinf(y))


def test_broadcasting_cannot_blow_up_memory():
    def along(axis_from_end):  # 32 ones along one axis: shape (32, 1, ..., 1)
        entry = "[" * axis_from_end + "1" + "]" * axis_from_end
        return "[" + ",".join([entry] * 32) + "]"

    text = "x[0] * " + " * ".join(along(k) for k in range(4))  # 32**4 > 10**6 numbers
    assert len(text) <= 1000
    with pytest.raises(ExpressionError, match="at most"):
        parse_function(text)(X)
    three_axes = "x[0] * " + " * ".join(along(k) for k in range(3))
    assert parse_function(three_axes)(X).shape == (3, 32, 32, 32)


def _ones(shape):
    """A literal of ones of the given shape: ``(2, 1)`` gives ``[[1],[1]]``."""
    if not shape:
        return "1"
    return "[" + ",".join([_ones(shape[1:])] * shape[0]) + "]"


def _cube(k):
    """``x[0]`` broadcast by literals to ``k**3`` numbers per example (``3·k`` ones typed)."""
    return f"x[0]*{_ones((k,))}*{_ones((k, 1))}*{_ones((k, 1, 1))}"


# The audit's formula: 656 characters that made prod loop over 192,000 entries (36 s).
PROD_ATTACK = f"prod(x[0]*{_ones((80,))}*{_ones((60, 1))}*{_ones((40, 1, 1))})"

# Each computes more than 10**6 numbers per example: a long chain over a big broadcast.
OVER_BUDGET = [
    "sin(" * 46 + _cube(33) + ")" * 46,
    "softmax(" * 46 + _cube(20) + ")" * 46,
    "logsumexp(" + "exp(" * 40 + _cube(30) + ")" * 41,
    _cube(20) + "*x[1]" * 130,
    "sum(" + _cube(33) + "*x[1]" * 70 + ")",
    "norm(" + _cube(30) + "*x[1]" * 40 + ")",
    f"sum(outer(x[0]*{_ones((120,))},{_ones((120,))})@outer({_ones((120,))},{_ones((90,))}))",
]

# The slowest accepted formulas found: just under the budget (about 1 s for jacobian and
# hessian together on this 2-core machine), and 499 entries of one vector literal.
UNDER_BUDGET = [
    "sin(" * 46 + _cube(27) + ")" * 46,
    "softmax(" * 46 + _cube(16) + ")" * 46,
    _cube(16) + "*x[1]" * 120,
    _cube(11) + "**x[1]" * 130,
    "[" + ",".join(["x"] * 499) + "]",
    "+".join(["norm(x)"] * 124),
]


def _short_id(text):
    return f"{text[:14]}...({len(text)} chars)"


@pytest.mark.timeout(30)  # a guard against runaway work, not a speed claim (benchmarks)
@pytest.mark.parametrize("text", OVER_BUDGET, ids=_short_id)
def test_too_much_work_is_an_expression_error_at_first_call(text):
    assert len(text) <= 1000
    f = parse_function(text)  # the shapes are only known with the data
    with pytest.raises(ExpressionError, match="too many numbers per example"):
        f(np.ones((2, 2)))


@pytest.mark.filterwarnings("ignore:Output seems independent of input")
@pytest.mark.timeout(30)  # a guard against runaway work, not a speed claim (benchmarks)
@pytest.mark.parametrize("text", [PROD_ATTACK, *UNDER_BUDGET], ids=_short_id)
def test_the_slowest_accepted_formulas_stay_fast(text):
    assert len(text) <= 1000
    x = np.ones((2, 2))
    f = parse_function(text)
    out_shape = f(x).shape[1:]
    assert batch_jacobian(f, x).shape == (2, *out_shape, 2)
    assert batch_hessian(f, x).shape == (2, *out_shape, 2, 2)


@pytest.mark.timeout(30)  # a guard against runaway work, not a speed claim (benchmarks)
def test_prod_of_many_entries_is_vectorised_and_exact():
    x = np.array([[1.0, 2.0], [0.0, 3.0]])
    jac = batch_jacobian(PROD_ATTACK, x)  # d/dx0 of x0**N is N x0**(N-1), N = 192,000
    np.testing.assert_array_equal(jac, [[192_000.0, 0.0], [0.0, 0.0]])


@pytest.mark.parametrize("value", [123, b"x", None, ["x"], ast.parse("x", mode="eval")])
def test_non_text_input_is_refused(value):
    with pytest.raises(ExpressionError, match="text"):
        parse_function(value)


def _outcome(text):
    """Parse, typeset, estimate, evaluate, write the derivative formulas: each gives its
    result or an ExpressionError, nothing else, and the estimate agrees with the call."""
    try:
        f = parse_function(text, constants={"A": [[1.0, 2.0], [3.0, 4.0]]}, data={"t": -X})
    except ExpressionError as error:
        assert error.position is None or 0 <= error.position <= len(text)
        return
    assert isinstance(f, Function)
    assert isinstance(f.latex, str)
    try:
        estimate = f.estimate(X.shape[1:])
    except ExpressionError as refused:
        with pytest.raises(ExpressionError, match=re.escape(str(refused))):
            f(X)
        return
    y = f(X)
    assert isinstance(y, np.ndarray) and y.shape == (len(X), *estimate.out_shape)
    try:
        formulas = jacobian_formulas(f, X.shape[1])
    except ExpressionError:
        return
    assert isinstance(formulas, list)


TOKENS = [
    *"x0123456789.+-*/@()[],:  eE_'\"{}!~%<>=&|^;#\\",
    *["x[0]", "x[1]", "x[-1]", "x[0:2]", "**", "//", "A", "pi", "sin(", "sum(", "max(", "outer("],
    *["t", "t[0]", "t @ x"],  # per-example data (a row of -X)
    *["softmax(", "norm(", "dot(", "lambda", " for ", " in ", " if ", " else ", "not ", "__"],
    *["class", ".", "import", "9**9", "1e308", "j", ":=", "*", "f'", "yield", "await "],
    *["\r", "\n", "\r\n", "\t", "x[1:1]", "x[::-1]", "1" * 40, "10**400", "0x1", "08", "x x"],
]


@settings(max_examples=300, deadline=1000, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=25).map("".join))
def test_fuzz_token_soup(text):
    _outcome(text)


@settings(max_examples=100, deadline=1000)
@given(st.text(max_size=60))
def test_fuzz_any_unicode_text(text):
    _outcome(text)


_LEAF_NAMES = ["x", "pi", "e", "A", "t", "y", "sin", "__import__", "os", "_"]
_OPS = [ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.MatMult, ast.Mod, ast.BitOr, ast.FloorDiv]
_FUNCS = ["sin", "exp", "sum", "max", "min", "softmax", "norm", "dot", "outer", "arctan2", "eval"]


def _leaves():
    constants = st.one_of(
        st.integers(-3, 3),
        st.floats(allow_nan=False, allow_infinity=False, width=32),
        st.sampled_from(["s", b"b", None, True, 1j, ...]),
    )
    return st.one_of(
        st.sampled_from(_LEAF_NAMES).map(lambda name: ast.Name(id=name, ctx=ast.Load())),
        constants.map(lambda value: ast.Constant(value=value)),
    )


def _index(node):
    part = st.one_of(
        st.integers(-3, 3).map(lambda i: ast.Constant(value=i)),
        st.just(ast.Slice(lower=ast.Constant(value=0), upper=None, step=None)),
        node,
    )
    return st.one_of(
        part,
        st.lists(part, min_size=2, max_size=2).map(
            lambda parts: ast.Tuple(elts=parts, ctx=ast.Load())
        ),
    )


def _extend(node):
    return st.one_of(
        st.builds(ast.BinOp, left=node, op=st.sampled_from(_OPS).map(lambda op: op()), right=node),
        st.builds(
            ast.UnaryOp, op=st.sampled_from([ast.USub(), ast.UAdd(), ast.Not()]), operand=node
        ),
        st.builds(
            ast.Call,
            func=st.sampled_from(_FUNCS).map(lambda name: ast.Name(id=name, ctx=ast.Load())),
            args=st.lists(node, min_size=1, max_size=3),
            keywords=st.just([]),
        ),
        st.builds(ast.Subscript, value=node, slice=_index(node), ctx=st.just(ast.Load())),
        st.builds(ast.List, elts=st.lists(node, min_size=1, max_size=3), ctx=st.just(ast.Load())),
        st.builds(
            ast.Attribute,
            value=node,
            attr=st.sampled_from(["__class__", "real", "T"]),
            ctx=st.just(ast.Load()),
        ),
        st.builds(
            ast.Compare,
            left=node,
            ops=st.just([ast.Lt()]),
            comparators=st.lists(node, min_size=1, max_size=1),
        ),
    )


@settings(max_examples=300, deadline=1000, suppress_health_check=[HealthCheck.too_slow])
@given(st.recursive(_leaves(), _extend, max_leaves=12))
def test_fuzz_random_syntax_trees(node):
    text = ast.unparse(ast.fix_missing_locations(ast.Expression(body=node)))
    _outcome(text)


# -- holes found by trying as an attacker (issue #11 item 4) --------------------------------


@pytest.mark.parametrize("text", ["[x[0],\r x[1]]", "(x\r\n+ 1)", "\r\nx**2\r\n", "(x\r+\r1)"])
def test_a_formula_pasted_with_windows_line_ends_still_works(text):
    f = parse_function(text)
    np.testing.assert_allclose(f(X), parse_function(text.replace("\r", ""))(X))


@pytest.mark.parametrize(
    ("x", "size"),
    [
        ([[10**400, 1]], "1.0e400"),
        ([[1, -(10**5000)]], "-1.0e5000"),  # more digits than Python prints by default
        (np.array([[10**400]], dtype=object), "1.0e400"),
        ([[Fraction(10**400, 3), 1]], "3.3e399"),
    ],
    ids=["int", "negative int", "object array", "Fraction"],
)
def test_a_number_too_large_for_a_float_is_an_expression_error(x, size):
    with pytest.raises(ExpressionError) as info:
        parse_function("x**2")(x)
    assert str(info.value) == (
        f"x holds a number too large for a float (about {size}; floats reach about 1.8e308)"
    )


def test_huge_numbers_that_floats_hold_still_work():
    y = parse_function("x / 2")([[2**1000, 10**300]])
    np.testing.assert_allclose(y, [[2.0**999, 5e299]])


def _peak_bytes(action):
    import tracemalloc

    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


BIG = np.ones(4_000_000)  # 32 MB


@pytest.mark.parametrize("kind", ["constants", "data"])
def test_an_unused_constant_is_never_copied(kind):
    values = {"W": BIG, "b": BIG.astype(int), "s": np.ones((len(BIG), 2), np.float32)[:, 0]}
    peak = _peak_bytes(lambda: parse_function("2*x", **{kind: values}))
    assert peak < 1_000_000  # checked in place: an 800 MB constant no longer costs 1.5 GB


@pytest.mark.parametrize("kind", ["constants", "data"])
@pytest.mark.parametrize("value", [BIG, BIG.astype(np.float32), BIG[::2], list(BIG[:100_000])])
def test_a_used_constant_is_copied_at_most_once(value, kind):
    size = np.asarray(value, dtype=float).nbytes
    f = None

    def parse():
        nonlocal f
        f = parse_function("sum(W) * x", **{kind: {"W": value}})

    assert _peak_bytes(parse) < 1.2 * size + 200_000 + (
        8 * 100_000 if isinstance(value, list) else 0
    )
    copy = getattr(f, kind)["W"]
    assert not np.shares_memory(copy, np.asarray(value))
    assert not copy.flags.writeable


@pytest.mark.parametrize("value", [10**400, [1, -(10**400)]], ids=["int", "list"])
def test_a_constant_too_large_for_a_float_says_so(value):
    with pytest.raises(ExpressionError, match=r"constant 'c' holds a number too large for a float"):
        parse_function("c * x", constants={"c": value})


# What a message suggests typing: "e.g. <text>", "write <text> rather than/without …",
# "…around its argument: write <text>".
SUGGESTION = re.compile(
    r"e\.g\. (?P<eg>.+?)(?:; |$)|write (?P<instead>.+?) (?:rather than|without)"
    r"|argument: write (?P<call>.+)$",
    re.DOTALL,
)


def _suggestions(message):
    return [text for match in SUGGESTION.finditer(message) for text in match.groups() if text]


def _parses(text, constants):
    """Whether ``text`` parses, once every unknown name it uses is given as a constant."""
    constants = dict(constants)
    for _ in range(20):
        try:
            parse_function(text, constants=constants)
            return True
        except ExpressionError as error:
            unknown = re.match(r"unknown name '(\w+)'", str(error))
            if not unknown:
                return False
            constants[unknown.group(1)] = 1.0


def _check_suggestions(text, constants):
    try:
        parse_function(text, constants=constants)
    except ExpressionError as error:
        for suggestion in _suggestions(str(error)):
            assert "…" not in suggestion and _parses(suggestion, constants), (text, str(error))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x __import__('os')", "write * for a product, e.g. 2*x"),
        ("x*0x1 p3", "write * for a product, e.g. 2*x"),
        ("x 0x1", "write * for a product, e.g. 2*x"),
        ("sin __import__", "a function needs parentheses around its argument: write sin(x)"),
        (
            "y = __import__('os')",
            "'=' is not allowed: type only the right-hand side (the formula of x)",
        ),
        ("2 * arctan2", "'arctan2' is a function: call it, e.g. arctan2(x, x)"),
        ("x(lambda: 1)", "'x' is not a function; use * to multiply, e.g. x*(x + 1)"),
        (
            "__import__",
            "unknown name '__import__' — it cannot name a constant or data; use one of: x, pi, e",
        ),
        ("a + 2x + " + "x + " * 20 + "x", "write * for a product, e.g. 2*x"),
        ("(x + " + "x + " * 20 + "x) x", "write * for a product, e.g. 2*x"),
    ],
)
def test_a_hint_never_suggests_refused_text(text, message):
    with pytest.raises(ExpressionError) as info:
        parse_function(text)
    assert str(info.value) == message


SLIPS = [
    "2x",
    "x y",
    "sin(x) cos(x)",
    "1e-5x",
    "x[0]x[1]",
    "sin x",
    "log1p x[0]",
    "y = x**2",
    "f(x) = sin(x)",
    "x += 1",
    "08",
    "x + 0_8",
    "x;x",
    "x[]",
    "np.sin(x)",
    "np.dot(x, x)",
    "sum(x, axis=0)",
    "x(2)",
    "A(x + 1)",
    "pi(2)",
    "2 * sin",
    "outer",
    "x y z",
    "2x 3y",
    "(x)(x)",
    "x\n y",
    "[x[0],\n x[1]] x",
    "a b",
    "__a b",
    "x 0b1",
    "x '1'",
    "x x.T",
]


@pytest.mark.parametrize("text", SLIPS)
def test_every_suggestion_of_a_slip_parses(text):
    _check_suggestions(text, {"A": [[1.0, 2.0], [3.0, 4.0]]})


@settings(max_examples=300, deadline=1000, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from([*TOKENS, "0x1", "p3", "__import__('os')", "08", "x y"]), max_size=12
    ).map("".join)
)
def test_fuzz_every_suggestion_parses(text):
    _check_suggestions(text, {"A": [[1.0, 2.0], [3.0, 4.0]]})


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("+".join(["x"] * 500), "too many terms with + and - (at most about 200 in a row)"),
        ("-".join(["x"] * 201), "too many terms with + and - (at most about 200 in a row)"),
        ("*".join(["x"] * 300), "too many terms with * / and @"),
        ("**".join(["x"] * 250), "too many terms with ** (at most about 200 in a row)"),
    ],
    ids=lambda value: value[:20],
)
def test_a_long_flat_chain_is_called_long_not_deep(text, fragment):
    with pytest.raises(ExpressionError) as info:
        parse_function(text)
    assert fragment in str(info.value)
    assert "nested" not in str(info.value)
    for suggestion in _suggestions(str(info.value)):
        assert _parses(suggestion, {})


@pytest.mark.parametrize(
    "text", ["-" * 300 + "x", "-x**" * 120 + "x", "-x**" * 90 + "(" + "x+" * 50 + "x)"]
)
def test_real_nesting_is_still_called_nested(text):
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse_function(text)


def test_a_chain_of_190_terms_is_accepted_and_right():
    f = parse_function("+".join(["x"] * 190))
    np.testing.assert_allclose(f(X), 190 * X)


@pytest.mark.timeout(30)  # a guard against runaway work, not a speed claim (benchmarks)
def test_formulas_of_one_entry_of_a_big_constant_expand_only_that_entry():
    W = np.arange(1_000_000.0).reshape(1000, 1000)
    formulas = jacobian_formulas("W[2, 3] * x + W[0:2, 1] @ x[0:2]", 2, constants={"W": W})
    assert [[entry.source for entry in row] for row in formulas] == [
        ["W[2, 3] + W[0, 1]", "W[1, 1]"],
        ["W[0, 1]", "W[2, 3] + W[1, 1]"],
    ]


@pytest.mark.parametrize("kind", ["constant", "data"])
def test_a_constant_too_large_to_copy_is_an_expression_error(kind):
    huge = {"W": np.broadcast_to(1.0, (10**6, 10**6))}  # 8 TB, held as one number
    given = {"constants" if kind == "constant" else kind: huge}
    assert parse_function("x", **given).names == ()  # unused: never copied
    with pytest.raises(ExpressionError, match=rf"{kind} 'W' is too large to copy"):
        parse_function("sum(W) * x", **given)


def _nested(rank):
    """``1.0`` inside ``rank`` nested lists: numpy 2 makes an array of it, numpy 1.x (at most
    32 axes) refuses, so an x or a constant of too many axes can be given on every numpy."""
    value = 1.0
    for _ in range(rank):
        value = [value]
    return value


TOO_MANY_AXES = r"axes per example \(at most 31\)"
TOO_MANY_FOR_NUMPY = TOO_MANY_AXES + r"|maximum number of dimension of 32"  # numpy 1.x


@pytest.mark.parametrize(
    ("text", "x", "given", "message"),
    [
        ("x[0] * " + "[" * 49 + "1" + "]" * 49, np.ones((2, 2)), {}, TOO_MANY_AXES),  # 49 axes
        ("[x, x]", np.ones((1,) * 32), {}, TOO_MANY_AXES),  # x has 31 axes per example, [x, x] 32
        ("x", _nested(41), {}, TOO_MANY_FOR_NUMPY),
        ("W * x", np.ones((2, 2)), {"constants": {"W": _nested(40)}}, TOO_MANY_FOR_NUMPY),
        ("W * x", np.ones((1, 2)), {"data": {"W": _nested(41)}}, TOO_MANY_FOR_NUMPY),
    ],
    ids=["literal", "vector of x", "x", "constant", "data"],
)
def test_too_many_axes_is_an_expression_error(text, x, given, message):
    with pytest.raises(ExpressionError, match=message):
        parse_function(text, **given)(x)


def test_too_many_axes_is_refused_from_shapes_alone():
    with pytest.raises(ExpressionError, match=r"x has 40 axes per example \(at most 31\)"):
        parse_function("x").estimate((1,) * 40)


def test_thirty_one_axes_still_work():
    y = parse_function("x[0] * " + "[" * 30 + "2" + "]" * 30)(np.ones((2, 2)))
    assert y.shape == (2,) + (1,) * 30 and np.all(y == 2)
    t = np.full((2,) + (1,) * 31, 3.0)  # per-example data: 31 axes after the batch's
    y = parse_function("x * sum(t)", data={"t": t})(np.ones((2, 2)))
    assert y.shape == (2, 2) and np.all(y == 3)


def test_a_batch_too_large_for_memory_is_an_expression_error():
    x = np.broadcast_to(1.0, (10**12, 2))  # 10**12 examples, held as one number
    f = parse_function(f"x[0] * {_ones((60,))}")  # 480 TB: more than any address space
    with pytest.raises(ExpressionError, match=r"not enough memory .* 1000000000000 examples"):
        f(x)
