"""How an outcome is shown: picture, status line, error area, tables, which controls apply.

Layer: widget (private). Imports numpy and the explorer's private helpers.

:class:`Presenter` writes what one update produced into the explorer's
output widgets, enables the view controls that apply to the picture, and
remembers what is on screen (:attr:`Presenter.shown`): an error then says
which picture it keeps, and a table opened later describes that picture.
It reads no state of the explorer; the explorer hands it what to show.
"""

from typing import NamedTuple

import numpy as np

from jacviz.widget._alt import picture_words
from jacviz.widget._compute import Outcome, entry_formulas, finite_difference_check, map_misfit
from jacviz.widget._controls import ORDER_OPTIONS, SCALE_TIPS
from jacviz.widget._text import error_html, fd_html, live_html, stale_html, status_html, values_html

#: The status line's words for a picture on a colour scale per output.
PER_OUTPUT = "colours: each output on its own scale (compare colours within a column only)"


class Shown(NamedTuple):
    """The picture on screen: what it was computed from, and how it was drawn."""

    f: object
    text: str  # the formula as the formula box shows it
    outcome: Outcome
    linear_map: bool  # the linear-map view, else heatmaps
    examples: tuple  # the examples drawn; () for all (the full Jacobian)
    per_output: bool = False  # Hessians coloured on a scale per output
    facts: tuple = ()  # more lines for the status line (which data row each example uses)


class Presenter:
    """Show outcomes and errors in the explorer's widgets (a :class:`Controls`).

    :attr:`shown` is the picture on screen (a :class:`Shown`; None before one).

    Examples
    --------
    >>> from jacviz.widget._compute import compute, parse
    >>> from jacviz.widget._controls import Controls
    >>> controls = Controls({}, refused=print)
    >>> f, x = parse("x**3", {}), np.array([[4.0, 2.0]])
    >>> Presenter(controls).show(Shown(f, "x**3", compute(f, x, 1), False, (0,)), b"", 1)
    >>> "J (1, 2, 2)" in controls.status.value
    True
    """

    def __init__(self, controls):
        self._controls = controls
        self.shown = None
        self._good_status = ""  # the status line of the picture on screen
        self._formulas = (None, None, None)  # (f, n, formulas): one per formula and n

    def show(self, shown, png, render_count):
        """Show a new picture (``png``, number ``render_count``) and everything about it."""
        outcome, controls = shown.outcome, self._controls
        with controls.image.hold_sync():  # its words and the picture in one message
            controls.image.tooltip = _words(shown)
            controls.image.value = png
        controls.error_area.value = ""
        self._good_status = status_html(
            outcome.x, outcome.y, outcome.result, outcome.order, render_count,
            outcome.notes, _info(shown),
        )  # fmt: skip
        controls.status.value = live_html(self._good_status)
        self.shown = shown
        self._show_view_controls(shown)
        self.show_values()
        self.show_check()

    def show_error(self, message, source=None, position=None, stale=False):
        """Show ``message``, with a caret under ``source`` at ``position`` if given.

        With ``stale``, the status line also says the picture shows the last good
        state, and why.
        """
        self._controls.error_area.value = error_html(message, source, position)
        if stale and self.shown is not None:
            reason = stale_html(_description(self.shown))
            self._controls.status.value = live_html(f"{reason}<br>\n{self._good_status}")

    def show_formula(self, latex):
        """Typeset the formula (``latex`` None: a Python function or a formula that fails)."""
        self._controls.formula_view.value = f"$$f(x) = {latex}$$" if latex else ""

    def show_values(self):
        """Fill the values table -- only while it is open (it is text for the picture)."""
        ticked = self._controls.values_checkbox.value
        self._controls.values_table.layout.display = None if ticked else "none"
        if not ticked or self.shown is None:
            return
        outcome = self.shown.outcome
        formulas = "formulas are shown for the 1st-order Jacobian"
        if outcome.order == 1:
            formulas = self._entry_formulas(self.shown.f, outcome.x.shape[1])
        self._controls.values_table.value = values_html(
            outcome.flat, outcome.x, outcome.order, formulas
        )

    def show_check(self):
        """Fill the finite-difference table while its checkbox is ticked."""
        ticked = self._controls.fd_checkbox.value
        self._controls.fd_view.layout.display = None if ticked else "none"
        if ticked and self.shown is not None:
            check = finite_difference_check(self.shown.f, self.shown.outcome)
            self._controls.fd_view.value = fd_html(check)

    def _entry_formulas(self, f, n):
        """Return the formulas of J's entries: derived once per formula and ``n``, not per value."""
        if self._formulas[0] is not f or self._formulas[1] != n:
            self._formulas = (f, n, entry_formulas(f, n))
        return self._formulas[2]

    def _show_view_controls(self, shown):
        """Enable the controls that apply to the picture shown; hide those that do not."""
        controls, fits = self._controls, shown.outcome.plane_map
        toggle = controls.linear_map_toggle
        toggle.disabled = not fits
        toggle.tooltip = (
            "Show J[b] as the best linear map near x[b]: a grid and circle, their images "
            "under f and under its linearisation."
            if fits
            else f"{map_misfit(shown.outcome)}."
        )
        controls.order_toggle.disabled = shown.linear_map
        apart = shown.outcome.outputs_apart and not shown.linear_map
        controls.scale_checkbox.disabled = not apart
        controls.scale_checkbox.tooltip = SCALE_TIPS[apart]
        controls.map_row.layout.display = None if shown.linear_map else "none"
        batch_size = shown.outcome.x.shape[0]
        windowed = not shown.linear_map and 0 < len(shown.examples) < batch_size
        controls.first_example_slider.layout.display = None if windowed else "none"
        how = 'choose it with "example b"' if shown.linear_map else 'choose it with "from example"'
        controls.batch_grid.mark_shown(shown.examples or range(batch_size), how)


def _words(shown):
    """Write the picture's text alternative: what it shows, with its numbers (``_alt``)."""
    sentence = _info(shown)[0] if shown.linear_map else None
    return picture_words(shown.outcome, shown.examples, sentence, shown.per_output)


def _info(shown):
    """List facts for the status line: which examples are drawn, or ``det J[b]`` of the map."""
    outcome = shown.outcome
    batch_size = outcome.x.shape[0]
    if shown.linear_map:
        (b,) = shown.examples
        point = ", ".join(f"{v:.3g}" for v in outcome.x[b])
        scaling = _area_scaling(outcome.result[b], b)
        return [f"linear map around x[{b}] = [{point}]: {scaling}", *shown.facts]
    info = [PER_OUTPUT] if shown.per_output else []
    if 0 < len(shown.examples) < batch_size:
        first, last = shown.examples[0], shown.examples[-1]
        info.append(
            f"the picture shows examples {first}–{last} of {batch_size}: "
            'move "from example" to see the others'
        )
    return [*info, *shown.facts]


def _area_scaling(jac, b):
    """Say what ``det J[b]`` of a 2 x 2 block ``jac`` means for areas."""
    if not np.all(np.isfinite(jac)):
        return f"det J[{b}] is undefined here (J[{b}] has NaN or inf entries)"
    det = float(np.linalg.det(jac))
    flip = ", flipping orientation" if det < 0 else ""
    return f"det J[{b}] = {det:.4g}, so f scales small areas near x[{b}] by {abs(det):.4g}{flip}"


def _description(shown):
    """Say what a picture shows: formula, batch shape, view."""
    labels = {value: label for label, value in ORDER_OPTIONS}
    view = "linear map" if shown.linear_map else labels[shown.outcome.order]
    return f"f(x) = {shown.text}, x {shown.outcome.x.shape}, {view}"
