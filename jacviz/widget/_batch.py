"""The input batch as data: checking, pasting, resizing -- no widgets.

Layer: widget (private). Imports the standard library and numpy only.

The explorer's batch is a float array ``x`` of shape ``(B, n)`` with
``1 <= B <= MAX_BATCH``, ``1 <= n <= MAX_INPUTS`` and finite entries. These
helpers turn what a user supplies (a nested list, pasted text) into such an
array, or raise :class:`ValueError` with a message meant for the user.
"""

import ast

import numpy as np

MAX_BATCH = 16
MAX_INPUTS = 8
#: Most characters accepted in the paste box (16 x 8 numbers fit easily).
MAX_PASTE = 4000


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
        If ``value`` is not a 2-D array of finite real numbers with
        ``1 <= B <= 16`` and ``1 <= n <= 8``.

    Examples
    --------
    >>> as_batch([[4, 2], [1, 3]])
    array([[4., 2.],
           [1., 3.]])
    >>> as_batch([4, 2])
    Traceback (most recent call last):
    ...
    ValueError: the batch must be 2-D, shape (B, n) -- one row per example; got shape (2,). ...
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
    if not np.all(np.isfinite(x)):
        raise ValueError("the batch holds NaN or inf; every entry must be a finite number")
    return x


def parse_batch_text(text):
    """Read a pasted batch like ``[[4, 2], [1, 3]]`` -- literals only, never code.

    Parameters
    ----------
    text : str
        A nested list of numbers (Python or JSON syntax).

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
    >>> parse_batch_text("__import__('os')")
    Traceback (most recent call last):
    ...
    ValueError: paste a nested list of numbers, e.g. [[4, 2], [1, 3]]
    """
    if len(text) > MAX_PASTE:
        raise ValueError(f"the pasted text is longer than {MAX_PASTE} characters")
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise ValueError("paste a nested list of numbers, e.g. [[4, 2], [1, 3]]") from None
    if not _is_nested_numbers(value):
        raise ValueError("paste a nested list of numbers, e.g. [[4, 2], [1, 3]]")
    return as_batch(value)


def fill_value(b, j):
    """Return the value a new entry ``x[b, j]`` starts with when the batch grows.

    Deterministic and varied, so new examples differ from each other (and,
    for the seed batch ``[[4, 2], [1, 3]]``, from the examples already there).

    Parameters
    ----------
    b, j : int
        Example and input index.

    Returns
    -------
    float
        One of 1, 1.5, ..., 4.

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
    rows, cols = np.indices((batch_size, n))
    new = 1 + ((3 * rows + cols) % 7) / 2
    keep_b, keep_n = min(batch_size, x.shape[0]), min(n, x.shape[1])
    new[:keep_b, :keep_n] = x[:keep_b, :keep_n]
    return new


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


def _is_nested_numbers(value):
    """Tell whether ``value`` is a number or a (nested) list/tuple of numbers."""
    if isinstance(value, list | tuple):
        return all(_is_nested_numbers(item) for item in value)
    return isinstance(value, int | float) and not isinstance(value, bool)
