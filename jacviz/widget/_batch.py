"""The input batch as data: checking, pasting, resizing -- no widgets.

Layer: widget (private). Imports the standard library, numpy, ``jacviz._validate`` and
``jacviz.errors``.

The explorer's batch is a float array ``x`` of shape ``(B, n)`` with
``1 <= B <= MAX_BATCH``, ``1 <= n <= MAX_INPUTS`` and finite entries within
``±MAX_ABS``. These helpers turn what a user supplies (a nested list, pasted
text) into such an array, or raise :class:`ValueError` with a message meant
for the user.
"""

import numbers
import re

import numpy as np

from jacviz._validate import real_array
from jacviz.errors import JacvizError

MAX_BATCH = 16
MAX_INPUTS = 8
#: Largest magnitude of an entry: beyond it the pictures say nothing useful.
MAX_ABS = 1e6
#: Most examples in one picture (the heatmaps get too small beyond).
MAX_SHOWN = 8
#: Most characters accepted in the paste box (16 x 8 numbers fit easily).
MAX_PASTE = 4000
#: Deepest nesting of brackets read from pasted text (a batch needs 2).
MAX_DEPTH = 4

PASTE_HINT = "paste a nested list of numbers, e.g. [[4, 2], [1, 3]] or numpy's [[4. 2.] [1. 3.]]"
_RECTANGULAR = (
    "the batch must be a rectangular nested list of real numbers, "
    "the same count in every row, e.g. [[4, 2], [1, 3]]"
)
_TOKEN = re.compile(  # digits 0-9 only: \d would also read Arabic-Indic and full-width digits
    r"\s*(?:(?P<open>[\[(])|(?P<close>[\])])|(?P<comma>,)"
    r"|(?P<number>[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|nan|inf(?:inity)?)"
    r"(?![\w.])))",
    re.IGNORECASE,
)
_ARRAY_REPR = re.compile(r"\s*array\((?P<body>.*?)(?:,\s*dtype=\w+)?\)\s*$", re.DOTALL)
_CLOSES = {"]": "[", ")": "("}


class PasteError(JacvizError, ValueError):
    """Pasted text is not a batch; ``position`` is the 0-based index of the culprit, or None."""

    def __init__(self, message, position=None):
        super().__init__(message)
        self.position = position


def as_batch(value):
    """Check a user's batch and return it as a fresh float array ``x (B, n)``.

    ``1 <= B <= MAX_BATCH``, ``1 <= n <= MAX_INPUTS``, finite real entries within
    ``±MAX_ABS``; anything else (complex numbers, dates, text) raises a
    :class:`ValueError` meant for the user.

    Examples
    --------
    >>> as_batch([[4, 2], [1, 3]])
    array([[4., 2.],
           [1., 3.]])
    """
    x = _array(value)
    if x.ndim != 2:
        raise ValueError(
            f"the batch must be 2-D, shape (B, n) -- one row per example; got shape {x.shape}. "
            "Write one example as [[4, 2]]."
        )
    batch_size, n = x.shape
    if not 1 <= batch_size <= MAX_BATCH or not 1 <= n <= MAX_INPUTS:
        raise ValueError(
            f"the batch has shape {x.shape}; the explorer shows 1 to {MAX_BATCH} examples "
            f"(rows) of 1 to {MAX_INPUTS} inputs (columns)"
        )
    x = _real(x)
    _check_entries(x)
    return x


def parse_batch_text(text):
    r"""Read a pasted batch ``x (B, n)`` like ``[[4, 2], [1, 3]]``: numbers and brackets, no code.

    Commas are optional (numpy's printed ``[[4. 2.]\n [1. 3.]]`` and its
    ``array(...)`` are read); digits are 0-9, brackets must match, the text has
    at most ``MAX_PASTE`` characters. A :class:`PasteError` says where reading
    stopped (``.position``); the numbers then go through :func:`as_batch`.

    Examples
    --------
    >>> parse_batch_text("[(1, 2], [3, 4))")
    Traceback (most recent call last):
    ...
    jacviz.widget._batch.PasteError: ']' at column 7 does not close the '(' at column 2
    """
    if len(text) > MAX_PASTE:
        raise PasteError(f"the text is {len(text)} characters long; at most {MAX_PASTE} are read")
    wrapped = _ARRAY_REPR.match(text)
    start, end = wrapped.span("body") if wrapped else (0, len(text))
    return as_batch(_nested_numbers(text, start, end))


def fill_value(b, j):
    """Return the value a new entry ``x[b, j]`` starts with when the batch grows (1 to 4).

    Deterministic and varied, so new examples differ from each other and from
    the seed batch ``[[4, 2], [1, 3]]``; arrays ``b``, ``j`` give an array.

    Examples
    --------
    >>> [[fill_value(b, j) for j in range(2)] for b in range(2, 5)]
    [[4.0, 1.0], [2.0, 2.5], [3.5, 4.0]]
    """
    return 1 + ((3 * b + j) % 7) / 2


def resize_batch(x, batch_size, n):
    """Return ``x (B, n_old)`` resized to ``(batch_size, n)``: its overlap kept, the rest filled.

    Examples
    --------
    >>> resize_batch(np.array([[4.0, 2.0], [1.0, 3.0]]), 3, 3)
    array([[4. , 2. , 2. ],
           [1. , 3. , 3.5],
           [4. , 1. , 1.5]])
    """
    new = fill_value(*np.indices((batch_size, n))).astype(float)
    keep_b, keep_n = min(batch_size, x.shape[0]), min(n, x.shape[1])
    new[:keep_b, :keep_n] = x[:keep_b, :keep_n]
    return new


def shown_examples(batch_size, first=0):
    """Return the examples one picture shows: ``MAX_SHOWN`` in a row from ``first`` (clipped).

    Examples
    --------
    >>> shown_examples(3), shown_examples(16, 5), shown_examples(16, 12)
    ((0, 1, 2), (5, 6, 7, 8, 9, 10, 11, 12), (8, 9, 10, 11, 12, 13, 14, 15))
    """
    first = min(max(first, 0), max(0, batch_size - MAX_SHOWN))
    return tuple(range(first, first + min(batch_size, MAX_SHOWN)))


def _array(value):
    """``value`` as a numpy array (no copy of an array), or a ValueError a student can act on."""
    if isinstance(value, str | bytes):
        raise ValueError("the batch must be numbers, not text")
    try:
        return np.asarray(value)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(_RECTANGULAR) from None


def _real(x):
    """Return a float64 copy of ``x (B, n)``; refuse complex numbers, dates, text, objects."""
    if x.dtype.kind == "O":  # Python objects: fractions, ints beyond float64, or not numbers at all
        return _real_objects(x)
    try:
        return real_array(x, "the batch", instead="separate inputs (columns)").astype(np.float64)
    except TypeError as exc:  # the explorer's validators speak ValueError
        raise ValueError(str(exc)) from None


def _real_objects(x):
    """Return a float64 copy of an object array ``x (B, n)`` of real numbers, or raise."""
    real = np.empty(x.shape)
    for (b, j), entry in np.ndenumerate(x):
        if not isinstance(entry, numbers.Real):
            raise ValueError(f"x[{b}, {j}] is a {type(entry).__name__}, not a real number")
        try:
            real[b, j] = float(entry)
        except OverflowError:  # an int or fraction beyond the float range
            raise ValueError(_out_of_range(b, j, "")) from None
    return real


def _check_entries(x):
    """Raise for the first entry of ``x (B, n)`` that is not finite or beyond ``±MAX_ABS``."""
    bad = ~np.isfinite(x)
    if bad.any():
        b, j = np.argwhere(bad)[0]
        raise ValueError(f"x[{b}, {j}] is {x[b, j]}: every entry must be a finite number")
    big = np.abs(x) > MAX_ABS
    if big.any():
        b, j = np.argwhere(big)[0]
        raise ValueError(_out_of_range(b, j, f" = {x[b, j]:g}"))


def _out_of_range(b, j, value):
    return (
        f"x[{b}, {j}]{value} is out of range: entries must lie between {-MAX_ABS:g} and {MAX_ABS:g}"
    )


def _nested_numbers(text, start, end):
    """Read brackets (or parentheses), numbers and optional commas in ``text[start:end]``."""
    stack, top, last = [], None, "open"  # stack: (opening match, the list it holds)
    for match in _tokens(text, start, end):
        kind, position = match.lastgroup, match.start(match.lastgroup)
        misplaced = (kind != "open" and not stack) or (
            kind == "comma" and last in ("open", "comma")
        )
        if top is not None or misplaced:  # after the list, outside it, "[," or ",,"
            what = "a second list" if top is not None and kind == "open" else repr(match[kind])
            raise PasteError(f"{what} at {_where(text, position)}: {PASTE_HINT}", position)
        if kind == "open":
            if len(stack) == MAX_DEPTH:
                raise PasteError(f"the list is nested deeper than {MAX_DEPTH} levels", position)
            stack.append((match, []))
        elif kind == "close":
            opening, done = stack.pop()
            _check_pair(text, opening, match)
            if stack:
                stack[-1][1].append(done)
            else:
                top = done
        elif kind == "number":
            stack[-1][1].append(float(match["number"]))
        last = kind
    if stack:
        position = stack[-1][0].start("open")
        where = _where(text, position)
        raise PasteError(f"the {text[position]!r} at {where} is never closed", position)
    if top is None:
        raise PasteError(PASTE_HINT)
    return top


def _check_pair(text, opening, closing):
    """Raise unless the bracket matched by ``closing`` closes the one of ``opening``."""
    close, open_ = closing["close"], opening["open"]
    if _CLOSES[close] != open_:
        raise PasteError(
            f"{close!r} at {_where(text, closing.start('close'))} does not close the "
            f"{open_!r} at {_where(text, opening.start('open'))}",
            closing.start("close"),
        )


def _tokens(text, start, end):
    """Yield the token matches of ``text[start:end]``; raise at anything that is not a token."""
    position = start
    while text[position:end].strip():
        match = _TOKEN.match(text, position, end)
        if match is None:
            position += len(text[position:end]) - len(text[position:end].lstrip())
            raise PasteError(_unreadable(text, position), position)
        yield match
        position = match.end()


def _unreadable(text, position):
    """Say what is wrong with the character at ``position``, which starts no token."""
    char = text[position]
    if char.isdigit():
        return f"{char!r} at {_where(text, position)} is not one of the digits 0-9"
    return f"cannot read {char!r} at {_where(text, position)}: {PASTE_HINT}"


def _where(text, position):
    """Say where ``position`` is for a person: ``column 7``, or ``line 2, column 3``."""
    line = text.count("\n", 0, position)
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return f"line {line + 1}, column {column}" if "\n" in text else f"column {column}"
