"""The words of a figure's note: what is shown, what is missing, what was flattened.

Layer: plotting. Imports numpy and this package only.

A note has at most two lines: first what changes with the values (a subset
shown, NaN/inf cells, the coupling of a full Jacobian), then what the shapes
alone decide (higher-rank inputs or outputs flattened to matrices).
"""

import numpy as np

from jacviz.plotting._style import format_value

SEPARATOR = "    ·    "


def note(*lines):
    r"""Join the non-empty ``lines`` (each a list of parts) into the note's text.

    Examples
    --------
    >>> note(["showing 8 of 16 examples"], [], ["inputs flattened from (5, 6), row-major"])
    'showing 8 of 16 examples\ninputs flattened from (5, 6), row-major'
    """
    return "\n".join(SEPARATOR.join(parts) for parts in lines if parts)


def subset_parts(shown, count, name, hint=True):
    """Say which of ``count`` examples/outputs are shown, if not all.

    Parameters
    ----------
    shown : tuple of int
        The indices drawn.
    count : int
        How many there are.
    name : {"examples", "outputs"}
        The argument choosing them.
    hint : bool, optional
        Name the argument (off where readers have controls, not code).

    Returns
    -------
    list of str

    Examples
    --------
    >>> subset_parts((0, 1, 2, 3, 4, 5, 6, 7), 64, "outputs")
    ['showing outputs 0–7 of 64 (choose with outputs=)']
    >>> subset_parts((3, 9), 16, "examples")
    ['showing 2 of 16 examples (choose with examples=)']
    >>> subset_parts((3, 4, 5, 6, 7, 8, 9, 10), 16, "examples", hint=False)
    ['showing examples 3–10 of 16']
    """
    if len(shown) == count:
        return []
    first, last = shown[0], shown[-1]
    how = f" (choose with {name}=)" if hint else ""
    a_range = len(shown) > 1 and shown == tuple(range(first, last + 1))
    if a_range and (name == "outputs" or not hint):
        return [f"showing {name} {first}–{last} of {count}{how}"]
    return [f"showing {len(shown)} of {count} {name}{how}"]


def bad_cell_parts(data):
    """Count the NaN/inf cells of ``data`` (the blocks shown), if any.

    Examples
    --------
    >>> bad_cell_parts(np.array([1.0, np.nan, np.inf]))
    ['2 cells are NaN/inf (grey)']
    """
    bad = int(np.count_nonzero(~np.isfinite(data)))
    if not bad:
        return []
    return [f"{bad} cell{'s are' if bad != 1 else ' is'} NaN/inf (grey)"]


def flattened_parts(out_shape, in_shape):
    """Say which higher-rank shapes were flattened to matrix rows and columns.

    Examples
    --------
    >>> flattened_parts((3,), (5, 6))
    ['inputs flattened from (5, 6), row-major']
    """
    parts = []
    for name, shape in (("outputs", out_shape), ("inputs", in_shape)):
        if len(shape) > 1:
            parts.append(f"{name} flattened from {tuple(shape)}, row-major")
    return parts


def coupling_parts(data):
    """Whether the examples of a full Jacobian ``data (B, m, B, n)`` are coupled.

    Off-diagonal NaN/inf entries say nothing either way, so with no finite
    non-zero entry beside them the coupling is "unknown", never "independent".

    Examples
    --------
    >>> coupling_parts(np.full((2, 1, 2, 1), np.nan))
    ['off-diagonal blocks hold NaN/inf: whether the examples are coupled is unknown']
    """
    batch = data.shape[0]
    off = data.copy()
    for b in range(batch):
        off[b, :, b, :] = 0.0
    finite = np.isfinite(off)
    coupling = float(np.abs(off[finite]).max()) if finite.any() else 0.0
    if batch == 1:
        return ["one example: no off-diagonal blocks"]
    if coupling > 0.0:
        return [f"off-diagonal blocks reach {format_value(coupling)}: the examples are coupled"]
    if not finite.all():
        return ["off-diagonal blocks hold NaN/inf: whether the examples are coupled is unknown"]
    return ["off-diagonal blocks are 0: the examples are independent"]


def empty_parts(batch, block_shape):
    """Say why nothing is drawn: an empty batch, or blocks with no rows or columns.

    Examples
    --------
    >>> empty_parts(0, (2, 2))
    ['empty batch: nothing to show']
    >>> empty_parts(2, (2, 0))
    ['the blocks are 2 × 0 (no inputs): nothing to show']
    """
    if batch == 0:
        return ["empty batch: nothing to show"]
    rows, cols = block_shape
    missing = "no outputs" if rows == 0 else "no inputs"
    return [f"the blocks are {rows} × {cols} ({missing}): nothing to show"]
