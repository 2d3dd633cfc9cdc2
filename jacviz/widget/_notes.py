"""What the status line says about a result: coupling, NaN/inf, warnings -- no widgets.

Layer: widget (private). Imports the standard library, numpy and ``jacviz.errors``.
"""

import re

import numpy as np

from jacviz.errors import BatchCouplingWarning

_LISTED = re.compile(r"examples (\[[^\]]*\])")


def status_notes(caught, y, result, order):
    """Return the status notes on ``y (B, *out)`` and ``result``: coupling, NaN/inf, warnings.

    ``caught`` are the warnings recorded while computing; no note is repeated.

    Examples
    --------
    >>> full = np.zeros((2, 1, 2, 1))
    >>> full[0, 0, 1, 0] = 0.5  # output 0 depends on example 1
    >>> status_notes([], np.ones((2, 1)), full, "full")
    ['the examples are coupled: off-diagonal blocks reach 0.5, so a batch Jacobian ...']
    """
    batch_size = np.shape(y)[0] if np.ndim(y) else 0
    notes = [_warning_note(warning, batch_size) for warning in caught]
    if order == "full":
        notes += _full_coupling_note(result)
    if not np.all(np.isfinite(y)):
        notes.append("f(x) itself is NaN or inf at some inputs (e.g. log of 0, 0/0).")
    bad = np.size(result) - np.count_nonzero(np.isfinite(result))
    if bad:
        notes.append(
            f"{bad} of {np.size(result)} derivative entries are NaN or inf (grey cells): "
            "the derivative is undefined there (e.g. sqrt or abs at 0, log of 0)."
        )
    return list(dict.fromkeys(notes))


def full_coupling(full):
    """Return the largest off-diagonal-block entry of ``full (B, *out, B, n)`` (0 if none).

    Examples
    --------
    >>> full = np.zeros((2, 1, 2, 1))
    >>> full[1, 0, 0, 0] = -2.0
    >>> full_coupling(full)
    2.0
    """
    batch_size, n = full.shape[0], full.shape[-1]
    if batch_size < 2 or full.size == 0:
        return 0.0
    per_pair = np.abs(full.reshape(batch_size, -1, batch_size, n)).max(axis=(1, 3))
    np.fill_diagonal(per_pair, 0.0)
    return float(np.nanmax(per_pair))


def _warning_note(warning, batch_size):
    if not issubclass(warning.category, BatchCouplingWarning):
        return f"{warning.category.__name__}: {warning.message}"
    if batch_size == 1:
        return (
            "f mixes the examples of a batch (it is not a function of each example alone): "
            "with one example there are no off-diagonal blocks, but the per-example pass, "
            'which stacks copies of x, is not valid for such f -- "full Jacobian" shows the '
            "true derivative."
        )
    listed = _LISTED.search(str(warning.message))
    which = f" (the inputs of examples {listed[1]} move the outputs of others)" if listed else ""
    return (
        f"the examples influence each other{which}, so the per-example blocks are not the "
        'whole story: choose "full Jacobian" to see the off-diagonal blocks.'
    )


def _full_coupling_note(full):
    """Return a note when off-diagonal blocks of ``full (B, *out, B, n)`` are not zero."""
    coupling = full_coupling(full)
    if not coupling:
        return []
    return [
        f"the examples are coupled: off-diagonal blocks reach {coupling:.3g}, "
        "so a batch Jacobian would miss part of the derivative."
    ]
