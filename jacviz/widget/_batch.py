"""The input batch as data: checking, pasting, resizing -- no widgets.

Layer: widget (private). Imports the standard library and numpy only.

The explorer's batch is a float array ``x`` of shape ``(B, n)`` with
``1 <= B <= MAX_BATCH``, ``1 <= n <= MAX_INPUTS`` and finite entries within
``±MAX_ABS``. These helpers turn what a user supplies (a nested list, pasted
text) into such an array, or raise :class:`ValueError` with a message meant
for the user.
"""

import re

import numpy as np

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
_TOKEN = re.compile(
    r"\s*(?:(?P<open>[\[(])|(?P<close>[\])])|(?P<comma>,)"
    r"|(?P<number>[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|nan|inf(?:inity)?)(?![\w.])))",
    re.IGNORECASE,
)
_ARRAY_REPR = re.compile(r"^array\((?P<body>.*?)(?:,\s*dtype=\w+)?\)$", re.DOTALL)


def as_batch(value):
    """Check a user's batch and return it as a fresh float array ``(B, n)``.

    Parameters
    ----------
    value : array_like
        Nested sequence (or array) of real numbers, shape ``(B, n)``.

    Returns
    -------
    x : numpy.ndarray, shape (B, n)
        float64 copy.

    Raises
    ------
    ValueError
        If ``value`` is not a 2-D array of finite real numbers within
        ``±MAX_ABS`` with ``1 <= B <= 16`` and ``1 <= n <= 8``.

    Examples
    --------
    >>> as_batch([[4, 2], [1, 3]])
    array([[4., 2.],
           [1., 3.]])
    >>> as_batch([4, 2])
    Traceback (most recent call last):
    ...
    ValueError: the batch must be 2-D, shape (B, n) -- one row per example; got shape (2,). ...
    >>> as_batch([[1, 2e7]])
    Traceback (most recent call last):
    ...
    ValueError: x[0, 1] = 2e+07 is out of range: entries must lie between -1e+06 and 1e+06
    """
    x = _numeric_array(value)
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
    _check_entries(x)
    return x


def parse_batch_text(text):
    r"""Read a pasted batch like ``[[4, 2], [1, 3]]`` -- numbers and brackets only, never code.

    Commas are optional, so numpy's printed form ``[[4. 2.]\n [1. 3.]]`` and
    its ``array([[4., 2.], [1., 3.]])`` are read too; ``nan`` and ``inf`` are
    read so that the message can say what is wrong with them.

    Parameters
    ----------
    text : str
        A nested list of numbers (Python, JSON or numpy print syntax).

    Returns
    -------
    x : numpy.ndarray, shape (B, n)

    Raises
    ------
    ValueError
        If the text is not a nested list of numbers, or fails :func:`as_batch`.

    Examples
    --------
    >>> parse_batch_text("[[4, 2], [1, 3.5]]")
    array([[4. , 2. ],
           [1. , 3.5]])
    >>> parse_batch_text("[[4. 2.]\n [1. 3.]]")
    array([[4., 2.],
           [1., 3.]])
    >>> parse_batch_text("__import__('os')")
    Traceback (most recent call last):
    ...
    ValueError: paste a nested list of numbers, e.g. [[4, 2], [1, 3]] or numpy's [[4. 2.] [1. 3.]]
    >>> parse_batch_text("[[nan, 1]]")
    Traceback (most recent call last):
    ...
    ValueError: x[0, 0] is nan: every entry must be a finite number
    """
    if len(text) > MAX_PASTE:
        raise ValueError(f"the pasted text is longer than {MAX_PASTE} characters")
    text = text.strip()
    wrapped = _ARRAY_REPR.match(text)
    return as_batch(_nested_numbers(wrapped["body"] if wrapped else text))


def fill_value(b, j):
    """Return the value a new entry ``x[b, j]`` starts with when the batch grows.

    Deterministic and varied, so new examples differ from each other (and,
    for the seed batch ``[[4, 2], [1, 3]]``, from the examples already there).

    Parameters
    ----------
    b, j : int or numpy.ndarray of int
        Example and input index (arrays of the same shape give an array).

    Returns
    -------
    float or numpy.ndarray
        One of 1, 1.5, ..., 4 per entry.

    Examples
    --------
    >>> [[fill_value(b, j) for j in range(2)] for b in range(2, 5)]
    [[4.0, 1.0], [2.0, 2.5], [3.5, 4.0]]
    """
    return 1 + ((3 * b + j) % 7) / 2


def resize_batch(x, batch_size, n):
    """Give the batch a new shape, keeping existing entries and filling new ones.

    Parameters
    ----------
    x : numpy.ndarray, shape (B, n_old)
        The current batch.
    batch_size, n : int
        The new shape ``(B, n)``.

    Returns
    -------
    numpy.ndarray, shape (batch_size, n)
        ``x``'s overlapping corner, the rest from :func:`fill_value`.

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
    """Return the examples one picture shows: ``MAX_SHOWN`` in a row from ``first``.

    Parameters
    ----------
    batch_size : int
        ``B``.
    first : int, optional
        The first example shown; clipped so that the window fits the batch.

    Returns
    -------
    tuple of int

    Examples
    --------
    >>> shown_examples(3), shown_examples(16, 5), shown_examples(16, 12)
    ((0, 1, 2), (5, 6, 7, 8, 9, 10, 11, 12), (8, 9, 10, 11, 12, 13, 14, 15))
    """
    first = min(max(first, 0), max(0, batch_size - MAX_SHOWN))
    return tuple(range(first, first + min(batch_size, MAX_SHOWN)))


def _numeric_array(value):
    """``value`` as a float array, or a ValueError a student can act on."""
    if isinstance(value, str | bytes):
        raise ValueError("the batch must be numbers, not text")
    try:
        x = np.array(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(
            "the batch must be a rectangular nested list of real numbers, "
            "the same count in every row, e.g. [[4, 2], [1, 3]]"
        ) from None
    return x


def _check_entries(x):
    """Raise for the first entry of ``x (B, n)`` that is not finite or beyond ``±MAX_ABS``."""
    bad = ~np.isfinite(x)
    if bad.any():
        b, j = np.argwhere(bad)[0]
        raise ValueError(f"x[{b}, {j}] is {x[b, j]}: every entry must be a finite number")
    big = np.abs(x) > MAX_ABS
    if big.any():
        b, j = np.argwhere(big)[0]
        raise ValueError(
            f"x[{b}, {j}] = {x[b, j]:g} is out of range: entries must lie between "
            f"{-MAX_ABS:g} and {MAX_ABS:g}"
        )


def _nested_numbers(text):
    """Read brackets (or parentheses), numbers and optional commas into nested lists."""
    stack, top, last = [], None, "open"
    for match in _tokens(text):
        kind = match.lastgroup
        if kind == "open":
            if len(stack) == MAX_DEPTH:
                raise ValueError(f"the pasted list is nested deeper than {MAX_DEPTH} levels")
            stack.append([])
        elif top is not None or not stack or (kind == "comma" and last in ("open", "comma")):
            raise ValueError(PASTE_HINT)  # outside the list, a second list, or "[," / ",,"
        elif kind == "close":
            done = stack.pop()
            if stack:
                stack[-1].append(done)
            else:
                top = done
        elif kind == "number":
            stack[-1].append(float(match["number"]))
        last = kind
    if stack or top is None:
        raise ValueError(PASTE_HINT)
    return top


def _tokens(text):
    """Yield the token matches of ``text``; raise at anything that is not a token."""
    position = 0
    while text[position:].strip():
        match = _TOKEN.match(text, position)
        if match is None:
            raise ValueError(PASTE_HINT)
        yield match
        position = match.end()
