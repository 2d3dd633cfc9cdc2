"""The explorer's widgets: made, described, laid out, guarded -- no maths.

Layer: widget (private). Imports numpy and ipywidgets.

:class:`Controls` holds every widget of the explorer by name, lays them out,
and keeps what a browser may send in range (see ``_untrusted``). It reads
what the user asks for (:meth:`Controls.batch_shape`,
:meth:`Controls.view_options`) and shows the explorer's state
(:meth:`Controls.show_state`); which handler a control calls is wired by the
explorer. The functions below each make one widget, described and given its
tooltip and its ``jacviz-*`` CSS class (the hooks the browser tests look for).
"""

from typing import NamedTuple

import ipywidgets as widgets
import numpy as np
import traitlets

from jacviz.widget._batch import MAX_BATCH, MAX_INPUTS, MAX_SHOWN
from jacviz.widget._batch_controls import BatchGrid
from jacviz.widget._compute import function_text
from jacviz.widget._preset_choice import chosen, load_button, preset_dropdown
from jacviz.widget._untrusted import Bounds, keep_bounds, owned_widgets, refuse_bad_messages

#: The presets dropdown's entry for a formula that is no preset (or no longer one).
CUSTOM = "(your own formula)"
#: The radius slider's range in the linear-map view.
RADIUS = Bounds(0.05, 2.0, 0.05)

#: The colour of a wrong formula's box and label: 6.5:1 on white (WCAG 1.4.3, 1.4.11).
INVALID_COLOR = "#b3261e"
#: The formula box's name (its label), and while its formula is wrong. ipywidgets 8.0-8.1
#: cannot set ``aria-invalid`` on the ``<input>`` (its view writes only type, id, class,
#: placeholder, tabindex, title, value, disabled); the label names it, so it says so.
FORMULA_NAMES = {False: "f(x) =", True: "f(x) = (has an error)"}

#: The explorer's CSS (a ``<style>`` in a hidden HTML widget): a focus ring of 3 px at
#: 8.0:1 on white (WCAG 2.4.7, 1.4.11), the large-text mode, the selected radio
#: button's dot in the same dark blue, and no pressed look on the load button (a
#: ``ToggleButton`` only for the order of its messages, see ``_preset_choice``), and
#: the wrong formula's box: a 3 px border and its label in :data:`INVALID_COLOR`.
PAGE_STYLE = """<style>
.jacviz-explorer :focus-visible, .jacviz-explorer input:focus, .jacviz-explorer select:focus,
.jacviz-explorer button:focus {
  outline: 3px solid #0b4f9c !important; outline-offset: 1px;
}
.jacviz-explorer input[type="radio"], .jacviz-explorer input[type="checkbox"] {
  accent-color: #0b4f9c;
}
.jacviz-explorer.jacviz-large-mode { font-size: 150%; }
.jacviz-large-mode .widget-label, .jacviz-large-mode input, .jacviz-large-mode select,
.jacviz-large-mode button, .jacviz-large-mode label, .jacviz-large-mode .widget-html-content,
.jacviz-large-mode .widget-htmlmath-content, .jacviz-large-mode .widget-label-basic {
  font-size: 20px !important; line-height: 1.4 !important; height: auto !important;
}
.jacviz-explorer .jacviz-preset-load.mod-active:not(:hover):not(:active) {
  background-color: var(--jp-layout-color2, #eee); box-shadow: none;
}
.jacviz-large-mode .widget-inline-hbox > .widget-label { width: auto !important; }
.jacviz-large-mode .jacviz-batch-grid .widget-label { width: 0 !important; }
""" + (
    f".jacviz-function.jacviz-invalid input {{ border: 3px solid {INVALID_COLOR} !important; }}\n"
    f".jacviz-function.jacviz-invalid .widget-label {{ color: {INVALID_COLOR}; "
    "font-weight: bold; }\n"
    "</style>"
)

#: The compact layout's column of controls (CSS width), and the most its picture takes:
#: (width, height) in inches at the explorer's 100 dpi. 390 + 12 + 800 px wide leaves
#: room for a page's margins on a 1280 px slide; 560 px high for the status below.
#: (7.2 inches instead of 8 would stack the panels of 8 examples of 5 inputs in one
#: column, 1040 px high: their titles need the width.)
COMPACT_COLUMN = "390px"
COMPACT_COLUMN_INNER = "380px"  # a text box's: ipywidgets adds margins around it
COMPACT_GRID_HEIGHT = "310px"  # the number boxes of 8 examples; more scroll
COMPACT_FRAME = (8.0, 5.6)

#: The colour-scale checkbox's tooltip: (applies, does not apply).
SCALE_TIPS = {
    True: (
        "Colour each output's Hessians on their own scale, -Lᵢ to Lᵢ (Lᵢ above the column): "
        "a small output no longer looks blank; compare colours within a column only."
    ),
    False: (
        "For 2nd-order pictures of several outputs: each output's Hessians on their own "
        "colour scale. A Jacobian block keeps one scale: its rows are read together."
    ),
}

#: The order toggle's options: (label, value of ``JacobianExplorer.order``).
ORDER_OPTIONS = (("1st order", 1), ("2nd order", 2), ("full Jacobian", "full"))


def hooked(widget, css_class):
    """Add the CSS class ``css_class`` (a hook for the browser tests) to ``widget``; return it."""
    widget.add_class(css_class)
    return widget


def formula_box():
    """Return the formula box (applies on Enter or when it loses focus)."""
    box = widgets.Text(
        description=FORMULA_NAMES[False],
        placeholder="e.g. x**3, sin(x), [x[0]*x[1], x[0] + x[1]]",
        tooltip="The formula for one example x; press Enter to apply.",
        continuous_update=False,
        layout=widgets.Layout(width="min(100%, 560px)"),
        style={"description_width": "initial"},  # room for "(has an error)"
    )
    return hooked(box, "jacviz-function")


def order_toggle():
    """Return the radio group choosing Jacobian, Hessian or full Jacobian.

    Radio buttons, not toggle buttons: a screen reader says which one is
    selected, and the arrow keys move between them (WCAG 4.1.2).
    """
    toggle = widgets.RadioButtons(
        options=ORDER_OPTIONS,
        description="order",
        tooltip=(
            "What to draw: per-example Jacobians J[b], per-example Hessians, or the full "
            "Jacobian (the batch Jacobian is its block diagonal)."
        ),
    )
    return hooked(toggle, "jacviz-order")


def shape_slider(description, tooltip, maximum, css_class):
    """Return a number field from 1 to ``maximum`` for one axis of the batch.

    A labelled ``<input type=number>``: a slider's handle has no accessible
    name in ipywidgets, a number field has its label (arrow keys step it).
    """
    field = widgets.BoundedIntText(
        min=1,
        max=maximum,
        description=description,
        tooltip=tooltip,
        continuous_update=False,
        layout=widgets.Layout(width="200px"),
    )
    return hooked(field, css_class)


def index_slider(description, tooltip, css_class):
    """Return a number field from 0 (its maximum set later), hidden until needed.

    Its description takes the width it needs ("from example" is cut to
    "from exa…" in ipywidgets' default 80 px).
    """
    field = widgets.BoundedIntText(
        min=0,
        max=0,
        description=description,
        tooltip=tooltip,
        continuous_update=False,
        layout=widgets.Layout(display="none", width="200px"),
        style={"description_width": "initial"},
    )
    return hooked(field, css_class)


def linear_map_toggle():
    """Return the checkbox of the linear-map view (disabled until ``f`` fits it)."""
    toggle = widgets.Checkbox(
        value=False,
        description="linear map",
        tooltip="Show J[b] as the best linear map near x[b] (needs 2 inputs and 2 outputs).",
        disabled=True,
        indent=False,
        layout=widgets.Layout(width="auto"),
    )
    return hooked(toggle, "jacviz-linear-map")


def radius_slider():
    """Return the number field for the size of the neighbourhood in the linear-map view."""
    field = widgets.BoundedFloatText(
        value=0.5,
        min=RADIUS.min,
        max=RADIUS.max,
        step=RADIUS.step,
        description="radius",
        tooltip="Size of the grid and circle around x[b]: the larger, the more f bends away.",
        continuous_update=False,
        layout=widgets.Layout(width="200px"),
    )
    return hooked(field, "jacviz-radius")


def checkbox(description, tooltip, css_class):
    """Return an unticked checkbox for an optional part of the view."""
    box = widgets.Checkbox(
        value=False,
        description=description,
        tooltip=tooltip,
        indent=False,
        layout=widgets.Layout(width="auto"),
    )
    return hooked(box, css_class)


def button(description, tooltip, css_class=None):
    """Return a button named by its words (no icon glyph in its accessible name)."""
    widget = widgets.Button(description=description, tooltip=tooltip)
    return hooked(widget, css_class) if css_class else widget


def paste_text():
    """Return the box that takes a pasted batch such as ``[[4, 2], [1, 3]]``."""
    box = widgets.Text(
        description="paste x",
        placeholder="[[4, 2], [1, 3]]",
        tooltip="Paste a batch, e.g. [[4, 2], [1, 3]] or numpy's printed [[4. 2.] [1. 3.]]; Enter.",
        continuous_update=False,
    )
    return hooked(box, "jacviz-paste")


def html(tooltip, css_class=None):
    """Return an empty ``HTML`` widget (status line, error area, note, table)."""
    widget = widgets.HTML("", tooltip=tooltip)
    return hooked(widget, css_class) if css_class else widget


def image():
    """Return the PNG image that shows the heatmaps.

    Its tooltip is the ``<img>``'s ``title``, its text alternative: the
    presenter writes what the picture shows, with its numbers, at each render.
    """
    # flex-start: a VBox stretches its children, which would blur the PNG by scaling it
    layout = widgets.Layout(max_width="100%", height="auto", align_self="flex-start")
    picture = DescribedImage(format="png", layout=layout, tooltip="The picture (not drawn yet).")
    return hooked(picture, "jacviz-image")


class DescribedImage(widgets.Image):
    """An ``Image`` whose tooltip becomes the ``<img>``'s ``title``: its text alternative.

    ipywidgets' browser side writes a widget's tooltip as ``title`` only when
    its ``description`` is empty, and reads ``description.length``; ``Image``
    has no ``description``, so its view fails to build once a tooltip is set.
    This one has an empty ``description``.
    """

    description = traitlets.Unicode("", help="Always empty: the tooltip names the picture.").tag(
        sync=True
    )


def row(children, display=None):
    """Return an ``HBox`` of ``children`` (``display="none"`` hides it until needed)."""
    layout = widgets.Layout(flex_flow="row wrap", display=display)
    return widgets.HBox(children, layout=layout)


def is_preset(preset, function, constants, data=None):
    """Whether ``function``, ``constants`` and ``data`` are those of ``preset`` (a ``Preset``).

    Examples
    --------
    >>> from jacviz.presets import PRESETS
    >>> is_preset(PRESETS["sine"], "sin(x)", {}), is_preset(PRESETS["rotation"], "A @ x", {})
    (True, False)
    >>> is_preset(PRESETS["squared error to a target"], "(x - t)**2", {}, {"t": [[0, 0]]})
    False
    """
    if function != preset.expression:
        return False
    return same_arrays(constants, preset.constants) and same_arrays(data or {}, preset.data)


def same_arrays(named, other):
    """Whether two mappings name the same arrays (same names, equal values).

    Examples
    --------
    >>> same_arrays({"t": np.array([1.0, 2.0])}, {"t": (1, 2)}), same_arrays({}, {"t": 1})
    (True, False)
    """
    return named.keys() == other.keys() and all(
        np.array_equal(named[key], value) for key, value in other.items()
    )


class ViewOptions(NamedTuple):
    """What the picture shows besides the state: the view's controls, read at once."""

    linear_map: bool
    map_example: int
    radius: float
    first_example: int
    per_output: bool  # each Hessian output on its own colour scale


class Controls:
    """Every widget of the explorer by name, laid out, with the sliders' ranges kept.

    ``presets`` maps the names the dropdown offers (after :data:`CUSTOM`) to
    presets; ``refused(widget, exc)`` is called for a browser's message that
    ipywidgets rejects; every browser message is handled inside the context
    manager ``handling(widget, state)`` if one is given. The widgets are attributes: the input
    (``function_text``, ``preset_dropdown``, ``batch_size_slider``,
    ``input_dim_slider``, ``batch_grid``, ``random_button``, ``reset_button``,
    ``paste_text``, ``order_toggle``, ``linear_map_toggle``,
    ``map_example_slider``, ``radius_slider``, ``first_example_slider``,
    ``scale_checkbox``, ``fd_checkbox``, ``preset_button``, ``values_checkbox``, ``large_checkbox``)
    and the output (``formula_view``, ``note``, ``image``, ``status``,
    ``error_area``, ``fd_view``, ``values_table``, ``map_row``, ``page_style``).

    Examples
    --------
    >>> controls = Controls({}, refused=print)
    >>> controls.batch_size_slider.set_state({"max": 10**5, "value": 10**5})  # a browser
    >>> controls.batch_size_slider.value, controls.batch_size_slider.max
    (16, 16)
    """

    def __init__(self, presets, refused, handling=None):
        self._presets = presets
        self._refused = refused
        self._handling = handling
        self.function_text = formula_box()
        self.formula_view = hooked(
            widgets.HTMLMath("", tooltip="The formula as typeset."), "jacviz-formula-line"
        )
        self.preset_dropdown = hooked(preset_dropdown(presets, CUSTOM), "jacviz-preset")
        self.preset_button = hooked(load_button(self.preset_dropdown), "jacviz-preset-load")
        refuse_bad_messages(self.preset_button.link, refused, handling)  # not in the layout
        self.note = html("What to look for in this example.")
        self.batch_size_slider = shape_slider(
            "batch B", "Number of examples (rows of x).", MAX_BATCH, "jacviz-batch-size"
        )
        self.input_dim_slider = shape_slider(
            "inputs n", "Inputs per example (columns of x).", MAX_INPUTS, "jacviz-input-dim"
        )
        self.batch_grid = BatchGrid(on_new_widget=self.guard)
        self.random_button = button("random batch", "New values in [-2, 2].")
        self.reset_button = button("reset", "Back to the preset's batch.")
        self.paste_text = paste_text()
        self._make_view_controls()
        self.image = image()
        self.status = html("Shapes of x, y and the derivative; notes.", "jacviz-status")
        self.error_area = html("What is wrong with the input, if anything.", "jacviz-error")
        self.fd_view = html("Autodiff against finite differences.", "jacviz-fd")
        self.values_checkbox = checkbox(
            "show the values and formulas (table)",
            "The numbers in the picture as text, and the formula of each entry.",
            "jacviz-values",
        )
        self.values_table = html("The numbers in the picture, and their formulas.")
        self.values_table.layout.display = "none"
        self.large_checkbox = checkbox(
            "large text (projector)",
            "Bigger picture, numbers and controls, for the back row of a lecture hall.",
            "jacviz-large",
        )
        self.page_style = widgets.HTML(PAGE_STYLE, layout=widgets.Layout(display="none"))
        self._bounds = {
            self.batch_size_slider: Bounds(1, MAX_BATCH, 1),
            self.input_dim_slider: Bounds(1, MAX_INPUTS, 1),
            self.map_example_slider: Bounds(0, 0, 1),
            self.first_example_slider: Bounds(0, 0, 1),
            self.radius_slider: RADIUS,
        }
        for slider in self._bounds:
            slider.observe(self._on_slider_change, names=[*Bounds._fields, "value"])

    def _make_view_controls(self):
        """Make the controls of what is drawn: order, linear map, examples, checks."""
        self.order_toggle = order_toggle()
        self.linear_map_toggle = linear_map_toggle()
        self.map_example_slider = index_slider(
            "example b", "The example x[b] whose linear map is drawn.", "jacviz-map-example"
        )
        self.map_example_slider.layout.display = None
        self.radius_slider = radius_slider()
        self.map_row = row([self.map_example_slider, self.radius_slider], "none")
        self.first_example_slider = index_slider(
            "from example",
            "The picture shows 8 examples: the first one shown (the rest follow in order).",
            "jacviz-first-example",
        )
        self.scale_checkbox = checkbox(
            "colour scale per output",
            SCALE_TIPS[False],
            "jacviz-scale",
        )
        self.scale_checkbox.disabled = True
        self.fd_checkbox = checkbox(
            "check against finite differences",
            "Show, per example, max |autodiff − central finite difference|.",
            "jacviz-fd-check",
        )

    def named(self):
        """Return ``(name, widget)`` for every control, the batch grid included."""
        return [(name, value) for name, value in vars(self).items() if not name.startswith("_")]

    def layout(self, compact=False):
        """Return the explorer's rows, top to bottom; ``compact``: two columns (see below).

        The compact layout fits a 1280 × 800 slide at 100 % zoom: the controls in
        a column :data:`COMPACT_COLUMN` wide on the left, the picture with its
        status and checks on the right (the explorer draws it at most
        :data:`COMPACT_FRAME` inches).
        """
        if compact:
            return self._compact_layout()
        return [
            self.page_style,
            row([self.function_text, self.preset_dropdown, self.preset_button]),
            self.formula_view,
            self.note,
            row([self.batch_size_slider, self.input_dim_slider]),
            self.batch_grid.box,
            row([self.random_button, self.reset_button, self.paste_text]),
            row(
                [
                    self.order_toggle,
                    self.linear_map_toggle,
                    self.scale_checkbox,
                    self.fd_checkbox,
                    self.large_checkbox,
                ]
            ),
            self.map_row,
            self.first_example_slider,
            self.error_area,
            self.image,
            self.status,
            self.fd_view,
            self.values_checkbox,
            self.values_table,
        ]

    def _compact_layout(self):
        """Return the page style and one row: the controls' column, the picture's column."""
        checks = widgets.VBox([self.linear_map_toggle, self.scale_checkbox, self.fd_checkbox])
        controls = [
            self.function_text,
            row([self.preset_dropdown, self.preset_button]),
            self.formula_view,
            self.note,
            row([self.batch_size_slider, self.input_dim_slider]),
            self.batch_grid.box,
            row([self.random_button, self.reset_button]),
            self.paste_text,
            row([self.order_toggle, checks]),
            self.map_row,
            self.first_example_slider,
            self.large_checkbox,
            self.values_checkbox,
        ]
        widths = {
            self.function_text: COMPACT_COLUMN_INNER,
            self.paste_text: COMPACT_COLUMN_INNER,
            self.preset_dropdown: "250px",
            self.preset_button: "110px",
            self.batch_size_slider: "180px",
            self.input_dim_slider: "180px",
        }
        for control, width in widths.items():
            control.layout.width = width
        self.order_toggle.style.description_width = "initial"
        self.order_toggle.layout.width = "165px"
        self.batch_grid.box.layout.overflow = "auto"  # a larger batch scrolls, never spills
        self.batch_grid.box.layout.max_height = COMPACT_GRID_HEIGHT
        left = widgets.VBox(controls, layout=widgets.Layout(width=COMPACT_COLUMN, flex="0 0 auto"))
        picture = [self.error_area, self.image, self.status, self.fd_view, self.values_table]
        right = widgets.VBox(picture, layout=widgets.Layout(flex="1 1 auto", min_width="0"))
        both = widgets.HBox([left, right], layout=widgets.Layout(grid_gap="12px"))
        return [self.page_style, hooked(both, "jacviz-compact")]

    def guard(self, widget):
        """Refuse rejected browser messages for ``widget`` and all it holds (see ``_untrusted``)."""
        for part in owned_widgets(widget):
            refuse_bad_messages(part, self._refused, self._handling)

    def batch_shape(self):
        """Return the batch shape ``(B, n)`` the shape sliders ask for."""
        return self.batch_size_slider.value, self.input_dim_slider.value

    def view_options(self, batch_size):
        """Return what the view's controls ask for, as :class:`ViewOptions`, for ``B`` examples.

        The example sliders first get the range of a batch of ``batch_size``
        (a value outside it is clamped); the rest of :meth:`show_state` may follow.
        """
        self._fit_example_sliders(batch_size)
        return ViewOptions(
            bool(self.linear_map_toggle.value),
            self.map_example_slider.value,
            self.radius_slider.value,
            self.first_example_slider.value,
            self.scale_checkbox.value is True,
        )

    def mark_formula(self, wrong):
        """Mark the formula box as holding a wrong formula, or no longer.

        A wrong one gets the CSS class ``jacviz-invalid`` (a red border and
        label) and the name "f(x) = (has an error)", which a screen reader says
        on focus: ``aria-invalid`` itself cannot be set (see :data:`FORMULA_NAMES`).
        """
        box = self.function_text
        (box.add_class if wrong else box.remove_class)("jacviz-invalid")
        box.description = FORMULA_NAMES[wrong]

    def show_state(self, function, x, order, constants, data=None):
        """Show the state in the widgets: formula, batch ``x (B, n)``, order, preset.

        Call it quietly (``Updates.quietly``): the handlers must not take it for a
        user's action. The dropdown goes back to :data:`CUSTOM` (and the note is
        cleared) once formula, constants or data are no longer its preset's.
        """
        self.function_text.value = function_text(function)
        self.order_toggle.value = order
        if not self._is_preset(function, constants, data):
            self.preset_dropdown.value = CUSTOM
            self.note.value = ""
        batch_size, n = x.shape
        self.batch_size_slider.value, self.input_dim_slider.value = batch_size, n
        self.batch_grid.show(x)
        self._fit_example_sliders(batch_size)

    def _fit_example_sliders(self, batch_size):
        """Give the sliders choosing examples the range of a batch of ``batch_size``."""
        self._bounds[self.map_example_slider] = Bounds(0, batch_size - 1, 1)
        self._bounds[self.first_example_slider] = Bounds(0, max(0, batch_size - MAX_SHOWN), 1)
        keep_bounds(self.map_example_slider, self._bounds[self.map_example_slider])
        keep_bounds(self.first_example_slider, self._bounds[self.first_example_slider])

    def _is_preset(self, function, constants, data):
        """Whether the dropdown's preset has this formula, these constants and these data."""
        name = chosen(self.preset_dropdown)
        preset = self._presets.get(name) if isinstance(name, str) else None
        return name == CUSTOM if preset is None else is_preset(preset, function, constants, data)

    def _on_slider_change(self, change):
        slider = change["owner"]
        keep_bounds(slider, self._bounds[slider])
