"""The explorer's per-example data: checked once, then one row per example of any batch.

Layer: widget (private). Imports numpy, ``jacviz.errors`` and the public names of
``jacviz.expressions`` -- no widgets.

A formula's per-example data (``data={"t": t}``, see :func:`jacviz.parse_function`)
holds one row per example, but the explorer's batch changes size: the batch-size
field, a pasted batch, a preset. The rule, the same everywhere: **example ``b``
uses row ``b mod R``** of data with ``R`` rows -- the first ``B`` rows of a
longer table, the rows repeated in turn for a larger batch -- so the data always
has exactly one row per example and a new batch size is never an error. The
status line says which rows are used (:func:`data_fact`).
"""

import numpy as np

from jacviz.errors import ExpressionError
from jacviz.expressions import parse_function
from jacviz.widget._batch import MAX_BATCH

#: Most numbers one example's rows may hold, all data arrays together: the
#: explorer copies them for every example of its batch (at most ``MAX_BATCH``).
MAX_ROW_NUMBERS = 10_000


def check_data(data):
    """Check the explorer's per-example data; return name → read-only float array ``(R, ...)``.

    Every array is a real, finite table of ``1 <= R <= MAX_BATCH`` rows, all
    with the same ``R``; one row of every array together holds at most
    :data:`MAX_ROW_NUMBERS` numbers. Names and values are checked as
    :func:`jacviz.parse_function` checks ``data``.

    Parameters
    ----------
    data : Mapping[str, array_like]
        Each value of shape ``(R, *shape)``.

    Returns
    -------
    dict of str to numpy.ndarray
        Private read-only float copies.

    Raises
    ------
    ValueError
        With a message for the user (an :class:`~jacviz.ExpressionError` for what
        the formula language refuses).

    Examples
    --------
    >>> check_data({"t": [[0, 2], [2, 0]]})["t"]
    array([[0., 2.],
           [2., 0.]])
    >>> check_data({"t": [[1.0, float("nan")]]})
    Traceback (most recent call last):
    ...
    ValueError: data 't' holds NaN or inf: give finite numbers (a target of NaN makes every ...
    """
    parse_function("0", data=data)  # names, real numbers, a batch axis, the same R: the language's
    arrays = {name: np.asarray(value) for name, value in data.items()}
    rows = next((len(array) for array in arrays.values()), 1)
    if not 1 <= rows <= MAX_BATCH:
        raise ValueError(
            f"data must hold 1 to {MAX_BATCH} rows, one per example (the explorer shows at most "
            f"{MAX_BATCH} examples); got {rows}"
        )
    per_example = sum(array[0].size for array in arrays.values())
    if per_example > MAX_ROW_NUMBERS:
        raise ValueError(
            f"one row of the data holds {per_example:,} numbers (at most {MAX_ROW_NUMBERS:,} per "
            "example in the explorer): give smaller rows"
        )
    checked = {}
    for name, array in arrays.items():
        array = array.astype(float)  # a copy: later changes to the caller's array do not reach
        if not np.all(np.isfinite(array)):
            raise ValueError(
                f"data {name!r} holds NaN or inf: give finite numbers (a target of NaN makes "
                "every derivative that uses it NaN)"
            )
        array.flags.writeable = False
        checked[name] = array
    return checked


def rows_for(data, batch_size):
    """Return the data with one row per example of a batch of ``batch_size``: row ``b mod R``.

    Examples
    --------
    >>> rows_for({"t": np.array([[0.0], [1.0]])}, 5)["t"].ravel()
    array([0., 1., 0., 1., 0.])
    """
    return {name: rows[np.arange(batch_size) % len(rows)] for name, rows in data.items()}


def example_function(text, constants, data, batch_size, b):
    """Return the formula of example ``b`` alone: each data name bound to its row as a constant.

    Such a function takes batches of any size (the linear-map view evaluates
    it on the points around ``x[b]``), and equals the formula on example ``b``.

    Raises
    ------
    ExpressionError
        As :func:`jacviz.parse_function` (the formula itself parsed already).

    Examples
    --------
    >>> f = example_function("(x - t)**2", {}, {"t": np.array([[0.0], [1.0]])}, 3, 1)
    >>> f([[3.0], [1.0], [0.0]])  # every point measured from example 1's target, 1
    array([[4.],
           [0.],
           [1.]])
    """
    own = {name: rows[b] for name, rows in rows_for(data, batch_size).items()}
    return parse_function(text, constants={**constants, **own})


def formulas_only(data):
    """Return the error for per-example data given with a Python function.

    Examples
    --------
    >>> formulas_only({"t": None})
    ExpressionError("per-example data ('t') is for formulas only: ...")
    """
    names = ", ".join(repr(name) for name in data)
    return ExpressionError(
        f"per-example data ({names}) is for formulas only: a Python function closes over its "
        "own arrays. Type the formula as text (e.g. (x - t)**2), or set data to {}."
    )


def data_fact(data, batch_size):
    """Say which row of the data each example uses, for the status line ("" without data).

    Examples
    --------
    >>> data_fact({"t": np.zeros((3, 2))}, 3)
    'per-example data t: example b uses its own row t[b]'
    >>> data_fact({"t": np.zeros((3, 2))}, 5)
    'per-example data t has 3 rows for 5 examples: example b uses row b mod 3 (rows repeat)'
    """
    if not data:
        return ""
    names = ", ".join(data)
    rows = len(next(iter(data.values())))
    if rows == batch_size:
        row = "its own row " + ", ".join(f"{name}[b]" for name in data)
        return f"per-example data {names}: example b uses {row}"
    after = "rows repeat" if rows < batch_size else f"rows {batch_size}–{rows - 1} unused"
    if rows == batch_size + 1:
        after = f"row {batch_size} unused"
    return (
        f"per-example data {names} has {rows} rows for {batch_size} examples: "
        f"example b uses row b mod {rows} ({after})"
    )
