"""The picture in words: the text alternative of the explorer's heatmaps -- no widgets.

Layer: widget (private). Imports numpy and the explorer's pure helpers.

A blind student hears what a sighted one sees: which derivative, of which
examples, and its numbers, example by example (WCAG 1.1.1). The text is the
``title`` of the picture's ``<img>`` (its accessible name), rewritten at
each render. Past :data:`MAX_SPOKEN` numbers it stops listing them and says
where they are: the values table.
"""

from jacviz.widget._notes import full_coupling
from jacviz.widget._text import derivative_name, number_text

#: Most numbers listed in the text alternative (the values table lists up to 16384).
MAX_SPOKEN = 64
#: Said of a per-example picture when the examples influence each other.
COUPLED = (
    "Warning: the examples influence each other, so these blocks are not the whole "
    "derivative; the full Jacobian view shows how"
)
_VIEWS = {
    1: "the per-example Jacobians J[b]",
    2: "the per-example Hessians H[b]",
    "full": "the full Jacobian",
}


def picture_words(outcome, examples, linear_map_sentence=None, per_output=False):
    """Say what the picture of ``outcome`` (``_compute.Outcome``) shows, with its numbers.

    ``examples`` are the examples drawn (``()``: all, the full Jacobian);
    ``linear_map_sentence`` is the linear-map view's ``det J[b]`` sentence;
    ``per_output``: the Hessians are coloured on a scale per output.

    Examples
    --------
    >>> import numpy as np
    >>> from jacviz.widget._compute import Outcome
    >>> x = np.array([[4.0, 2.0]])
    >>> jac = np.array([[[48.0, 0.0], [0.0, 12.0]]])
    >>> words = picture_words(Outcome(x, x**3, jac, 1, [], False), (0,))
    >>> for sentence in words.split(". "):
    ...     print(sentence)
    Heatmaps of the per-example Jacobians J[b], shape (1, 2, 2), example 0 of 1
    Example 0: x = [4, 2]; J[0] rows: [48, 0], [0, 12].
    """
    if linear_map_sentence is not None:
        return (
            "The linear map: a grid and a circle around x[b], their images under f and under "
            f"its linearisation J[b]. {linear_map_sentence}."
        )
    flat, batch_size = outcome.flat, outcome.x.shape[0]
    name = derivative_name(outcome.order)
    head = f"Heatmaps of {_VIEWS[outcome.order]}, shape {outcome.result.shape}"
    if outcome.order == "full":
        return f"{head}. {_full_words(flat)}"
    shown = examples or range(batch_size)
    which = _which(shown, batch_size)
    if per_output:
        which += ", each output's Hessians coloured on a scale of their own"
    if outcome.coupled:
        which += f". {COUPLED}"
    if sum(flat[b].size for b in shown) > MAX_SPOKEN:
        return f"{head}, {which}. Too many numbers to say here: see the values table."
    said = " ".join(_example_words(flat[b], outcome.x[b], b, name) for b in shown)
    return f"{head}, {which}. {said}"


def _which(shown, batch_size):
    first, last = shown[0], shown[-1]
    if first == last:
        return f"example {first} of {batch_size}"
    return f"examples {first} to {last} of {batch_size}"


def _example_words(block, x_b, b, name):
    """Say one example: its ``x[b]`` and its block (or one Hessian per output)."""
    point = f"Example {b}: x = [{', '.join(number_text(v) for v in x_b)}]"
    if block.ndim == 2:
        return f"{point}; {name}[{b}] rows: {_rows(block)}."
    hessians = "; ".join(f"output {i}: {_rows(hess_i)}" for i, hess_i in enumerate(block))
    return f"{point}; {name}[{b}] rows by output, {hessians}."


def _rows(matrix):
    return ", ".join(f"[{', '.join(number_text(v) for v in row)}]" for row in matrix)


def _full_words(full):
    """Say the full Jacobian ``(B, m, B, n)``: coupling, and its rows if few enough."""
    batch_size = full.shape[0]
    coupling = full_coupling(full)
    said = (
        f"Off-diagonal blocks reach {number_text(coupling)}: the examples are coupled."
        if coupling
        else "Off-diagonal blocks are all zero: each example's outputs depend on it alone."
    )
    if full.size > MAX_SPOKEN:
        return f"{said} Too many numbers to say here: see the values table."
    rows = full.reshape(batch_size * full.shape[1], -1)
    return f"{said} Rows: {_rows(rows)}."
