"""Hostile inputs of issue #11, shared by ``tests/test_adversarial.py`` and
``benchmarks/bench_adversarial.py``.

Each :class:`Case` is one attack on a kernel serving the explorer to a class: a
formula typed into the explorer at the largest batch it allows (16 × 8), a call
of the public API, a message a browser sends to one widget, a paste, a batch or
constants set in code, a Python function. :func:`run_case` runs it and returns
an :class:`Outcome`: what the user is told (the explorer's error area, or the
exception's message), the result's shape, whether an exception escaped, and
whether the explorer still renders a good formula afterwards.
"""

import math
import time
from typing import NamedTuple

import autograd.numpy as anp
import numpy as np

#: The largest batch the explorer allows, filled with values in [0.5, 1.5].
BIG_X = 0.5 + np.arange(16 * 8).reshape(16, 8) % 7 / 7


class Case(NamedTuple):
    """One attack: ``kind`` says how ``args`` are sent; ``expect`` what the user must read.

    ``expect`` is a substring of the message (the explorer's error area or the
    exception's text), or ``""`` when the input is evaluated without error.
    """

    name: str
    kind: str
    args: tuple
    expect: str


class Outcome(NamedTuple):
    """What one case did: the message shown, the result's shape, what escaped, its time.

    ``seconds`` is the wall time of the attack alone (not of building the
    explorer before it, nor of the good formula typed after it); ``raised`` the
    type of the exception an API call raised (the explorer shows, never raises).
    """

    message: str
    shape: tuple | None
    escaped: str
    still_renders: bool
    seconds: float
    raised: str = ""


def broadcast(rank, width=3):
    """A sum of list literals, one per axis, that broadcasts to ``width**rank`` outputs."""
    terms = (
        "[" + ", ".join("[" * i + f"x[{j}]" + "]" * i for j in range(width)) + "]"
        for i in range(rank)
    )
    return " + ".join(terms)


def doubled(rank):
    """``[[x[0], x[0]], [x[0], x[0]]]``, nested ``rank`` deep: ``2**rank`` outputs."""
    text = "x[0]"
    for _ in range(rank):
        text = f"[{text},{text}]"
    return text


LONG_LITERAL = "[" + ",".join(["x[0]"] * 199) + "]"  # 996 characters
LITERAL_90 = "[" + ",".join(["x[0]"] * 90) + "]"
ORDERS = (1, 2, "full")
ALLOWED_ONLY = "only the allowed functions can be called"
OVER = "would compute about"
ENTRIES = "entries (at most"


def _formula_cases():
    cases = []
    for rank, over in ((6, ("", "", "")), (7, ("", ENTRIES, ENTRIES)), (8, ("", ENTRIES, ENTRIES))):
        cases += [
            Case(f"broadcast 3^{rank} order {order}", "explorer", (broadcast(rank), order), want)
            for order, want in zip(ORDERS, over, strict=True)
        ]
    for rank, over in ((10, ("", "", ENTRIES)), (12, ("", ENTRIES, ENTRIES))):
        cases += [
            Case(f"broadcast 2^{rank} order {order}", "explorer", (broadcast(rank, 2), order), want)
            for order, want in zip(ORDERS, over, strict=True)
        ]
    cases += [
        Case(f"199-entry literal order {order}", "explorer", (LONG_LITERAL, order), want)
        for order, want in zip(ORDERS, ("", "", ""), strict=True)
    ]
    cases += [
        Case(f"rank-7 literal order {order}", "explorer", (doubled(7), order), want)
        for order, want in zip(ORDERS, ("", "", ""), strict=True)
    ]
    sines = "sin(" * 40 + broadcast(6) + ")" * 40  # 729 outputs, 40 sines each
    cases += [
        Case(f"40 sines of 3^6 broadcast order {order}", "explorer", (sines, order), want)
        for order, want in zip(ORDERS, ("", OVER, OVER), strict=True)
    ]
    rows = "[" + ",".join(["x"] * 199) + "]"  # (199, 8) per example
    cases += [
        Case(f"199 rows of x order {order}", "explorer", (rows, order), want)
        for order, want in zip(ORDERS, ("", "", ENTRIES), strict=True)
    ]
    deep = "sin(" * 49 + "x" + ")" * 49
    others = [
        ("nested sin, 49 deep", deep, 2, ""),
        ("brackets 60 deep", "(" * 60 + "x" + ")" * 60, 1, "nested too deeply"),
        ("flat 500-term sum", "+".join(["x"] * 500), 1, "chains too many terms"),
        ("power tower", "x" + "**x" * 150, 2, ""),
        ("huge exponent", "x**1e308", 2, ""),
        ("9**9**9", "9**9**9 * x", 1, ""),
        ("exp of exp of exp", "exp(exp(exp(x)))", 2, ""),
        ("matrix product chain", "outer(x, x) @ outer(x, x) @ outer(x, x)", 2, ""),
        ("outer of two 90-literals", f"outer({LITERAL_90}, {LITERAL_90})", 1, ""),
        ("outer of two 90-literals order 2", f"outer({LITERAL_90}, {LITERAL_90})", 2, ENTRIES),
        ("outer of two 90-literals full", f"outer({LITERAL_90}, {LITERAL_90})", "full", ENTRIES),
        ("softmax chain", "softmax(" * 40 + "x" + ")" * 40, 2, ""),
        ("broadcast 3^11", broadcast(11), 1, ENTRIES),
        ("literal of 160 huge numbers", "[" + ",".join(["1e300"] * 160) + "] * x[0]", 2, ""),
        ("1000 characters", "x+" * 499 + "xx", 1, "chains too many terms"),
        ("too long", "x+" * 600, 1, "too long"),
        ("hex after carriage return", "x*0x10\r", 1, "base 16"),
        ("dunder import", "x*__import__('os').system('true')", 1, ALLOWED_ONLY),
        ("attribute access", "x.__class__", 1, "attribute"),
        ("lambda", "(lambda: 1)()", 1, ALLOWED_ONLY),
        ("empty slice formulas", "x[1:1] + 1", 1, ""),
    ]
    cases += [Case(name, "explorer", (text, order), want) for name, text, order, want in others]
    return cases


def _api_cases():
    return [
        Case("API full of rank-8 broadcast, x (4, 4)", "api", ("full", broadcast(8), (4, 4)), ""),
        Case("API Hessian of 3^8 broadcast, 16 x 8", "api", (2, broadcast(8), (16, 8)), ENTRIES),
        Case("API Jacobian of 3^8 broadcast, 64 x 8", "api", (1, broadcast(8), (64, 8)), ENTRIES),
        Case("API full of 199-entry literal", "api", ("full", LONG_LITERAL, (16, 8)), ""),
        Case("API Jacobian x**3 at 10**5 x 4", "api", (1, "x**3", (100_000, 4)), ""),
        Case("API call on 10**400", "call", ("x**2", [[10**400, 1]]), "too large for a float"),
        Case("API formulas of an empty slice", "formulas", ("x[1:1] + 1", 4), ""),
    ]


def _state_cases():
    huge = {"max": 100_000, "value": 100_000}
    return [
        Case("batch slider widened", "state", ("batch_size_slider", huge), ""),
        Case(
            "batch slider 2**62", "state", ("batch_size_slider", {"max": 2**62, "value": 2**62}), ""
        ),
        Case("input slider widened", "state", ("input_dim_slider", huge), ""),
        Case("map example widened", "state", ("map_example_slider", huge), ""),
        Case("first example widened", "state", ("first_example_slider", huge), ""),
        Case("radius widened", "state", ("radius_slider", {"max": 1e308, "value": 1e308}), ""),
        Case("radius step zero", "state", ("radius_slider", {"step": 0}), ""),
        Case("batch slider text", "state", ("batch_size_slider", {"value": "1e9"}), "refused"),
        Case(
            "batch slider min > max",
            "state",
            ("batch_size_slider", {"min": 50, "max": 2}),
            "refused",
        ),
        Case("order index 99", "state", ("order_toggle", {"index": 99}), "refused"),
        Case("order index None", "state", ("order_toggle", {"index": None}), ""),
        Case("preset index 10**6", "state", ("preset_dropdown", {"index": 10**6}), "refused"),
        Case("preset load not a bool", "state", ("preset_dropdown", {"loads": "yes"}), "refused"),
        Case("load button value a list", "state", ("preset_button", {"value": [1, 2]}), "refused"),
        Case(
            "formula of 10**6 chars",
            "state",
            ("function_text", {"value": "x+" * 500_000}),
            "too long",
        ),
        Case("paste of 10**6 brackets", "state", ("paste_text", {"value": "[" * 10**6}), "at most"),
    ]


def _input_cases():
    wide = "[[" + ",".join(["1"] * 999) + "]]"
    return [
        Case("paste Arabic-Indic digits", "paste", ("[[١, 2]]",), "digits 0-9"),
        Case("paste full-width digits", "paste", ("[[１, 2]]",), "digits 0-9"),
        Case("paste mismatched brackets", "paste", ("[(1, 2], [3, 4))",), "does not close"),
        Case("paste 999 columns", "paste", (wide,), "1 to 8 inputs"),
        Case("paste 1e400", "paste", ("[[1e400, 1]]",), "finite number"),
        Case("paste nested 5 deep", "paste", ("[[[[[1]]]]]",), "nested deeper"),
        Case("x complex", "x", (np.ones((2, 2)) * 1j,), "complex"),
        Case("x dates", "x", (np.array([["2020-01-01"]], dtype="datetime64[D]"),), "dates"),
        Case("x of 10**7 numbers", "x", (np.ones((10**5, 100)),), "1 to 16 examples"),
        Case("unused 80 MB constant", "constants", ({"A": np.ones(10**7)}, "x**2"), ""),
        Case(
            "constant broadcast 10**6",
            "constants",
            ({"A": np.ones((1000, 1000))}, "sum(A * x[0])"),
            "too many numbers per example",
        ),
        Case(
            "constant broadcast 90,000",
            "constants",
            ({"A": np.ones((300, 300))}, "sum(A * x[0])"),
            "",
        ),
        Case("Python function, 80000 outputs", "python", ("tile", 1), ENTRIES),
        Case("Python function, 800 outputs, full", "python", ("tile100", "full"), ""),
    ]


def corpus():
    """Every case, in a fixed order."""
    return [*_formula_cases(), *_api_cases(), *_state_cases(), *_input_cases()]


def _tile(x):
    return anp.tile(x, (1, 10**4))


def _tile100(x):
    return anp.tile(x, (1, 100))


PYTHON_FUNCTIONS = {"tile": _tile, "tile100": _tile100}


def run_case(case):
    """Run ``case``; return its :class:`Outcome` (never raises for the case's own failure)."""
    runner = {
        "explorer": _run_explorer,
        "state": _run_state,
        "paste": _run_paste,
        "x": _run_x,
        "constants": _run_constants,
        "python": _run_python,
    }.get(case.kind)
    if runner is not None:
        return runner(*case.args)
    return _run_api(case.kind, *case.args)


def _explorer(order=1):
    from jacviz.widget import JacobianExplorer

    return JacobianExplorer(function="x**3", x=BIG_X, order=order)


def _watch(explorer, act):
    """Do ``act()``; return the Outcome, then check that a good formula still renders."""
    escaped, start = "", time.perf_counter()
    try:
        act()
    except BaseException as exc:  # what a kernel would log: the observer let it escape
        escaped = f"{type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - start
    message = explorer.error
    shape = None if explorer.result is None else explorer.result.shape
    count = explorer.render_count
    explorer.function = "x**2" if explorer.function != "x**2" else "x**3"
    renders = explorer.error == "" and explorer.render_count == count + 1
    return Outcome(message, shape, escaped, renders, seconds)


def _run_explorer(text, order):
    explorer = _explorer(order)

    def act():
        explorer.function = text

    return _watch(explorer, act)


def _run_state(widget, state):
    explorer = _explorer()
    return _watch(explorer, lambda: getattr(explorer, widget).set_state(state))


def _run_paste(text):
    explorer = _explorer()
    return _watch(explorer, lambda: explorer.paste_text.set_state({"value": text}))


def _run_x(x):
    """Set ``explorer.x`` in code: a refused batch raises TraitError with the message."""
    from traitlets import TraitError

    explorer, refused = _explorer(), []

    def act():
        try:
            explorer.x = x
        except TraitError as exc:
            refused.append(str(exc))

    outcome = _watch(explorer, act)
    return outcome._replace(message=refused[0]) if refused else outcome


def _run_constants(constants, text):
    explorer = _explorer()

    def act():
        explorer.constants = constants
        explorer.function = text

    return _watch(explorer, act)


def _run_python(name, order):
    explorer = _explorer(order)

    def act():
        explorer.function = PYTHON_FUNCTIONS[name]

    return _watch(explorer, act)


def _run_api(kind, *args):
    from jacviz import (
        JacvizError,
        batch_jacobian,
        full_jacobian,
        jacobian_formulas,
        parse_function,
    )

    start = time.perf_counter()
    try:
        if kind == "call":
            text, x = args
            result = parse_function(text)(x)
        elif kind == "formulas":
            text, n = args
            result = np.array(jacobian_formulas(text, n), dtype=object)
        else:
            order, text, shape = args
            x = 0.5 + np.arange(math.prod(shape)).reshape(shape) % 7 / 7
            if order == "full":
                result = full_jacobian(text, x)
            else:
                result = batch_jacobian(text, x, order=order)
    except (JacvizError, ValueError, TypeError) as exc:
        seconds = time.perf_counter() - start
        return Outcome(str(exc), None, "", True, seconds, type(exc).__name__)
    except BaseException as exc:
        escaped = f"{type(exc).__name__}: {exc}"
        return Outcome(str(exc), None, escaped, True, time.perf_counter() - start)
    return Outcome("", np.shape(result), "", True, time.perf_counter() - start)
