"""How an outcome is shown: picture, status line, tables, the view's controls.

Layer: widget (private). Imports numpy and the explorer's private helpers.

:class:`Showing` is a mixin of :class:`~jacviz.widget.JacobianExplorer`: after
the one update has computed an :class:`~jacviz.widget._compute.Outcome` and
drawn it, these methods put it on screen -- or, after an error, say that the
picture shows the last good state and why.
"""

from typing import NamedTuple

import numpy as np

from jacviz.widget._compute import Outcome, entry_formulas, finite_difference_check, function_text
from jacviz.widget._controls import ORDER_OPTIONS
from jacviz.widget._text import error_html, fd_html, stale_html, status_html, values_html

LINEAR_MAP = "linear map"


class Shown(NamedTuple):
    """The picture on screen: what it was computed from, and how it was drawn."""

    f: object
    outcome: Outcome
    view: str  # "heatmaps" or LINEAR_MAP
    examples: tuple
    state: str  # for the "out of date" line: formula, shape, view


class Showing:
    """Put an outcome on screen (a mixin; see the module docstring)."""

    def _show(self, shown, png):
        outcome = shown.outcome
        self.image.value = png
        self.set_trait("result", outcome.result)
        self.set_trait("render_count", self.render_count + 1)
        self.set_trait("error", "")
        self.error_area.value = ""
        info = _info(shown)
        self._good_status = status_html(
            outcome.x, outcome.y, outcome.result, outcome.order, self.render_count,
            outcome.notes, info,
        )  # fmt: skip
        self.status.value = self._good_status
        self._shown = shown
        self._sync_view_controls(shown)
        self._show_values()
        self._show_check()

    def _show_error(self, message, position=None, stale=False):
        """Show ``message``; with ``stale``, also say the picture is of the last good state."""
        self.set_trait("error", message)
        source = self.function if isinstance(self.function, str) and position is not None else None
        self.error_area.value = error_html(message, source, position)
        if stale and self._shown is not None:
            self.status.value = f"{stale_html(message, self._shown.state)}<br>\n{self._good_status}"

    def _show_formula(self):
        latex = getattr(self._parsed, "latex", None)
        self.formula_view.value = f"$$f(x) = {latex}$$" if latex else ""

    def _show_values(self):
        """Fill the values table -- only while it is open (it is text for the picture)."""
        if self.values_accordion.selected_index is None or self._shown is None:
            return
        outcome = self._shown.outcome
        formulas = "formulas are shown for the 1st-order Jacobian"
        if outcome.order == 1:
            formulas = self._entry_formulas(self._shown.f, outcome.x.shape[1])
        self.values_table.value = values_html(outcome.flat, outcome.x, outcome.order, formulas)

    def _entry_formulas(self, f, n):
        """Return the formulas of J's entries: derived once per formula and ``n``, not per value."""
        if self._formulas[0] is not f or self._formulas[1] != n:
            self._formulas = (f, n, entry_formulas(f, n))
        return self._formulas[2]

    def _show_check(self):
        """Fill the finite-difference table while its checkbox is ticked."""
        ticked = self.fd_checkbox.value
        self.fd_view.layout.display = None if ticked else "none"
        if ticked and self._shown is not None:
            check = finite_difference_check(self._shown.f, self._shown.outcome)
            self.fd_view.value = fd_html(check)

    def _sync_view_controls(self, shown):
        """Enable the controls that apply to the picture shown; hide those that do not."""
        fits, in_map = shown.outcome.plane_map, shown.view == LINEAR_MAP
        toggle = self.linear_map_toggle
        toggle.disabled = not fits
        toggle.tooltip = (
            "Show J[b] as the best linear map near x[b]: a grid and circle, their images "
            "under f and under its linearisation."
            if fits
            else f"{map_misfit(shown.outcome)}."
        )
        self.order_toggle.disabled = in_map
        self.map_row.layout.display = None if in_map else "none"
        batch_size = shown.outcome.x.shape[0]
        windowed = not in_map and 0 < len(shown.examples) < batch_size
        self.first_example_slider.layout.display = None if windowed else "none"
        how = 'choose it with "example b"' if in_map else 'choose it with "from example"'
        self.batch_grid.mark_shown(shown.examples or range(batch_size), how)

    def _state(self, outcome, view):
        """Say what a picture shows: formula, batch shape, view."""
        labels = {value: label for label, value in ORDER_OPTIONS}
        label = LINEAR_MAP if view == LINEAR_MAP else labels[outcome.order]
        return f"f(x) = {function_text(self.function)}, x {outcome.x.shape}, {label}"


def map_misfit(outcome):
    """Say why ``f`` does not fit the linear-map view (2 inputs and 2 outputs per example).

    Parameters
    ----------
    outcome : Outcome

    Returns
    -------
    str

    Examples
    --------
    >>> from jacviz.widget._compute import compute, parse
    >>> map_misfit(compute(parse("sum(x)", {}), np.ones((3, 2)), 1))
    'the linear-map view needs 2 inputs and 2 outputs per example; now x is (3, 2) and f(x) is (3,)'
    """
    return (
        "the linear-map view needs 2 inputs and 2 outputs per example; "
        f"now x is {outcome.x.shape} and f(x) is {outcome.y.shape}"
    )


def _info(shown):
    """List facts for the status line: which examples are drawn, or ``det J[b]`` of the map."""
    outcome = shown.outcome
    batch_size = outcome.x.shape[0]
    if shown.view == LINEAR_MAP:
        (b,) = shown.examples
        point = ", ".join(f"{v:.3g}" for v in outcome.x[b])
        return [f"linear map around x[{b}] = [{point}]: {_area_scaling(outcome.result[b], b)}"]
    if 0 < len(shown.examples) < batch_size:
        first, last = shown.examples[0], shown.examples[-1]
        return [
            f"the picture shows examples {first}–{last} of {batch_size}: "
            'move "from example" to see the others'
        ]
    return []


def _area_scaling(jac, b):
    """Say what ``det J[b]`` of a 2 x 2 block ``jac`` means for areas."""
    if not np.all(np.isfinite(jac)):
        return f"det J[{b}] is undefined here (J[{b}] has NaN or inf entries)"
    det = float(np.linalg.det(jac))
    flip = ", flipping orientation" if det < 0 else ""
    return f"det J[{b}] = {det:.4g}, so f scales small areas near x[{b}] by {abs(det):.4g}{flip}"
