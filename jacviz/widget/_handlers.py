"""What each control of the explorer does: made, wired, laid out, handled.

Layer: widget (private). Imports numpy, ipywidgets, traitlets and ``jacviz.presets``.

:class:`ControlHandlers` is a mixin of :class:`~jacviz.widget.JacobianExplorer`.
Its handlers only write state -- the traitlets ``function``, ``x``, ``order``,
``constants`` -- or ask for an update after a view option changed (linear
map, radius, which examples); the explorer's one update does the rest. Each
handler is named ``_on_<control>_change`` (or ``_click``).
"""

import ipywidgets as widgets
import numpy as np
import traitlets

from jacviz.presets import PRESETS
from jacviz.widget import _controls as controls
from jacviz.widget._batch import MAX_BATCH, MAX_INPUTS, parse_batch_text, resize_batch
from jacviz.widget._batch_controls import BatchGrid
from jacviz.widget._compute import function_text

#: The presets dropdown's entry for a formula that is no preset (or no longer one).
CUSTOM = "(your own formula)"


class ControlHandlers:
    """The explorer's controls and their handlers (a mixin; see the module docstring)."""

    # ------------------------------------------------------------ formula and presets

    def _on_function_text_change(self, change):
        if change["new"] != function_text(self.function):  # not our own echo
            self.function = change["new"]

    def _on_preset_change(self, change):
        preset = PRESETS.get(change["new"])
        if preset is None:
            self.note.value = ""
            return
        self._applying_preset = True
        try:
            with self._one_update():
                self.constants = {name: np.array(v) for name, v in preset.constants.items()}
                self.function = preset.expression
                self.x = preset.x
        finally:
            self._applying_preset = False
        self._initial_x = self.x
        self.note.value = f"<i>{preset.note}</i>"

    def _sync_preset(self):
        """Return the dropdown to ``CUSTOM`` once the formula is no longer the preset's."""
        preset = PRESETS.get(self.preset_dropdown.value)
        if preset is None or self._applying_preset:
            return
        same_constants = self.constants.keys() == preset.constants.keys() and all(
            np.array_equal(self.constants[name], value) for name, value in preset.constants.items()
        )
        if self.function != preset.expression or not same_constants:
            self.preset_dropdown.value = CUSTOM  # its handler clears the note

    # ------------------------------------------------------------ the batch

    def _on_shape_change(self, change):
        if self._holds:
            return
        shape = (self.batch_size_slider.value, self.input_dim_slider.value)
        self.x = resize_batch(self.x, *shape)

    def _on_entry_change(self, b, j, value):
        x = self.x.copy()
        x[b, j] = value
        try:
            with self._one_update():
                self.x = x
                self._reveal(b)
        except traitlets.TraitError as exc:
            self._show_error(str(exc))
            self.batch_grid.show(self.x)

    def _reveal(self, b):
        """Bring example ``b`` into the picture: the map's example, or the window moves."""
        if self.linear_map_toggle.value:
            self.map_example_slider.value = b
            return
        shown = self._examples_window()
        if b not in shown:
            self.first_example_slider.value = b if b < shown[0] else b - len(shown) + 1

    def _on_random_click(self, button):
        self.x = self._rng.uniform(-2.0, 2.0, size=self.x.shape).round(1)

    def _on_reset_click(self, button):
        self.x = self._initial_x

    def _on_paste_change(self, change):
        if not change["new"].strip():
            return
        try:
            self.x = parse_batch_text(change["new"])
        except ValueError as exc:
            self._show_error(f"pasted batch: {exc}")
            return
        self.paste_text.value = ""

    # ------------------------------------------------------------ what is drawn

    def _on_order_toggle_change(self, change):
        self.order = change["new"]

    def _on_linear_map_toggle_change(self, change):
        self._update()

    def _on_map_option_change(self, change):
        if self.linear_map_toggle.value:
            self._update()

    def _on_first_example_change(self, change):
        if not self.linear_map_toggle.value and self.order != "full":
            self._update()

    def _on_fd_checkbox_change(self, change):
        self._show_check()

    def _on_values_accordion_change(self, change):
        self._show_values()

    # ------------------------------------------------------------ building

    def _build_controls(self):
        """Make every widget (see ``_controls``), then wire it to its handler."""
        self.function_text = controls.function_text()
        self.formula_view = widgets.HTMLMath("", tooltip="The formula as typeset.")
        self.preset_dropdown = controls.preset_dropdown(PRESETS, CUSTOM)
        self.note = controls.html("What to look for in this example.")
        self.batch_size_slider = controls.shape_slider(
            "batch B", "Number of examples (rows of x).", MAX_BATCH, "jacviz-batch-size"
        )
        self.input_dim_slider = controls.shape_slider(
            "inputs n", "Inputs per example (columns of x).", MAX_INPUTS, "jacviz-input-dim"
        )
        self.batch_grid = BatchGrid(self._on_entry_change)
        self.random_button = controls.button("random batch", "dice", "New values in [-2, 2].")
        self.reset_button = controls.button("reset", "undo", "Back to the preset's batch.")
        self.paste_text = controls.paste_text()
        self._build_view_controls()
        self.image = controls.image()
        self.status = controls.html("Shapes of x, y and the derivative; notes.", "jacviz-status")
        self.error_area = controls.html(
            "What is wrong with the input, if anything.", "jacviz-error"
        )
        self.fd_view = controls.html("Autodiff against finite differences.", "jacviz-fd")
        self.values_table = controls.html("The numbers in the picture, and their formulas.")
        self.values_accordion = controls.values_accordion(self.values_table)
        self._wire_controls()

    def _build_view_controls(self):
        """Make the controls of what is drawn: order, linear map, examples, checks."""
        self.order_toggle = controls.order_toggle()
        self.linear_map_toggle = controls.linear_map_toggle()
        self.map_example_slider = controls.index_slider(
            "example b", "The example x[b] whose linear map is drawn.", "jacviz-map-example"
        )
        self.map_example_slider.layout.display = None
        self.radius_slider = controls.radius_slider()
        self.first_example_slider = controls.index_slider(
            "from example",
            "The picture shows 8 examples: the first one shown (the rest follow in order).",
            "jacviz-first-example",
        )
        self.fd_checkbox = controls.checkbox(
            "check against finite differences",
            "Show, per example, max |autodiff − central finite difference|.",
            "jacviz-fd-check",
        )

    def _wire_controls(self):
        self.function_text.observe(self._on_function_text_change, names="value")
        self.preset_dropdown.observe(self._on_preset_change, names="value")
        for slider in (self.batch_size_slider, self.input_dim_slider):
            slider.observe(self._on_shape_change, names="value")
        self.random_button.on_click(self._on_random_click)
        self.reset_button.on_click(self._on_reset_click)
        self.paste_text.observe(self._on_paste_change, names="value")
        self.order_toggle.observe(self._on_order_toggle_change, names="value")
        self.linear_map_toggle.observe(self._on_linear_map_toggle_change, names="value")
        for slider in (self.map_example_slider, self.radius_slider):
            slider.observe(self._on_map_option_change, names="value")
        self.first_example_slider.observe(self._on_first_example_change, names="value")
        self.fd_checkbox.observe(self._on_fd_checkbox_change, names="value")
        self.values_accordion.observe(self._on_values_accordion_change, names="selected_index")

    def _layout_children(self):
        self.map_row = controls.row([self.map_example_slider, self.radius_slider], "none")
        return [
            controls.row([self.function_text, self.preset_dropdown]),
            self.formula_view,
            self.note,
            controls.row([self.batch_size_slider, self.input_dim_slider]),
            self.batch_grid.box,
            controls.row([self.random_button, self.reset_button, self.paste_text]),
            controls.row([self.order_toggle, self.linear_map_toggle, self.fd_checkbox]),
            self.map_row,
            self.first_example_slider,
            self.error_area,
            self.image,
            self.status,
            self.fd_view,
            self.values_accordion,
        ]
